// AssemblyScript source of the wasm statevector kernels (built by scripts/build-wasm.mjs; not part
// of the tsc project). Same layout and math as src/sim/kernels.ts: the state is 2^n complex
// amplitudes, interleaved (re, im), amplitude i at byte 16·i of linear memory (offset 0), bit q of i
// is qubit q. One complex amplitude is one v128 (f64x2). A scratch area follows the state.
//
// Complex a·m with m = (mr, mi): splat(mr)·a + (-mi, mi)·swap(a), so every matrix entry is kept as
// two v128 constants, hoisted out of the loops.
//
// Controls are a bit mask plus value: only amplitudes with (i & cmask) == cval are touched. The
// loops enumerate base indices whose involved bits (controls and targets) are fixed: the free bits
// above the lowest involved bit p0 are walked with the submask step x = (x - F) & F, and the 2^p0
// amplitudes below p0 form one contiguous run, swept with a plain (2x unrolled) pointer loop.

/** Qubit count of this instance's state. */
let N: i32 = 0;
/** Byte offset of the scratch area: the raw matrix (32 f64), then its expanded form (16 x 2 v128). */
let SCR: usize = 0;

// Kinds of one-target pair operations (compile-time constants after inlining).
const K_GEN: i32 = 0; // general complex 2x2
const K_REAL: i32 = 1; // real 2x2
const K_DIAG: i32 = 2; // diag(d0, d1)
const K_DIAG1: i32 = 3; // diag(1, d1): |1> half only
const K_ANTI: i32 = 4; // [[0, u], [l, 0]]
const K_X: i32 = 5; // pure swap

// Kinds of two-target operations.
const Q_GEN: i32 = 0;
const Q_DIAG: i32 = 1;
const Q_SWAP: i32 = 2;

/** Sets the qubit count (called once per instance, right after instantiation). */
export function init(n: i32): void {
  N = n;
  SCR = (<usize>16) << n;
}

/** Byte offset of the scratch area (apply2's 32 numbers / apply2Diag's 8 go at its start). */
export function scratch(): usize {
  return SCR;
}

@inline function fullMask(): u32 {
  return ((<u32>1) << N) - 1;
}

@inline function swp(a: v128): v128 {
  return v128.shuffle<f64>(a, a, 1, 0);
}

@inline function re2(x: f64): v128 {
  return f64x2.splat(x);
}

@inline function im2(x: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(x), 0, -x);
}

@inline function cmul(a: v128, r: v128, i: v128): v128 {
  return f64x2.add(f64x2.mul(a, r), f64x2.mul(swp(a), i));
}

// ---- one target --------------------------------------------------------------------------------

@inline function pair(
  kind: i32, pa: usize, pb: usize,
  m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128, m6: v128, m7: v128,
): void {
  if (kind == K_GEN) {
    const a = v128.load(pa);
    const b = v128.load(pb);
    const sa = swp(a);
    const sb = swp(b);
    v128.store(pa, f64x2.add(f64x2.add(f64x2.mul(m0, a), f64x2.mul(m1, sa)), f64x2.add(f64x2.mul(m2, b), f64x2.mul(m3, sb))));
    v128.store(pb, f64x2.add(f64x2.add(f64x2.mul(m4, a), f64x2.mul(m5, sa)), f64x2.add(f64x2.mul(m6, b), f64x2.mul(m7, sb))));
  } else if (kind == K_REAL) {
    const a = v128.load(pa);
    const b = v128.load(pb);
    v128.store(pa, f64x2.add(f64x2.mul(m0, a), f64x2.mul(m2, b)));
    v128.store(pb, f64x2.add(f64x2.mul(m4, a), f64x2.mul(m6, b)));
  } else if (kind == K_DIAG) {
    v128.store(pa, cmul(v128.load(pa), m0, m1));
    v128.store(pb, cmul(v128.load(pb), m6, m7));
  } else if (kind == K_DIAG1) {
    v128.store(pb, cmul(v128.load(pb), m6, m7));
  } else if (kind == K_ANTI) {
    const a = v128.load(pa);
    const b = v128.load(pb);
    v128.store(pa, cmul(b, m2, m3));
    v128.store(pb, cmul(a, m4, m5));
  } else {
    const a = v128.load(pa);
    v128.store(pa, v128.load(pb));
    v128.store(pb, a);
  }
}

@inline function drive1(
  kind: i32, q: i32, cmask: u32, cval: u32,
  m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128, m6: v128, m7: v128,
): void {
  const full = fullMask();
  const tb: u32 = (<u32>1) << q;
  cmask &= full & ~tb;
  cval &= cmask;
  const ob: usize = (<usize>tb) << 4;
  if (cmask == 0) {
    const total: usize = (<usize>16) << N;
    if (q == 0) {
      if (N == 1) {
        pair(kind, 0, 16, m0, m1, m2, m3, m4, m5, m6, m7);
        return;
      }
      for (let p: usize = 0; p < total; p += 64) {
        pair(kind, p, p + 16, m0, m1, m2, m3, m4, m5, m6, m7);
        pair(kind, p + 32, p + 48, m0, m1, m2, m3, m4, m5, m6, m7);
      }
      return;
    }
    if (q == 1) {
      for (let p: usize = 0; p < total; p += 64) {
        pair(kind, p, p + 32, m0, m1, m2, m3, m4, m5, m6, m7);
        pair(kind, p + 16, p + 48, m0, m1, m2, m3, m4, m5, m6, m7);
      }
      return;
    }
    const step = ob << 1;
    for (let base: usize = 0; base < total; base += step) {
      const end = base + ob;
      for (let p = base; p < end; p += 32) {
        pair(kind, p, p + ob, m0, m1, m2, m3, m4, m5, m6, m7);
        pair(kind, p + 16, p + 16 + ob, m0, m1, m2, m3, m4, m5, m6, m7);
      }
    }
    return;
  }
  const P = cmask | tb;
  const p0 = ctz<u32>(P);
  const F = full & ~P & ~(((<u32>1) << p0) - 1);
  let x: u32 = 0;
  if (p0 == 0) {
    // Runs of one amplitude: take two items per step, the second one at the lowest free bit f1.
    if (F == 0) {
      const pa = (<usize>cval) << 4;
      pair(kind, pa, pa + ob, m0, m1, m2, m3, m4, m5, m6, m7);
      return;
    }
    const f1 = F & (~F + 1);
    const F2 = F & ~f1;
    const o1: usize = (<usize>f1) << 4;
    do {
      const pa = (<usize>(x | cval)) << 4;
      pair(kind, pa, pa + ob, m0, m1, m2, m3, m4, m5, m6, m7);
      pair(kind, pa + o1, pa + o1 + ob, m0, m1, m2, m3, m4, m5, m6, m7);
      x = (x - F2) & F2;
    } while (x != 0);
    return;
  }
  const run: usize = (<usize>16) << p0;
  do {
    const base = (<usize>(x | cval)) << 4;
    const end = base + run;
    for (let p = base; p < end; p += 32) {
      pair(kind, p, p + ob, m0, m1, m2, m3, m4, m5, m6, m7);
      pair(kind, p + 16, p + 16 + ob, m0, m1, m2, m3, m4, m5, m6, m7);
    }
    x = (x - F) & F;
  } while (x != 0);
}

/** General complex 2x2 on target q. */
export function apply1(q: i32, m00r: f64, m00i: f64, m01r: f64, m01i: f64, m10r: f64, m10i: f64, m11r: f64, m11i: f64): void {
  drive1(K_GEN, q, 0, 0, re2(m00r), im2(m00i), re2(m01r), im2(m01i), re2(m10r), im2(m10i), re2(m11r), im2(m11i));
}

/** Real 2x2 [[a, b], [c, d]]. */
export function apply1Real(q: i32, a: f64, b: f64, c: f64, d: f64): void {
  const z = f64x2.splat(0);
  drive1(K_REAL, q, 0, 0, re2(a), z, re2(b), z, re2(c), z, re2(d), z);
}

/** diag(d0, d1); d0 = 1 touches the |1> half only. */
export function apply1Diag(q: i32, d0r: f64, d0i: f64, d1r: f64, d1i: f64): void {
  apply1CtrlDiag(q, 0, 0, d0r, d0i, d1r, d1i);
}

/** [[0, u], [l, 0]]; u = l = 1 is a plain swap. */
export function apply1Anti(q: i32, ur: f64, ui: f64, lr: f64, li: f64): void {
  apply1CtrlAnti(q, 0, 0, ur, ui, lr, li);
}

/** General complex 2x2 on target q where (i & cmask) == cval. */
export function apply1Ctrl(
  q: i32, cmask: u32, cval: u32,
  m00r: f64, m00i: f64, m01r: f64, m01i: f64, m10r: f64, m10i: f64, m11r: f64, m11i: f64,
): void {
  if (m00i == 0 && m01i == 0 && m10i == 0 && m11i == 0) {
    const z = f64x2.splat(0);
    drive1(K_REAL, q, cmask, cval, re2(m00r), z, re2(m01r), z, re2(m10r), z, re2(m11r), z);
    return;
  }
  drive1(K_GEN, q, cmask, cval, re2(m00r), im2(m00i), re2(m01r), im2(m01i), re2(m10r), im2(m10i), re2(m11r), im2(m11i));
}

/** diag(d0, d1) on target q where (i & cmask) == cval. */
export function apply1CtrlDiag(q: i32, cmask: u32, cval: u32, d0r: f64, d0i: f64, d1r: f64, d1i: f64): void {
  const z = f64x2.splat(0);
  if (d0r == 1 && d0i == 0) {
    // Only the |1> half: a phase on the amplitudes with bit q set.
    const tb: u32 = (<u32>1) << q;
    applyPhase((cmask & ~tb) | tb, (cval & cmask & ~tb) | tb, d1r, d1i);
    return;
  }
  drive1(K_DIAG, q, cmask, cval, re2(d0r), im2(d0i), z, z, z, z, re2(d1r), im2(d1i));
}

/** [[0, u], [l, 0]] on target q where (i & cmask) == cval (CX, CCX, CY). */
export function apply1CtrlAnti(q: i32, cmask: u32, cval: u32, ur: f64, ui: f64, lr: f64, li: f64): void {
  const z = f64x2.splat(0);
  if (ur == 1 && ui == 0 && lr == 1 && li == 0) {
    drive1(K_X, q, cmask, cval, z, z, z, z, z, z, z, z);
    return;
  }
  drive1(K_ANTI, q, cmask, cval, z, z, re2(ur), im2(ui), re2(lr), im2(li), z, z);
}

// ---- no target: phase --------------------------------------------------------------------------

/** Multiplies every amplitude with (i & cmask) == cval by (re, im). */
export function applyPhase(cmask: u32, cval: u32, re: f64, im: f64): void {
  const full = fullMask();
  cmask &= full;
  cval &= cmask;
  const r = re2(re);
  const i = im2(im);
  if (cmask == 0) {
    const total: usize = (<usize>16) << N;
    if (N == 0) {
      v128.store(0, cmul(v128.load(0), r, i));
      return;
    }
    for (let p: usize = 0; p < total; p += 32) {
      v128.store(p, cmul(v128.load(p), r, i));
      v128.store(p, cmul(v128.load(p, 16), r, i), 16);
    }
    return;
  }
  const p0 = ctz<u32>(cmask);
  const F = full & ~cmask & ~(((<u32>1) << p0) - 1);
  let x: u32 = 0;
  if (p0 == 0) {
    if (F == 0) {
      const p = (<usize>cval) << 4;
      v128.store(p, cmul(v128.load(p), r, i));
      return;
    }
    const f1 = F & (~F + 1);
    const F2 = F & ~f1;
    const o1: usize = (<usize>f1) << 4;
    do {
      const p = (<usize>(x | cval)) << 4;
      v128.store(p, cmul(v128.load(p), r, i));
      v128.store(p + o1, cmul(v128.load(p + o1), r, i));
      x = (x - F2) & F2;
    } while (x != 0);
    return;
  }
  const run: usize = (<usize>16) << p0;
  do {
    const base = (<usize>(x | cval)) << 4;
    const end = base + run;
    for (let p = base; p < end; p += 32) {
      v128.store(p, cmul(v128.load(p), r, i));
      v128.store(p, cmul(v128.load(p, 16), r, i), 16);
    }
    x = (x - F) & F;
  } while (x != 0);
}

// ---- two targets -------------------------------------------------------------------------------

/** One output row of the expanded 4x4 matrix at e (4 entries x (re splat, im vector)). */
@inline function row(e: usize, a0: v128, s0: v128, a1: v128, s1: v128, a2: v128, s2: v128, a3: v128, s3: v128): v128 {
  const x0 = f64x2.add(f64x2.mul(v128.load(e, 0), a0), f64x2.mul(v128.load(e, 16), s0));
  const x1 = f64x2.add(f64x2.mul(v128.load(e, 32), a1), f64x2.mul(v128.load(e, 48), s1));
  const x2 = f64x2.add(f64x2.mul(v128.load(e, 64), a2), f64x2.mul(v128.load(e, 80), s2));
  const x3 = f64x2.add(f64x2.mul(v128.load(e, 96), a3), f64x2.mul(v128.load(e, 112), s3));
  return f64x2.add(f64x2.add(x0, x1), f64x2.add(x2, x3));
}

@inline function quad(
  kind: i32, p0: usize, p1: usize, p2: usize, p3: usize, e: usize,
  d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128, d6: v128, d7: v128,
): void {
  if (kind == Q_GEN) {
    const a0 = v128.load(p0);
    const a1 = v128.load(p1);
    const a2 = v128.load(p2);
    const a3 = v128.load(p3);
    const s0 = swp(a0);
    const s1 = swp(a1);
    const s2 = swp(a2);
    const s3 = swp(a3);
    v128.store(p0, row(e, a0, s0, a1, s1, a2, s2, a3, s3));
    v128.store(p1, row(e + 128, a0, s0, a1, s1, a2, s2, a3, s3));
    v128.store(p2, row(e + 256, a0, s0, a1, s1, a2, s2, a3, s3));
    v128.store(p3, row(e + 384, a0, s0, a1, s1, a2, s2, a3, s3));
  } else if (kind == Q_DIAG) {
    v128.store(p0, cmul(v128.load(p0), d0, d1));
    v128.store(p1, cmul(v128.load(p1), d2, d3));
    v128.store(p2, cmul(v128.load(p2), d4, d5));
    v128.store(p3, cmul(v128.load(p3), d6, d7));
  } else {
    const a = v128.load(p1);
    v128.store(p1, v128.load(p2));
    v128.store(p2, a);
  }
}

@inline function drive2(
  kind: i32, qa: i32, qb: i32, cmask: u32, cval: u32, e: usize,
  d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128, d6: v128, d7: v128,
): void {
  const full = fullMask();
  const ba: u32 = (<u32>1) << qa;
  const bb: u32 = (<u32>1) << qb;
  cmask &= full & ~(ba | bb);
  cval &= cmask;
  const oa: usize = (<usize>ba) << 4;
  const ob: usize = (<usize>bb) << 4;
  const oab = oa + ob;
  const P = cmask | ba | bb;
  const p0 = ctz<u32>(P);
  const F = full & ~P & ~(((<u32>1) << p0) - 1);
  let x: u32 = 0;
  if (p0 == 0) {
    if (F == 0) {
      const p = (<usize>cval) << 4;
      quad(kind, p, p + oa, p + ob, p + oab, e, d0, d1, d2, d3, d4, d5, d6, d7);
      return;
    }
    const f1 = F & (~F + 1);
    const F2 = F & ~f1;
    const o1: usize = (<usize>f1) << 4;
    do {
      const p = (<usize>(x | cval)) << 4;
      quad(kind, p, p + oa, p + ob, p + oab, e, d0, d1, d2, d3, d4, d5, d6, d7);
      const q = p + o1;
      quad(kind, q, q + oa, q + ob, q + oab, e, d0, d1, d2, d3, d4, d5, d6, d7);
      x = (x - F2) & F2;
    } while (x != 0);
    return;
  }
  const run: usize = (<usize>16) << p0;
  do {
    const base = (<usize>(x | cval)) << 4;
    const end = base + run;
    for (let p = base; p < end; p += 32) {
      quad(kind, p, p + oa, p + ob, p + oab, e, d0, d1, d2, d3, d4, d5, d6, d7);
      const p16 = p + 16;
      quad(kind, p16, p16 + oa, p16 + ob, p16 + oab, e, d0, d1, d2, d3, d4, d5, d6, d7);
    }
    x = (x - F) & F;
  } while (x != 0);
}

/**
 * General 4x4 (qa = matrix bit 0, qb = matrix bit 1) where (i & cmask) == cval; the 32 numbers
 * (row-major complex) must be at scratch() already.
 */
export function apply2(qa: i32, qb: i32, cmask: u32, cval: u32): void {
  const m = SCR;
  const e = SCR + 256;
  for (let k: usize = 0; k < 16; k++) {
    const r = load<f64>(m + 16 * k);
    const i = load<f64>(m + 16 * k + 8);
    v128.store(e + 32 * k, re2(r));
    v128.store(e + 32 * k + 16, im2(i));
  }
  const z = f64x2.splat(0);
  drive2(Q_GEN, qa, qb, cmask, cval, e, z, z, z, z, z, z, z, z);
}

/** Diagonal 4x4 where (i & cmask) == cval; its 4 complex entries (8 numbers) must be at scratch(). */
export function apply2Diag(qa: i32, qb: i32, cmask: u32, cval: u32): void {
  const m = SCR;
  drive2(
    Q_DIAG, qa, qb, cmask, cval, 0,
    re2(load<f64>(m)), im2(load<f64>(m + 8)),
    re2(load<f64>(m + 16)), im2(load<f64>(m + 24)),
    re2(load<f64>(m + 32)), im2(load<f64>(m + 40)),
    re2(load<f64>(m + 48)), im2(load<f64>(m + 56)),
  );
}

/** Swaps the |01> and |10> amplitudes of (qa, qb) where (i & cmask) == cval. */
export function applySwap(qa: i32, qb: i32, cmask: u32, cval: u32): void {
  const z = f64x2.splat(0);
  drive2(Q_SWAP, qa, qb, cmask, cval, 0, z, z, z, z, z, z, z, z);
}

// ---- floor -------------------------------------------------------------------------------------

/** Read-modify-write floor: every double of the state becomes x·s + t (f64x2, 2x unrolled). */
export function rmw(s: f64, t: f64): void {
  const S = f64x2.splat(s);
  const T = f64x2.splat(t);
  const total: usize = (<usize>16) << N;
  let p: usize = 0;
  for (; p + 32 <= total; p += 32) {
    v128.store(p, f64x2.add(f64x2.mul(v128.load(p), S), T));
    v128.store(p, f64x2.add(f64x2.mul(v128.load(p, 16), S), T), 16);
  }
  if (p < total) v128.store(p, f64x2.add(f64x2.mul(v128.load(p), S), T));
}

// ---- Pauli-transfer kernels (density matrix in the Pauli basis) --------------------------------
// Here the memory holds 4^n real coefficients (f64 at byte 8·i; the instance is initialised with
// N = 2n - 1 so SCR falls right after them). Tables live in the scratch area, written by the host:
//   SCR + 0      16 f64    1-qubit PTM, row-major
//   SCR + 128    16 i32    element offsets of the 16 local digit patterns (2-qubit ops)
//   SCR + 192    16 i32    kept rows
//   SCR + 256    17 i32    row starts (CSR)
//   SCR + 336   256 i32    columns
//   SCR + 1360  256 f64    values
//   SCR + 3408   16 v128   gathered inputs
// A group is the set of coefficients of one pattern of the other bits: base y | x, x a submask of
// `free`. When bit 0 is free, groups x and x + 1 sit side by side and one f64x2 serves both.

const P_M: usize = 0;
const P_OFF: usize = 128;
const P_ROWS: usize = 192;
const P_START: usize = 256;
const P_COL: usize = 336;
const P_VAL: usize = 1360;
const P_BUF: usize = 3408;

/** A 1-qubit PTM (at scratch) on the digit with element offsets o1, o2, o3; row 0 left alone when skip0. */
export function ptm1(o1: u32, o2: u32, o3: u32, y: u32, free: u32, skip0: i32): void {
  const m = SCR + P_M;
  const b1: usize = (<usize>o1) << 3;
  const b2: usize = (<usize>o2) << 3;
  const b3: usize = (<usize>o3) << 3;
  if (free & 1) {
    const F = free & ~(<u32>1);
    const r10 = f64x2.splat(load<f64>(m, 32)), r11 = f64x2.splat(load<f64>(m, 40)), r12 = f64x2.splat(load<f64>(m, 48)), r13 = f64x2.splat(load<f64>(m, 56));
    const r20 = f64x2.splat(load<f64>(m, 64)), r21 = f64x2.splat(load<f64>(m, 72)), r22 = f64x2.splat(load<f64>(m, 80)), r23 = f64x2.splat(load<f64>(m, 88));
    const r30 = f64x2.splat(load<f64>(m, 96)), r31 = f64x2.splat(load<f64>(m, 104)), r32 = f64x2.splat(load<f64>(m, 112)), r33 = f64x2.splat(load<f64>(m, 120));
    const r00 = f64x2.splat(load<f64>(m, 0)), r01 = f64x2.splat(load<f64>(m, 8)), r02 = f64x2.splat(load<f64>(m, 16)), r03 = f64x2.splat(load<f64>(m, 24));
    let x: u32 = 0;
    do {
      const p: usize = (<usize>(y | x)) << 3;
      const a0 = v128.load(p);
      const a1 = v128.load(p + b1);
      const a2 = v128.load(p + b2);
      const a3 = v128.load(p + b3);
      if (!skip0) {
        v128.store(p, f64x2.add(f64x2.add(f64x2.mul(r00, a0), f64x2.mul(r01, a1)), f64x2.add(f64x2.mul(r02, a2), f64x2.mul(r03, a3))));
      }
      v128.store(p + b1, f64x2.add(f64x2.add(f64x2.mul(r10, a0), f64x2.mul(r11, a1)), f64x2.add(f64x2.mul(r12, a2), f64x2.mul(r13, a3))));
      v128.store(p + b2, f64x2.add(f64x2.add(f64x2.mul(r20, a0), f64x2.mul(r21, a1)), f64x2.add(f64x2.mul(r22, a2), f64x2.mul(r23, a3))));
      v128.store(p + b3, f64x2.add(f64x2.add(f64x2.mul(r30, a0), f64x2.mul(r31, a1)), f64x2.add(f64x2.mul(r32, a2), f64x2.mul(r33, a3))));
      x = (x - F) & F;
    } while (x != 0);
    return;
  }
  const r00 = load<f64>(m, 0), r01 = load<f64>(m, 8), r02 = load<f64>(m, 16), r03 = load<f64>(m, 24);
  const r10 = load<f64>(m, 32), r11 = load<f64>(m, 40), r12 = load<f64>(m, 48), r13 = load<f64>(m, 56);
  const r20 = load<f64>(m, 64), r21 = load<f64>(m, 72), r22 = load<f64>(m, 80), r23 = load<f64>(m, 88);
  const r30 = load<f64>(m, 96), r31 = load<f64>(m, 104), r32 = load<f64>(m, 112), r33 = load<f64>(m, 120);
  let x: u32 = 0;
  do {
    const p: usize = (<usize>(y | x)) << 3;
    const a0 = load<f64>(p);
    const a1 = load<f64>(p + b1);
    const a2 = load<f64>(p + b2);
    const a3 = load<f64>(p + b3);
    if (!skip0) store<f64>(p, r00 * a0 + r01 * a1 + r02 * a2 + r03 * a3);
    store<f64>(p + b1, r10 * a0 + r11 * a1 + r12 * a2 + r13 * a3);
    store<f64>(p + b2, r20 * a0 + r21 * a1 + r22 * a2 + r23 * a3);
    store<f64>(p + b3, r30 * a0 + r31 * a1 + r32 * a2 + r33 * a3);
    x = (x - free) & free;
  } while (x != 0);
}

/** A 2-qubit PTM in CSR form (tables at scratch): nr kept rows over the 16 local patterns. */
export function ptm2(nr: i32, y: u32, free: u32): void {
  const t = SCR;
  const buf = SCR + P_BUF;
  if (free & 1) {
    const F = free & ~(<u32>1);
    let x: u32 = 0;
    do {
      const p: usize = (<usize>(y | x)) << 3;
      for (let c: usize = 0; c < 16; c++) v128.store(buf + (c << 4), v128.load(p + ((<usize>load<i32>(t + P_OFF + (c << 2))) << 3)));
      for (let ri = 0; ri < nr; ri++) {
        const e0 = load<i32>(t + P_START + ((<usize>ri) << 2));
        const e1 = load<i32>(t + P_START + ((<usize>ri) << 2), 4);
        let acc = f64x2.splat(0);
        for (let e = e0; e < e1; e++) {
          const c = <usize>load<i32>(t + P_COL + ((<usize>e) << 2));
          acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(t + P_VAL + ((<usize>e) << 3))), v128.load(buf + (c << 4))));
        }
        const r = <usize>load<i32>(t + P_ROWS + ((<usize>ri) << 2));
        v128.store(p + ((<usize>load<i32>(t + P_OFF + (r << 2))) << 3), acc);
      }
      x = (x - F) & F;
    } while (x != 0);
    return;
  }
  let x: u32 = 0;
  do {
    const p: usize = (<usize>(y | x)) << 3;
    for (let c: usize = 0; c < 16; c++) store<f64>(buf + (c << 3), load<f64>(p + ((<usize>load<i32>(t + P_OFF + (c << 2))) << 3)));
    for (let ri = 0; ri < nr; ri++) {
      const e0 = load<i32>(t + P_START + ((<usize>ri) << 2));
      const e1 = load<i32>(t + P_START + ((<usize>ri) << 2), 4);
      let acc: f64 = 0;
      for (let e = e0; e < e1; e++) {
        const c = <usize>load<i32>(t + P_COL + ((<usize>e) << 2));
        acc += load<f64>(t + P_VAL + ((<usize>e) << 3)) * load<f64>(buf + (c << 3));
      }
      const r = <usize>load<i32>(t + P_ROWS + ((<usize>ri) << 2));
      store<f64>(p + ((<usize>load<i32>(t + P_OFF + (r << 2))) << 3), acc);
    }
    x = (x - free) & free;
  } while (x != 0);
}

/**
 * A 2-qubit PTM with one non-zero per row (a Clifford gate under Pauli noise: CZ, CX, ECR with
 * depolarizing): row r takes v_r times input s_r. Digit patterns are r = da + 4·db with element
 * strides oa, ob; the factors come as arguments, so the loop reads no tables.
 */
export function ptmPerm(
  oa: u32, ob: u32, y: u32, free: u32,
  v0: f64, v1: f64, v2: f64, v3: f64, v4: f64, v5: f64, v6: f64, v7: f64, v8: f64, v9: f64, v10: f64, v11: f64, v12: f64, v13: f64, v14: f64, v15: f64,
  s0: i32, s1: i32, s2: i32, s3: i32, s4: i32, s5: i32, s6: i32, s7: i32, s8: i32, s9: i32, s10: i32, s11: i32, s12: i32, s13: i32, s14: i32, s15: i32,
): void {
  const ba: usize = (<usize>oa) << 3;
  const bb: usize = (<usize>ob) << 3;
  const ro0: usize = 0;
  const ro1: usize = (<usize>1) * ba + (<usize>0) * bb;
  const ro2: usize = (<usize>2) * ba + (<usize>0) * bb;
  const ro3: usize = (<usize>3) * ba + (<usize>0) * bb;
  const ro4: usize = (<usize>0) * ba + (<usize>1) * bb;
  const ro5: usize = (<usize>1) * ba + (<usize>1) * bb;
  const ro6: usize = (<usize>2) * ba + (<usize>1) * bb;
  const ro7: usize = (<usize>3) * ba + (<usize>1) * bb;
  const ro8: usize = (<usize>0) * ba + (<usize>2) * bb;
  const ro9: usize = (<usize>1) * ba + (<usize>2) * bb;
  const ro10: usize = (<usize>2) * ba + (<usize>2) * bb;
  const ro11: usize = (<usize>3) * ba + (<usize>2) * bb;
  const ro12: usize = (<usize>0) * ba + (<usize>3) * bb;
  const ro13: usize = (<usize>1) * ba + (<usize>3) * bb;
  const ro14: usize = (<usize>2) * ba + (<usize>3) * bb;
  const ro15: usize = (<usize>3) * ba + (<usize>3) * bb;
  const buf = SCR + P_BUF;
  if (free & 1) {
    const F = free & ~(<u32>1);
    let x: u32 = 0;
    do {
      const p: usize = (<usize>(y | x)) << 3;
      for (let j: usize = 0; j < 4; j++) {
        const q = p + j * bb;
        v128.store(buf + (j << 6), v128.load(q));
        v128.store(buf + (j << 6) + 16, v128.load(q + ba));
        v128.store(buf + (j << 6) + 32, v128.load(q + 2 * ba));
        v128.store(buf + (j << 6) + 48, v128.load(q + 3 * ba));
      }
      v128.store(p + ro0, f64x2.mul(f64x2.splat(v0), v128.load(buf + ((<usize>s0) << 4))));
      v128.store(p + ro1, f64x2.mul(f64x2.splat(v1), v128.load(buf + ((<usize>s1) << 4))));
      v128.store(p + ro2, f64x2.mul(f64x2.splat(v2), v128.load(buf + ((<usize>s2) << 4))));
      v128.store(p + ro3, f64x2.mul(f64x2.splat(v3), v128.load(buf + ((<usize>s3) << 4))));
      v128.store(p + ro4, f64x2.mul(f64x2.splat(v4), v128.load(buf + ((<usize>s4) << 4))));
      v128.store(p + ro5, f64x2.mul(f64x2.splat(v5), v128.load(buf + ((<usize>s5) << 4))));
      v128.store(p + ro6, f64x2.mul(f64x2.splat(v6), v128.load(buf + ((<usize>s6) << 4))));
      v128.store(p + ro7, f64x2.mul(f64x2.splat(v7), v128.load(buf + ((<usize>s7) << 4))));
      v128.store(p + ro8, f64x2.mul(f64x2.splat(v8), v128.load(buf + ((<usize>s8) << 4))));
      v128.store(p + ro9, f64x2.mul(f64x2.splat(v9), v128.load(buf + ((<usize>s9) << 4))));
      v128.store(p + ro10, f64x2.mul(f64x2.splat(v10), v128.load(buf + ((<usize>s10) << 4))));
      v128.store(p + ro11, f64x2.mul(f64x2.splat(v11), v128.load(buf + ((<usize>s11) << 4))));
      v128.store(p + ro12, f64x2.mul(f64x2.splat(v12), v128.load(buf + ((<usize>s12) << 4))));
      v128.store(p + ro13, f64x2.mul(f64x2.splat(v13), v128.load(buf + ((<usize>s13) << 4))));
      v128.store(p + ro14, f64x2.mul(f64x2.splat(v14), v128.load(buf + ((<usize>s14) << 4))));
      v128.store(p + ro15, f64x2.mul(f64x2.splat(v15), v128.load(buf + ((<usize>s15) << 4))));
      x = (x - F) & F;
    } while (x != 0);
    return;
  }
  let x: u32 = 0;
  do {
    const p: usize = (<usize>(y | x)) << 3;
    for (let j: usize = 0; j < 4; j++) {
      const q = p + j * bb;
      store<f64>(buf + (j << 5), load<f64>(q));
      store<f64>(buf + (j << 5) + 8, load<f64>(q + ba));
      store<f64>(buf + (j << 5) + 16, load<f64>(q + 2 * ba));
      store<f64>(buf + (j << 5) + 24, load<f64>(q + 3 * ba));
    }
    store<f64>(p + ro0, v0 * load<f64>(buf + ((<usize>s0) << 3)));
    store<f64>(p + ro1, v1 * load<f64>(buf + ((<usize>s1) << 3)));
    store<f64>(p + ro2, v2 * load<f64>(buf + ((<usize>s2) << 3)));
    store<f64>(p + ro3, v3 * load<f64>(buf + ((<usize>s3) << 3)));
    store<f64>(p + ro4, v4 * load<f64>(buf + ((<usize>s4) << 3)));
    store<f64>(p + ro5, v5 * load<f64>(buf + ((<usize>s5) << 3)));
    store<f64>(p + ro6, v6 * load<f64>(buf + ((<usize>s6) << 3)));
    store<f64>(p + ro7, v7 * load<f64>(buf + ((<usize>s7) << 3)));
    store<f64>(p + ro8, v8 * load<f64>(buf + ((<usize>s8) << 3)));
    store<f64>(p + ro9, v9 * load<f64>(buf + ((<usize>s9) << 3)));
    store<f64>(p + ro10, v10 * load<f64>(buf + ((<usize>s10) << 3)));
    store<f64>(p + ro11, v11 * load<f64>(buf + ((<usize>s11) << 3)));
    store<f64>(p + ro12, v12 * load<f64>(buf + ((<usize>s12) << 3)));
    store<f64>(p + ro13, v13 * load<f64>(buf + ((<usize>s13) << 3)));
    store<f64>(p + ro14, v14 * load<f64>(buf + ((<usize>s14) << 3)));
    store<f64>(p + ro15, v15 * load<f64>(buf + ((<usize>s15) << 3)));
    x = (x - free) & free;
  } while (x != 0);
}
