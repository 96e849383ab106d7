import { validationError } from '../errors.js';
import { makeCircuit, type Circuit, type Instruction } from '../ir/circuit.js';
import type { PauliSum } from '../ir/pauli.js';
import type { ReadoutError } from '../noise/noiseModel.js';

/**
 * Readout-error mitigation, the arithmetic. A qubit's assignment errors p(1|0), p(0|1) form the
 * column-stochastic confusion matrix A_q = [[1 - p(1|0), p(0|1)], [p(1|0), 1 - p(0|1)]] (measured
 * rows, prepared columns). With independent readout the whole register's matrix is ⊗ A_q; it is
 * measured with two calibration circuits (all qubits in |0>, all in |1>) and inverted per qubit.
 * Three ways to use it:
 *   - on an observable: ⊗A_q⁻¹ applied to the counts equals measuring Z_q -> (Z_q + (p(1|0) - p(0|1))·I) / (1 - p(1|0) - p(0|1))
 *     on each measured qubit, a linear estimator whose standard error the estimator already computes;
 *   - on a distribution: ⊗A_q⁻¹ then the Euclidean projection onto the probability simplex;
 *   - M3 (Nation et al., PRX Quantum 2, 040326): the assignment matrix restricted to the observed
 *     bitstrings within Hamming distance d of each other, columns renormalised, solved directly.
 */

/** Readout calibration: per-qubit assignment errors (the noise model's ReadoutError shape). */
export interface ReadoutCalibration {
  readonly errors: readonly ReadoutError[];
  /** Shots each calibration circuit ran with (0 when the figures were given, not measured). */
  readonly shots: number;
}

/** The calibration entry of `qubit`; a VALIDATION error naming `where` when there is none or it is not invertible. */
export function readoutOf(cal: ReadoutCalibration, qubit: number, where: string): ReadoutError {
  const e = cal.errors.find((x) => x.qubit === qubit);
  if (!e) {
    throw validationError(
      `${where}: no readout calibration for qubit ${qubit} (calibrated qubits: ${cal.errors.map((x) => x.qubit).join(', ') || 'none'})`,
      { qubit },
    );
  }
  if (!(1 - e.p1Given0 - e.p0Given1 > 1e-6)) {
    throw validationError(
      `${where}: qubit ${qubit}'s readout is not invertible (p(1|0) + p(0|1) = ${e.p1Given0 + e.p0Given1} must be below 1)`,
      { qubit },
    );
  }
  return e;
}

/** Checks user-given calibration figures: probabilities in [0, 1], integer qubits, no duplicates. */
export function checkCalibration(cal: ReadoutCalibration, where = 'readout calibration'): ReadoutCalibration {
  if (!cal || !Array.isArray(cal.errors)) throw validationError(`${where}: needs errors: [{qubit, p1Given0, p0Given1}, ...]`);
  const seen = new Set<number>();
  for (const e of cal.errors) {
    if (!Number.isInteger(e.qubit) || e.qubit < 0) throw validationError(`${where}: invalid qubit ${String(e.qubit)}`);
    if (seen.has(e.qubit)) throw validationError(`${where}: qubit ${e.qubit} is listed twice`);
    seen.add(e.qubit);
    for (const p of [e.p1Given0, e.p0Given1])
      if (!(p >= 0 && p <= 1)) throw validationError(`${where}: qubit ${e.qubit}: probabilities must be in [0, 1], got ${String(p)}`);
  }
  return cal;
}

/**
 * The two calibration circuits on `numQubits` qubits: nothing, and X on every listed qubit; each
 * measures the listed qubits into bits 0..k-1 in the order given.
 */
export function calibrationCircuits(numQubits: number, qubits: readonly number[]): [Circuit, Circuit] {
  const measure: Instruction[] = qubits.map((q, k) => ({ op: 'measure', qubits: [q], params: [], clbits: [k] }));
  const flips: Instruction[] = qubits.map((q) => ({ op: 'x', qubits: [q], params: [] }));
  return [
    makeCircuit(numQubits, qubits.length, measure, { name: 'readout_cal_0' }),
    makeCircuit(numQubits, qubits.length, [...flips, ...measure], { name: 'readout_cal_1' }),
  ];
}

/** Assignment errors from the counts of the two calibration circuits (bit k of a key is qubits[k]). */
export function calibrationFromCounts(
  qubits: readonly number[],
  counts0: Readonly<Record<string, number>>,
  counts1: Readonly<Record<string, number>>,
): ReadoutCalibration {
  const k = qubits.length;
  const ones = (counts: Readonly<Record<string, number>>) => {
    const hits = new Float64Array(k);
    let total = 0;
    for (const [key, c] of Object.entries(counts)) {
      total += c;
      for (let j = 0; j < k; j++) if (key.charCodeAt(key.length - 1 - j) === 49) hits[j] += c;
    }
    return { hits, total };
  };
  const a = ones(counts0);
  const b = ones(counts1);
  if (a.total === 0 || b.total === 0) throw validationError('readout calibration: a calibration circuit returned no shots');
  return {
    errors: qubits.map((q, j) => ({ qubit: q, p1Given0: a.hits[j] / a.total, p0Given1: (b.total - b.hits[j]) / b.total })),
    shots: Math.min(a.total, b.total),
  };
}

/**
 * Per measured qubit, the mitigated eigenvalue is α + β·z (z = ±1 the read value):
 * α = (p(1|0) - p(0|1)) / det, β = 1 / det, det = 1 - p(1|0) - p(0|1).
 */
export function inverseWeights(e: ReadoutError): { alpha: number; beta: number } {
  const det = 1 - e.p1Given0 - e.p0Given1;
  return { alpha: (e.p1Given0 - e.p0Given1) / det, beta: 1 / det };
}

/**
 * An observable whose plain estimate from readout-noisy shots equals the ⊗A_q⁻¹-corrected estimate of
 * `obs`: each term P_S becomes Π_{q∈S} (α_q·I + β_q·P_q), expanded. Every new term is a sub-string of
 * P_S, so it is measured in the same setting: no extra circuits. Terms smaller than `tolerance`
 * times the original coefficient are dropped (α is of order the readout error, so a term with m
 * α factors is O(p^m)).
 */
export function mitigatedObservable(obs: PauliSum, cal: ReadoutCalibration, where: string, tolerance = 1e-10): PauliSum {
  const out = new Map<string, number>();
  for (const t of obs) {
    const chars = [...t.pauli];
    const n = chars.length;
    const support: number[] = [];
    for (let i = 0; i < n; i++) if (chars[i] !== 'I') support.push(i);
    const w = support.map((i) => inverseWeights(readoutOf(cal, n - 1 - i, where)));
    const floor = Math.abs(t.coeff) * tolerance;
    // Depth-first over keep (β, the Pauli stays) / drop (α, identity) per support position.
    const cur = [...chars];
    const walk = (k: number, coeff: number) => {
      if (Math.abs(coeff) < floor || coeff === 0) return;
      if (k === support.length) {
        const label = cur.join('');
        out.set(label, (out.get(label) ?? 0) + coeff);
        return;
      }
      const i = support[k];
      walk(k + 1, coeff * w[k].beta);
      cur[i] = 'I';
      walk(k + 1, coeff * w[k].alpha);
      cur[i] = chars[i];
    };
    walk(0, t.coeff);
  }
  return [...out].map(([pauli, coeff]) => ({ coeff, pauli }));
}

/** Largest register a dense distribution is built for. */
export const MAX_DENSE_READOUT_BITS = 20;

/** A dense probability vector over k bits from counts (key bit j = index bit j). */
export function denseDistribution(counts: Readonly<Record<string, number>>, k: number): { probs: Float64Array; shots: number } {
  if (k > MAX_DENSE_READOUT_BITS)
    throw validationError(`a dense readout correction over ${k} bits is too large (limit ${MAX_DENSE_READOUT_BITS}); use method 'm3'`);
  const probs = new Float64Array(1 << k);
  let shots = 0;
  for (const [key, c] of Object.entries(counts)) {
    probs[parseInt(key, 2)] += c;
    shots += c;
  }
  if (shots > 0) for (let i = 0; i < probs.length; i++) probs[i] /= shots;
  return { probs, shots };
}

/**
 * Applies ⊗A_q⁻¹ (or its transpose) in place to a vector over k bits, bit j with errors `errs[j]`:
 * one 2x2 pass per bit, so 2^k·k work instead of a 4^k matrix.
 */
export function applyTensoredInverse(v: Float64Array, errs: readonly ReadoutError[], transpose = false): Float64Array {
  const N = v.length;
  errs.forEach((e, j) => {
    const det = 1 - e.p1Given0 - e.p0Given1;
    // A⁻¹ = [[1 - p(0|1), -p(0|1)], [-p(1|0), 1 - p(1|0)]] / det
    const m00 = (1 - e.p0Given1) / det;
    let m01 = -e.p0Given1 / det;
    let m10 = -e.p1Given0 / det;
    const m11 = (1 - e.p1Given0) / det;
    if (transpose) [m01, m10] = [m10, m01];
    const bit = 1 << j;
    for (let i = 0; i < N; i++) {
      if (i & bit) continue;
      const x0 = v[i];
      const x1 = v[i | bit];
      v[i] = m00 * x0 + m01 * x1;
      v[i | bit] = m10 * x0 + m11 * x1;
    }
  });
  return v;
}

/**
 * The probability vector nearest to `q` in Euclidean distance (projection onto the simplex: subtract
 * the one threshold θ with Σ max(q_i - θ, 0) = 1, clip at 0). For a quasi-distribution summing to 1
 * this is Smolin, Gambetta and Smith's maximum-likelihood fix (PRL 108, 070502).
 */
export function nearestProbability(q: Float64Array): Float64Array {
  const sorted = Float64Array.from(q).sort().reverse();
  let acc = 0;
  let theta = 0;
  for (let i = 0; i < sorted.length; i++) {
    acc += sorted[i];
    const t = (acc - 1) / (i + 1);
    if (i + 1 === sorted.length || sorted[i + 1] <= t) {
      theta = t;
      break;
    }
  }
  const out = new Float64Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = Math.max(q[i] - theta, 0);
  return out;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The M3 reduced assignment matrix over observed bitstrings, and solvers for it and its transpose. */
export class M3Subspace {
  /** Observed bitstrings as integers (bit j = key bit j), and their empirical probabilities. */
  readonly states: Uint32Array;
  readonly probs: Float64Array;
  readonly shots: number;
  /** Sparse columns: for column j, rows[colStart[j]..colStart[j+1]) with values. */
  private readonly colStart: Int32Array;
  private readonly rows: Int32Array;
  private readonly vals: Float64Array;
  private readonly diag: Float64Array;

  constructor(
    counts: Readonly<Record<string, number>>,
    errs: readonly ReadoutError[],
    readonly distance: number,
  ) {
    const k = errs.length;
    if (k > 32) throw validationError(`M3 readout correction handles at most 32 measured bits, got ${k}`);
    if (!Number.isInteger(distance) || distance < 0)
      throw validationError(`M3 distance must be a non-negative integer, got ${String(distance)}`);
    const entries = Object.entries(counts).filter(([, c]) => c > 0);
    const m = entries.length;
    this.states = new Uint32Array(m);
    this.probs = new Float64Array(m);
    let shots = 0;
    entries.forEach(([key, c], i) => {
      this.states[i] = parseInt(key, 2) >>> 0;
      shots += c;
    });
    entries.forEach(([, c], i) => (this.probs[i] = c / shots));
    this.shots = shots;
    // A[i][j] = Π_q p(read bit of x_i | prepared bit of x_j), kept when the strings differ in <= d bits.
    const p = errs.map((e) => [
      [1 - e.p1Given0, e.p0Given1],
      [e.p1Given0, 1 - e.p0Given1],
    ]);
    const start: number[] = [0];
    const rows: number[] = [];
    const vals: number[] = [];
    this.diag = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const xj = this.states[j];
      let colSum = 0;
      const first = rows.length;
      for (let i = 0; i < m; i++) {
        const xi = this.states[i];
        if (popcount((xi ^ xj) >>> 0) > distance) continue;
        let v = 1;
        for (let q = 0; q < k; q++) v *= p[q][(xi >>> q) & 1][(xj >>> q) & 1];
        rows.push(i);
        vals.push(v);
        colSum += v;
      }
      // mthree renormalises each truncated column so it is stochastic again.
      for (let r = first; r < rows.length; r++) {
        vals[r] /= colSum;
        if (rows[r] === j) this.diag[j] = vals[r];
      }
      start.push(rows.length);
    }
    this.colStart = Int32Array.from(start);
    this.rows = Int32Array.from(rows);
    this.vals = Float64Array.from(vals);
  }

  get size(): number {
    return this.states.length;
  }

  /** y = A x (or Aᵀ x). */
  private mul(x: Float64Array, transpose: boolean): Float64Array {
    const y = new Float64Array(this.size);
    for (let j = 0; j < this.size; j++) {
      for (let r = this.colStart[j]; r < this.colStart[j + 1]; r++) {
        if (transpose) y[j] += this.vals[r] * x[this.rows[r]];
        else y[this.rows[r]] += this.vals[r] * x[j];
      }
    }
    return y;
  }

  /**
   * Solves A x = b (or Aᵀ x = b). Small systems by dense LU; larger ones by Jacobi iteration, which
   * converges when the columns are diagonally dominant (every string more likely read right than
   * wrong), as for any usable device; otherwise dense LU up to a size that still fits.
   */
  solve(b: Float64Array, transpose = false): Float64Array {
    const m = this.size;
    const dominant = this.diag.every((d) => d > 0.5);
    if (m <= 256 || (!dominant && m <= 3000)) return this.solveDense(b, transpose);
    if (!dominant)
      throw validationError(`M3: the readout is too noisy for ${m} observed bitstrings (assignment matrix not diagonally dominant)`);
    const x = new Float64Array(m);
    for (let i = 0; i < m; i++) x[i] = b[i] / this.diag[i];
    for (let it = 0; it < 1000; it++) {
      const ax = this.mul(x, transpose);
      let change = 0;
      for (let i = 0; i < m; i++) {
        const dx = (b[i] - ax[i]) / this.diag[i];
        x[i] += dx;
        change = Math.max(change, Math.abs(dx));
      }
      if (change < 1e-13) return x;
    }
    return this.solveDense(b, transpose);
  }

  private solveDense(b: Float64Array, transpose: boolean): Float64Array {
    const m = this.size;
    const a = new Float64Array(m * m);
    for (let j = 0; j < m; j++)
      for (let r = this.colStart[j]; r < this.colStart[j + 1]; r++) {
        const i = this.rows[r];
        if (transpose) a[j * m + i] = this.vals[r];
        else a[i * m + j] = this.vals[r];
      }
    return luSolve(a, Float64Array.from(b), m);
  }
}

/** Solves a x = b (a row-major m x m, overwritten) by Gaussian elimination with partial pivoting. */
export function luSolve(a: Float64Array, b: Float64Array, m: number): Float64Array {
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r * m + c]) > Math.abs(a[piv * m + c])) piv = r;
    if (Math.abs(a[piv * m + c]) < 1e-300) throw validationError('singular linear system');
    if (piv !== c) {
      for (let k = 0; k < m; k++) [a[c * m + k], a[piv * m + k]] = [a[piv * m + k], a[c * m + k]];
      [b[c], b[piv]] = [b[piv], b[c]];
    }
    const d = a[c * m + c];
    for (let r = c + 1; r < m; r++) {
      const f = a[r * m + c] / d;
      if (f === 0) continue;
      for (let k = c; k < m; k++) a[r * m + k] -= f * a[c * m + k];
      b[r] -= f * b[c];
    }
  }
  const x = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < m; k++) s -= a[r * m + k] * x[k];
    x[r] = s / a[r * m + r];
  }
  return x;
}

/** M3-corrected quasi-probabilities over the observed bitstrings (keys as in the counts). */
export function m3Correct(
  counts: Readonly<Record<string, number>>,
  errs: readonly ReadoutError[],
  distance = 3,
): { quasi: Record<string, number>; subspace: M3Subspace } {
  const sub = new M3Subspace(counts, errs, distance);
  const x = sub.solve(sub.probs);
  const k = errs.length;
  const quasi: Record<string, number> = {};
  sub.states.forEach((s, i) => (quasi[s.toString(2).padStart(k, '0')] = x[i]));
  return { quasi, subspace: sub };
}
