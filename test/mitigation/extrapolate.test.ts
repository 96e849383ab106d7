import { describe, expect, it } from 'vitest';
import { QError, exponential, linear, polynomial, polynomialWeights, richardson, withZne } from '../../src/index.js';

describe('zero-noise extrapolators', () => {
  it('are exact on data of their own form', () => {
    const xs = [1, 2, 3, 4.5];
    const line = (x: number) => 0.8 - 0.07 * x;
    const quad = (x: number) => 0.9 - 0.1 * x + 0.013 * x * x;
    const cubic = (x: number) => 1 - 0.2 * x + 0.03 * x * x - 0.002 * x ** 3;
    expect(linear().extrapolate(xs, xs.map(line)).value).toBeCloseTo(0.8, 12);
    expect(polynomial(2).extrapolate(xs, xs.map(quad)).value).toBeCloseTo(0.9, 12);
    expect(richardson().extrapolate([1, 3, 5], [1, 3, 5].map(quad)).value).toBeCloseTo(0.9, 12);
    expect(richardson().extrapolate(xs, xs.map(cubic)).value).toBeCloseTo(1, 12);
    expect(polynomial(3).extrapolate(xs, xs.map(cubic)).value).toBeCloseTo(1, 12);
    const decay = (x: number) => 0.93 * Math.exp(-0.21 * x);
    expect(exponential({ asymptote: 0 }).extrapolate([1, 3], [1, 3].map(decay)).value).toBeCloseTo(0.93, 12);
    const offset = (x: number) => 0.1 + 0.85 * Math.exp(-0.3 * x);
    expect(exponential().extrapolate([1, 2, 3, 5], [1, 2, 3, 5].map(offset)).value).toBeCloseTo(0.95, 6);
  });

  it('least squares averages noise out: a line through noisy points hits the noiseless intercept on symmetric noise', () => {
    const xs = [1, 2, 3, 4];
    const ys = [0.9 + 0.01, 0.8 - 0.01, 0.7 - 0.01, 0.6 + 0.01];
    expect(linear().extrapolate(xs, ys).value).toBeCloseTo(1.0, 12);
  });

  it('gives Richardson weights 15/8, -5/4, 3/8 on scales 1, 3, 5 and propagates standard errors through them', () => {
    const w = polynomialWeights([1, 3, 5], 2);
    expect([...w].map((x) => +x.toFixed(12))).toEqual([1.875, -1.25, 0.375]);
    const r = richardson().extrapolate([1, 3, 5], [0.9, 0.75, 0.62], [0.01, 0.01, 0.01]);
    expect(r.stdError).toBeCloseTo(0.01 * Math.hypot(1.875, 1.25, 0.375), 12);
  });

  it('propagates errors through the exponential fit to first order', () => {
    const ys = [0.8, 0.55, 0.38];
    const ses = [0.01, 0.01, 0.01];
    const e = exponential({ asymptote: 0 });
    const r = e.extrapolate([1, 3, 5], ys, ses);
    let v = 0;
    for (let i = 0; i < 3; i++) {
      const up = [...ys];
      up[i] += 1e-7;
      v += (((e.extrapolate([1, 3, 5], up).value - r.value) / 1e-7) * ses[i]) ** 2;
    }
    expect(r.stdError).toBeCloseTo(Math.sqrt(v), 6);
  });

  it('falls back to a linear fit when values straddle the exponential asymptote, and says so', () => {
    const r = exponential({ asymptote: 0 }).extrapolate([1, 3, 5], [0.1, -0.05, 0.02]);
    expect(r.fallback).toBe(true);
    expect(r.value).toBeCloseTo(linear().extrapolate([1, 3, 5], [0.1, -0.05, 0.02]).value, 12);
  });

  it('refuses fewer scales than the order needs, with a VALIDATION error naming the need', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as QError;
      }
      throw new Error('no error');
    };
    const e1 = err(() => polynomial(3).extrapolate([1, 3, 5], [1, 0.9, 0.8]));
    expect(e1.code).toBe('VALIDATION');
    expect(e1.message).toMatch(/polynomial\(3\) extrapolation needs at least 4 distinct noise scales, got 3/);
    expect(err(() => richardson().extrapolate([1], [0.9])).code).toBe('VALIDATION');
    expect(err(() => linear().extrapolate([3, 3], [0.9, 0.8])).message).toMatch(/at least 2 distinct/);
    expect(err(() => exponential().extrapolate([1, 3], [0.9, 0.8])).message).toMatch(/at least 3/);
    const e2 = err(() => withZne({ scales: [1, 3], extrapolator: polynomial(2) }));
    expect(e2.code).toBe('VALIDATION');
    expect(e2.message).toMatch(/withZne: polynomial\(2\) extrapolation needs at least 3 noise scales, got 2/);
    expect(err(() => withZne({ scales: [0.5, 1, 3] })).message).toMatch(/>= 1/);
    expect(err(() => withZne({ scales: [1, 1, 3] })).message).toMatch(/distinct/);
    expect(err(() => polynomial(0)).code).toBe('VALIDATION');
  });
});
