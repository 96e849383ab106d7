/**
 * Principal component analysis fitted on a training set only (fitting on test data would leak it):
 * covariance by a sparse-aware pass (MNIST pixels are ~80% zero, so a sample's outer product touches
 * only its non-zero pixels), then a full symmetric eigen-decomposition of the active features.
 * The fitted PCA is plain JSON-able data, so a trained model stores it with its weights.
 */
import { validationError } from '../errors.js';
import { sampleSize, type Dataset } from './dataset.js';
import { symmetricEigen } from './symmetricEigen.js';

export interface Pca {
  readonly kind: 'pca';
  /** Input dimension. */
  readonly dim: number;
  /** Feature means of the training set (length dim). */
  readonly mean: number[];
  /** k rows of length dim, unit norm, largest-variance first; each row's largest-|.| entry is positive. */
  readonly components: number[][];
  /** Variance of the training set along each component (sample variance, n - 1). */
  readonly explainedVariance: number[];
  /** explainedVariance / total variance. */
  readonly explainedVarianceRatio: number[];
  /** Whether projections are divided by sqrt(explainedVariance). */
  readonly whiten: boolean;
}

export interface PcaOptions {
  /** Scale each projection to unit variance (default false). */
  whiten?: boolean;
}

/** Sample covariance (n - 1) of the dataset's features, row-major dim x dim. */
export function covarianceMatrix(train: Dataset): { cov: Float64Array; mean: Float64Array; dim: number } {
  const dim = sampleSize(train);
  const n = train.count;
  if (n < 2) throw validationError(`covariance needs at least 2 samples, got ${n}`);
  const S = new Float64Array(dim * dim); // upper triangle of Σ x xᵀ
  const mean = new Float64Array(dim);
  const idx = new Int32Array(dim);
  const val = new Float64Array(dim);
  const x = train.x;
  for (let s = 0; s < n; s++) {
    const b = s * dim;
    let m = 0;
    for (let i = 0; i < dim; i++) {
      const v = x[b + i];
      if (v !== 0) {
        idx[m] = i;
        val[m++] = v;
        mean[i] += v;
      }
    }
    for (let p = 0; p < m; p++) {
      const vp = val[p];
      const row = idx[p] * dim;
      for (let q = p; q < m; q++) S[row + idx[q]] += vp * val[q];
    }
  }
  for (let i = 0; i < dim; i++) mean[i] /= n;
  const cov = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const c = (S[i * dim + j] - n * mean[i] * mean[j]) / (n - 1);
      cov[i * dim + j] = c;
      cov[j * dim + i] = c;
    }
  }
  return { cov, mean, dim };
}

/** Fits the top-k principal components of `train` (flattened samples). */
export function fitPca(train: Dataset, k: number, options: PcaOptions = {}): Pca {
  const dim = sampleSize(train);
  if (!Number.isInteger(k) || k < 1 || k > dim)
    throw validationError(`PCA: number of components must be an integer in [1, ${dim}], got ${k}`);
  const { cov, mean } = covarianceMatrix(train);
  // Constant features (MNIST's always-blank border pixels) have zero rows and columns: decompose
  // only the active block, which is exact and shrinks the O(d^3) step.
  const active: number[] = [];
  let total = 0;
  for (let i = 0; i < dim; i++) {
    const v = cov[i * dim + i];
    total += v;
    if (v > 0) active.push(i);
  }
  if (k > active.length) {
    throw validationError(`PCA: asked for ${k} components but the training data varies in only ${active.length} features`);
  }
  const m = active.length;
  const sub = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub[a * m + b] = cov[active[a] * dim + active[b]];
  const eig = symmetricEigen(sub, m);
  const components: number[][] = [];
  const explainedVariance: number[] = [];
  for (let c = 0; c < k; c++) {
    const row = new Array<number>(dim).fill(0);
    for (let a = 0; a < m; a++) row[active[a]] = eig.vectors[c * m + a];
    components.push(row);
    explainedVariance.push(Math.max(0, eig.values[c]));
  }
  return {
    kind: 'pca',
    dim,
    mean: Array.from(mean),
    components,
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => (total > 0 ? v / total : 0)),
    whiten: options.whiten ?? false,
  };
}

/** Projects samples onto the fitted components: shape [k]. */
export function pcaTransform(ds: Dataset, pca: Pca): Dataset {
  const dim = sampleSize(ds);
  if (dim !== pca.dim) throw validationError(`PCA was fitted on ${pca.dim} features, data has ${dim}`);
  const k = pca.components.length;
  const comps = new Float64Array(k * dim);
  pca.components.forEach((row, c) => comps.set(row, c * dim));
  const mean = Float64Array.from(pca.mean);
  const scale = pca.explainedVariance.map((v) => (pca.whiten ? 1 / Math.sqrt(v > 0 ? v : 1) : 1));
  const out = new Float32Array(ds.count * k);
  const centred = new Float64Array(dim);
  for (let s = 0; s < ds.count; s++) {
    const b = s * dim;
    for (let i = 0; i < dim; i++) centred[i] = ds.x[b + i] - mean[i];
    for (let c = 0; c < k; c++) {
      let acc = 0;
      const cb = c * dim;
      for (let i = 0; i < dim; i++) acc += comps[cb + i] * centred[i];
      out[s * k + c] = acc * scale[c];
    }
  }
  return { x: out, y: ds.y, count: ds.count, shape: [k] };
}

/** Back-projection of [k] features to the input space (mean + Σ z_c component_c). */
export function pcaInverse(ds: Dataset, pca: Pca): Dataset {
  const k = pca.components.length;
  if (sampleSize(ds) !== k) throw validationError(`PCA inverse expects ${k} features, data has ${sampleSize(ds)}`);
  const dim = pca.dim;
  const out = new Float32Array(ds.count * dim);
  for (let s = 0; s < ds.count; s++) {
    for (let i = 0; i < dim; i++) out[s * dim + i] = pca.mean[i];
    for (let c = 0; c < k; c++) {
      const z = ds.x[s * k + c] * (pca.whiten ? Math.sqrt(pca.explainedVariance[c]) : 1);
      const row = pca.components[c];
      for (let i = 0; i < dim; i++) out[s * dim + i] += z * row[i];
    }
  }
  return { x: out, y: ds.y, count: ds.count, shape: [dim] };
}
