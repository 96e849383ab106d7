import type { CMatrix } from '../ir/matrix.js';

/**
 * A channel's superoperator on a vectorised density matrix, stored sparse. The density-matrix engine
 * keeps ρ as a 2n-qubit vector: element (r, c) at index r + c·2^n, so bits 0..n-1 carry the row and
 * bits n..2n-1 the column. A k-qubit channel on qubits Q then touches the 2k bits Q ∪ (Q + n), and
 * its 4^k x 4^k superoperator S = Σ conj(K) ⊗ K is applied like a gate on those bits.
 *
 * The common channels are very sparse in this basis (depolarizing: 6 of 16 entries on one qubit;
 * phase damping: diagonal), so rows are kept as lists of non-zeros, and rows equal to the identity
 * are skipped altogether. That keeps a channel pass memory-bound like a gate pass.
 */
export interface Superoperator {
  /** Sorted bit positions of the 2k touched bits. */
  readonly pos: Int32Array;
  /** Index offset of each of the 4^k local basis states (local index I = r + c·2^k). */
  readonly offsets: Int32Array;
  /** Rows to write (non-identity rows only), with their non-zeros in CSR form. */
  readonly rows: Int32Array;
  readonly rowStart: Int32Array;
  readonly col: Int32Array;
  readonly re: Float64Array;
  readonly im: Float64Array;
  readonly scratch: Float64Array;
}

const EPS = 1e-15;

/** The superoperator of Kraus operators `kraus` on `qubits` of an n-qubit density matrix. */
export function superoperator(kraus: readonly CMatrix[], qubits: readonly number[], n: number): Superoperator {
  const k = qubits.length;
  const dk = 1 << k;
  const D = dk * dk;
  const bits = [...qubits, ...qubits.map((q) => q + n)];
  const offsets = new Int32Array(D);
  for (let I = 0; I < D; I++) {
    let o = 0;
    for (let j = 0; j < 2 * k; j++) if ((I >> j) & 1) o |= 1 << bits[j];
    offsets[I] = o;
  }
  // S[(r', c'), (r, c)] = Σ_K K[r'][r] · conj(K[c'][c])
  const dense = new Float64Array(2 * D * D);
  for (const K of kraus) {
    for (let rp = 0; rp < dk; rp++)
      for (let cp = 0; cp < dk; cp++) {
        const row = rp + cp * dk;
        for (let r = 0; r < dk; r++) {
          const ar = K[2 * (rp * dk + r)];
          const ai = K[2 * (rp * dk + r) + 1];
          if (ar === 0 && ai === 0) continue;
          for (let c = 0; c < dk; c++) {
            const br = K[2 * (cp * dk + c)];
            const bi = -K[2 * (cp * dk + c) + 1];
            const o = 2 * (row * D + r + c * dk);
            dense[o] += ar * br - ai * bi;
            dense[o + 1] += ar * bi + ai * br;
          }
        }
      }
  }
  const rows: number[] = [];
  const rowStart: number[] = [0];
  const col: number[] = [];
  const re: number[] = [];
  const im: number[] = [];
  for (let row = 0; row < D; row++) {
    const start = col.length;
    for (let c = 0; c < D; c++) {
      const vr = dense[2 * (row * D + c)];
      const vi = dense[2 * (row * D + c) + 1];
      if (Math.abs(vr) > EPS || Math.abs(vi) > EPS) {
        col.push(c);
        re.push(vr);
        im.push(vi);
      }
    }
    const isIdentityRow = col.length - start === 1 && col[start] === row && Math.abs(re[start] - 1) <= EPS && Math.abs(im[start]) <= EPS;
    if (isIdentityRow) {
      col.length = start;
      re.length = start;
      im.length = start;
      continue;
    }
    rows.push(row);
    rowStart.push(col.length);
  }
  return {
    pos: Int32Array.from(bits).sort(),
    offsets,
    rows: Int32Array.from(rows),
    rowStart: Int32Array.from(rowStart),
    col: Int32Array.from(col),
    re: Float64Array.from(re),
    im: Float64Array.from(im),
    scratch: new Float64Array(2 * D),
  };
}

/** Applies a superoperator in place to a vectorised density matrix of `bitsTotal` = 2n bits. */
export function applySuperoperator(s: Float64Array, bitsTotal: number, op: Superoperator): void {
  const { pos, offsets, rows, rowStart, col, re, im, scratch } = op;
  if (rows.length === 0) return;
  const D = offsets.length;
  const count = 1 << (bitsTotal - pos.length);
  const np = pos.length;
  for (let k = 0; k < count; k++) {
    let i0 = k;
    for (let p = 0; p < np; p++) {
      const b = pos[p];
      i0 = ((i0 >>> b) << (b + 1)) | (i0 & ((1 << b) - 1));
    }
    for (let c = 0; c < D; c++) {
      const p = 2 * (i0 | offsets[c]);
      scratch[2 * c] = s[p];
      scratch[2 * c + 1] = s[p + 1];
    }
    for (let ri = 0; ri < rows.length; ri++) {
      let vr = 0;
      let vi = 0;
      for (let e = rowStart[ri]; e < rowStart[ri + 1]; e++) {
        const c = col[e];
        const xr = scratch[2 * c];
        const xi = scratch[2 * c + 1];
        vr += re[e] * xr - im[e] * xi;
        vi += re[e] * xi + im[e] * xr;
      }
      const p = 2 * (i0 | offsets[rows[ri]]);
      s[p] = vr;
      s[p + 1] = vi;
    }
  }
}
