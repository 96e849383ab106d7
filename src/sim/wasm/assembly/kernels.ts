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
