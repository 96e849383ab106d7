import { bindAngle, controlled, getGate, type Bindings, type Circuit, type Instruction } from '../../src/index.js';

/**
 * An independent dense reference for the QASM tests: the full 2^n x 2^n unitary of a circuit,
 * built gate by gate from the registry matrices (fine up to ~6 qubits). Measurements, resets,
 * barriers and delays are skipped. Interleaved re/im, row-major, qubit 0 least significant.
 */
export function gateMatrix(ins: Instruction, bindings: Bindings = {}): Float64Array {
  const k = ins.ctrl ?? 0;
  const base =
    ins.op === 'unitary' ? Float64Array.from(ins.matrix ?? []) : getGate(ins.op).matrix(ins.params.map((a) => bindAngle(a, bindings)));
  return k ? controlled(base, k, ins.ctrlState ?? (1 << k) - 1) : base;
}

/** Applies matrix m on `qubits` to a state (length 2·2^n) in place. */
export function applyToState(state: Float64Array, n: number, m: Float64Array, qubits: readonly number[]): void {
  const k = qubits.length;
  const dk = 1 << k;
  const dim = 1 << n;
  let mask = 0;
  for (const q of qubits) mask |= 1 << q;
  const idx = new Array<number>(dk);
  const re = new Float64Array(dk);
  const im = new Float64Array(dk);
  for (let base = 0; base < dim; base++) {
    if (base & mask) continue;
    for (let j = 0; j < dk; j++) {
      let r = base;
      for (let b = 0; b < k; b++) if ((j >> b) & 1) r |= 1 << qubits[b];
      idx[j] = r;
      re[j] = state[2 * r];
      im[j] = state[2 * r + 1];
    }
    for (let i = 0; i < dk; i++) {
      let sr = 0;
      let si = 0;
      for (let j = 0; j < dk; j++) {
        const mr = m[2 * (i * dk + j)];
        const mi = m[2 * (i * dk + j) + 1];
        sr += mr * re[j] - mi * im[j];
        si += mr * im[j] + mi * re[j];
      }
      state[2 * idx[i]] = sr;
      state[2 * idx[i] + 1] = si;
    }
  }
}

const SKIP = new Set(['measure', 'reset', 'barrier', 'delay']);

/** The state after the circuit's gates, starting from |0...0> (or from basis state `from`). */
export function simulate(c: Circuit, bindings: Bindings = {}, from = 0): Float64Array {
  const n = c.numQubits;
  const s = new Float64Array(2 << n);
  s[2 * from] = 1;
  for (const ins of c.ops) if (!SKIP.has(ins.op)) applyToState(s, n, gateMatrix(ins, bindings), ins.qubits);
  return s;
}

/** The full unitary (column j = image of basis state j). */
export function circuitUnitary(c: Circuit, bindings: Bindings = {}): Float64Array {
  const n = c.numQubits;
  const d = 1 << n;
  const u = new Float64Array(2 * d * d);
  for (let j = 0; j < d; j++) {
    const s = simulate(c, bindings, j);
    for (let i = 0; i < d; i++) {
      u[2 * (i * d + j)] = s[2 * i];
      u[2 * (i * d + j) + 1] = s[2 * i + 1];
    }
  }
  return u;
}

export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function probabilitiesOf(s: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i += 2) out.push(s[i] * s[i] + s[i + 1] * s[i + 1]);
  return out;
}

/** Mulberry32: a small seeded PRNG so property tests are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
