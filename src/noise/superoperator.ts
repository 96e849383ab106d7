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
  /**
   * For one-qubit channels that never mix populations with coherences (every Pauli, damping and
   * relaxation channel): the 2x2 complex blocks on (ρ00, ρ11) and (ρ10, ρ01), row-major, 8 numbers
   * each. Half the work of the general 4x4, in a loop without gathers.
   */
  readonly blocks?: { readonly pop: Float64Array; readonly coh: Float64Array };
  /**
   * When the channel is depolarizing, ρ -> (1-λ)ρ + λ·Tr_Q(ρ)⊗I/d: λ. Applied as a scale plus a
   * trace on the d diagonal entries of each group, instead of a 4^k-entry sparse product.
   */
  readonly depolarizing?: number;
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
  const depol = depolarizingStrength(dense, dk);
  let blocks: Superoperator['blocks'];
  if (k === 1) {
    // Local indices: 0 = ρ00, 1 = ρ10 (row 1, column 0), 2 = ρ01, 3 = ρ11.
    const at = (r: number, c: number): [number, number] => [dense[2 * (r * D + c)], dense[2 * (r * D + c) + 1]];
    const mixes = [0, 3].some((r) =>
      [1, 2].some((c) => at(r, c).some((v) => Math.abs(v) > EPS) || at(c, r).some((v) => Math.abs(v) > EPS)),
    );
    if (!mixes) {
      const two = (a: number, b: number): Float64Array => Float64Array.from([...at(a, a), ...at(a, b), ...at(b, a), ...at(b, b)]);
      blocks = { pop: two(0, 3), coh: two(1, 2) };
    }
  }
  return {
    ...(blocks ? { blocks } : {}),
    ...(depol !== undefined ? { depolarizing: depol } : {}),
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

/**
 * Applies a superoperator in place to a vectorised density matrix of `bitsTotal` = 2n bits.
 *
 * With `deferScale`, a depolarizing channel may leave out its overall factor (1 - λ) and return it
 * instead (else 1): ρ' = (1-λ)·[ρ + λ/(1-λ)·Tr_Q(ρ)⊗I/d] only changes the entries diagonal in Q,
 * a quarter of the memory traffic of a full pass for two qubits. Every later step is linear, so the
 * caller multiplies the factors once at the end.
 */
export function applySuperoperator(s: Float64Array, bitsTotal: number, op: Superoperator, deferScale = false): number {
  const { pos, offsets, rows, rowStart, col, re, im, scratch } = op;
  if (rows.length === 0) return 1;
  if (op.depolarizing !== undefined) {
    const keep = 1 - op.depolarizing;
    if (deferScale && Math.abs(keep) > 1e-3) {
      applyDepolarizingDiagonal(s, bitsTotal, pos, offsets, op.depolarizing / keep);
      return keep;
    }
    applyDepolarizing(s, bitsTotal, pos, offsets, op.depolarizing);
    return 1;
  }
  if (op.blocks) {
    applyBlocks1(s, bitsTotal, pos, offsets, op.blocks.pop, op.blocks.coh);
    return 1;
  }
  const D = offsets.length;
  const count = 1 << (bitsTotal - pos.length);
  let mask = 0;
  for (const b of pos) mask |= 1 << b;
  // Step through the indices with zeros at the touched bits: adding 1 with those bits forced to
  // one carries straight over them.
  for (let k = 0, i0 = 0; k < count; k++, i0 = ((i0 | mask) + 1) & ~mask) {
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
  return 1;
}

function applyBlocks1(s: Float64Array, bitsTotal: number, pos: Int32Array, offsets: Int32Array, P: Float64Array, C: Float64Array): void {
  const count = 1 << (bitsTotal - 2);
  const mask = (1 << pos[0]) | (1 << pos[1]);
  const o1 = 2 * offsets[1];
  const o2 = 2 * offsets[2];
  const o3 = 2 * offsets[3];
  const p00r = P[0],
    p00i = P[1],
    p01r = P[2],
    p01i = P[3],
    p10r = P[4],
    p10i = P[5],
    p11r = P[6],
    p11i = P[7];
  const c00r = C[0],
    c00i = C[1],
    c01r = C[2],
    c01i = C[3],
    c10r = C[4],
    c10i = C[5],
    c11r = C[6],
    c11i = C[7];
  const realP = p00i === 0 && p01i === 0 && p10i === 0 && p11i === 0;
  for (let k = 0, i0 = 0; k < count; k++, i0 = ((i0 | mask) + 1) & ~mask) {
    const a = 2 * i0;
    const d = a + o3;
    const b = a + o1;
    const c = a + o2;
    // populations (ρ00, ρ11)
    const ar = s[a],
      ai = s[a + 1],
      dr = s[d],
      di = s[d + 1];
    if (realP) {
      s[a] = p00r * ar + p01r * dr;
      s[a + 1] = p00r * ai + p01r * di;
      s[d] = p10r * ar + p11r * dr;
      s[d + 1] = p10r * ai + p11r * di;
    } else {
      s[a] = p00r * ar - p00i * ai + p01r * dr - p01i * di;
      s[a + 1] = p00r * ai + p00i * ar + p01r * di + p01i * dr;
      s[d] = p10r * ar - p10i * ai + p11r * dr - p11i * di;
      s[d + 1] = p10r * ai + p10i * ar + p11r * di + p11i * dr;
    }
    // coherences (ρ10, ρ01)
    const br = s[b],
      bi = s[b + 1],
      cr = s[c],
      ci = s[c + 1];
    s[b] = c00r * br - c00i * bi + c01r * cr - c01i * ci;
    s[b + 1] = c00r * bi + c00i * br + c01r * ci + c01i * cr;
    s[c] = c10r * br - c10i * bi + c11r * cr - c11i * ci;
    s[c + 1] = c10r * bi + c10i * br + c11r * ci + c11i * cr;
  }
}

/** λ when the dense superoperator is exactly (1-λ)·1 + λ·(trace, then I/d), else undefined. */
function depolarizingStrength(dense: Float64Array, dk: number): number | undefined {
  if (dk < 2) return undefined;
  const D = dk * dk;
  const lambda = 1 - dense[2 * (1 * D + 1)]; // an off-diagonal element of ρ is only scaled
  for (let row = 0; row < D; row++) {
    const rr = row % dk;
    const rc = Math.floor(row / dk);
    for (let c = 0; c < D; c++) {
      const cr = c % dk;
      const cc = Math.floor(c / dk);
      let want = row === c ? 1 - lambda : 0;
      if (rr === rc && cr === cc) want += lambda / dk;
      if (Math.abs(dense[2 * (row * D + c)] - want) > 1e-14 || Math.abs(dense[2 * (row * D + c) + 1]) > 1e-14) return undefined;
    }
  }
  return lambda;
}

function applyDepolarizing(s: Float64Array, bitsTotal: number, pos: Int32Array, offsets: Int32Array, lambda: number): void {
  const D = offsets.length;
  const dk = Math.round(Math.sqrt(D));
  const keep = 1 - lambda;
  const share = lambda / dk;
  const count = 1 << (bitsTotal - pos.length);
  let mask = 0;
  for (const b of pos) mask |= 1 << b;
  const diag = new Int32Array(dk);
  for (let a = 0; a < dk; a++) diag[a] = 2 * offsets[a + a * dk];
  const off: number[] = [];
  for (let I = 0; I < D; I++) if (I % dk !== Math.floor(I / dk)) off.push(2 * offsets[I]);
  const offd = Int32Array.from(off);
  for (let k = 0, i0 = 0; k < count; k++, i0 = ((i0 | mask) + 1) & ~mask) {
    const base = 2 * i0;
    let tr = 0;
    let ti = 0;
    for (let a = 0; a < dk; a++) {
      tr += s[base + diag[a]];
      ti += s[base + diag[a] + 1];
    }
    for (let a = 0; a < dk; a++) {
      const p = base + diag[a];
      s[p] = keep * s[p] + share * tr;
      s[p + 1] = keep * s[p + 1] + share * ti;
    }
    for (let j = 0; j < offd.length; j++) {
      const p = base + offd[j];
      s[p] *= keep;
      s[p + 1] *= keep;
    }
  }
}

/** ρ_aa += ratio·Tr_Q(ρ)/d on the entries diagonal in Q; the (1-λ) scale is left to the caller. */
function applyDepolarizingDiagonal(s: Float64Array, bitsTotal: number, pos: Int32Array, offsets: Int32Array, ratio: number): void {
  const D = offsets.length;
  const dk = Math.round(Math.sqrt(D));
  const share = ratio / dk;
  const count = 1 << (bitsTotal - pos.length);
  let mask = 0;
  for (const b of pos) mask |= 1 << b;
  const diag = new Int32Array(dk);
  for (let a = 0; a < dk; a++) diag[a] = 2 * offsets[a + a * dk];
  for (let k = 0, i0 = 0; k < count; k++, i0 = ((i0 | mask) + 1) & ~mask) {
    const base = 2 * i0;
    let tr = 0;
    let ti = 0;
    for (let a = 0; a < dk; a++) {
      tr += s[base + diag[a]];
      ti += s[base + diag[a] + 1];
    }
    tr *= share;
    ti *= share;
    for (let a = 0; a < dk; a++) {
      const p = base + diag[a];
      s[p] += tr;
      s[p + 1] += ti;
    }
  }
}
