/**
 * Statevector kernels. The state is one Float64Array of 2^n complex amplitudes, interleaved
 * (re, im); amplitude i lives at [2i, 2i+1] and bit q of i is qubit q. Interleaving keeps both halves
 * of a complex number on one cache line and avoids the stride-1 cliff separate arrays have for
 * qubit 0. Every kernel works in place and allocates nothing.
 *
 * Controlled kernels enumerate only the amplitudes whose control bits match: `pos` lists every
 * involved bit (controls and targets) in ascending order, and a zero is inserted at each of them
 * to turn a counter into a base index; `cval` then sets the control bits.
 */

/** Base index number k of the subspace with zeros at the (ascending) bit positions in pos. */
function insertZeros(k: number, pos: Int32Array): number {
  for (let p = 0; p < pos.length; p++) {
    const b = pos[p];
    k = ((k >>> b) << (b + 1)) | (k & ((1 << b) - 1));
  }
  return k;
}

// ---- one target, no controls ------------------------------------------------------------------

/** General complex 2x2 matrix m (8 numbers). */
export function apply1(s: Float64Array, n: number, q: number, m: Float64Array): void {
  const m00r = m[0],
    m00i = m[1],
    m01r = m[2],
    m01i = m[3];
  const m10r = m[4],
    m10i = m[5],
    m11r = m[6],
    m11i = m[7];
  const len = 2 << n;
  if (q === 0) {
    for (let i = 0; i < len; i += 4) {
      const ar = s[i],
        ai = s[i + 1],
        br = s[i + 2],
        bi = s[i + 3];
      s[i] = m00r * ar - m00i * ai + m01r * br - m01i * bi;
      s[i + 1] = m00r * ai + m00i * ar + m01r * bi + m01i * br;
      s[i + 2] = m10r * ar - m10i * ai + m11r * br - m11i * bi;
      s[i + 3] = m10r * ai + m10i * ar + m11r * bi + m11i * br;
    }
    return;
  }
  if (q === 1) {
    for (let i = 0; i < len; i += 8) {
      for (let o = i; o < i + 4; o += 2) {
        const ar = s[o],
          ai = s[o + 1],
          br = s[o + 4],
          bi = s[o + 5];
        s[o] = m00r * ar - m00i * ai + m01r * br - m01i * bi;
        s[o + 1] = m00r * ai + m00i * ar + m01r * bi + m01i * br;
        s[o + 4] = m10r * ar - m10i * ai + m11r * br - m11i * bi;
        s[o + 5] = m10r * ai + m10i * ar + m11r * bi + m11i * br;
      }
    }
    return;
  }
  const half = 2 << q; // doubles per half-block
  for (let base = 0; base < len; base += 2 * half) {
    const end = base + half;
    for (let i = base; i < end; i += 2) {
      const j = i + half;
      const ar = s[i],
        ai = s[i + 1],
        br = s[j],
        bi = s[j + 1];
      s[i] = m00r * ar - m00i * ai + m01r * br - m01i * bi;
      s[i + 1] = m00r * ai + m00i * ar + m01r * bi + m01i * br;
      s[j] = m10r * ar - m10i * ai + m11r * br - m11i * bi;
      s[j + 1] = m10r * ai + m10i * ar + m11r * bi + m11i * br;
    }
  }
}

/** Real 2x2 matrix [[a, b], [c, d]] (H, RY and their products): half the multiplications. */
export function apply1Real(s: Float64Array, n: number, q: number, a: number, b: number, c: number, d: number): void {
  const len = 2 << n;
  if (q === 0) {
    for (let i = 0; i < len; i += 4) {
      const ar = s[i],
        ai = s[i + 1],
        br = s[i + 2],
        bi = s[i + 3];
      s[i] = a * ar + b * br;
      s[i + 1] = a * ai + b * bi;
      s[i + 2] = c * ar + d * br;
      s[i + 3] = c * ai + d * bi;
    }
    return;
  }
  if (q === 1) {
    // Two pairs per 4-amplitude block: (0, 2) and (1, 3); avoids an inner loop of length 2.
    for (let i = 0; i < len; i += 8) {
      let ar = s[i],
        ai = s[i + 1],
        br = s[i + 4],
        bi = s[i + 5];
      s[i] = a * ar + b * br;
      s[i + 1] = a * ai + b * bi;
      s[i + 4] = c * ar + d * br;
      s[i + 5] = c * ai + d * bi;
      ar = s[i + 2];
      ai = s[i + 3];
      br = s[i + 6];
      bi = s[i + 7];
      s[i + 2] = a * ar + b * br;
      s[i + 3] = a * ai + b * bi;
      s[i + 6] = c * ar + d * br;
      s[i + 7] = c * ai + d * bi;
    }
    return;
  }
  const half = 2 << q;
  for (let base = 0; base < len; base += 2 * half) {
    const end = base + half;
    for (let i = base; i < end; i += 2) {
      const j = i + half;
      const ar = s[i],
        ai = s[i + 1],
        br = s[j],
        bi = s[j + 1];
      s[i] = a * ar + b * br;
      s[i + 1] = a * ai + b * bi;
      s[j] = c * ar + d * br;
      s[j + 1] = c * ai + d * bi;
    }
  }
}

/** diag(d0, d1). When d0 = 1 (phase gates) only the |1> half is touched. */
export function apply1Diag(s: Float64Array, n: number, q: number, d0r: number, d0i: number, d1r: number, d1i: number): void {
  const len = 2 << n;
  const half = 2 << q;
  const skip0 = d0r === 1 && d0i === 0;
  if (q === 0) {
    for (let i = 0; i < len; i += 4) {
      const ar = s[i],
        ai = s[i + 1],
        br = s[i + 2],
        bi = s[i + 3];
      if (!skip0) {
        s[i] = d0r * ar - d0i * ai;
        s[i + 1] = d0r * ai + d0i * ar;
      }
      s[i + 2] = d1r * br - d1i * bi;
      s[i + 3] = d1r * bi + d1i * br;
    }
    return;
  }
  for (let base = 0; base < len; base += 2 * half) {
    if (!skip0) {
      const end0 = base + half;
      for (let i = base; i < end0; i += 2) {
        const ar = s[i],
          ai = s[i + 1];
        s[i] = d0r * ar - d0i * ai;
        s[i + 1] = d0r * ai + d0i * ar;
      }
    }
    const end1 = base + 2 * half;
    for (let i = base + half; i < end1; i += 2) {
      const ar = s[i],
        ai = s[i + 1];
      s[i] = d1r * ar - d1i * ai;
      s[i + 1] = d1r * ai + d1i * ar;
    }
  }
}

/** [[0, u], [l, 0]] (X, Y, GPI): a swap with phases; pure X swaps only. */
export function apply1Anti(s: Float64Array, n: number, q: number, ur: number, ui: number, lr: number, li: number): void {
  const len = 2 << n;
  const half = 2 << q;
  const pureX = ur === 1 && ui === 0 && lr === 1 && li === 0;
  if (q === 0) {
    for (let i = 0; i < len; i += 4) {
      const ar = s[i],
        ai = s[i + 1],
        br = s[i + 2],
        bi = s[i + 3];
      s[i] = ur * br - ui * bi;
      s[i + 1] = ur * bi + ui * br;
      s[i + 2] = lr * ar - li * ai;
      s[i + 3] = lr * ai + li * ar;
    }
    return;
  }
  for (let base = 0; base < len; base += 2 * half) {
    const end = base + half;
    if (pureX) {
      for (let i = base; i < end; i += 2) {
        const j = i + half;
        const ar = s[i],
          ai = s[i + 1];
        s[i] = s[j];
        s[i + 1] = s[j + 1];
        s[j] = ar;
        s[j + 1] = ai;
      }
    } else {
      for (let i = base; i < end; i += 2) {
        const j = i + half;
        const ar = s[i],
          ai = s[i + 1],
          br = s[j],
          bi = s[j + 1];
        s[i] = ur * br - ui * bi;
        s[i + 1] = ur * bi + ui * br;
        s[j] = lr * ar - li * ai;
        s[j + 1] = lr * ai + li * ar;
      }
    }
  }
}

// ---- one target under controls ----------------------------------------------------------------

/** General 2x2 on target q where the control bits equal cval; pos = sorted(controls ∪ {q}). */
export function apply1Ctrl(s: Float64Array, n: number, q: number, m: Float64Array, pos: Int32Array, cval: number): void {
  const m00r = m[0],
    m00i = m[1],
    m01r = m[2],
    m01i = m[3];
  const m10r = m[4],
    m10i = m[5],
    m11r = m[6],
    m11i = m[7];
  const count = 1 << (n - pos.length);
  const tb = 1 << q;
  for (let k = 0; k < count; k++) {
    const i0 = insertZeros(k, pos) | cval;
    const i = 2 * i0;
    const j = 2 * (i0 | tb);
    const ar = s[i],
      ai = s[i + 1],
      br = s[j],
      bi = s[j + 1];
    s[i] = m00r * ar - m00i * ai + m01r * br - m01i * bi;
    s[i + 1] = m00r * ai + m00i * ar + m01r * bi + m01i * br;
    s[j] = m10r * ar - m10i * ai + m11r * br - m11i * bi;
    s[j + 1] = m10r * ai + m10i * ar + m11r * bi + m11i * br;
  }
}

/** Controlled X-like swap with phases (CX, CCX, CY). */
export function apply1CtrlAnti(
  s: Float64Array,
  n: number,
  q: number,
  ur: number,
  ui: number,
  lr: number,
  li: number,
  pos: Int32Array,
  cval: number,
): void {
  const count = 1 << (n - pos.length);
  const tb = 1 << q;
  const pureX = ur === 1 && ui === 0 && lr === 1 && li === 0;
  if (pos.length === 2 && pureX) {
    // CNOT fast path: two nested strides instead of per-element bit insertion.
    const lo = pos[0];
    const hi = pos[1];
    const loSize = 1 << lo;
    const midSize = 1 << (hi - lo - 1);
    const hiCount = 1 << (n - hi - 1);
    for (let a = 0; a < hiCount; a++) {
      const aBase = a << (hi + 1);
      for (let b = 0; b < midSize; b++) {
        const bBase = aBase | (b << (lo + 1)) | cval;
        for (let c = 0; c < loSize; c++) {
          const i0 = bBase | c;
          const i = 2 * i0;
          const j = 2 * (i0 | tb);
          const ar = s[i],
            ai = s[i + 1];
          s[i] = s[j];
          s[i + 1] = s[j + 1];
          s[j] = ar;
          s[j + 1] = ai;
        }
      }
    }
    return;
  }
  for (let k = 0; k < count; k++) {
    const i0 = insertZeros(k, pos) | cval;
    const i = 2 * i0;
    const j = 2 * (i0 | tb);
    const ar = s[i],
      ai = s[i + 1],
      br = s[j],
      bi = s[j + 1];
    s[i] = ur * br - ui * bi;
    s[i + 1] = ur * bi + ui * br;
    s[j] = lr * ar - li * ai;
    s[j + 1] = lr * ai + li * ar;
  }
}

/** Multiplies amplitudes by d0 / d1 according to bit q, only where the controls equal cval. */
export function apply1CtrlDiag(
  s: Float64Array,
  n: number,
  q: number,
  d0r: number,
  d0i: number,
  d1r: number,
  d1i: number,
  pos: Int32Array,
  cval: number,
): void {
  const count = 1 << (n - pos.length);
  const tb = 1 << q;
  const skip0 = d0r === 1 && d0i === 0;
  for (let k = 0; k < count; k++) {
    const i0 = insertZeros(k, pos) | cval;
    if (!skip0) {
      const i = 2 * i0;
      const ar = s[i],
        ai = s[i + 1];
      s[i] = d0r * ar - d0i * ai;
      s[i + 1] = d0r * ai + d0i * ar;
    }
    const j = 2 * (i0 | tb);
    const br = s[j],
      bi = s[j + 1];
    s[j] = d1r * br - d1i * bi;
    s[j + 1] = d1r * bi + d1i * br;
  }
}

/** Multiplies every amplitude whose control bits equal cval by (re, im); pos = sorted controls. */
export function applyPhase(s: Float64Array, n: number, re: number, im: number, pos: Int32Array, cval: number): void {
  const count = 1 << (n - pos.length);
  for (let k = 0; k < count; k++) {
    const i = 2 * (insertZeros(k, pos) | cval);
    const ar = s[i],
      ai = s[i + 1];
    s[i] = re * ar - im * ai;
    s[i + 1] = re * ai + im * ar;
  }
}

// ---- two targets ------------------------------------------------------------------------------

/**
 * General 4x4 matrix (32 numbers) on targets (qa = matrix bit 0, qb = matrix bit 1), optionally
 * controlled; pos = sorted(controls ∪ {qa, qb}).
 */
export function apply2(s: Float64Array, n: number, qa: number, qb: number, m: Float64Array, pos: Int32Array, cval: number): void {
  const count = 1 << (n - pos.length);
  const ba = 1 << qa;
  const bb = 1 << qb;
  for (let k = 0; k < count; k++) {
    const i0 = insertZeros(k, pos) | cval;
    const p0 = 2 * i0;
    const p1 = 2 * (i0 | ba);
    const p2 = 2 * (i0 | bb);
    const p3 = 2 * (i0 | ba | bb);
    const a0r = s[p0],
      a0i = s[p0 + 1];
    const a1r = s[p1],
      a1i = s[p1 + 1];
    const a2r = s[p2],
      a2i = s[p2 + 1];
    const a3r = s[p3],
      a3i = s[p3 + 1];
    for (let r = 0; r < 4; r++) {
      const o = 8 * r;
      const re =
        m[o] * a0r - m[o + 1] * a0i + m[o + 2] * a1r - m[o + 3] * a1i + m[o + 4] * a2r - m[o + 5] * a2i + m[o + 6] * a3r - m[o + 7] * a3i;
      const im =
        m[o] * a0i + m[o + 1] * a0r + m[o + 2] * a1i + m[o + 3] * a1r + m[o + 4] * a2i + m[o + 5] * a2r + m[o + 6] * a3i + m[o + 7] * a3r;
      const p = r === 0 ? p0 : r === 1 ? p1 : r === 2 ? p2 : p3;
      s[p] = re;
      s[p + 1] = im;
    }
  }
}

/** Diagonal 4x4 (RZZ, CZ, CP as diagonals): d holds 4 complex entries. */
export function apply2Diag(s: Float64Array, n: number, qa: number, qb: number, d: Float64Array, pos: Int32Array, cval: number): void {
  const count = 1 << (n - pos.length);
  const ba = 1 << qa;
  const bb = 1 << qb;
  const d0r = d[0],
    d0i = d[1],
    d1r = d[2],
    d1i = d[3],
    d2r = d[4],
    d2i = d[5],
    d3r = d[6],
    d3i = d[7];
  for (let k = 0; k < count; k++) {
    const i0 = insertZeros(k, pos) | cval;
    let p = 2 * i0;
    let ar = s[p],
      ai = s[p + 1];
    s[p] = d0r * ar - d0i * ai;
    s[p + 1] = d0r * ai + d0i * ar;
    p = 2 * (i0 | ba);
    ar = s[p];
    ai = s[p + 1];
    s[p] = d1r * ar - d1i * ai;
    s[p + 1] = d1r * ai + d1i * ar;
    p = 2 * (i0 | bb);
    ar = s[p];
    ai = s[p + 1];
    s[p] = d2r * ar - d2i * ai;
    s[p + 1] = d2r * ai + d2i * ar;
    p = 2 * (i0 | ba | bb);
    ar = s[p];
    ai = s[p + 1];
    s[p] = d3r * ar - d3i * ai;
    s[p + 1] = d3r * ai + d3i * ar;
  }
}

/** Swaps the |01> and |10> amplitudes of (qa, qb) where the controls equal cval. */
export function applySwap(s: Float64Array, n: number, qa: number, qb: number, pos: Int32Array, cval: number): void {
  const count = 1 << (n - pos.length);
  const ba = 1 << qa;
  const bb = 1 << qb;
  for (let k = 0; k < count; k++) {
    const i0 = insertZeros(k, pos) | cval;
    const p1 = 2 * (i0 | ba);
    const p2 = 2 * (i0 | bb);
    const r = s[p1],
      im = s[p1 + 1];
    s[p1] = s[p2];
    s[p1 + 1] = s[p2 + 1];
    s[p2] = r;
    s[p2 + 1] = im;
  }
}

// ---- k targets ----------------------------------------------------------------------------------

/**
 * Dense 2^k x 2^k matrix on targets (targets[j] = matrix bit j), controlled or not. `offsets` holds
 * the 2^k index offsets of the target combinations and `scratch` 2·2^k doubles; both preallocated.
 */
export function applyK(
  s: Float64Array,
  n: number,
  m: Float64Array,
  offsets: Int32Array,
  pos: Int32Array,
  cval: number,
  scratch: Float64Array,
): void {
  const d = offsets.length;
  const count = 1 << (n - pos.length);
  for (let k = 0; k < count; k++) {
    const i0 = insertZeros(k, pos) | cval;
    for (let c = 0; c < d; c++) {
      const p = 2 * (i0 | offsets[c]);
      scratch[2 * c] = s[p];
      scratch[2 * c + 1] = s[p + 1];
    }
    for (let r = 0; r < d; r++) {
      let re = 0;
      let im = 0;
      const o = 2 * r * d;
      for (let c = 0; c < d; c++) {
        const mr = m[o + 2 * c],
          mi = m[o + 2 * c + 1];
        const ar = scratch[2 * c],
          ai = scratch[2 * c + 1];
        re += mr * ar - mi * ai;
        im += mr * ai + mi * ar;
      }
      const p = 2 * (i0 | offsets[r]);
      s[p] = re;
      s[p + 1] = im;
    }
  }
}
