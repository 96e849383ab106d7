/**
 * Error mitigation under a real device's noise (`npm run bench -- mitigation`): GHZ-n (n = 3..8)
 * <Z...Z> and <X...X>, and <Z_i> of a random 6-qubit parametric circuit, simulated with the noise of
 * the ibm_heron snapshot (ibm_fez calibration: thermal relaxation + depolarizing per gate, readout
 * assignment errors). Each value is estimated raw, readout-mitigated, with ZNE, and with both, at
 * 8,192 shots per circuit; the table gives |error| against the ideal value and each method's cost.
 *
 * It runs on the shipped `local:noisy=ibm_heron` backend, the one users get (which runs ISA circuits
 * as given and rewrites only the Estimator's non-native 1-qubit basis changes); `--own` runs the
 * same table on the bench's CompiledCircuitBackend for comparison.
 *
 * Pipelines (the defaults a user gets):
 *   raw        pipe(withCompilation(target))
 *   readout    pipe(withReadoutMitigation(), withCompilation(target))           2 calibration circuits
 *   zne        pipe(withZne({ target }))                                        global folding, scales 1,3,5, Richardson
 *   ro+zne     pipe(withReadoutMitigation(), withZne({ target }))
 *   ro+twirl+zne  pipe(withReadoutMitigation(), withZne({ target }), withTwirling({ native }))   16 twirled instances, shots split
 * All four compile each circuit once (level 1, same layout), so they run on the same physical qubits.
 *
 * Mitigation needs a backend that honours compiled (ISA) circuits, as IBM's does: recompiling would
 * re-lay out calibration and folded circuits and may cancel folds. The shipped noisy backend does.
 */
import { randomUUID } from 'node:crypto';
import {
  CircuitBuilder,
  Estimator,
  QError,
  createRng,
  expectationValues,
  makeCircuit,
  noiseFromTarget,
  pipe,
  presetTarget,
  withCompilation,
  withReadoutMitigation,
  withTwirling,
  withZne,
  nativeSet,
  type Backend,
  type BindingResult,
  type Bindings,
  type Capabilities,
  type Circuit,
  type EstimatorLike,
  type Instruction,
  type JobHandle,
  type MitigatedEstimatorResult,
  type NoiseModel,
  type PauliSum,
  type RunRequest,
  type RunResult,
  type Target,
} from '../src/index.js';
import { LocalBackend, localBackendFor, restrictModel } from '../backends/local/index.js';
import { heading, table, writeResults } from './util.js';

const SHOTS = 8192;
const TARGET_RATIO = 3;

/** 1-qubit gates the estimator's basis changes add, in Heron's native rz/sx/x. */
function nativeOneQubit(ins: Instruction): Instruction[] {
  const q = ins.qubits;
  const rz = (t: number): Instruction => ({ op: 'rz', qubits: q, params: [t] });
  const sx: Instruction = { op: 'sx', qubits: q, params: [] };
  switch (ins.op) {
    case 'h':
      return [rz(Math.PI / 2), sx, rz(Math.PI / 2)];
    case 'sdg':
      return [rz(-Math.PI / 2)];
    case 'sxdg':
      return [rz(Math.PI), sx, rz(Math.PI)];
    default:
      return [ins];
  }
}

/**
 * Runs circuits compiled to `target` exactly as given: basis-change gates written natively, then
 * only the active physical qubits simulated (density matrix) under the device model restricted to them.
 */
class CompiledCircuitBackend implements Backend {
  readonly id: string;
  readonly provider = 'local';
  readonly numQubits: number;
  readonly capabilities: Capabilities = { maxShots: 1e8, maxExecutions: 1e6, parametric: true, exact: false, noise: 'model', paid: false };
  private readonly results = new Map<string, RunResult>();

  constructor(
    readonly target: Target,
    readonly noise: NoiseModel,
  ) {
    this.id = `local:noisy=${target.name}(compiled circuits as given)`;
    this.numQubits = target.numQubits;
  }

  async submit(r: RunRequest): Promise<JobHandle> {
    const seed = r.seed ?? 1;
    const results: BindingResult[][] = [];
    for (let i = 0; i < r.runs.length; i++) {
      const c = r.runs[i].circuit;
      if (c.numQubits !== this.numQubits) throw new QError('VALIDATION', `${this.id}: circuit ${i} is not compiled to ${this.target.name}`);
      const ops = c.ops.flatMap((ins) => (ins.qubits.length === 1 && ins.op !== 'measure' ? nativeOneQubit(ins) : [ins]));
      const physical = [...new Set(ops.flatMap((ins) => ins.qubits))].sort((a, b) => a - b);
      const index = new Map(physical.map((q, k) => [q, k]));
      const compact = makeCircuit(
        physical.length,
        c.numClbits,
        ops.map((ins) => ({ ...ins, qubits: ins.qubits.map((q) => index.get(q) as number) })),
      );
      const inner = new LocalBackend({ noise: restrictModel(this.noise, physical), numQubits: physical.length });
      const job = await inner.submit({
        runs: [{ circuit: compact, bindings: r.runs[i].bindings }],
        shots: r.shots,
        seed: seed + 104729 * i,
      });
      results.push([...(await job.wait()).results[0]]);
    }
    const id = randomUUID();
    const result: RunResult = { jobId: id, backend: this.id, results, metadata: { seed } };
    this.results.set(id, result);
    return this.attach(id);
  }

  async attach(id: string): Promise<JobHandle> {
    const result = this.results.get(id);
    if (!result) throw new QError('VALIDATION', `${this.id}: no job ${id}`);
    return { id, backend: this.id, status: 'done', refresh: async () => 'done', wait: async () => result, cancel: async () => undefined };
  }
}

function ghz(n: number): Circuit {
  const b = new CircuitBuilder(n, 0, `ghz${n}`).h(0);
  for (let i = 1; i < n; i++) b.cx(i - 1, i);
  return b.build();
}

/** Three layers of ry/rz on every qubit and a CX ladder; every angle a symbol. */
function randomParametric(n: number): { circuit: Circuit; bindings: Bindings } {
  const b = new CircuitBuilder(n, 0, `random${n}`);
  const rng = createRng(2024);
  const bindings: Record<string, number> = {};
  let k = 0;
  for (let layer = 0; layer < 3; layer++) {
    for (let q = 0; q < n; q++) {
      const a = `t${k++}`;
      const c = `t${k++}`;
      bindings[a] = (rng.next() * 2 - 1) * Math.PI;
      bindings[c] = (rng.next() * 2 - 1) * Math.PI;
      b.ry(a, q).rz(c, q);
    }
    for (let q = layer % 2; q + 1 < n; q += 2) b.cx(q, q + 1);
  }
  return { circuit: b.build(), bindings };
}

function label(letter: string, n: number, qubits: readonly number[]): PauliSum {
  const chars = new Array<string>(n).fill('I');
  for (const q of qubits) chars[n - 1 - q] = letter;
  return [{ coeff: 1, pauli: chars.join('') }];
}

interface Case {
  name: string;
  circuit: Circuit;
  bindings: Bindings;
  observables: { name: string; obs: PauliSum }[];
}

export async function benchMitigation(): Promise<void> {
  const target = presetTarget('ibm_heron');
  const noise = noiseFromTarget(target);
  // The shipped backend by default; `--own` for the bench's reference backend (compiled circuits as given).
  const backend: Backend = process.argv.includes('--own')
    ? new CompiledCircuitBackend(target, noise)
    : localBackendFor('local:noisy=ibm_heron');
  const base = new Estimator(backend);
  const methods: { name: string; est: EstimatorLike }[] = [
    { name: 'raw', est: pipe(withCompilation(target))(base) },
    { name: 'readout', est: pipe(withReadoutMitigation(), withCompilation(target))(base) },
    { name: 'zne', est: pipe(withZne({ target }))(base) },
    { name: 'ro+zne', est: pipe(withReadoutMitigation(), withZne({ target }))(base) },
    {
      name: 'ro+twirl+zne',
      est: pipe(withReadoutMitigation(), withZne({ target }), withTwirling({ native: nativeSet(target), seed: 5 }))(base),
    },
  ];

  const cases: Case[] = [];
  for (let n = 3; n <= 8; n++) {
    const all = Array.from({ length: n }, (_, q) => q);
    cases.push({
      name: `GHZ-${n}`,
      circuit: ghz(n),
      bindings: {},
      observables: [
        { name: 'Z'.repeat(n), obs: label('Z', n, all) },
        { name: 'X'.repeat(n), obs: label('X', n, all) },
      ],
    });
  }
  const rnd = randomParametric(6);
  cases.push({
    name: 'random-6',
    circuit: rnd.circuit,
    bindings: rnd.bindings,
    observables: Array.from({ length: 6 }, (_, q) => ({ name: `Z${q}`, obs: label('Z', 6, [q]) })),
  });

  heading(`Mitigation under ibm_heron (ibm_fez calibration) noise, ${SHOTS} shots per circuit`);
  const rows: string[][] = [];
  const errors: Record<string, number[]> = Object.fromEntries(methods.map((m) => [m.name, []]));
  const records: Record<string, unknown>[] = [];
  let seed = 11;
  const t0 = performance.now();
  for (const c of cases) {
    const ideal = expectationValues(
      c.circuit,
      c.observables.map((o) => o.obs),
      c.bindings,
    );
    const results: { name: string; r: MitigatedEstimatorResult }[] = [];
    for (const m of methods) {
      const r = await m.est.run([{ circuit: c.circuit, observables: c.observables.map((o) => o.obs), bindings: [c.bindings] }], {
        shots: SHOTS,
        seed: seed++,
      });
      results.push({ name: m.name, r });
    }
    const cost = (name: string) => {
      const r = results.find((x) => x.name === name)?.r as MitigatedEstimatorResult;
      const extra = (r.mitigation ?? []).reduce((s, x) => s + x.extraCircuits, 0);
      return { circuits: r.metadata.circuits, extra, shots: r.metadata.shots };
    };
    c.observables.forEach((o, k) => {
      const errs = results.map(({ name, r }) => {
        const e = Math.abs(r.pubs[0].values[0][k] - ideal[k]);
        errors[name].push(e);
        return e;
      });
      const se = results.map(({ r }) => r.pubs[0].stdErrors[0][k]);
      const costs = methods.map((m) => cost(m.name));
      rows.push([
        c.name,
        `<${o.name}>`,
        ideal[k].toFixed(3),
        ...errs.map((e, i) => `${e.toFixed(3)} ±${se[i].toFixed(3)}`),
        costs.map((x) => `${x.circuits}/${x.extra}`).join(' '),
        costs.map((x) => `${(x.shots / 1000).toFixed(0)}k`).join(' '),
      ]);
      records.push({
        case: c.name,
        observable: o.name,
        ideal: ideal[k],
        ...Object.fromEntries(
          results.map(({ name, r }, i) => [
            name,
            { value: r.pubs[0].values[0][k], stdError: r.pubs[0].stdErrors[0][k], absError: errs[i] },
          ]),
        ),
        cost: Object.fromEntries(methods.map((m, i) => [m.name, costs[i]])),
      });
    });
  }
  console.log(
    table(
      [
        'case',
        'observable',
        'ideal',
        'raw |err|',
        'readout |err|',
        'zne |err|',
        'ro+zne |err|',
        'ro+twirl+zne |err|',
        'circuits/extra (raw ro zne ro+zne ro+twirl+zne)',
        'shots',
      ],
      rows,
    ),
  );
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const means = methods.map((m) => ({ name: m.name, mean: mean(errors[m.name]) }));
  console.log();
  console.log(
    table(
      ['method', 'mean |error|', 'vs raw'],
      means.map((m) => [m.name, m.mean.toFixed(4), `${(means[0].mean / m.mean).toFixed(2)}x`]),
    ),
  );
  const ratio = means[0].mean / means[3].mean;
  const pass = ratio >= TARGET_RATIO;
  const twirlRatio = means[0].mean / means[4].mean;
  console.log(`\nbackend: ${backend.id}`);
  console.log(
    `${pass ? 'PASS' : 'FAIL'}: readout+ZNE cuts the mean absolute error ${ratio.toFixed(2)}x vs raw (target >= ${TARGET_RATIO}x) at ${SHOTS} shots per circuit; ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  console.log(
    `${twirlRatio >= TARGET_RATIO ? 'PASS' : 'FAIL'}: readout+twirl+ZNE cuts it ${twirlRatio.toFixed(2)}x vs raw (target >= ${TARGET_RATIO}x; twirling splits each circuit's shots over 16 instances)`,
  );
  writeResults('mitigation', { shots: SHOTS, target: target.name, backend: backend.id, means, ratio, twirlRatio, pass, rows: records });
}
