import { permutation, sampleSize, type Dataset } from '../../data/index.js';
import { QError, validationError } from '../../errors.js';
import { createRng } from '../../sim/rng.js';
import { tf } from '../../training/tfjs.js';
import {
  auxStates,
  auxStatesBackward,
  dataUnitary,
  dataUnitaryBackward,
  readoutMatrix,
  readoutMatrixBackward,
  type Qcnn12Structure,
} from './qcnn12Circuit.js';

/**
 * Training of qcnn12 on the structured exact simulator (see qcnn12Circuit.ts). Per step the weights
 * give U (256x256) and F (256xK) in plain TypeScript; two `tf.customGrad` ops hand them to tfjs and
 * take back dL/dU and dL/dF, from which one adjoint sweep each (over all 256 columns / rows at once)
 * gives the weight gradients. Everything per sample (z = Ux, z², z²F, the linear softmax layer, the
 * cross-entropy) is ordinary tfjs, so a minibatch costs two small matrix products plus the two
 * sweeps, whatever its size: that is what makes 60,000 12-qubit samples per epoch affordable.
 */

export interface Qcnn12Weights {
  /** Circuit weights, in Qcnn12Structure.weights order. */
  quantum: Float64Array;
  /** Linear head: kernel K x classes (row-major) and bias. */
  kernel: Float64Array;
  bias: Float64Array;
}

export interface Qcnn12TrainOptions {
  readonly epochs: number;
  readonly batch: number;
  readonly lr: number;
  /** Learning rate of the linear head (default lr). */
  readonly headLr?: number;
  /** 'cosine' (default): both rates decay over all steps to 10% of their value; 'constant'. */
  readonly schedule?: 'cosine' | 'constant';
  readonly seed: number;
  readonly classes: number;
  /** Epochs already done (resume): training continues with epoch startEpoch + 1 and the same shuffles. */
  readonly startEpoch?: number;
  /** Adam moments saved by a previous run (resume), as `optimizerState` of onEpoch gave them. */
  readonly optimizerState?: OptimizerState;
  /** Called after every epoch (1-based) with its figures; return false to stop. */
  readonly onEpoch?: (e: {
    epoch: number;
    loss: number;
    trainAccuracy: number;
    seconds: number;
    weights: Qcnn12Weights;
    optimizerState: () => Promise<OptimizerState>;
  }) => boolean | void | Promise<boolean | void>;
  /** Called after every step (progress bars). */
  readonly onStep?: (s: { epoch: number; step: number; steps: number; loss: number; accuracy: number }) => void;
  /** Start from these weights (resume / fine-tune). */
  readonly init?: Qcnn12Weights;
  readonly signal?: AbortSignal;
}

/** Adam state of the two optimisers (quantum, head), as plain arrays. */
export type OptimizerState = { shape: number[]; values: number[] }[][];

/** Multiplier of the base learning rate at global step t of T (the schedule src/training/trainer.ts uses). */
export function lrFactor(schedule: 'cosine' | 'constant', t: number, T: number): number {
  if (schedule === 'constant' || T <= 1) return 1;
  return 0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * t) / (T - 1)));
}

/** Initial weights: small convolution angles (U starts near the identity), spread perceptron angles. */
export function qcnn12InitialWeights(s: Qcnn12Structure, classes: number, seed: number): Qcnn12Weights {
  const rng = createRng(seed);
  const dataW = new Set(s.dataGates.flatMap((g) => ('w' in g ? [g.w] : [])));
  const quantum = Float64Array.from(s.weights, (_, i) => (dataW.has(i) ? 0.1 : Math.PI) * (2 * rng.next() - 1));
  const K = s.observables.length;
  const limit = Math.sqrt(6 / (K + classes));
  const kernel = Float64Array.from({ length: K * classes }, () => (2 * rng.next() - 1) * limit);
  return { quantum, kernel, bias: new Float64Array(classes) };
}

function checkData(ds: Dataset): void {
  if (sampleSize(ds) !== 256) throw validationError(`qcnn12 needs 256 features per sample (a 16x16 image), got ${sampleSize(ds)}`);
}

/** The weight-dependent pieces as tfjs ops with exact adjoint gradients. */
function quantumOps(s: Qcnn12Structure, dataIdx: Int32Array, auxIdx: Int32Array, full: Float64Array) {
  const K = s.observables.length;
  const unitaryOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const theta = args[0] as tf.Tensor;
    const t = theta.dataSync();
    dataIdx.forEach((w, i) => (full[w] = t[i]));
    const u = dataUnitary(s, full);
    const value = tf.tensor2d(Float32Array.from(u), [256, 256]);
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const grad = new Float64Array(full.length);
      dataUnitaryBackward(s, full, u, Float64Array.from(dy.dataSync()), grad);
      return [tf.tensor1d(Float32Array.from(dataIdx, (w) => grad[w]))];
    };
    return { value, gradFunc };
  });
  const readoutOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const theta = args[0] as tf.Tensor;
    const t = theta.dataSync();
    auxIdx.forEach((w, i) => (full[w] = t[i]));
    const c = auxStates(s, full);
    const f = readoutMatrix(s, c);
    const value = tf.tensor2d(Float32Array.from(f), [256, K]);
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const grad = new Float64Array(full.length);
      auxStatesBackward(s, full, c, readoutMatrixBackward(s, c, dy.dataSync()), grad);
      return [tf.tensor1d(Float32Array.from(auxIdx, (w) => grad[w]))];
    };
    return { value, gradFunc };
  });
  return { unitaryOp, readoutOp };
}

function splitIndices(s: Qcnn12Structure): { dataIdx: Int32Array; auxIdx: Int32Array } {
  const data = new Set<number>();
  for (const g of s.dataGates) if ('w' in g) data.add(g.w);
  const dataIdx: number[] = [];
  const auxIdx: number[] = [];
  s.weights.forEach((_, i) => (data.has(i) ? dataIdx : auxIdx).push(i));
  return { dataIdx: Int32Array.from(dataIdx), auxIdx: Int32Array.from(auxIdx) };
}

/** Expectation values (rows x K) of every sample: the quantum layer's outputs. */
export function qcnn12Features(s: Qcnn12Structure, quantum: ArrayLike<number>, ds: Dataset, batch = 2048): Float32Array {
  checkData(ds);
  const K = s.observables.length;
  const u = tf.tensor2d(Float32Array.from(dataUnitary(s, quantum)), [256, 256]);
  const f = tf.tensor2d(Float32Array.from(readoutMatrix(s, auxStates(s, quantum))), [256, K]);
  const out = new Float32Array(ds.count * K);
  for (let start = 0; start < ds.count; start += batch) {
    const n = Math.min(batch, ds.count - start);
    const phi = tf.tidy(() => {
      const x = tf.tensor2d(ds.x.subarray(start * 256, (start + n) * 256), [n, 256]);
      return tf.matMul(tf.square(tf.matMul(x, u, false, true)), f);
    });
    out.set(phi.dataSync(), start * K);
    phi.dispose();
  }
  u.dispose();
  f.dispose();
  return out;
}

/** Class scores (rows x classes) of every sample. */
export function qcnn12Logits(s: Qcnn12Structure, w: Qcnn12Weights, ds: Dataset): Float32Array {
  const K = s.observables.length;
  const C = w.bias.length;
  const phi = qcnn12Features(s, w.quantum, ds);
  const out = new Float32Array(ds.count * C);
  for (let r = 0; r < ds.count; r++) {
    for (let c = 0; c < C; c++) {
      let acc = w.bias[c];
      for (let k = 0; k < K; k++) acc += phi[r * K + k] * w.kernel[k * C + c];
      out[r * C + c] = acc;
    }
  }
  return out;
}

/** Fraction of samples whose largest score is their label. */
export function accuracyOf(logits: Float32Array, labels: Uint8Array, classes: number): number {
  let right = 0;
  for (let r = 0; r < labels.length; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[r * classes + c] > logits[r * classes + best]) best = c;
    if (best === labels[r]) right++;
  }
  return labels.length ? right / labels.length : 0;
}

/** Trains qcnn12 (Adam, softmax cross-entropy, seeded per-epoch shuffles); returns the final weights. */
export async function trainQcnn12(s: Qcnn12Structure, train: Dataset, options: Qcnn12TrainOptions): Promise<Qcnn12Weights> {
  checkData(train);
  const { epochs, batch, seed, classes } = options;
  if (!Number.isInteger(batch) || batch < 1) throw validationError(`batch size must be a positive integer, got ${batch}`);
  if (!Number.isInteger(epochs) || epochs < 1) throw validationError(`epochs must be a positive integer, got ${epochs}`);
  if (train.count === 0) throw validationError('the training set is empty');
  const K = s.observables.length;
  const init = options.init ?? qcnn12InitialWeights(s, classes, seed);
  if (init.quantum.length !== s.weights.length || init.kernel.length !== K * classes || init.bias.length !== classes) {
    throw validationError(
      `qcnn12 weights do not match the model: expected ${s.weights.length} quantum, ${K}x${classes} kernel and ${classes} bias values`,
    );
  }
  const { dataIdx, auxIdx } = splitIndices(s);
  const full = Float64Array.from(init.quantum);
  const thetaData = tf.variable(tf.tensor1d(Float32Array.from(dataIdx, (w) => init.quantum[w])));
  const thetaAux = tf.variable(tf.tensor1d(Float32Array.from(auxIdx, (w) => init.quantum[w])));
  const kernel = tf.variable(tf.tensor2d(Float32Array.from(init.kernel), [K, classes]));
  const bias = tf.variable(tf.tensor1d(Float32Array.from(init.bias)));
  const { unitaryOp, readoutOp } = quantumOps(s, dataIdx, auxIdx, full);
  const headLr = options.headLr ?? options.lr;
  const qOpt = tf.train.adam(options.lr);
  const hOpt = tf.train.adam(headLr);
  const optimizers = [qOpt, hOpt];
  if (options.optimizerState) {
    if (options.optimizerState.length !== 2) throw validationError('qcnn12: saved optimiser state does not match the model');
    for (let i = 0; i < 2; i++) {
      await optimizers[i].setWeights(options.optimizerState[i].map((t, j) => ({ name: `w${j}`, tensor: tf.tensor(t.values, t.shape) })));
    }
  }
  const setLr = (opt: tf.Optimizer, lr: number) => ((opt as unknown as { learningRate: number }).learningRate = lr);
  const snapshot = (): Qcnn12Weights => {
    const q = new Float64Array(s.weights.length);
    const td = thetaData.dataSync();
    const ta = thetaAux.dataSync();
    dataIdx.forEach((w, i) => (q[w] = td[i]));
    auxIdx.forEach((w, i) => (q[w] = ta[i]));
    return { quantum: q, kernel: Float64Array.from(kernel.dataSync()), bias: Float64Array.from(bias.dataSync()) };
  };
  const optimizerState = async (): Promise<OptimizerState> => {
    const out: OptimizerState = [];
    for (const opt of optimizers) {
      const ws = await opt.getWeights();
      out.push(ws.map((w) => ({ shape: [...w.tensor.shape], values: Array.from(w.tensor.dataSync()) })));
    }
    return out;
  };
  const steps = Math.ceil(train.count / batch);
  const total = epochs * steps;
  try {
    for (let epoch = (options.startEpoch ?? 0) + 1; epoch <= epochs; epoch++) {
      const t0 = Date.now();
      // A fixed shuffle per (seed, epoch): a resumed run replays exactly the steps it missed.
      const order = permutation(train.count, (seed + 1000003 * epoch) >>> 0);
      let lossSum = 0;
      let right = 0;
      const xb = new Float32Array(batch * 256);
      const yb = new Int32Array(batch);
      for (let step = 0; step < steps; step++) {
        if (options.signal?.aborted) throw new QError('CANCELLED', 'training cancelled');
        const start = step * batch;
        const n = Math.min(batch, train.count - start);
        for (let r = 0; r < n; r++) {
          const i = order[start + r];
          xb.set(train.x.subarray(i * 256, i * 256 + 256), r * 256);
          yb[r] = train.y[i];
        }
        const factor = lrFactor(options.schedule ?? 'cosine', (epoch - 1) * steps + step, total);
        setLr(qOpt, options.lr * factor);
        setLr(hOpt, headLr * factor);
        const { value, grads } = tf.variableGrads(() => {
          const x = tf.tensor2d(xb.subarray(0, n * 256), [n, 256]);
          const y = tf.oneHot(tf.tensor1d(yb.subarray(0, n), 'int32'), classes);
          const z = tf.matMul(x, unitaryOp(thetaData) as tf.Tensor2D, false, true);
          const phi = tf.matMul(tf.square(z), readoutOp(thetaAux) as tf.Tensor2D);
          const logits = tf.add(tf.matMul(phi, kernel), bias);
          const pred = tf.argMax(logits, 1).dataSync();
          for (let r = 0; r < n; r++) if (pred[r] === yb[r]) right++;
          return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
        }, [thetaData, thetaAux, kernel, bias]);
        const loss = value.dataSync()[0];
        if (!Number.isFinite(loss))
          throw new QError('JOB_FAILED', `training diverged at epoch ${epoch}, step ${step + 1} (loss ${loss}); lower --lr`);
        lossSum += loss * n;
        qOpt.applyGradients([
          { name: thetaData.name, tensor: grads[thetaData.name] },
          { name: thetaAux.name, tensor: grads[thetaAux.name] },
        ]);
        hOpt.applyGradients([
          { name: kernel.name, tensor: grads[kernel.name] },
          { name: bias.name, tensor: grads[bias.name] },
        ]);
        value.dispose();
        tf.dispose(Object.values(grads));
        options.onStep?.({ epoch, step: step + 1, steps, loss: lossSum / (start + n), accuracy: right / (start + n) });
        // Yield to the event loop so progress output and signals are served during long epochs.
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
    qOpt.dispose();
    hOpt.dispose();
    thetaData.dispose();
    thetaAux.dispose();
    kernel.dispose();
    bias.dispose();
  }
}
