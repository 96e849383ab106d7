/**
 * Pure per-sample transforms: class filtering, resizing, binarisation and normalisations. Each
 * returns a new Dataset and never mutates its input; fitted transforms (standardiser, min-max) are
 * plain data so a trained model can store them and apply the same preprocessing to new inputs.
 */
import { validationError } from '../errors.js';
import { classCounts, sampleSize, type Dataset } from './dataset.js';

export interface FilterOptions {
  /** Map the kept classes to 0..k-1 in the order given (default true; what a k-way classifier needs). */
  relabel?: boolean;
}

/** Keeps the samples whose label is in `classes`; a class absent from the data is a VALIDATION error. */
export function filterClasses(ds: Dataset, classes: readonly number[], options: FilterOptions = {}): Dataset {
  if (classes.length === 0) throw validationError('no classes given');
  const map = new Int16Array(256).fill(-1);
  classes.forEach((c, k) => {
    if (!Number.isInteger(c) || c < 0 || c > 255) throw validationError(`class ${c} is not a label (integers 0..255)`);
    if (map[c] >= 0) throw validationError(`class ${c} is listed twice`);
    map[c] = k;
  });
  const counts = classCounts(ds);
  const missing = classes.filter((c) => !(counts[c] > 0));
  if (missing.length) {
    const present = counts.flatMap((n, c) => (n > 0 ? [c] : []));
    throw validationError(
      `class${missing.length > 1 ? 'es' : ''} ${missing.join(', ')} not in the data (labels present: ${present.join(', ')})`,
      {
        missing,
        present,
      },
    );
  }
  const relabel = options.relabel ?? true;
  const size = sampleSize(ds);
  let n = 0;
  for (let i = 0; i < ds.count; i++) if (map[ds.y[i]] >= 0) n++;
  const x = new Float32Array(n * size);
  const y = new Uint8Array(n);
  let k = 0;
  for (let i = 0; i < ds.count; i++) {
    const m = map[ds.y[i]];
    if (m < 0) continue;
    x.set(ds.x.subarray(i * size, (i + 1) * size), k * size);
    y[k++] = relabel ? m : ds.y[i];
  }
  return { x, y, count: n, shape: [...ds.shape] };
}

/** Sparse 1-D resampling taps: output o = Σ_k weight[k] * input[index[k]] over taps start[o]..start[o+1]. */
interface Taps {
  readonly start: Int32Array;
  readonly index: Int32Array;
  readonly weight: Float64Array;
}

function buildTaps(out: number, list: (o: number) => [number, number][]): Taps {
  const start = new Int32Array(out + 1);
  const idx: number[] = [];
  const w: number[] = [];
  for (let o = 0; o < out; o++) {
    for (const [i, v] of list(o)) {
      if (v === 0) continue;
      idx.push(i);
      w.push(v);
    }
    start[o + 1] = idx.length;
  }
  return { start, index: Int32Array.from(idx), weight: Float64Array.from(w) };
}

/** Area averaging: output cell o covers input interval [o*s, (o+1)*s), s = n/out; weights are overlaps / s. */
function areaTaps(n: number, out: number): Taps {
  const s = n / out;
  return buildTaps(out, (o) => {
    const a = o * s;
    const b = (o + 1) * s;
    const taps: [number, number][] = [];
    for (let i = Math.floor(a); i < Math.min(n, Math.ceil(b)); i++) taps.push([i, (Math.min(i + 1, b) - Math.max(i, a)) / s]);
    return taps;
  });
}

/** Bilinear with half-pixel centres and no antialiasing (tf.image.resize 'bilinear', torch align_corners=False). */
function bilinearTaps(n: number, out: number): Taps {
  const s = n / out;
  return buildTaps(out, (o) => {
    const src = Math.min(Math.max((o + 0.5) * s - 0.5, 0), n - 1);
    const i0 = Math.floor(src);
    const i1 = Math.min(i0 + 1, n - 1);
    const f = src - i0;
    return i1 === i0
      ? [[i0, 1]]
      : [
          [i0, 1 - f],
          [i1, f],
        ];
  });
}

function checkImages(ds: Dataset, rows: number, cols: number, op: string): [number, number] {
  if (ds.shape.length !== 2) throw validationError(`${op} needs images of shape [rows, cols], got [${ds.shape.join(', ')}]`);
  for (const [v, name] of [
    [rows, 'rows'],
    [cols, 'cols'],
  ] as const) {
    if (!Number.isInteger(v) || v <= 0) throw validationError(`${op}: ${name} must be a positive integer, got ${v}`);
  }
  return [ds.shape[0], ds.shape[1]];
}

/** Separable resampling of every image with the given row and column taps. */
function resample(ds: Dataset, rows: number, cols: number, inRows: number, inCols: number, tr: Taps, tc: Taps): Dataset {
  const inSize = inRows * inCols;
  const outSize = rows * cols;
  const x = new Float32Array(ds.count * outSize);
  const tmp = new Float64Array(inRows * cols);
  const src = ds.x;
  for (let s = 0; s < ds.count; s++) {
    const base = s * inSize;
    // Columns first: tmp[r][oc] = Σ w * img[r][c].
    for (let r = 0; r < inRows; r++) {
      const rb = base + r * inCols;
      for (let oc = 0; oc < cols; oc++) {
        let acc = 0;
        for (let k = tc.start[oc]; k < tc.start[oc + 1]; k++) acc += tc.weight[k] * src[rb + tc.index[k]];
        tmp[r * cols + oc] = acc;
      }
    }
    const ob = s * outSize;
    for (let or = 0; or < rows; or++) {
      for (let oc = 0; oc < cols; oc++) {
        let acc = 0;
        for (let k = tr.start[or]; k < tr.start[or + 1]; k++) acc += tr.weight[k] * tmp[tr.index[k] * cols + oc];
        x[ob + or * cols + oc] = acc;
      }
    }
  }
  return { x, y: ds.y, count: ds.count, shape: [rows, cols] };
}

/**
 * Downsampling by area averaging (OpenCV INTER_AREA): each output pixel is the mean of the input
 * area it covers, with fractional overlaps weighted exactly, so 28x28 -> 14, 7 or 4 averages whole
 * blocks and 28 -> 16 or 8 stays exact too. The mean intensity of each image is preserved.
 */
export function downsampleArea(ds: Dataset, rows: number, cols = rows): Dataset {
  const [inRows, inCols] = checkImages(ds, rows, cols, 'downsampleArea');
  if (rows > inRows || cols > inCols)
    throw validationError(`downsampleArea: ${rows}x${cols} is larger than the ${inRows}x${inCols} input; use resizeBilinear`);
  return resample(ds, rows, cols, inRows, inCols, areaTaps(inRows, rows), areaTaps(inCols, cols));
}

/** Bilinear resize (half-pixel centres, no antialiasing), the `tf.image.resize` default Hur-Kim-Park used for 28 -> 16. */
export function resizeBilinear(ds: Dataset, rows: number, cols = rows): Dataset {
  const [inRows, inCols] = checkImages(ds, rows, cols, 'resizeBilinear');
  return resample(ds, rows, cols, inRows, inCols, bilinearTaps(inRows, rows), bilinearTaps(inCols, cols));
}

/** 1 where value > threshold, else 0. */
export function binarize(ds: Dataset, threshold = 0.5): Dataset {
  if (!Number.isFinite(threshold)) throw validationError(`binarize: threshold must be a finite number, got ${threshold}`);
  const x = new Float32Array(ds.x.length);
  for (let i = 0; i < x.length; i++) x[i] = ds.x[i] > threshold ? 1 : 0;
  return { ...ds, x, shape: [...ds.shape] };
}

/**
 * Each sample scaled to unit Euclidean norm (amplitude encoding needs it). An all-zero sample has
 * no direction: `zero: 'error'` (default) refuses it naming the sample, `'uniform'` maps it to the
 * uniform vector.
 */
export function normalizeL2(ds: Dataset, options: { zero?: 'error' | 'uniform' } = {}): Dataset {
  const size = sampleSize(ds);
  const x = new Float32Array(ds.x.length);
  for (let s = 0; s < ds.count; s++) {
    const b = s * size;
    let ss = 0;
    for (let i = 0; i < size; i++) ss += ds.x[b + i] * ds.x[b + i];
    if (ss === 0) {
      if (options.zero !== 'uniform') throw validationError(`normalizeL2: sample ${s} is all zeros and has no direction`, { sample: s });
      x.fill(1 / Math.sqrt(size), b, b + size);
      continue;
    }
    const inv = 1 / Math.sqrt(ss);
    for (let i = 0; i < size; i++) x[b + i] = ds.x[b + i] * inv;
  }
  return { ...ds, x, shape: [...ds.shape] };
}

/** Per-feature mean and standard deviation fitted on a training set. */
export interface Standardizer {
  readonly kind: 'standardizer';
  readonly mean: number[];
  readonly std: number[];
}

/** Fits per-feature mean/std (population std; constant features get std 1 so they map to 0). */
export function fitStandardizer(train: Dataset): Standardizer {
  const size = sampleSize(train);
  if (train.count === 0) throw validationError('fitStandardizer: empty training set');
  const mean = new Float64Array(size);
  const sq = new Float64Array(size);
  for (let s = 0; s < train.count; s++) {
    const b = s * size;
    for (let i = 0; i < size; i++) {
      const v = train.x[b + i];
      mean[i] += v;
      sq[i] += v * v;
    }
  }
  const std: number[] = [];
  for (let i = 0; i < size; i++) {
    mean[i] /= train.count;
    const varr = Math.max(0, sq[i] / train.count - mean[i] * mean[i]);
    std.push(varr > 1e-12 ? Math.sqrt(varr) : 1);
  }
  return { kind: 'standardizer', mean: Array.from(mean), std };
}

/** (x - mean) / std per feature. */
export function standardize(ds: Dataset, st: Standardizer): Dataset {
  const size = sampleSize(ds);
  if (st.mean.length !== size) throw validationError(`standardizer was fitted on ${st.mean.length} features, data has ${size}`);
  const x = new Float32Array(ds.x.length);
  for (let s = 0; s < ds.count; s++) {
    const b = s * size;
    for (let i = 0; i < size; i++) x[b + i] = (ds.x[b + i] - st.mean[i]) / st.std[i];
  }
  return { ...ds, x, shape: [...ds.shape] };
}

/** Per-feature affine map of the training range [min, max] onto [lo, hi]. */
export interface MinMaxScaler {
  readonly kind: 'minmax';
  readonly min: number[];
  readonly max: number[];
  readonly lo: number;
  readonly hi: number;
}

/** Fits per-feature ranges on a training set; [0, π] is the usual target for angle encodings. */
export function fitMinMax(train: Dataset, lo = 0, hi = 1): MinMaxScaler {
  if (!(hi > lo)) throw validationError(`fitMinMax: need lo < hi, got [${lo}, ${hi}]`);
  const size = sampleSize(train);
  if (train.count === 0) throw validationError('fitMinMax: empty training set');
  const min = new Array<number>(size).fill(Infinity);
  const max = new Array<number>(size).fill(-Infinity);
  for (let s = 0; s < train.count; s++) {
    for (let i = 0; i < size; i++) {
      const v = train.x[s * size + i];
      if (v < min[i]) min[i] = v;
      if (v > max[i]) max[i] = v;
    }
  }
  return { kind: 'minmax', min, max, lo, hi };
}

/** Applies a fitted range map; `clip` keeps unseen values inside [lo, hi] (default true). */
export function minMaxScale(ds: Dataset, sc: MinMaxScaler, options: { clip?: boolean } = {}): Dataset {
  const size = sampleSize(ds);
  if (sc.min.length !== size) throw validationError(`min-max scaler was fitted on ${sc.min.length} features, data has ${size}`);
  const clip = options.clip ?? true;
  const x = new Float32Array(ds.x.length);
  for (let s = 0; s < ds.count; s++) {
    for (let i = 0; i < size; i++) {
      const range = sc.max[i] - sc.min[i];
      let v = range > 0 ? sc.lo + ((ds.x[s * size + i] - sc.min[i]) / range) * (sc.hi - sc.lo) : (sc.lo + sc.hi) / 2;
      if (clip) v = Math.min(sc.hi, Math.max(sc.lo, v));
      x[s * size + i] = v;
    }
  }
  return { ...ds, x, shape: [...ds.shape] };
}

/** Flattens images to feature vectors ([28, 28] -> [784]). */
export function flatten(ds: Dataset): Dataset {
  return { ...ds, shape: [sampleSize(ds)] };
}
