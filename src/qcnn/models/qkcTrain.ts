import { permutation, type Dataset } from '../../data/index.js';
import { QError, validationError } from '../../errors.js';
import { createRng } from '../../sim/rng.js';
import { conv2d } from '../../training/conv2d.js';
import { tf } from '../../training/tfjs.js';
import { lrFactor, type OptimizerState } from './qcnn12Train.js';

/**
 * The classical part of qkc: a small CNN over [H, W, C] feature maps (the quanvolution's output),
 *   conv 3x3 (C -> c1) + ReLU, max-pool 2, conv 3x3 (c1 -> c2) + ReLU, max-pool 2 ('same'),
 *   dense (-> hidden) + ReLU, dropout, dense (-> classes),
 * trained with Adam on softmax cross-entropy. Convolutions go through training/conv2d.ts (the wasm
 * backend has no filter-gradient kernel). Weights are plain arrays so a model file can hold them.
 */
export interface CnnSpec {
  readonly input: readonly [number, number, number];
  readonly conv1: number;
  readonly conv2: number;
  readonly hidden: number;
  readonly classes: number;
  readonly dropout: number;
}

/** Weight arrays in the order conv1 kernel, conv1 bias, conv2 kernel, conv2 bias, dense1 kernel, bias, dense2 kernel, bias. */
export type CnnWeights = Float32Array[];

export function cnnShapes(spec: CnnSpec): number[][] {
  const [H, W, C] = spec.input;
  const h2 = Math.ceil(Math.ceil(H / 2) / 2);
  const w2 = Math.ceil(Math.ceil(W / 2) / 2);
  const flat = h2 * w2 * spec.conv2;
  return [
    [3, 3, C, spec.conv1],
    [spec.conv1],
    [3, 3, spec.conv1, spec.conv2],
    [spec.conv2],
    [flat, spec.hidden],
    [spec.hidden],
    [spec.hidden, spec.classes],
    [spec.classes],
  ];
}

export function cnnParameterCount(spec: CnnSpec): number {
  return cnnShapes(spec).reduce((acc, s) => acc + s.reduce((a, b) => a * b, 1), 0);
}

/** Glorot-uniform kernels (fan in/out of the receptive field) and zero biases, from one seeded stream. */
export function cnnInitialWeights(spec: CnnSpec, seed: number): CnnWeights {
  const rng = createRng(seed);
  return cnnShapes(spec).map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    if (shape.length === 1) return new Float32Array(n);
    const rf = shape.length === 4 ? shape[0] * shape[1] : 1;
    const fanIn = rf * shape[shape.length - 2];
    const fanOut = rf * shape[shape.length - 1];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return Float32Array.from({ length: n }, () => (2 * rng.next() - 1) * limit);
  });
}

function forward(spec: CnnSpec, v: tf.Variable[] | tf.Tensor[], x: tf.Tensor4D, training: boolean, seed: number): tf.Tensor2D {
  let h = tf.relu(tf.add(conv2d(x, v[0] as tf.Tensor4D, 'same'), v[1])) as tf.Tensor4D;
  h = tf.maxPool(h, 2, 2, 'same');
  h = tf.relu(tf.add(conv2d(h, v[2] as tf.Tensor4D, 'same'), v[3])) as tf.Tensor4D;
  h = tf.maxPool(h, 2, 2, 'same');
  let d = tf.reshape(h, [x.shape[0], -1]) as tf.Tensor2D;
  d = tf.relu(tf.add(tf.matMul(d, v[4] as tf.Tensor2D), v[5])) as tf.Tensor2D;
  if (training && spec.dropout > 0) d = tf.dropout(d, spec.dropout, undefined, seed) as tf.Tensor2D;
  return tf.add(tf.matMul(d, v[6] as tf.Tensor2D), v[7]) as tf.Tensor2D;
}

function checkInput(spec: CnnSpec, ds: Dataset): number {
  const [H, W, C] = spec.input;
  if (ds.shape.length !== 3 || ds.shape[0] !== H || ds.shape[1] !== W || ds.shape[2] !== C) {
    throw validationError(`the CNN expects [${H}, ${W}, ${C}] inputs, got [${ds.shape.join(', ')}]`);
  }
  return H * W * C;
}

/** Class scores (count x classes) of every sample, in batches. */
export function cnnLogits(spec: CnnSpec, weights: CnnWeights, ds: Dataset, batch = 1000): Float32Array {
  const size = checkInput(spec, ds);
  const shapes = cnnShapes(spec);
  const w = weights.map((a, i) => tf.tensor(a, shapes[i]));
  const out = new Float32Array(ds.count * spec.classes);
  try {
    for (let s = 0; s < ds.count; s += batch) {
      const n = Math.min(batch, ds.count - s);
      const logits = tf.tidy(() => forward(spec, w, tf.tensor4d(ds.x.subarray(s * size, (s + n) * size), [n, ...spec.input]), false, 0));
      out.set(logits.dataSync(), s * spec.classes);
      logits.dispose();
    }
  } finally {
    for (const t of w) t.dispose();
  }
  return out;
}

export interface CnnTrainOptions {
  readonly epochs: number;
  readonly batch: number;
  readonly lr: number;
  readonly seed: number;
  /** 'cosine' (default): the rate decays over all steps to 10% of its value; 'constant'. */
  readonly schedule?: 'cosine' | 'constant';
  /** Epochs already done (resume): continues with epoch startEpoch + 1 and the same shuffles. */
  readonly startEpoch?: number;
  readonly optimizerState?: OptimizerState;
  readonly init?: CnnWeights;
  readonly signal?: AbortSignal;
  readonly onEpoch?: (e: {
    epoch: number;
    loss: number;
    trainAccuracy: number;
    seconds: number;
    weights: CnnWeights;
    optimizerState: () => Promise<OptimizerState>;
  }) => boolean | void | Promise<boolean | void>;
  readonly onStep?: (s: { epoch: number; step: number; steps: number; loss: number; accuracy: number }) => void;
  /**
   * Random translations of the input maps by up to `shift` cells per axis (a cell of a stride-2
   * quanvolution is a 2-pixel image shift, so this is exact image augmentation), uncovered cells
   * filled with `fill` (per channel: the filter's output on a blank patch). Seeded per step.
   */
  readonly augment?: { readonly shift: number; readonly fill: ArrayLike<number> };
}

/** Copies sample `src` of `x` into `dst` translated by (dr, dc) cells, filling uncovered cells. */
function shiftInto(
  x: Float32Array,
  src: number,
  dst: Float32Array,
  at: number,
  shape: readonly number[],
  dr: number,
  dc: number,
  fill: ArrayLike<number>,
): void {
  const [H, W, C] = shape;
  for (let r = 0; r < H; r++) {
    const sr = r - dr;
    for (let c = 0; c < W; c++) {
      const sc = c - dc;
      const o = at + (r * W + c) * C;
      if (sr < 0 || sr >= H || sc < 0 || sc >= W) for (let k = 0; k < C; k++) dst[o + k] = fill[k];
      else {
        const i = src + (sr * W + sc) * C;
        for (let k = 0; k < C; k++) dst[o + k] = x[i + k];
      }
    }
  }
}

/** Trains the CNN (Adam, softmax cross-entropy, dropout, seeded per-epoch shuffles); returns the final weights. */
export async function trainCnn(spec: CnnSpec, train: Dataset, options: CnnTrainOptions): Promise<CnnWeights> {
  const size = checkInput(spec, train);
  const { epochs, batch, seed } = options;
  if (!Number.isInteger(batch) || batch < 1) throw validationError(`batch size must be a positive integer, got ${batch}`);
  if (!Number.isInteger(epochs) || epochs < 1) throw validationError(`epochs must be a positive integer, got ${epochs}`);
  if (train.count === 0) throw validationError('the training set is empty');
  const shapes = cnnShapes(spec);
  const init = options.init ?? cnnInitialWeights(spec, seed);
  if (init.length !== shapes.length || init.some((a, i) => a.length !== shapes[i].reduce((x, y) => x * y, 1))) {
    throw validationError('CNN weights do not match the network shape');
  }
  const vars = init.map((a, i) => tf.variable(tf.tensor(a, shapes[i])));
  const opt = tf.train.adam(options.lr);
  if (options.optimizerState) {
    if (options.optimizerState.length !== 1) throw validationError('saved optimiser state does not match the CNN');
    await opt.setWeights(options.optimizerState[0].map((t, j) => ({ name: `w${j}`, tensor: tf.tensor(t.values, t.shape) })));
  }
  const snapshot = (): CnnWeights => vars.map((v) => Float32Array.from(v.dataSync()));
  const optimizerState = async (): Promise<OptimizerState> => {
    const ws = await opt.getWeights();
    return [ws.map((w) => ({ shape: [...w.tensor.shape], values: Array.from(w.tensor.dataSync()) }))];
  };
  const xb = new Float32Array(batch * size);
  const yb = new Int32Array(batch);
  const steps = Math.ceil(train.count / batch);
  const total = epochs * steps;
  try {
    for (let epoch = (options.startEpoch ?? 0) + 1; epoch <= epochs; epoch++) {
      const t0 = Date.now();
      const order = permutation(train.count, (seed + 1000003 * epoch) >>> 0);
      let lossSum = 0;
      let right = 0;
      for (let step = 0; step < steps; step++) {
        if (options.signal?.aborted) throw new QError('CANCELLED', 'training cancelled');
        const start = step * batch;
        const n = Math.min(batch, train.count - start);
        const aug = options.augment;
        const arng = aug && aug.shift > 0 ? createRng((seed * 31337 + epoch * 7919 + step) >>> 0) : undefined;
        for (let r = 0; r < n; r++) {
          const i = order[start + r];
          if (arng && aug) {
            const span = 2 * aug.shift + 1;
            const dr = Math.floor(arng.next() * span) - aug.shift;
            const dc = Math.floor(arng.next() * span) - aug.shift;
            shiftInto(train.x, i * size, xb, r * size, spec.input, dr, dc, aug.fill);
          } else xb.set(train.x.subarray(i * size, (i + 1) * size), r * size);
          yb[r] = train.y[i];
        }
        (opt as unknown as { learningRate: number }).learningRate =
          options.lr * lrFactor(options.schedule ?? 'cosine', (epoch - 1) * steps + step, total);
        const dropSeed = (seed * 7919 + epoch * 100003 + step) >>> 0;
        const { value, grads } = tf.variableGrads(() => {
          const x = tf.tensor4d(xb.subarray(0, n * size), [n, ...spec.input]);
          const logits = forward(spec, vars, x, true, dropSeed);
          const pred = tf.argMax(logits, 1).dataSync();
          for (let r = 0; r < n; r++) if (pred[r] === yb[r]) right++;
          return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(yb.subarray(0, n), 'int32'), spec.classes), logits) as tf.Scalar;
        }, vars);
        const loss = value.dataSync()[0];
        if (!Number.isFinite(loss))
          throw new QError('JOB_FAILED', `training diverged at epoch ${epoch}, step ${step + 1} (loss ${loss}); lower --lr`);
        lossSum += loss * n;
        opt.applyGradients(vars.map((v) => ({ name: v.name, tensor: grads[v.name] })));
        value.dispose();
        tf.dispose(Object.values(grads));
        options.onStep?.({ epoch, step: step + 1, steps, loss: lossSum / (start + n), accuracy: right / (start + n) });
        if (step % 20 === 19) await new Promise((r) => setImmediate(r));
      }
      const cont = await options.onEpoch?.({
        epoch,
        loss: lossSum / train.count,
        trainAccuracy: right / train.count,
        seconds: (Date.now() - t0) / 1000,
        weights: snapshot(),
        optimizerState,
      });
      if (cont === false) break;
    }
    return snapshot();
  } finally {
    opt.dispose();
    for (const v of vars) v.dispose();
  }
}
