/** Seeded shuffles and splits: the same seed gives the same order on every machine (xoshiro128**). */
import { validationError } from '../errors.js';
import { createRng } from '../sim/rng.js';
import { takeSamples, type Dataset } from './dataset.js';

/** 0..n-1 in a seeded random order (Fisher-Yates). */
export function permutation(n: number, seed: number): Uint32Array {
  if (!Number.isInteger(n) || n < 0) throw validationError(`permutation length must be a non-negative integer, got ${n}`);
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const rng = createRng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** The samples in a seeded random order. */
export function shuffle(ds: Dataset, seed: number): Dataset {
  return takeSamples(ds, permutation(ds.count, seed));
}

export interface SplitOptions {
  /** Fraction in (0, 1) or a whole number of samples for the validation part. */
  validation: number;
  seed: number;
  /** Keep each class's share equal in both parts (default true). */
  stratify?: boolean;
}

/**
 * Splits into train and validation parts, both shuffled. Stratified splits take the same fraction
 * of every class (rounded per class), so a rare class cannot vanish from validation.
 */
export function trainValidationSplit(ds: Dataset, options: SplitOptions): { train: Dataset; validation: Dataset } {
  const v = options.validation;
  const fraction = v > 0 && v < 1 ? v : Number.isInteger(v) && v >= 1 && v < ds.count ? v / ds.count : NaN;
  if (!Number.isFinite(fraction)) {
    throw validationError(`validation must be a fraction in (0, 1) or a sample count in [1, ${ds.count - 1}], got ${v}`);
  }
  const perm = permutation(ds.count, options.seed);
  let valIdx: number[];
  let trainIdx: number[];
  if (options.stratify ?? true) {
    const byClass = new Map<number, number[]>();
    for (const i of perm) {
      const c = ds.y[i];
      let list = byClass.get(c);
      if (!list) byClass.set(c, (list = []));
      list.push(i);
    }
    valIdx = [];
    trainIdx = [];
    for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
      const list = byClass.get(c) as number[];
      const nv = Math.round(list.length * fraction);
      valIdx.push(...list.slice(0, nv));
      trainIdx.push(...list.slice(nv));
    }
    // Re-shuffle so the parts are not ordered by class.
    const pv = permutation(valIdx.length, options.seed + 1);
    const pt = permutation(trainIdx.length, options.seed + 2);
    valIdx = Array.from(pv, (i) => valIdx[i]);
    trainIdx = Array.from(pt, (i) => trainIdx[i]);
  } else {
    const nv = Math.round(ds.count * fraction);
    valIdx = Array.from(perm.subarray(0, nv));
    trainIdx = Array.from(perm.subarray(nv));
  }
  return { train: takeSamples(ds, trainIdx), validation: takeSamples(ds, valIdx) };
}

/** At most `perClass` samples of every class, chosen by seed (quick runs, balanced subsets). */
export function limitPerClass(ds: Dataset, perClass: number, seed: number): Dataset {
  if (!Number.isInteger(perClass) || perClass < 1) throw validationError(`perClass must be a positive integer, got ${perClass}`);
  const perm = permutation(ds.count, seed);
  const taken = new Map<number, number>();
  const keep: number[] = [];
  for (const i of perm) {
    const c = ds.y[i];
    const t = taken.get(c) ?? 0;
    if (t < perClass) {
      taken.set(c, t + 1);
      keep.push(i);
    }
  }
  return takeSamples(ds, keep);
}
