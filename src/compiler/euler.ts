import { QError } from '../errors.js';
import { getGate } from '../ir/gates.js';
import { matmul, type CMatrix } from '../ir/matrix.js';
import { addAngles, scaleAngle, type Angle } from '../ir/params.js';

/**
 * Single-qubit Euler forms. Every 1-qubit gate equals e^{iα}·U(θ, φ, λ) with
 * U(θ, φ, λ) = Rz(φ)·Ry(θ)·Rz(λ) up to e^{i(φ+λ)/2}; the compiler carries 1-qubit gates as U with
 * affine angles, so symbolic (trainable) angles survive compilation exactly.
 */
export interface Euler {
  readonly theta: Angle;
  readonly phi: Angle;
  readonly lambda: Angle;
  /** Global phase α: gate = e^{iα} U(θ, φ, λ). Matters only when the gate is controlled. */
  readonly alpha: Angle;
}

const PI = Math.PI;

/** Sum of angles (numbers stay numbers). */
export function sumAngles(...as: Angle[]): Angle {
  let out: Angle = 0;
  for (const a of as) out = addAngles(out, a);
  return out;
}

export const half = (a: Angle): Angle => scaleAngle(a, 0.5);
export const neg = (a: Angle): Angle => scaleAngle(a, -1);

/** θ, φ, λ, α with m = e^{iα} U(θ, φ, λ), for a numeric 2x2 unitary. */
export function zyzOf(m: ArrayLike<number>): { theta: number; phi: number; lambda: number; alpha: number } {
  const arg = (re: number, im: number) => Math.atan2(im, re);
  const a = Math.hypot(m[0], m[1]);
  const c = Math.hypot(m[4], m[5]);
  const theta = 2 * Math.atan2(c, a);
  // Angles are read from the larger entries: a phase read off a tiny entry is noise, and it must not
  // leak into an entry of size ~1 (θ near 0 fixes φ+λ from the diagonal, θ near π fixes φ-λ).
  if (a >= c) {
    const alpha = arg(m[0], m[1]);
    const phi = c <= 1e-14 ? 0 : arg(m[4], m[5]) - alpha;
    return { theta, phi, lambda: arg(m[6], m[7]) - alpha - phi, alpha };
  }
  if (a <= 1e-14) {
    const alpha = arg(m[4], m[5]);
    return { theta, phi: 0, lambda: arg(-m[2], -m[3]) - alpha, alpha };
  }
  const alpha = arg(m[0], m[1]);
  return { theta, phi: arg(m[4], m[5]) - alpha, lambda: arg(-m[2], -m[3]) - alpha, alpha };
}

/**
 * Exact Euler forms of the registry's 1-qubit gates for symbolic angles (constant gates go through
 * their matrix instead). Each line is checked against the gate's matrix, phase included, by
 * test/compiler/decompose.test.ts.
 */
const SYMBOLIC: Readonly<Record<string, (p: readonly Angle[]) => Euler>> = {
  p: (p) => ({ theta: 0, phi: 0, lambda: p[0], alpha: 0 }),
  phase: (p) => ({ theta: 0, phi: 0, lambda: p[0], alpha: 0 }),
  u1: (p) => ({ theta: 0, phi: 0, lambda: p[0], alpha: 0 }),
  rx: (p) => ({ theta: p[0], phi: -PI / 2, lambda: PI / 2, alpha: 0 }),
  ry: (p) => ({ theta: p[0], phi: 0, lambda: 0, alpha: 0 }),
  rz: (p) => ({ theta: 0, phi: 0, lambda: p[0], alpha: neg(half(p[0])) }),
  U: (p) => ({ theta: p[0], phi: p[1], lambda: p[2], alpha: 0 }),
  u3: (p) => ({ theta: p[0], phi: p[1], lambda: p[2], alpha: neg(half(sumAngles(p[1], p[2]))) }),
  u2: (p) => ({ theta: PI / 2, phi: p[0], lambda: p[1], alpha: neg(half(sumAngles(p[0], p[1]))) }),
  gpi: (p) => ({ theta: PI, phi: p[0], lambda: sumAngles(PI, neg(p[0])), alpha: 0 }),
  gpi2: (p) => ({ theta: PI / 2, phi: sumAngles(p[0], -PI / 2), lambda: sumAngles(PI / 2, neg(p[0])), alpha: 0 }),
  prx: (p) => ({ theta: p[0], phi: sumAngles(p[1], -PI / 2), lambda: sumAngles(PI / 2, neg(p[1])), alpha: 0 }),
};

/** The exact Euler form of a 1-qubit gate (named, with numeric or affine angles) or of a 2x2 matrix. */
export function eulerOf(op: string, params: readonly Angle[], matrix?: ArrayLike<number>): Euler {
  if (op === 'unitary') {
    if (!matrix) throw new QError('COMPILE', `'unitary' without a matrix`);
    return zyzOf(matrix);
  }
  if (params.every((a) => typeof a === 'number')) return zyzOf(getGate(op).matrix(params as number[]));
  const rule = SYMBOLIC[op];
  if (!rule) {
    throw new QError('COMPILE', `gate '${op}' with symbolic angles has no exact decomposition (bind its parameters first)`, {
      details: { gate: op },
    });
  }
  return rule(params);
}

/** The 2x2 matrix of U(θ, φ, λ) for numbers. */
export function uMatrix(theta: number, phi: number, lambda: number): CMatrix {
  return getGate('U').matrix([theta, phi, lambda]);
}

/** Product of numeric U gates applied in order (first applied first), as one U (phase dropped). */
export function mergeNumericU(seq: readonly (readonly number[])[]): [number, number, number] {
  let m = uMatrix(seq[0][0], seq[0][1], seq[0][2]);
  for (let i = 1; i < seq.length; i++) m = matmul(uMatrix(seq[i][0], seq[i][1], seq[i][2]), m);
  const e = zyzOf(m);
  return [e.theta, e.phi, e.lambda];
}

/** An angle reduced into (-π, π]; symbolic angles are returned as they are. */
export function wrapAngle(a: Angle): Angle {
  if (typeof a !== 'number') return a;
  let x = a % (2 * PI);
  if (x <= -PI) x += 2 * PI;
  else if (x > PI) x -= 2 * PI;
  return x;
}

/** Whether a numeric angle is 0 modulo `period` (default 2π) to within `tol`. */
export function isZeroMod(a: Angle, period = 2 * PI, tol = 1e-12): boolean {
  if (typeof a !== 'number') return false;
  const r = ((a % period) + period) % period;
  return r < tol || period - r < tol;
}
