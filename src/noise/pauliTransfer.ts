import type { CMatrix } from '../ir/matrix.js';

/**
 * Pauli transfer matrices (PTMs) and the kernels that apply them to a density matrix stored in the
 * Pauli basis.
 *
 * Write ρ = 2^-n Σ_P c_P P over the 4^n Pauli strings P. The coefficients c_P = Tr(P ρ) are real, and
 * every channel (gate, noise, or both composed) acts on them as a real matrix R with
 * R[i][j] = 2^-k Tr(σ_i E(σ_j)) on the k qubits it touches. Against the complex superoperator on the
 * vectorised ρ this halves the memory (8·4^n bytes instead of 16·4^n) and quarters the arithmetic of a
 * pass (real instead of complex multiply-adds), and a Clifford gate with Pauli noise (CZ, CX, ECR
 * under depolarizing noise) is a scaled signed permutation: one multiply per entry. Expectation
 * values of Pauli strings are single entries.
 *
 * Layout: the coefficient of P sits at index Σ_q d_q·4^q with digit d_q ∈ {0: I, 1: X, 2: Y, 3: Z},
 * so qubit q owns bits 2q and 2q+1. Local digit indices of a k-qubit PTM follow the same rule over
 * the operation's own qubit order (operation qubit 0 = the low digit = matrix bit 0).
 */

/** The column-c entry of single-qubit Pauli d (the one non-zero of that column) as [re, im]. */
function pauliColumnEntry(d: number, c: number): [number, number] {
  switch (d) {
    case 0:
      return [1, 0];
    case 1:
      return [1, 0];
    case 2:
      return c === 0 ? [0, 1] : [0, -1]; // Y = [[0, -i], [i, 0]]: column 0 holds i (row 1), column 1 holds -i (row 0)
    default:
      return c === 0 ? [1, 0] : [-1, 0];
  }
}

/** A k-qubit Pauli string by digit index: its bit-flip mask and, per column c, the entry at row c ^ x. */
interface PauliMonomial {
  readonly x: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

function monomials(k: number): PauliMonomial[] {
  const d = 1 << k;
  const out: PauliMonomial[] = [];
  for (let i = 0; i < 4 ** k; i++) {
    let x = 0;
    for (let q = 0; q < k; q++) {
      const dq = (i >> (2 * q)) & 3;
      if (dq === 1 || dq === 2) x |= 1 << q;
    }
    const re = new Float64Array(d);
    const im = new Float64Array(d);
    for (let c = 0; c < d; c++) {
      let pr = 1;
      let pi = 0;
      for (let q = 0; q < k; q++) {
        const [er, ei] = pauliColumnEntry((i >> (2 * q)) & 3, (c >> q) & 1);
        const t = pr * er - pi * ei;
        pi = pr * ei + pi * er;
        pr = t;
      }
      re[c] = pr;
      im[c] = pi;
    }
    out.push({ x, re, im });
  }
  return out;
}

const monomialCache = new Map<number, PauliMonomial[]>();

function monomialsOf(k: number): PauliMonomial[] {
  let m = monomialCache.get(k);
  if (!m) {
    m = monomials(k);
    monomialCache.set(k, m);
  }
  return m;
}

/**
 * The PTM (4^k x 4^k, real, row-major) of the channel with Kraus operators `kraus` on k qubits:
 * R[i][j] = 2^-k Σ_K Tr(σ_i K σ_j K†). A unitary is the single operator [U]. Written into `out` when
 * given (it must hold 16^k numbers), else into a new array.
 */
export function pauliTransferMatrix(kraus: readonly CMatrix[], k: number, out?: Float64Array): Float64Array {
  const d = 1 << k;
  const D = d * d;
  const P = monomialsOf(k);
  const R = out ?? new Float64Array(D * D);
  R.fill(0);
  const aRe = new Float64Array(D);
  const aIm = new Float64Array(D);
  const mRe = new Float64Array(D);
  const mIm = new Float64Array(D);
  for (const K of kraus) {
    for (let j = 0; j < D; j++) {
      const pj = P[j];
      // A = K σ_j: column c of σ_j has its entry at row c ^ x.
      for (let r = 0; r < d; r++)
        for (let c = 0; c < d; c++) {
          const kr = K[2 * (r * d + (c ^ pj.x))];
          const ki = K[2 * (r * d + (c ^ pj.x)) + 1];
          aRe[r * d + c] = kr * pj.re[c] - ki * pj.im[c];
          aIm[r * d + c] = kr * pj.im[c] + ki * pj.re[c];
        }
      // M = A K†
      for (let r = 0; r < d; r++)
        for (let c = 0; c < d; c++) {
          let sr = 0;
          let si = 0;
          for (let m = 0; m < d; m++) {
            const xr = aRe[r * d + m];
            const xi = aIm[r * d + m];
            const yr = K[2 * (c * d + m)];
            const yi = -K[2 * (c * d + m) + 1];
            sr += xr * yr - xi * yi;
            si += xr * yi + xi * yr;
          }
          mRe[r * d + c] = sr;
          mIm[r * d + c] = si;
        }
      // Tr(σ_i M) = Σ_c σ_i[c][c ^ x] M[c ^ x][c]; σ_i[c][c ^ x] is the entry of column c ^ x.
      for (let i = 0; i < D; i++) {
        const pi = P[i];
        let tr = 0;
        for (let c = 0; c < d; c++) {
          const r = c ^ pi.x;
          tr += pi.re[r] * mRe[r * d + c] - pi.im[r] * mIm[r * d + c];
        }
        R[i * D + j] += tr / d;
      }
    }
  }
  return R;
}

/** a·b for square real matrices of side D (row-major), into out (which must not alias a or b). */
export function realMatmul(a: Float64Array, b: Float64Array, D: number, out: Float64Array): Float64Array {
  for (let r = 0; r < D; r++)
    for (let c = 0; c < D; c++) {
      let s = 0;
      for (let m = 0; m < D; m++) s += a[r * D + m] * b[m * D + c];
      out[r * D + c] = s;
    }
  return out;
}

/** Entries below this are rounding residue of exact zeros (PTM entries are at most 1 in size). */
const ZERO = 1e-15;

/**
 * A PTM laid out for the kernels: the rows that differ from the identity, their non-zeros (CSR), and
 * the index offset of each local digit pattern for the operation's qubits.
 */
export interface PtmOp {
  readonly k: number;
  /** Bit mask of the 2k state bits the operation touches. */
  readonly mask: number;
  /** offsets[I] = state-index offset of local digit pattern I. */
  readonly offsets: Int32Array;
  /** One qubit: the 16 entries (row-major) and whether row 0 is the identity row (trace preserving). */
  dense: Float64Array;
  skipRow0: boolean;
  /** Several qubits: non-identity rows in CSR form; perm is true when every kept row has one entry. */
  rows: Int32Array;
  rowStart: Int32Array;
  col: Int32Array;
  val: Float64Array;
  perm: boolean;
  /** Two qubits, perm: every row's factor and source column, identity rows included. */
  readonly permVal: Float64Array;
  readonly permSrc: Int32Array;
  readonly scratch: Float64Array;
}

/** An empty kernel layout for a PTM on `qubits` (call setPtm before applying). */
export function ptmOp(qubits: readonly number[]): PtmOp {
  const k = qubits.length;
  const D = 4 ** k;
  const offsets = new Int32Array(D);
  let mask = 0;
  for (const q of qubits) mask |= 3 << (2 * q);
  for (let I = 0; I < D; I++) {
    let o = 0;
    for (let j = 0; j < k; j++) o += ((I >> (2 * j)) & 3) << (2 * qubits[j]);
    offsets[I] = o;
  }
  return {
    k,
    mask,
    offsets,
    dense: new Float64Array(k === 1 ? 16 : 0),
    skipRow0: false,
    rows: new Int32Array(0),
    rowStart: new Int32Array(1),
    col: new Int32Array(0),
    val: new Float64Array(0),
    perm: false,
    permVal: new Float64Array(k === 2 ? 16 : 0),
    permSrc: new Int32Array(k === 2 ? 16 : 0),
    scratch: new Float64Array(D),
  };
}

/** Loads a PTM (D x D, row-major) into an op's kernel layout, dropping rounding residue and identity rows. */
export function setPtm(op: PtmOp, R: Float64Array): void {
  const D = op.offsets.length;
  if (op.k === 1) {
    op.dense.set(R);
    op.skipRow0 = Math.abs(R[0] - 1) <= ZERO && Math.abs(R[1]) <= ZERO && Math.abs(R[2]) <= ZERO && Math.abs(R[3]) <= ZERO;
    return;
  }
  const rows: number[] = [];
  const rowStart: number[] = [0];
  const col: number[] = [];
  const val: number[] = [];
  let perm = true;
  for (let r = 0; r < D; r++) {
    const start = col.length;
    for (let c = 0; c < D; c++) {
      const v = R[r * D + c];
      if (Math.abs(v) > ZERO) {
        col.push(c);
        val.push(v);
      }
    }
    const n = col.length - start;
    if (n === 1 && col[start] === r && Math.abs(val[start] - 1) <= ZERO) {
      col.length = start;
      val.length = start;
      continue;
    }
    if (n !== 1) perm = false;
    rows.push(r);
    rowStart.push(col.length);
  }
  op.rows = Int32Array.from(rows);
  op.rowStart = Int32Array.from(rowStart);
  op.col = Int32Array.from(col);
  op.val = Float64Array.from(val);
  op.perm = perm;
  if (perm && op.k === 2) {
    for (let r = 0; r < D; r++) {
      op.permVal[r] = 1;
      op.permSrc[r] = r;
    }
    for (let ri = 0; ri < rows.length; ri++) {
      op.permVal[rows[ri]] = val[ri];
      op.permSrc[rows[ri]] = col[ri];
    }
  }
}

/**
 * Applies an op to the groups of one chunk: every state index y | x with x a submask of `free` (the
 * chunk's local bits outside the op) is the base of one group of 4^k coefficients. Walking submasks
 * with x = (x - free) & free visits them in increasing order without a division or a table.
 */
export function applyPtm(s: Float64Array, op: PtmOp, y: number, free: number): void {
  if (op.k === 1) {
    apply1(s, op, y, free);
    return;
  }
  const { offsets, rows, rowStart, col, val, scratch } = op;
  const nr = rows.length;
  if (nr === 0) return;
  const D = offsets.length;
  let x = 0;
  if (op.perm) {
    do {
      const b = y | x;
      for (let c = 0; c < D; c++) scratch[c] = s[b + offsets[c]];
      for (let ri = 0; ri < nr; ri++) s[b + offsets[rows[ri]]] = val[ri] * scratch[col[ri]];
      x = (x - free) & free;
    } while (x !== 0);
    return;
  }
  do {
    const b = y | x;
    for (let c = 0; c < D; c++) scratch[c] = s[b + offsets[c]];
    for (let ri = 0; ri < nr; ri++) {
      let v = 0;
      for (let e = rowStart[ri]; e < rowStart[ri + 1]; e++) v += val[e] * scratch[col[e]];
      s[b + offsets[rows[ri]]] = v;
    }
    x = (x - free) & free;
  } while (x !== 0);
}

/** One qubit: a dense 4x4 on four coefficients, unrolled; row 0 left alone when it is the identity. */
function apply1(s: Float64Array, op: PtmOp, y: number, free: number): void {
  const m = op.dense;
  const o1 = op.offsets[1];
  const o2 = op.offsets[2];
  const o3 = op.offsets[3];
  const r10 = m[4],
    r11 = m[5],
    r12 = m[6],
    r13 = m[7];
  const r20 = m[8],
    r21 = m[9],
    r22 = m[10],
    r23 = m[11];
  const r30 = m[12],
    r31 = m[13],
    r32 = m[14],
    r33 = m[15];
  let x = 0;
  if (op.skipRow0) {
    do {
      const b = y | x;
      const a0 = s[b],
        a1 = s[b + o1],
        a2 = s[b + o2],
        a3 = s[b + o3];
      s[b + o1] = r10 * a0 + r11 * a1 + r12 * a2 + r13 * a3;
      s[b + o2] = r20 * a0 + r21 * a1 + r22 * a2 + r23 * a3;
      s[b + o3] = r30 * a0 + r31 * a1 + r32 * a2 + r33 * a3;
      x = (x - free) & free;
    } while (x !== 0);
    return;
  }
  const r00 = m[0],
    r01 = m[1],
    r02 = m[2],
    r03 = m[3];
  do {
    const b = y | x;
    const a0 = s[b],
      a1 = s[b + o1],
      a2 = s[b + o2],
      a3 = s[b + o3];
    s[b] = r00 * a0 + r01 * a1 + r02 * a2 + r03 * a3;
    s[b + o1] = r10 * a0 + r11 * a1 + r12 * a2 + r13 * a3;
    s[b + o2] = r20 * a0 + r21 * a1 + r22 * a2 + r23 * a3;
    s[b + o3] = r30 * a0 + r31 * a1 + r32 * a2 + r33 * a3;
    x = (x - free) & free;
  } while (x !== 0);
}

// ---- conversions -------------------------------------------------------------------------------

/** Coefficients of |0...0><0...0|: c_P = 1 for P ∈ {I, Z}^n, else 0. */
export function initPauliZero(s: Float64Array, n: number): void {
  s.fill(0);
  for (let z = 0; z < 1 << n; z++) {
    let i = 0;
    for (let q = 0; q < n; q++) if ((z >> q) & 1) i += 3 * 4 ** q;
    s[i] = 1;
  }
}

/** Index of a Pauli label (rightmost character = qubit 0) in the coefficient array. */
export function pauliIndex(label: string): number {
  let i = 0;
  for (let q = 0; q < label.length; q++) {
    const ch = label[label.length - 1 - q];
    const d = ch === 'X' ? 1 : ch === 'Y' ? 2 : ch === 'Z' ? 3 : 0;
    i += d * 4 ** q;
  }
  return i;
}

/**
 * <x|ρ|x> for every basis state x: 2^-n Σ_{P ∈ {I,Z}^n} c_P (-1)^{|x ∧ z(P)|}, a Walsh-Hadamard
 * transform of the 2^n diagonal coefficients (n·2^n work).
 */
export function pauliDiagonal(s: Float64Array, n: number): Float64Array {
  const N = 1 << n;
  const v = new Float64Array(N);
  for (let z = 0; z < N; z++) {
    let i = 0;
    for (let q = 0; q < n; q++) if ((z >> q) & 1) i += 3 * 4 ** q;
    v[z] = s[i];
  }
  for (let h = 1; h < N; h <<= 1)
    for (let i = 0; i < N; i += 2 * h)
      for (let j = i; j < i + h; j++) {
        const a = v[j];
        const b = v[j + h];
        v[j] = a + b;
        v[j + h] = a - b;
      }
  const scale = 1 / N;
  for (let i = 0; i < N; i++) v[i] *= scale;
  return v;
}

/**
 * The complex density matrix in the vectorised layout of DensityMatrix (element (r, c) at
 * r + c·2^n, interleaved re/im) from Pauli coefficients. Per qubit, (c_I, c_X, c_Y, c_Z) become the
 * entries ρ00 = (c_I + c_Z)/2, ρ11 = (c_I - c_Z)/2, ρ10 = (c_X + i c_Y)/2, ρ01 = (c_X - i c_Y)/2;
 * n such passes, then the bits are moved from (row q, column q) at (2q, 2q + 1) to (q, q + n).
 */
export function pauliToDensityData(s: Float64Array, n: number): Float64Array {
  const M = 4 ** n;
  const a = new Float64Array(2 * M);
  for (let i = 0; i < M; i++) a[2 * i] = s[i];
  for (let q = 0; q < n; q++) {
    const o1 = 2 * (1 << (2 * q));
    const o2 = 2 * (2 << (2 * q));
    const o3 = 2 * (3 << (2 * q));
    const mask = 3 << (2 * q);
    for (let i = 0; i < M; i++) {
      if (i & mask) continue;
      const b = 2 * i;
      const Ir = a[b],
        Ii = a[b + 1],
        Xr = a[b + o1],
        Xi = a[b + o1 + 1],
        Yr = a[b + o2],
        Yi = a[b + o2 + 1],
        Zr = a[b + o3],
        Zi = a[b + o3 + 1];
      // New local index e = r + 2c: 0 = ρ00, 1 = ρ10, 2 = ρ01, 3 = ρ11.
      a[b] = 0.5 * (Ir + Zr);
      a[b + 1] = 0.5 * (Ii + Zi);
      a[b + o1] = 0.5 * (Xr - Yi); // X + iY
      a[b + o1 + 1] = 0.5 * (Xi + Yr);
      a[b + o2] = 0.5 * (Xr + Yi); // X - iY
      a[b + o2 + 1] = 0.5 * (Xi - Yr);
      a[b + o3] = 0.5 * (Ir - Zr);
      a[b + o3 + 1] = 0.5 * (Ii - Zi);
    }
  }
  const out = new Float64Array(2 * M);
  for (let i = 0; i < M; i++) {
    let r = 0;
    let c = 0;
    for (let q = 0; q < n; q++) {
      r |= ((i >> (2 * q)) & 1) << q;
      c |= ((i >> (2 * q + 1)) & 1) << q;
    }
    const j = 2 * (r + c * (1 << n));
    out[j] = a[2 * i];
    out[j + 1] = a[2 * i + 1];
  }
  return out;
}
