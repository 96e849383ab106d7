import { join } from 'node:path';
import type { Dataset } from '../data/index.js';
import { permutation, sampleSize } from '../data/index.js';
import { QError, validationError } from '../errors.js';
import { atomicWriteFileSync } from '../io/atomicWrite.js';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, readResumeCheckpoint } from './checkpoint.js';
import type { HybridModel } from '../qcnn/model.js';
import { quantumOutput } from './bridge.js';
import { Head, initHeadWeights, type HeadWeights } from './head.js';
import type { QuantumFunction } from './quantum.js';
import { initTfjs, tf } from './tfjs.js';

export interface EpochMetrics {
  readonly epoch: number;
  /** Mean cross-entropy over the epoch's minibatches. */
  readonly loss: number;
  /** Accuracy of the minibatch predictions made during the epoch (before each update). */
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  /** Wall-clock seconds of the epoch, test evaluation included. */
  readonly seconds: number;
  /** Provider jobs submitted during the epoch (0 on the in-process simulator). */
  readonly jobs: number;
  readonly shots: number;
}

export interface StepInfo {
  readonly epoch: number;
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly jobs: number;
}

export interface TrainOptions {
  readonly epochs: number;
  readonly batch: number;
  readonly lr: number;
  /** Learning rate of the classical head (default: lr). */
  readonly headLr?: number;
  /**
   * Learning-rate schedule over all steps of the run: 'cosine' decays both rates from their value to
   * 10% of it (default), so the last epochs settle instead of oscillating; 'constant' keeps them.
   */
  readonly schedule?: 'cosine' | 'constant';
  readonly seed: number;
  readonly quantum?: QuantumFunction;
  /** Directory for `checkpoint.json`, written atomically after every epoch. */
  readonly checkpointDir?: string;
  /** Continue from the checkpoint in checkpointDir (same model, data and settings). */
  readonly resume?: boolean;
  /** Start from these weights instead of a seeded initialisation (fine-tuning, --init). */
  readonly initial?: TrainedWeights;
  /** Stop after this many epochs of this call (tests use it to simulate an interruption). */
  readonly stopAfter?: number;
  readonly onStep?: (s: StepInfo) => void;
  readonly onEpoch?: (m: EpochMetrics) => void;
  readonly signal?: AbortSignal;
  /** Rows per quantum call when evaluating (default 512). */
  readonly evalBatch?: number;
}

export interface TrainedWeights {
  readonly quantum: number[];
  readonly head: HeadWeights;
}

export interface TrainResult {
  readonly weights: TrainedWeights;
  readonly epochs: EpochMetrics[];
  readonly testAccuracy: number;
  /** Total training seconds (all epochs, across resumes). */
  readonly seconds: number;
  readonly tfjsBackend: string;
  readonly quantumParameters: number;
  readonly classicalParameters: number;
  /** Epoch the run resumed after (0 for a fresh run). */
  readonly resumedFrom: number;
}

interface Checkpoint {
  format: string;
  version: number;
  fingerprint: string;
  epoch: number;
  quantum: number[];
  head: HeadWeights;
  optimizers: { shape: number[]; values: number[] }[][];
  /**
   * Adam's running beta powers per optimiser. tfjs's setWeights recomputes them as pow(beta, t+1),
   * which differs in the last float32 bit from the product an uninterrupted run accumulates; restoring
   * the saved values keeps a resumed run bit-identical.
   */
  adamBetaPowers?: [number, number][];
  epochs: EpochMetrics[];
  seconds: number;
}

/** What a checkpoint must match to be resumed: the model, its preprocessing, the data and the schedule. */
function fingerprint(model: HybridModel, data: { train: Dataset }, o: TrainOptions): string {
  return JSON.stringify({
    model: model.name,
    config: model.config,
    features: model.features,
    weights: model.quantum?.weights.length ?? 0,
    train: data.train.count,
    batch: o.batch,
    lr: o.lr,
    headLr: o.headLr ?? o.lr,
    seed: o.seed,
    // The schedule spans the whole run, so a resumed run must keep its length.
    schedule: o.schedule ?? 'cosine',
    epochs: o.epochs,
  });
}

/** Multiplier of the base learning rate at global step t of T. */
function lrFactor(schedule: 'cosine' | 'constant', t: number, T: number): number {
  if (schedule === 'constant' || T <= 1) return 1;
  return 0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * t) / (T - 1)));
}

/** tfjs's Adam reads its learningRate field at every update; there is no public setter. */
/** The two private variables of tfjs's AdamOptimizer that getWeights does not save. */
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

function setLearningRate(opt: tf.Optimizer, lr: number): void {
  (opt as unknown as { learningRate: number }).learningRate = lr;
}

/** Width of the head's input for a model. */
export function headInputWidth(model: HybridModel): number {
  const q = model.quantum ? model.quantum.evaluationsPerSample * model.quantum.observables.length : 0;
  return model.head.input === 'quantum' ? q : model.head.input === 'features' ? model.features : q + model.features;
}

/** Rows of quantum inputs for the samples at `idx` of a preprocessed dataset. */
function quantumRows(model: HybridModel, ds: Dataset, idx: ArrayLike<number>): Float64Array {
  const q = model.quantum;
  if (!q) return new Float64Array(0);
  const size = sampleSize(ds);
  const per = q.evaluationsPerSample * q.inputs.length;
  const out = new Float64Array(idx.length * per);
  for (let b = 0; b < idx.length; b++) model.quantumInputs(ds.x, idx[b] * size, out, b * per);
  return out;
}

function featureTensor(ds: Dataset, idx: ArrayLike<number>): tf.Tensor2D {
  const size = sampleSize(ds);
  const x = new Float32Array(idx.length * size);
  for (let b = 0; b < idx.length; b++) x.set(ds.x.subarray(idx[b] * size, (idx[b] + 1) * size), b * size);
  return tf.tensor2d(x, [idx.length, size]);
}

/** The head's input for a batch: quantum outputs [B, R*K] and/or features. */
function headInput(model: HybridModel, q: tf.Tensor2D | undefined, f: () => tf.Tensor2D, B: number): tf.Tensor2D {
  const quantum = q ? (q.shape[0] === B ? q : (tf.reshape(q, [B, -1]) as tf.Tensor2D)) : undefined;
  if (model.head.input === 'quantum') return quantum as tf.Tensor2D;
  if (model.head.input === 'features' || !quantum) return f();
  return tf.concat2d([quantum as tf.Tensor2D, f()], 1);
}

/** Predicted class indices (0..C-1) for every sample of a preprocessed dataset. */
export async function predict(
  model: HybridModel,
  weights: TrainedWeights,
  ds: Dataset,
  quantum: QuantumFunction | undefined,
  options: { evalBatch?: number; signal?: AbortSignal; onBatch?: (done: number) => void } = {},
): Promise<{ predictions: Uint8Array; jobs: number; shots: number }> {
  await initTfjs();
  const head = new Head(model.head, headInputWidth(model), weights.head);
  const theta = Float64Array.from(weights.quantum);
  const R = model.quantum?.evaluationsPerSample ?? 1;
  const chunk = Math.max(1, Math.floor((options.evalBatch ?? 512) / R));
  const predictions = new Uint8Array(ds.count);
  let jobs = 0;
  let shots = 0;
  try {
    for (let start = 0; start < ds.count; start += chunk) {
      const idx = Array.from({ length: Math.min(chunk, ds.count - start) }, (_, i) => start + i);
      let qv: Float64Array | undefined;
      if (model.quantum) {
        if (!quantum) throw validationError('this model has a quantum layer: give a quantum function (backend)');
        const r = await quantum.run(model.quantum, quantumRows(model, ds, idx), idx.length * R, theta, {
          jacobian: false,
          signal: options.signal,
        });
        qv = r.values;
        jobs += r.jobs;
        shots += r.shots;
      }
      const pred = tf.tidy(() => {
        const q = qv && model.quantum ? tf.tensor2d(Float32Array.from(qv), [idx.length * R, model.quantum.observables.length]) : undefined;
        return head
          .apply(headInput(model, q, () => featureTensor(ds, idx), idx.length))
          .argMax(1)
          .dataSync();
      });
      predictions.set(pred, start);
      options.onBatch?.(start + idx.length);
    }
  } finally {
    head.dispose();
  }
  return { predictions, jobs, shots };
}

export function accuracy(pred: ArrayLike<number>, labels: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) ok++;
  return labels.length ? ok / labels.length : 0;
}

/**
 * Trains a hybrid model with minibatch Adam on cross-entropy. Each step: (1) await the quantum
 * layer's values and weight Jacobians for the minibatch from the QuantumFunction (adjoint on the
 * simulator; one parameter-shift or SPSA job on a shot backend); (2) one synchronous tfjs step in
 * which `quantumOutput` hands tfjs dy·J, so the head and the optimiser run as usual. Seeds fix the
 * initial weights and every epoch's shuffle (epoch e uses seed + e), so a resumed run replays the
 * same steps as an uninterrupted one. A checkpoint (weights, optimiser moments, metrics) is written
 * atomically after every epoch.
 */
export async function trainModel(model: HybridModel, data: { train: Dataset; test: Dataset }, o: TrainOptions): Promise<TrainResult> {
  if (!(Number.isInteger(o.batch) && o.batch >= 1)) throw validationError(`batch size must be a positive integer, got ${o.batch}`);
  if (!(Number.isInteger(o.epochs) && o.epochs >= 1)) throw validationError(`epochs must be a positive integer, got ${o.epochs}`);
  if (!(o.lr > 0 && Number.isFinite(o.lr))) throw validationError(`learning rate must be a positive number, got ${o.lr}`);
  if (data.train.count === 0) throw validationError('the training set is empty');
  if (model.quantum && !o.quantum) throw validationError('this model has a quantum layer: give a quantum function (backend)');
  const backend = await initTfjs();
  const C = model.classes.length;
  const width = headInputWidth(model);
  const ckptPath = o.checkpointDir ? join(o.checkpointDir, 'checkpoint.json') : undefined;
  const fp = fingerprint(model, data, o);

  let start = 0;
  let epochs: EpochMetrics[] = [];
  let secondsBefore = 0;
  let thetaInit: Float64Array = model.quantum ? model.initialWeights(o.seed) : new Float64Array(0);
  let headInit = initHeadWeights(model.head, width, o.seed + 1);
  let optimizerState: Checkpoint['optimizers'] | undefined;
  let ckAdam: Checkpoint['adamBetaPowers'];
  if (o.initial) {
    thetaInit = Float64Array.from(o.initial.quantum);
    headInit = o.initial.head;
  }
  if (o.resume) {
    const ck = readResumeCheckpoint<Checkpoint>(ckptPath, fp);
    start = ck.epoch;
    epochs = ck.epochs;
    secondsBefore = ck.seconds;
    thetaInit = Float64Array.from(ck.quantum);
    headInit = ck.head;
    optimizerState = ck.optimizers;
    ckAdam = ck.adamBetaPowers;
  }
  if (thetaInit.length !== (model.quantum?.weights.length ?? 0)) {
    throw validationError(`expected ${model.quantum?.weights.length ?? 0} quantum weights, got ${thetaInit.length}`);
  }

  const head = new Head(model.head, width, headInit);
  const theta = tf.variable(tf.tensor1d(Float32Array.from(thetaInit)), true);
  const trainQuantum = !!model.quantum && model.quantum.trainable && theta.size > 0;
  const qOpt = tf.train.adam(o.lr);
  const hOpt = tf.train.adam(o.headLr ?? o.lr);
  const optimizers = trainQuantum ? [qOpt, hOpt] : [hOpt];
  const restoreOpt = async (): Promise<void> => {
    if (!optimizerState) return;
    if (optimizerState.length !== optimizers.length) throw validationError(`${ckptPath}: optimiser state does not match the model`);
    for (let i = 0; i < optimizers.length; i++) {
      const named = optimizerState[i].map((t, j) => ({ name: `w${j}`, tensor: tf.tensor(t.values, t.shape) }));
      await optimizers[i].setWeights(named);
      const powers = ckAdam?.[i];
      if (powers) {
        const a = optimizers[i] as unknown as AdamInternals;
        a.accBeta1.assign(tf.scalar(powers[0]));
        a.accBeta2.assign(tf.scalar(powers[1]));
      }
    }
  };
  await restoreOpt();
  const snapshotOpt = async (): Promise<Checkpoint['optimizers']> => {
    const out: Checkpoint['optimizers'] = [];
    for (const opt of optimizers) {
      const ws = await opt.getWeights();
      out.push(ws.map((w) => ({ shape: [...w.tensor.shape], values: Array.from(w.tensor.dataSync()) })));
    }
    return out;
  };

  const train = data.train;
  const n = train.count;
  const steps = Math.ceil(n / o.batch);
  const R = model.quantum?.evaluationsPerSample ?? 1;
  const K = model.quantum?.observables.length ?? 0;
  const onehot = (idx: ArrayLike<number>): tf.Tensor2D => {
    const y = new Float32Array(idx.length * C);
    for (let b = 0; b < idx.length; b++) y[b * C + train.y[idx[b]]] = 1;
    return tf.tensor2d(y, [idx.length, C]);
  };
  const last = o.stopAfter === undefined ? o.epochs : Math.min(o.epochs, start + o.stopAfter);
  const weightsNow = (): TrainedWeights => ({ quantum: Array.from(theta.dataSync()), head: head.weights() });
  try {
    for (let epoch = start + 1; epoch <= last; epoch++) {
      const t0 = performance.now();
      const order = permutation(n, (o.seed + 1000003 * epoch) >>> 0);
      let lossSum = 0;
      let correct = 0;
      let jobs = 0;
      let shots = 0;
      for (let s = 0; s < steps; s++) {
        if (o.signal?.aborted) throw new QError('CANCELLED', 'training cancelled');
        const idx = order.subarray(s * o.batch, Math.min(n, (s + 1) * o.batch));
        const B = idx.length;
        let qb: { values: Float64Array; jacobian?: Float64Array } | undefined;
        if (model.quantum) {
          const r = await (o.quantum as QuantumFunction).run(
            model.quantum,
            quantumRows(model, train, idx),
            B * R,
            Float64Array.from(theta.dataSync()),
            {
              jacobian: trainQuantum,
              signal: o.signal,
            },
          );
          jobs += r.jobs;
          shots += r.shots;
          qb = r;
        }
        let predicted: Int32Array | Uint8Array = new Uint8Array(0);
        const lossFn = (): tf.Scalar => {
          const q = qb ? quantumOutput(theta, qb.values, qb.jacobian, B * R, K) : undefined;
          const logits = head.apply(headInput(model, q, () => featureTensor(train, idx), B));
          predicted = logits.argMax(1).dataSync() as Int32Array;
          return tf.losses.softmaxCrossEntropy(onehot(idx), logits) as tf.Scalar;
        };
        const vars = trainQuantum ? [theta, ...head.variables] : head.variables;
        const factor = lrFactor(o.schedule ?? 'cosine', (epoch - 1) * steps + s, o.epochs * steps);
        setLearningRate(qOpt, o.lr * factor);
        setLearningRate(hOpt, (o.headLr ?? o.lr) * factor);
        const { value, grads } = tf.variableGrads(lossFn, vars);
        const lossValue = value.dataSync()[0];
        value.dispose();
        if (trainQuantum) qOpt.applyGradients([{ name: theta.name, tensor: grads[theta.name] }]);
        hOpt.applyGradients(head.variables.map((v) => ({ name: v.name, tensor: grads[v.name] })));
        tf.dispose(Object.values(grads));
        if (!Number.isFinite(lossValue))
          throw new QError('JOB_FAILED', `training diverged at epoch ${epoch}, step ${s + 1} (loss ${lossValue}); lower --lr`);
        lossSum += lossValue * B;
        for (let b = 0; b < B; b++) if (predicted[b] === train.y[idx[b]]) correct++;
        o.onStep?.({
          epoch,
          step: s + 1,
          steps,
          loss: lossSum / Math.min(n, (s + 1) * o.batch),
          accuracy: correct / Math.min(n, (s + 1) * o.batch),
          jobs,
        });
      }
      const w = weightsNow();
      const ev = await predict(model, w, data.test, o.quantum, { evalBatch: o.evalBatch, signal: o.signal });
      jobs += ev.jobs;
      shots += ev.shots;
      const m: EpochMetrics = {
        epoch,
        loss: lossSum / n,
        trainAccuracy: correct / n,
        testAccuracy: accuracy(ev.predictions, data.test.y),
        seconds: (performance.now() - t0) / 1000,
        jobs,
        shots,
      };
      epochs.push(m);
      secondsBefore += m.seconds;
      if (ckptPath) {
        const ck: Checkpoint = {
          format: CHECKPOINT_FORMAT,
          version: CHECKPOINT_VERSION,
          fingerprint: fp,
          epoch,
          quantum: w.quantum,
          head: w.head,
          optimizers: await snapshotOpt(),
          adamBetaPowers: optimizers.map((opt) => {
            const a = opt as unknown as AdamInternals;
            return [a.accBeta1.dataSync()[0] as number, a.accBeta2.dataSync()[0] as number];
          }),
          epochs,
          seconds: secondsBefore,
        };
        atomicWriteFileSync(ckptPath, JSON.stringify(ck));
      }
      o.onEpoch?.(m);
    }
    const weights = weightsNow();
    return {
      weights,
      epochs,
      testAccuracy: epochs.length ? epochs[epochs.length - 1].testAccuracy : NaN,
      seconds: secondsBefore,
      tfjsBackend: backend,
      quantumParameters: model.quantum?.trainable ? model.quantum.weights.length : 0,
      classicalParameters: head.parameterCount,
      resumedFrom: start,
    };
  } finally {
    head.dispose();
    theta.dispose();
    qOpt.dispose();
    hOpt.dispose();
  }
}
