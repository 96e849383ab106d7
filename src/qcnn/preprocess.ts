import {
  binarize,
  downsampleArea,
  fitMinMax,
  fitPca,
  fitStandardizer,
  flatten,
  minMaxScale,
  normalizeL2,
  pcaTransform,
  resizeBilinear,
  sampleSize,
  standardize,
  type Dataset,
  type MinMaxScaler,
  type Pca,
  type Standardizer,
} from '../data/index.js';
import { validationError } from '../errors.js';

/**
 * A model's preprocessing as plain data: a list of steps, the fitted ones (PCA, scalers, screening)
 * carrying what they learned from the TRAINING set. A saved model stores this list, so evaluation
 * applies exactly the same transform to new images without refitting.
 */
export type PreprocessStep =
  | { readonly op: 'resize'; readonly rows: number; readonly cols: number; readonly method: 'area' | 'bilinear' }
  | { readonly op: 'binarize'; readonly threshold: number }
  | { readonly op: 'normalize' }
  | { readonly op: 'flatten' }
  | { readonly op: 'pca'; readonly pca: Pca }
  | { readonly op: 'standardize'; readonly standardizer: Standardizer }
  | { readonly op: 'minmax'; readonly scaler: MinMaxScaler; readonly clip: boolean }
  /** Keeps the listed features in this order (feature screening). */
  | { readonly op: 'select'; readonly indices: readonly number[] }
  /** x -> x * factor + offset on every feature. */
  | { readonly op: 'affine'; readonly factor: number; readonly offset: number };

/** A step before fitting: fitted steps name what to fit and how. */
export type PreprocessSpec =
  | Exclude<PreprocessStep, { op: 'pca' } | { op: 'standardize' } | { op: 'minmax' } | { op: 'select' }>
  | { readonly op: 'pca'; readonly components: number; readonly whiten?: boolean }
  | { readonly op: 'standardize' }
  | { readonly op: 'minmax'; readonly lo: number; readonly hi: number; readonly clip?: boolean }
  /**
   * Feature screening: keep the `keep` features whose class means differ most relative to their
   * spread (a Fisher score fitted on the training set), in decreasing score order.
   */
  | { readonly op: 'screen'; readonly keep: number };

export function applyStep(ds: Dataset, s: PreprocessStep): Dataset {
  switch (s.op) {
    case 'resize':
      return s.method === 'area' ? downsampleArea(ds, s.rows, s.cols) : resizeBilinear(ds, s.rows, s.cols);
    case 'binarize':
      return binarize(ds, s.threshold);
    case 'normalize':
      return normalizeL2(ds, { zero: 'uniform' });
    case 'flatten':
      return flatten(ds);
    case 'pca':
      return pcaTransform(flatten(ds), s.pca);
    case 'standardize':
      return standardize(ds, s.standardizer);
    case 'minmax':
      return minMaxScale(ds, s.scaler, { clip: s.clip });
    case 'select': {
      const size = sampleSize(ds);
      const k = s.indices.length;
      for (const i of s.indices) if (!(i >= 0 && i < size)) throw validationError(`feature index ${i} out of range [0, ${size})`);
      const x = new Float32Array(ds.count * k);
      for (let n = 0; n < ds.count; n++) for (let j = 0; j < k; j++) x[n * k + j] = ds.x[n * size + s.indices[j]];
      return { x, y: ds.y, count: ds.count, shape: [k] };
    }
    case 'affine': {
      const x = new Float32Array(ds.x.length);
      for (let i = 0; i < x.length; i++) x[i] = ds.x[i] * s.factor + s.offset;
      return { ...ds, x };
    }
    default:
      throw validationError(`unknown preprocessing step '${(s as { op: string }).op}'`);
  }
}

/** Applies fitted steps in order. */
export function applyPreprocessing(ds: Dataset, steps: readonly PreprocessStep[]): Dataset {
  let out = ds;
  for (const s of steps) out = applyStep(out, s);
  return out;
}

/** Fisher score per feature: Σ_c n_c (μ_c - μ)² / Σ_c n_c σ_c². */
function fisherScores(ds: Dataset): Float64Array {
  const size = sampleSize(ds);
  const classes = new Map<number, { n: number; sum: Float64Array; sq: Float64Array }>();
  for (let i = 0; i < ds.count; i++) {
    let c = classes.get(ds.y[i]);
    if (!c) {
      c = { n: 0, sum: new Float64Array(size), sq: new Float64Array(size) };
      classes.set(ds.y[i], c);
    }
    c.n++;
    for (let j = 0; j < size; j++) {
      const v = ds.x[i * size + j];
      c.sum[j] += v;
      c.sq[j] += v * v;
    }
  }
  const score = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    let mu = 0;
    for (const c of classes.values()) mu += c.sum[j];
    mu /= ds.count;
    let between = 0;
    let within = 0;
    for (const c of classes.values()) {
      const m = c.sum[j] / c.n;
      between += c.n * (m - mu) ** 2;
      within += Math.max(0, c.sq[j] - c.n * m * m);
    }
    score[j] = between / (within + 1e-9);
  }
  return score;
}

/** Fits a pipeline on the training set; returns the fitted steps and the transformed training set. */
export function fitPreprocessing(train: Dataset, specs: readonly PreprocessSpec[]): { steps: PreprocessStep[]; train: Dataset } {
  const steps: PreprocessStep[] = [];
  let ds = train;
  for (const s of specs) {
    let step: PreprocessStep;
    switch (s.op) {
      case 'pca':
        step = { op: 'pca', pca: fitPca(flatten(ds), s.components, { whiten: s.whiten ?? false }) };
        break;
      case 'standardize':
        step = { op: 'standardize', standardizer: fitStandardizer(flatten(ds)) };
        break;
      case 'minmax':
        step = { op: 'minmax', scaler: fitMinMax(flatten(ds), s.lo, s.hi), clip: s.clip ?? true };
        break;
      case 'screen': {
        const flat = flatten(ds);
        const size = sampleSize(flat);
        if (!(Number.isInteger(s.keep) && s.keep >= 1 && s.keep <= size)) {
          throw validationError(`feature screening keeps 1 to ${size} features, got ${s.keep}`);
        }
        const score = fisherScores(flat);
        const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
        step = { op: 'select', indices: order.slice(0, s.keep) };
        ds = flat;
        break;
      }
      default:
        step = s;
    }
    ds = applyStep(ds, step);
    steps.push(step);
  }
  return { steps, train: ds };
}
