import { validationError } from '../errors.js';

/**
 * The figures a comparison reports per backend x mitigation pair, as plain functions so the compare
 * command, the examples and the tests compute them one way.
 */

/** Mean and max of |measured - ideal| over paired values (0 and 0 for no pairs). */
export function absoluteDeviation(ideal: readonly number[], measured: readonly number[]): { mean: number; max: number } {
  if (ideal.length !== measured.length)
    throw validationError(`absoluteDeviation: ${ideal.length} ideal values but ${measured.length} measured ones`);
  if (ideal.length === 0) return { mean: 0, max: 0 };
  let sum = 0;
  let max = 0;
  for (let i = 0; i < ideal.length; i++) {
    const d = Math.abs(measured[i] - ideal[i]);
    if (!Number.isFinite(d))
      throw validationError(`absoluteDeviation: value ${i} is not finite (ideal ${ideal[i]}, measured ${measured[i]})`);
    sum += d;
    if (d > max) max = d;
  }
  return { mean: sum / ideal.length, max };
}

/** A distribution as outcome -> weight; counts and probabilities both work (each side is normalised). */
export type Distribution = Readonly<Record<string, number>>;

function normalised(d: Distribution, which: string): Map<string, number> {
  let total = 0;
  for (const [k, v] of Object.entries(d)) {
    if (!(v >= 0) || !Number.isFinite(v)) throw validationError(`totalVariationDistance: ${which} weight of '${k}' is ${v}`);
    total += v;
  }
  if (!(total > 0)) throw validationError(`totalVariationDistance: the ${which} distribution is empty`);
  return new Map(Object.entries(d).map(([k, v]) => [k, v / total]));
}

/** Total variation distance ½ Σ |p(x) - q(x)|, in [0, 1]; outcomes missing on one side count as 0 there. */
export function totalVariationDistance(p: Distribution, q: Distribution): number {
  const a = normalised(p, 'first');
  const b = normalised(q, 'second');
  let s = 0;
  for (const [k, v] of a) s += Math.abs(v - (b.get(k) ?? 0));
  for (const [k, v] of b) if (!a.has(k)) s += v;
  return Math.min(1, s / 2);
}
