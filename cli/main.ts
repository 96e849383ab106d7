import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import {
  circuitFromJSON,
  expectation,
  gateNames,
  getGate,
  parsePauliSum,
  statevector,
  validationError,
  JournaledBackend,
  type Bindings,
  type Circuit,
} from '../src/index.js';
import { emitQasm, loadQasmFile } from '../qasm/index.js';
import { backendFor, parseBackendSpec } from '../backends/registry.js';
import { registerBackends } from './backends.js';
import { registerEmulate } from './emulate.js';
import { registerJobs } from './jobs.js';
import { registerCompile } from './compile.js';
import { registerEvaluate } from './evaluate.js';
import { registerCompare } from './compare.js';
import { registerTrain } from './train.js';
import { runDemo } from './demo.js';
import { describeError, EXIT_OK, EXIT_USAGE, printJson, progressBar } from './output.js';

function intOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^[+-]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    }
    return n;
  };
}

/** `--bind theta=0.5,phi=1` (repeatable) into a bindings record. */
function collectBindings(value: string, prev: Record<string, number> = {}): Record<string, number> {
  for (const part of value.split(',').filter(Boolean)) {
    const m = /^\s*([\p{L}_][\p{L}\p{N}_.[\]-]*)\s*=\s*(\S+)\s*$/u.exec(part);
    const x = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(x)) throw new InvalidArgumentError(`'${part}' is not name=number`);
    prev[m[1]] = x;
  }
  return prev;
}

/** Reads a circuit from OpenQASM (2 or 3) or a qbridge circuit JSON document. */
function loadCircuit(file: string): Circuit {
  if (file.endsWith('.json')) return circuitFromJSON(readFileSync(file, 'utf8'));
  return loadQasmFile(file);
}

function checkBound(c: Circuit, bindings: Bindings): void {
  const missing = c.parameters.filter((p) => !(p in bindings));
  if (missing.length) {
    throw validationError(`the circuit has unbound input parameter(s) ${missing.join(', ')}; give values with --bind ${missing[0]}=0.5`);
  }
}

function formatCounts(counts: Record<string, number>, shots: number): string {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const width = Math.max(8, ...rows.map(([k]) => k.length));
  const lines = rows.map(
    ([k, n]) =>
      `${k.padStart(width)}  ${String(n).padStart(String(shots).length)}  ${(n / shots).toFixed(4)}  ${'#'.repeat(Math.round((40 * n) / shots))}`,
  );
  return [`${'outcome'.padStart(width)}  ${'count'.padStart(String(shots).length)}  prob`, ...lines].join('\n');
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('qbridge')
    .description('Hybrid quantum-classical networks from a laptop simulator to real quantum processors.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('run')
    .description('run a circuit (OpenQASM 2/3 or qbridge JSON) and print measurement counts')
    .argument('<file>', 'circuit file (.qasm or .json)')
    .option('--shots <n>', 'number of shots', intOption('--shots', 1, 100_000_000), 1024)
    .option('--seed <s>', 'random seed for sampling', intOption('--seed', 0, 2 ** 32 - 1), 0)
    .option('--bind <name=value,...>', 'values of input parameters (repeatable)', collectBindings)
    .option(
      '--backend <name>',
      'where to run: local, local:noisy=DEVICE (ibm_heron, ibm_fez, ibm_eagle, ionq_forte, iqm_garnet, rigetti), ibm:NAME, ionq:NAME, braket:ARN, rigetti:NAME',
      (v: string) => {
        try {
          parseBackendSpec(v);
        } catch (e) {
          throw new InvalidArgumentError((e as Error).message);
        }
        return v.trim();
      },
      'local',
    )
    .option('--verbose', 'trace each HTTP exchange on stderr (credentials redacted)')
    .option('--yes', 'confirm a paid submission over the shot budget (QBRIDGE_BUDGET_SHOTS)')
    .option('--json', 'machine-readable output')
    .action(
      async (
        file: string,
        o: {
          shots: number;
          seed: number;
          bind?: Record<string, number>;
          backend: string;
          verbose?: boolean;
          yes?: boolean;
          json?: boolean;
        },
      ) => {
        const c = loadCircuit(file);
        const bindings = o.bind ?? {};
        checkBound(c, bindings);
        const t0 = performance.now();
        // Through the Backend contract; provider jobs go through the journal, so a crash never loses or repeats one.
        const inner = await backendFor(o.backend, o.verbose ? { trace: (line) => process.stderr.write(`${line}\n`) } : {});
        const backend =
          inner.provider === 'local'
            ? inner
            : new JournaledBackend(inner, {
                confirm: (b) => {
                  if (o.yes) return true;
                  process.stderr.write(
                    `${b.backend}: ${b.totalShots} shots exceed the budget of ${b.budgetShots}; re-run with --yes to confirm\n`,
                  );
                  return false;
                },
              });
        const job = await backend.submit({ runs: [{ circuit: c, bindings: [bindings] }], shots: o.shots, seed: o.seed });
        if (inner.provider !== 'local' && !o.json) process.stderr.write(`submitted job ${job.id} to ${o.backend}; waiting\n`);
        const result = await job.wait({ pollMs: inner.provider === 'local' ? 1 : 2000 });
        const counts = result.results[0][0].counts ?? {};
        const seconds = (performance.now() - t0) / 1000;
        if (o.json) {
          printJson({ counts, shots: o.shots, backend: o.backend, jobId: job.id });
          return;
        }
        if (!c.ops.some((op) => op.op === 'measure'))
          process.stderr.write('note: the circuit measures nothing; every qubit i was measured into bit i\n');
        process.stdout.write(`${formatCounts(counts, o.shots)}\n`);
        process.stdout.write(
          `${o.shots} shots on ${o.backend} (${c.numQubits} qubits, ${c.ops.length} operations) in ${seconds.toFixed(3)} s, seed ${o.seed}, job ${job.id}\n`,
        );
      },
    );

  program
    .command('simulate')
    .description('simulate a circuit exactly: its statevector and/or expectation values')
    .argument('<file>', 'circuit file (.qasm or .json)')
    .option('--statevector', 'print the final statevector (terminal measurements are ignored)')
    .option(
      '--observable <obs>',
      'an observable to evaluate, e.g. "Z0 Z1" or "0.5*XX - Z0" (repeatable)',
      (v: string, p: string[] = []) => [...p, v],
    )
    .option('--bind <name=value,...>', 'values of input parameters (repeatable)', collectBindings)
    .option('--json', 'machine-readable output')
    .action((file: string, o: { statevector?: boolean; observable?: string[]; bind?: Record<string, number>; json?: boolean }) => {
      const c = loadCircuit(file);
      const bindings = o.bind ?? {};
      checkBound(c, bindings);
      const observables = (o.observable ?? []).map((text) => ({ text, obs: parsePauliSum(text) }));
      const s = statevector(c, bindings);
      const showState = o.statevector || observables.length === 0;
      const expectations = observables.map(({ text, obs }) => ({ observable: text, value: expectation(s, c.numQubits, obs) }));
      if (o.json) {
        const out: Record<string, unknown> = { numQubits: c.numQubits };
        if (showState) {
          const amps: [number, number][] = [];
          for (let i = 0; i < s.length; i += 2) amps.push([s[i], s[i + 1]]);
          out.amplitudes = amps;
        }
        if (expectations.length) out.expectations = expectations;
        printJson(out);
        return;
      }
      if (showState) {
        const width = c.numQubits;
        for (let i = 0; i < s.length / 2; i++) {
          const re = s[2 * i];
          const im = s[2 * i + 1];
          const p = re * re + im * im;
          if (p < 1e-12 && s.length > 64) continue;
          process.stdout.write(
            `|${i.toString(2).padStart(width, '0')}>  ${re >= 0 ? ' ' : ''}${re.toFixed(6)} ${im >= 0 ? '+' : '-'} ${Math.abs(im).toFixed(6)}i   p=${p.toFixed(6)}\n`,
          );
        }
      }
      for (const e of expectations) process.stdout.write(`<${e.observable}> = ${e.value}\n`);
    });

  program
    .command('qasm')
    .description('parse a program and print it re-emitted as OpenQASM 3 in a provider dialect')
    .argument('<file>', 'OpenQASM 2 or 3 file')
    .addOption(new Option('--dialect <d>', 'output dialect').choices(['generic', 'ibm', 'braket', 'ionq']).default('generic'))
    .option('--json', 'machine-readable output ({"qasm": "..."})')
    .action((file: string, o: { dialect: 'generic' | 'ibm' | 'braket' | 'ionq'; json?: boolean }) => {
      const c = loadQasmFile(file);
      const text = emitQasm(c, { dialect: o.dialect });
      if (o.json) printJson({ qasm: text, dialect: o.dialect, numQubits: c.numQubits, parameters: c.parameters });
      else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    });

  program
    .command('gates')
    .description('list the gates qbridge knows')
    .option('--json', 'machine-readable output')
    .action((o: { json?: boolean }) => {
      const rows = gateNames().map((name) => {
        const g = getGate(name);
        return { name, qubits: g.numQubits, params: g.paramNames, stdgates: g.stdgates, description: g.description };
      });
      if (o.json) return printJson(rows);
      for (const r of rows) {
        const sig = r.params.length ? `${r.name}(${r.params.join(', ')})` : r.name;
        process.stdout.write(`${sig.padEnd(28)} ${String(r.qubits)}q  ${r.stdgates ? 'std ' : '    '} ${r.description}\n`);
      }
    });

  program
    .command('demo')
    .description('the default job: GHZ sampling and a variational ground-state search with adjoint gradients, on the local simulator')
    .option('--seed <s>', 'random seed', intOption('--seed', 0, 2 ** 32 - 1), 7)
    .option('--steps <n>', 'optimisation steps', intOption('--steps', 1, 100_000), 400)
    .option('--json', 'machine-readable output')
    .action((o: { seed: number; steps: number; json?: boolean }) => {
      const bar = progressBar(o.steps, 'vqe', !o.json);
      const r = runDemo({ seed: o.seed, steps: o.steps, onStep: (_s, e) => bar.tick(1, `E=${e.toFixed(5)}`) });
      bar.done();
      if (o.json) return printJson(r);
      const out = process.stdout;
      out.write(`GHZ state on ${r.ghz.qubits} qubits, ${r.ghz.shots} shots (local simulator):\n`);
      out.write(`${formatCounts(r.ghz.counts, r.ghz.shots)}\n\n`);
      out.write(`Variational ground state of H = ${r.vqe.hamiltonian}\n`);
      out.write(`  ${r.vqe.qubits} qubits, ${r.vqe.layers} layers, ${r.vqe.parameters} parameters, Adam on exact adjoint gradients\n`);
      for (const s of r.vqe.steps) out.write(`  step ${String(s.step).padStart(5)}  energy ${s.energy.toFixed(6)}\n`);
      out.write(
        `  final energy ${r.vqe.energy.toFixed(6)}  exact ${r.vqe.exactEnergy.toFixed(6)}  relative error ${(100 * r.vqe.relativeError).toFixed(3)}%  (${r.vqe.seconds.toFixed(2)} s)\n`,
      );
    });

  registerCompile(program);
  registerTrain(program);
  registerEvaluate(program);
  registerCompare(program);
  registerEmulate(program);
  registerBackends(program);
  registerJobs(program);
  return program;
}

/** Runs the CLI and returns the exit code (0 ok, 2 bad input or usage, 1 runtime failure). */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  const override = (cmd: Command): void => {
    for (const c of cmd.commands) {
      c.exitOverride();
      override(c);
    }
  };
  override(program);
  try {
    await program.parseAsync([...argv]);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE; // commander already printed the message
    }
    const { line, code } = describeError(e);
    process.stderr.write(`qbridge: ${line}\n`);
    return code;
  }
}
