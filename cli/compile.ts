import { Command, InvalidArgumentError } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import {
  compile,
  presetTarget,
  PRESET_TARGETS,
  targetFromJSON,
  targetFromQcsIsa,
  validationError,
  type Circuit,
  type CompileResult,
  type Target,
} from '../src/index.js';
import { emitQasm, loadQasmFile, type EmitOptions } from '../qasm/index.js';

/**
 * `qbridge compile FILE.qasm --target NAME|FILE.json [--level N] [--seed S]`: the compiled program in
 * the target's OpenQASM 3 dialect on stdout, one summary line on stderr.
 */

/** A preset name, or a path to a target JSON document (qbridge's own, or a Rigetti QCS ISA). */
export function loadTarget(spec: string): Target {
  if (PRESET_TARGETS.includes(spec)) return presetTarget(spec);
  if (spec.endsWith('.json') || existsSync(spec)) {
    const text = readFileSync(spec, 'utf8');
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return targetFromJSON(text); // reports the JSON syntax error
    }
    // A QCS instructionSetArchitecture document has no 'format' and an array of instructions.
    const isQcs =
      typeof doc === 'object' && doc !== null && 'architecture' in doc && Array.isArray((doc as { instructions?: unknown }).instructions);
    return isQcs ? targetFromQcsIsa(doc) : targetFromJSON(doc);
  }
  throw validationError(`unknown target '${spec}' (presets: ${PRESET_TARGETS.join(', ')}; or a target JSON file)`, { target: spec });
}

/** How a target's programs are written: IBM ISA, Braket verbatim (IQM, Rigetti), IonQ native, or generic. */
export function dialectFor(t: Target): EmitOptions {
  const gates = [...t.instructions.keys()].filter((g) => g !== 'measure');
  if (t.name.startsWith('ionq') || gates.includes('gpi2')) return { dialect: 'ionq' };
  if (gates.includes('sx') && gates.includes('rz')) return { dialect: 'ibm', basisGates: gates };
  if (gates.includes('prx') || t.name.startsWith('iqm') || t.name.startsWith('rigetti'))
    return { dialect: 'braket', verbatim: true, nativeGates: gates };
  return { dialect: 'generic' };
}

/** Renumbers physical qubits to the provider's names when they are numbers (IQM counts from 1). */
function withProviderNumbers(c: Circuit, t: Target): Circuit {
  const labels = t.qubitLabels;
  if (!labels || !labels.every((l) => /^\d+$/.test(l))) return c;
  const num = labels.map(Number);
  return { ...c, numQubits: Math.max(...num) + 1, ops: c.ops.map((i) => ({ ...i, qubits: i.qubits.map((q) => num[q]) })) };
}

/** The one-line summary printed on stderr. */
export function summaryLine(t: Target, level: number, r: CompileResult): string {
  const s = r.stats;
  const layout = r.initialLayout.map((p, i) => `${i}->${p}`).join(' ');
  return `${t.name} level ${level}: depth ${s.depth}, 2q gates ${s.twoQubitGates}, 1q gates ${s.oneQubitGates}, swaps ${s.swaps}, estimated success ${s.estimatedSuccess.toFixed(4)}, ${s.compileMs.toFixed(1)} ms; layout ${layout}`;
}

function level(value: string): number {
  if (!/^[0-3]$/.test(value.trim())) throw new InvalidArgumentError('--level must be 0, 1, 2 or 3');
  return Number(value);
}

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('compile an OpenQASM program for a device: native gates, layout, routing, optimisation')
    .argument('<file>', 'OpenQASM 2 or 3 file')
    .requiredOption('--target <name|file.json>', `device: ${PRESET_TARGETS.join(', ')}, or a target JSON file`)
    .option('--level <n>', 'optimisation level 0-3', level, 2)
    .option(
      '--seed <s>',
      'seed for layout and routing tie-breaks',
      (v: string) => {
        const n = Number(v);
        if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('--seed must be a non-negative integer');
        return n;
      },
      0,
    )
    .action((file: string, o: { target: string; level: number; seed: number }) => {
      const target = loadTarget(o.target);
      const c = loadQasmFile(file);
      const r = compile(c, target, { level: o.level as 0 | 1 | 2 | 3, seed: o.seed });
      const text = emitQasm(withProviderNumbers(r.circuit, target), dialectFor(target));
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      process.stderr.write(`${summaryLine(target, o.level, r)}\n`);
    });
}
