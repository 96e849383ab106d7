/**
 * The one in-memory shape every data step takes and returns: sample-major Float32 features plus byte
 * labels. Typed arrays (not nested JS arrays) so 60,000 MNIST images stay one 188 MB block that
 * transforms walk linearly and tfjs can wrap without copying.
 */
import { validationError } from '../errors.js';

export interface Dataset {
  /** Sample i occupies x[i*size, (i+1)*size), size = product of `shape`. */
  readonly x: Float32Array;
  /** Class label of each sample. */
  readonly y: Uint8Array;
  readonly count: number;
  /** Per-sample shape: [rows, cols] for images, [k] for feature vectors. */
  readonly shape: readonly number[];
}

/** Values per sample (product of the shape). */
export function sampleSize(ds: Pick<Dataset, 'shape'>): number {
  return ds.shape.reduce((a, b) => a * b, 1);
}

/** A dataset after checking that the arrays agree with the shape and count. */
export function makeDataset(x: Float32Array, y: Uint8Array, shape: readonly number[]): Dataset {
  if (shape.length === 0 || shape.some((s) => !Number.isInteger(s) || s <= 0)) {
    throw validationError(`dataset shape must be positive integers, got [${shape.join(', ')}]`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (x.length !== y.length * size) {
    throw validationError(
      `dataset has ${y.length} labels but ${x.length} values (expected ${y.length * size} for shape [${shape.join(', ')}])`,
    );
  }
  return { x, y, count: y.length, shape: [...shape] };
}

/** The features of sample i (a view, not a copy). */
export function sampleAt(ds: Dataset, i: number): Float32Array {
  const size = sampleSize(ds);
  return ds.x.subarray(i * size, (i + 1) * size);
}

/** The samples at the given indices, in that order (copies). */
export function takeSamples(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const size = sampleSize(ds);
  const x = new Float32Array(indices.length * size);
  const y = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= ds.count) throw validationError(`sample index ${i} out of range [0, ${ds.count})`);
    x.set(ds.x.subarray(i * size, (i + 1) * size), k * size);
    y[k] = ds.y[i];
  }
  return { x, y, count: indices.length, shape: [...ds.shape] };
}

/** Samples [start, end) as views of the same memory (no copy). */
export function sliceSamples(ds: Dataset, start: number, end = ds.count): Dataset {
  const s = Math.max(0, Math.min(ds.count, Math.floor(start)));
  const e = Math.max(s, Math.min(ds.count, Math.floor(end)));
  const size = sampleSize(ds);
  return { x: ds.x.subarray(s * size, e * size), y: ds.y.subarray(s, e), count: e - s, shape: [...ds.shape] };
}

/** Number of samples of each label 0..max. */
export function classCounts(ds: Pick<Dataset, 'y'>): number[] {
  const counts: number[] = [];
  for (const label of ds.y) {
    while (counts.length <= label) counts.push(0);
    counts[label]++;
  }
  return counts;
}

/** Same samples, new per-sample shape of equal size (e.g. [28, 28] -> [784]). */
export function reshapeSamples(ds: Dataset, shape: readonly number[]): Dataset {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== sampleSize(ds)) {
    throw validationError(`cannot reshape samples of shape [${ds.shape.join(', ')}] to [${shape.join(', ')}]`);
  }
  return { ...ds, shape: [...shape] };
}
