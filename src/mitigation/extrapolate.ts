import { validationError } from '../errors.js';
import { luSolve } from './readout.js';

/**
 * Zero-noise extrapolators: given values y_i measured at noise scales x_i (>= 1), estimate y at 0.
 * Each knows how many scales it needs; fewer is a VALIDATION error. Standard errors propagate the
 * per-scale ones to first order (exactly, for the linear fits).
 */
export interface Extrapolation {
  readonly value: number;
  readonly stdError: number;
  /** True when an exponential fit was impossible (values on both sides of the asymptote) and a linear fit stood in. */
  readonly fallback?: boolean;
}

export interface Extrapolator {
  readonly name: string;
  /** Fewest distinct scales the fit needs. */
  readonly minScales: number;
  extrapolate(xs: readonly number[], ys: readonly number[], stdErrors?: readonly number[]): Extrapolation;
}

function check(e: Extrapolator, xs: readonly number[], ys: readonly number[]): void {
  if (xs.length !== ys.length) throw validationError(`${e.name}: ${xs.length} scales but ${ys.length} values`);
  const distinct = new Set(xs.map((x) => x.toPrecision(12))).size;
  if (distinct < e.minScales)
    throw validationError(
      `${e.name} extrapolation needs at least ${e.minScales} distinct noise scales, got ${distinct} (${xs.join(', ')})`,
      {
        scales: [...xs],
        needed: e.minScales,
      },
    );
  for (const x of xs)
    if (!(Number.isFinite(x) && x > 0)) throw validationError(`${e.name}: noise scales must be positive numbers, got ${String(x)}`);
  for (const y of ys) if (!Number.isFinite(y)) throw validationError(`${e.name}: values must be finite numbers, got ${String(y)}`);
}

/** Weights w with value = Σ w_i y_i for the least-squares polynomial of `order` evaluated at 0. */
export function polynomialWeights(xs: readonly number[], order: number): Float64Array {
  const m = order + 1;
  // Normal equations (VᵀV) c = Vᵀ y; the intercept row of (VᵀV)⁻¹Vᵀ is what we need.
  const vtv = new Float64Array(m * m);
  for (const x of xs) for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) vtv[r * m + c] += x ** (r + c);
  const w = new Float64Array(xs.length);
  // Solve (VᵀV) z = e_0, then w_i = Σ_r z_r x_i^r (VᵀV is symmetric).
  const e0 = new Float64Array(m);
  e0[0] = 1;
  const z = luSolve(Float64Array.from(vtv), e0, m);
  xs.forEach((x, i) => {
    let s = 0;
    for (let r = 0; r < m; r++) s += z[r] * x ** r;
    w[i] = s;
  });
  return w;
}

function linearCombination(ys: readonly number[], ses: readonly number[] | undefined, w: Float64Array): Extrapolation {
  let v = 0;
  let var_ = 0;
  ys.forEach((y, i) => {
    v += w[i] * y;
    var_ += (w[i] * (ses?.[i] ?? 0)) ** 2;
  });
  return { value: v, stdError: Math.sqrt(var_) };
}

/** Least-squares polynomial of the given order (>= 1), evaluated at zero noise; needs order + 1 scales. */
export function polynomial(order: number): Extrapolator {
  if (!Number.isInteger(order) || order < 1)
    throw validationError(`polynomial extrapolation order must be an integer >= 1, got ${String(order)}`);
  const e: Extrapolator = {
    name: order === 1 ? 'linear' : `polynomial(${order})`,
    minScales: order + 1,
    extrapolate(xs, ys, ses) {
      check(e, xs, ys);
      return linearCombination(ys, ses, polynomialWeights(xs, order));
    },
  };
  return e;
}

/** Least-squares line through the points, at zero noise; needs 2 scales. */
export function linear(): Extrapolator {
  return polynomial(1);
}

/**
 * Richardson: the polynomial through every point (order = scales - 1), at zero noise; needs 2 scales.
 * Weights Π_{j≠i} x_j / (x_j - x_i); for (1, 3, 5) they are 15/8, -5/4, 3/8.
 */
export function richardson(): Extrapolator {
  const e: Extrapolator = {
    name: 'richardson',
    minScales: 2,
    extrapolate(xs, ys, ses) {
      check(e, xs, ys);
      if (new Set(xs).size !== xs.length)
        throw validationError(`richardson extrapolation needs distinct noise scales, got ${xs.join(', ')}`);
      const w = new Float64Array(xs.length);
      xs.forEach((xi, i) => {
        let p = 1;
        xs.forEach((xj, j) => {
          if (j !== i) p *= xj / (xj - xi);
        });
        w[i] = p;
      });
      return linearCombination(ys, ses, w);
    },
  };
  return e;
}

/**
 * Exponential decay y = a + b·e^{-c·x} at zero noise (a + b). With a known `asymptote` a (0 for
 * Pauli expectations under depolarizing noise) the fit is linear in log|y - a| and needs 2 scales;
 * without, a, b and c are all fitted and it needs 3. When the values straddle the asymptote the
 * fit is impossible and a linear fit stands in (`fallback: true`), as Qiskit's fallback extrapolator.
 */
export function exponential(options: { asymptote?: number } = {}): Extrapolator {
  const a0 = options.asymptote;
  if (a0 !== undefined && !Number.isFinite(a0)) throw validationError(`exponential asymptote must be a finite number, got ${String(a0)}`);
  const fit = (xs: readonly number[], ys: readonly number[]): { value: number; fallback: boolean } => {
    if (a0 !== undefined) {
      const d = ys.map((y) => y - a0);
      const sign = Math.sign(d[0]);
      if (sign === 0 || d.some((v) => Math.sign(v) !== sign)) return { value: fitLine(xs, ys), fallback: true };
      const logs = d.map((v) => Math.log(Math.abs(v)));
      return { value: a0 + sign * Math.exp(fitLine(xs, logs)), fallback: false };
    }
    // Free asymptote: for each decay rate c the best (a, b) is linear least squares; search c.
    const sse = (c: number) => {
      const f = xs.map((x) => Math.exp(-c * x));
      const { a, b } = lineFit(f, ys);
      let s = 0;
      xs.forEach((_x, i) => (s += (a + b * f[i] - ys[i]) ** 2));
      return { s, value: a + b };
    };
    let best = { c: 0, s: Infinity };
    for (let i = 0; i <= 120; i++) {
      const c = 1e-4 * 10 ** (i / 24);
      const r = sse(c).s;
      if (r < best.s) best = { c, s: r };
    }
    // Golden-section refinement in log c around the best grid point.
    let lo = Math.log(best.c) - Math.log(10) / 24;
    let hi = Math.log(best.c) + Math.log(10) / 24;
    for (let it = 0; it < 60; it++) {
      const m1 = hi - (hi - lo) * 0.618;
      const m2 = lo + (hi - lo) * 0.618;
      if (sse(Math.exp(m1)).s < sse(Math.exp(m2)).s) hi = m2;
      else lo = m1;
    }
    const value = sse(Math.exp((lo + hi) / 2)).value;
    return Number.isFinite(value) ? { value, fallback: false } : { value: fitLine(xs, ys), fallback: true };
  };
  const e: Extrapolator = {
    name: a0 === undefined ? 'exponential' : `exponential(asymptote=${a0})`,
    minScales: a0 === undefined ? 3 : 2,
    extrapolate(xs, ys, ses) {
      check(e, xs, ys);
      const { value, fallback } = fit(xs, ys);
      // First-order error propagation by central differences.
      let var_ = 0;
      if (ses) {
        ys.forEach((y, i) => {
          if (!ses[i]) return;
          const h = 1e-6 * Math.max(1, Math.abs(y));
          const up = [...ys];
          const dn = [...ys];
          up[i] = y + h;
          dn[i] = y - h;
          const g = (fit(xs, up).value - fit(xs, dn).value) / (2 * h);
          var_ += (g * ses[i]) ** 2;
        });
      }
      return { value, stdError: Math.sqrt(var_), ...(fallback ? { fallback } : {}) };
    },
  };
  return e;
}

function lineFit(xs: readonly number[], ys: readonly number[]): { a: number; b: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i] - my);
    sxx += (x - mx) ** 2;
  });
  const b = sxx > 0 ? sxy / sxx : 0;
  return { a: my - b * mx, b };
}

/** Intercept of the least-squares line. */
function fitLine(xs: readonly number[], ys: readonly number[]): number {
  return lineFit(xs, ys).a;
}
