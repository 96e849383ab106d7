import { validationError } from '../errors.js';
import { makeCircuit, type Circuit, type Instruction } from '../ir/circuit.js';
import { getGate, hasGate } from '../ir/gates.js';
import { dagger, kron, matmul, type CMatrix } from '../ir/matrix.js';
import { pauliMatrix } from '../noise/channels.js';
import { createRng, type Rng } from '../sim/rng.js';
import type { EstimatorPub } from '../primitives/estimator.js';
import { mergeMetadata, type EstimatorLike, type EstimatorMiddleware, type MitigatedEstimatorResult } from './pipe.js';

/**
 * Pauli twirling of 2-qubit Clifford gates: G -> Q·G·P with P a random 2-qubit Pauli and
 * Q = G P G† (again a Pauli, since G is Clifford), so every instance implements the same unitary
 * while the average over instances turns the gate's noise into a Pauli channel (Wallman & Emerson,
 * PRA 94, 052325), which ZNE and readout correction then treat far better than coherent errors.
 */
export const DEFAULT_TWIRLED_GATES: readonly string[] = ['cx', 'cz', 'ecr'];

const LETTERS = ['I', 'X', 'Y', 'Z'] as const;

/** For pair index r = a + 4b (a on qubits[0], b on qubits[1]), the Pauli pair Q = G P G† as the same index. */
const tables = new Map<string, Int8Array>();

function phaseEqual(a: CMatrix, b: CMatrix): boolean {
  // a = e^{iφ} b for some φ: find the phase at b's largest entry, then compare all entries.
  let k = 0;
  for (let i = 0; i < b.length; i += 2) if (Math.hypot(b[i], b[i + 1]) > Math.hypot(b[k], b[k + 1])) k = i;
  const br = b[k];
  const bi = b[k + 1];
  const n2 = br * br + bi * bi;
  if (n2 < 1e-12) return false;
  // phase = a_k / b_k
  const pr = (a[k] * br + a[k + 1] * bi) / n2;
  const pi = (a[k + 1] * br - a[k] * bi) / n2;
  if (Math.abs(Math.hypot(pr, pi) - 1) > 1e-9) return false;
  for (let i = 0; i < a.length; i += 2) {
    const er = pr * b[i] - pi * b[i + 1];
    const ei = pr * b[i + 1] + pi * b[i];
    if (Math.abs(er - a[i]) > 1e-9 || Math.abs(ei - a[i + 1]) > 1e-9) return false;
  }
  return true;
}

/** The conjugation table of a parameterless 2-qubit Clifford gate; a VALIDATION error for anything else. */
export function twirlTable(gate: string): Int8Array {
  const hit = tables.get(gate);
  if (hit) return hit;
  if (!hasGate(gate)) throw validationError(`twirling: unknown gate '${gate}'`);
  const def = getGate(gate);
  if (def.numQubits !== 2 || def.paramNames.length !== 0) throw validationError(`twirling: '${gate}' is not a parameterless 2-qubit gate`);
  const g = def.matrix([]);
  const gd = dagger(g);
  const paulis = Array.from({ length: 16 }, (_, r) => kron(pauliMatrix(LETTERS[r >> 2]), pauliMatrix(LETTERS[r & 3])));
  const table = new Int8Array(16);
  for (let r = 0; r < 16; r++) {
    const q = matmul(matmul(g, paulis[r]), gd);
    const s = paulis.findIndex((p) => phaseEqual(q, p));
    if (s < 0)
      throw validationError(`twirling: '${gate}' is not a Clifford gate (it maps ${LETTERS[r >> 2]}${LETTERS[r & 3]} outside the Paulis)`);
    table[r] = s;
  }
  tables.set(gate, table);
  return table;
}

function pauliOps(letter: number, q: number, native?: ReadonlySet<string>): Instruction[] {
  if (letter === 0) return [];
  const name = LETTERS[letter].toLowerCase();
  if (!native || native.has(name) || !native.has('rz') || !native.has('x')) return [{ op: name, qubits: [q], params: [] }];
  // In the device's gates: Z = rz(π), Y ∝ X·Z (Z first), up to global phase.
  if (name === 'z') return [{ op: 'rz', qubits: [q], params: [Math.PI] }];
  if (name === 'y')
    return [
      { op: 'rz', qubits: [q], params: [Math.PI] },
      { op: 'x', qubits: [q], params: [] },
    ];
  return [{ op: name, qubits: [q], params: [] }];
}

/** One twirled instance of a circuit: each listed gate gets a random Pauli frame before and the matching one after. */
export function twirlCircuit(c: Circuit, rng: Rng, options: { gates?: readonly string[]; native?: ReadonlySet<string> } = {}): Circuit {
  const gates = new Set(options.gates ?? DEFAULT_TWIRLED_GATES);
  const ops: Instruction[] = [];
  for (const ins of c.ops) {
    if (!gates.has(ins.op) || ins.qubits.length !== 2) {
      ops.push(ins);
      continue;
    }
    const table = twirlTable(ins.op);
    const r = rng.nextUint32() & 15;
    const s = table[r];
    const [q0, q1] = ins.qubits;
    ops.push(...pauliOps(r & 3, q0, options.native), ...pauliOps(r >> 2, q1, options.native), ins);
    ops.push(...pauliOps(s & 3, q0, options.native), ...pauliOps(s >> 2, q1, options.native));
  }
  return makeCircuit(c.numQubits, c.numClbits, ops, { name: c.name });
}

export interface TwirlingOptions {
  /** Twirled instances per pub (default 16). */
  readonly instances?: number;
  readonly seed?: number;
  /** Gates to twirl (default cx, cz, ecr). */
  readonly gates?: readonly string[];
  /** Write the Pauli frames in these gates where possible (Z = rz(π)). */
  readonly native?: ReadonlySet<string>;
}

/**
 * Pauli twirling as an Estimator middleware: each pub becomes `instances` twirled copies, all in one
 * inner run, and the values are averaged. The run's shot budget is split across the instances (a
 * `shots` option is divided, a `precision` widened by √instances), so twirling costs extra circuits,
 * not extra shots; with neither, each instance runs the inner estimator's default shots.
 */
export function withTwirling(options: TwirlingOptions = {}): EstimatorMiddleware {
  const N = options.instances ?? 16;
  if (!Number.isInteger(N) || N < 1) throw validationError(`withTwirling: instances must be a positive integer, got ${String(N)}`);
  for (const g of options.gates ?? DEFAULT_TWIRLED_GATES) twirlTable(g);
  return (next: EstimatorLike): EstimatorLike => ({
    async run(pubs, runOptions = {}): Promise<MitigatedEstimatorResult> {
      if (!Array.isArray(pubs) || pubs.length === 0) throw validationError('Estimator.run needs at least one pub');
      const rng = createRng(options.seed ?? runOptions.seed ?? 0);
      const twirled: EstimatorPub[] = [];
      for (let k = 0; k < N; k++) for (const p of pubs) twirled.push({ ...p, circuit: twirlCircuit(p.circuit, rng, options) });
      const inner = await next.run(twirled, {
        ...runOptions,
        shots: runOptions.shots === undefined ? undefined : Math.max(2, Math.ceil(runOptions.shots / N)),
        precision: runOptions.precision === undefined ? undefined : runOptions.precision * Math.sqrt(N),
      });
      const P = pubs.length;
      const out = pubs.map((_p, i) => {
        const per = Array.from({ length: N }, (_x, k) => inner.pubs[k * P + i]);
        const first = per[0];
        const values = first.values.map((row, b) => row.map((_v, o) => per.reduce((s, r) => s + r.values[b][o], 0) / N));
        // SE of a mean over random instances: the larger of the shot-noise estimate and the spread across instances.
        const stdErrors = first.values.map((row, b) =>
          row.map((_v, o) => {
            const within = Math.sqrt(per.reduce((s, r) => s + r.stdErrors[b][o] ** 2, 0)) / N;
            if (N < 2) return within;
            const m = values[b][o];
            const between = Math.sqrt(per.reduce((s, r) => s + (r.values[b][o] - m) ** 2, 0) / (N - 1) / N);
            return Math.max(within, between);
          }),
        );
        return { values, stdErrors, exact: first.exact, shotsPerSetting: first.shotsPerSetting, settings: first.settings };
      });
      let extraCircuits = 0;
      let extraShots = 0;
      const fullShots = runOptions.shots;
      for (let k = 0; k < N; k++)
        for (let i = 0; i < P; i++) {
          const r = inner.pubs[k * P + i];
          const circuits = r.exact ? 1 : r.settings.length;
          if (k > 0) extraCircuits += circuits;
          extraShots += circuits * r.values.length * r.shotsPerSetting;
        }
      // Shots beyond what one untwirled run at the requested shot count would spend.
      let baseline = 0;
      for (let i = 0; i < P; i++) {
        const r = inner.pubs[i];
        baseline += (r.exact ? 1 : r.settings.length) * r.values.length * (fullShots ?? r.shotsPerSetting * N);
      }
      const merged = mergeMetadata([inner]);
      return {
        pubs: out,
        metadata: merged.metadata,
        mitigation: [
          ...merged.mitigation,
          {
            technique: 'twirling',
            extraCircuits,
            extraShots: Math.max(0, extraShots - baseline),
            details: { instances: N, gates: options.gates ?? DEFAULT_TWIRLED_GATES },
          },
        ],
      };
    },
  });
}
