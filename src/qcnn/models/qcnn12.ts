import { join } from 'node:path';
import type { Dataset } from '../../data/index.js';
import { validationError } from '../../errors.js';
import { atomicWriteFileSync } from '../../io/atomicWrite.js';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, readResumeCheckpoint } from '../../training/checkpoint.js';
import { initTfjs } from '../../training/tfjs.js';
import { SimulatorQuantumFunction } from '../../training/quantum.js';
import {
  trainModel,
  type EpochMetrics,
  type StepInfo,
  type TrainedWeights,
  type TrainOptions,
  type TrainResult,
} from '../../training/trainer.js';
import type { HybridModel, ModelConfig, ModelDefinition } from '../model.js';
import type { PreprocessSpec, PreprocessStep } from '../preprocess.js';
import {
  qcnn12Circuit,
  qcnn12Encoder,
  qcnn12Observables,
  qcnn12Structure,
  type Qcnn12Options,
  type Qcnn12Structure,
} from './qcnn12Circuit.js';
import { accuracyOf, qcnn12InitialWeights, qcnn12Logits, trainQcnn12, type OptimizerState, type Qcnn12Weights } from './qcnn12Train.js';

/**
 * qcnn12: a 12-qubit QCNN for the ten MNIST digits with a linear softmax layer after the measurement.
 *
 *  - Qubits 0..7: amplitude encoding of the 16x16 image (area-averaged from 28x28, L2-normalised;
 *    Möttönen state preparation on hardware, the state itself on the simulator).
 *  - Convolution: `layers` (default 10) ring brick-walls of Hur-Kim-Park SO(4) blocks on the data
 *    qubits (6 RY angles and 2 CNOTs per block, 8 blocks per layer): 48 angles per layer.
 *  - Pooling into 4 auxiliary qubits (8..11) by quantum-perceptron layers (default 2): per layer an
 *    RY bias on each auxiliary, CRY(data j -> auxiliary a) for all 32 pairs, a CZ ring on the
 *    auxiliaries: 36 angles per layer. Data qubits are only ever controls here, as in the "quantum
 *    perceptron" of Bokhan et al. (Front. Phys. 10, 1069985 (2022), 8 data + 4 ancilla qubits).
 *  - Readout: Pauli expectations of the auxiliaries ('real': the 135 strings a real state can give,
 *    default; 'z': the 15 Z-strings) and Z-strings of the data qubits ('all' 255 by default, 'single'
 *    8, 'none'); then ONE dense layer (K -> 10, linear) and softmax cross-entropy.
 *
 * Defaults: 10 + 2 layers = 552 quantum parameters, 390 observables, 3,910 head parameters.
 * Honest note on the readout: with dataZ 'all' the data-register Z-strings span every function of
 * the computational-basis outcome, so the auxiliary expectations lie in their linear span; the
 * classifier is then linear in the outcome distribution of U·x, and the auxiliaries add no
 * expressivity to the linear head (they still shape training). With dataZ 'single' the auxiliaries
 * carry the classification (measured: lower accuracy at equal training time).
 *
 * Training uses the exact structured simulator of qcnn12Circuit.ts (trainQcnn12Model below), since
 * the generic per-sample adjoint would need one sweep per observable (390) per image.
 */
function options(config: ModelConfig): Qcnn12Options {
  const num = (k: string, d: number): number => {
    const v = config[k] ?? d;
    if (typeof v !== 'number' || !Number.isInteger(v))
      throw validationError(`qcnn12 option ${k} must be an integer, got ${JSON.stringify(v)}`);
    return v;
  };
  const readout = config.readout ?? 'real';
  const dataZ = config.dataZ ?? 'all';
  if (readout !== 'real' && readout !== 'z')
    throw validationError(`qcnn12 option readout must be 'real' or 'z', got ${JSON.stringify(readout)}`);
  if (dataZ !== 'all' && dataZ !== 'single' && dataZ !== 'none') {
    throw validationError(`qcnn12 option dataZ must be 'all', 'single' or 'none', got ${JSON.stringify(dataZ)}`);
  }
  return { layers: num('layers', 10), perceptrons: num('perceptrons', 2), readout, dataZ };
}

/** The structure a config describes (the same one `create` builds). */
export function qcnn12StructureOf(config: ModelConfig): Qcnn12Structure {
  return qcnn12Structure(options(config));
}

export const qcnn12: ModelDefinition = {
  name: 'qcnn12',
  description:
    '12-qubit QCNN: 16x16 amplitude-encoded on 8 data qubits, SO(4) convolutions, quantum-perceptron pooling into 4 auxiliaries, Pauli readout, linear softmax',
  source:
    'Hur, Kim, Park, Quantum Mach. Intell. 4, 3 (2022) (SO(4) convolution blocks, amplitude encoding); Bokhan et al., Front. Phys. 10, 1069985 (2022) (8 data + 4 ancilla quantum perceptron, softmax head)',
  qubits: 12,
  numClasses: 10,
  defaultClasses: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  defaults: { epochs: 6, batch: 256, lr: 0.025, headLr: 0.06 },
  preprocessing(): PreprocessSpec[] {
    return [{ op: 'resize', rows: 16, cols: 16, method: 'area' }, { op: 'flatten' }, { op: 'normalize' }];
  },
  create(config, preprocessing: readonly PreprocessStep[], features): HybridModel {
    if (features !== 256) throw validationError(`qcnn12 needs 256 features (a 16x16 image), preprocessing gives ${features}`);
    const s = qcnn12StructureOf(config);
    const { circuit, inputs, encoderGates } = qcnn12Circuit(s);
    const enc = qcnn12Encoder();
    const row = new Float64Array(inputs.length);
    const C = config.classes.length;
    return {
      name: 'qcnn12',
      classes: [...config.classes],
      config,
      preprocessing,
      features,
      quantum: {
        circuit,
        inputs,
        weights: s.weights,
        observables: qcnn12Observables(s),
        evaluationsPerSample: 1,
        trainable: true,
        // The encoder prepares the 8 data qubits; the register's state has the auxiliaries in |0>,
        // i.e. the 256 data amplitudes first and zeros after them (qubit 0 least significant).
        statePrep: {
          gates: encoderGates,
          state: (a, offset) => {
            const full = new Float64Array(2 << circuit.numQubits);
            full.set((enc.state as NonNullable<typeof enc.state>)(a, offset));
            return full;
          },
        },
      },
      quantumInputs(x, offset, out, outOffset) {
        enc.inputValues(x.subarray(offset, offset + features), row);
        out.set(row, outOffset);
      },
      head: { input: 'quantum', layers: [{ kind: 'dense', units: C, activation: 'linear' }] },
      initialWeights(seed) {
        return qcnn12InitialWeights(s, C, seed).quantum;
      },
    };
  },
};

/** What trainQcnn12Model takes: the fields of src/training/trainer.ts's TrainOptions it honours. */
export interface Qcnn12ModelTrainOptions {
  readonly epochs: number;
  readonly batch: number;
  readonly lr: number;
  readonly headLr?: number;
  readonly schedule?: 'cosine' | 'constant';
  readonly seed: number;
  /** Directory for `checkpoint.json` (written atomically after every epoch). */
  readonly checkpointDir?: string;
  readonly resume?: boolean;
  readonly initial?: TrainedWeights;
  /** Stop after this many epochs of this call (tests use it to simulate an interruption). */
  readonly stopAfter?: number;
  readonly onStep?: (s: StepInfo) => void;
  readonly onEpoch?: (m: EpochMetrics) => void;
  readonly signal?: AbortSignal;
}

interface Qcnn12Checkpoint {
  format: string;
  version: number;
  fingerprint: string;
  epoch: number;
  quantum: number[];
  head: number[][];
  optimizers: OptimizerState;
  epochs: EpochMetrics[];
  seconds: number;
}

/**
 * Trains a qcnn12 HybridModel (as `create` built it) on preprocessed data with the structured exact
 * simulator, and returns the same TrainResult as the generic trainer (src/training/trainer.ts), so a
 * run saves, evaluates and resumes like any other model: weights are { quantum (circuit order), head
 * [kernel K x C row-major, bias] }, and a checkpoint is written after every epoch.
 */
export async function trainQcnn12Model(
  model: HybridModel,
  data: { train: Dataset; test: Dataset },
  o: Qcnn12ModelTrainOptions,
): Promise<TrainResult> {
  if (model.name !== 'qcnn12' || !model.quantum) throw validationError(`trainQcnn12Model trains qcnn12 models, not ${model.name}`);
  const backend = await initTfjs();
  const s = qcnn12StructureOf(model.config);
  const C = model.classes.length;
  const K = s.observables.length;
  const ckptPath = o.checkpointDir ? join(o.checkpointDir, 'checkpoint.json') : undefined;
  const fingerprint = JSON.stringify({
    model: model.name,
    config: model.config,
    train: data.train.count,
    batch: o.batch,
    lr: o.lr,
    headLr: o.headLr ?? o.lr,
    seed: o.seed,
    schedule: o.schedule ?? 'cosine',
    epochs: o.epochs,
  });
  const fromTrained = (w: TrainedWeights): Qcnn12Weights => {
    if (w.head.length !== 2 || w.head[0].length !== K * C || w.head[1].length !== C || w.quantum.length !== s.weights.length) {
      throw validationError(`weights do not fit qcnn12 (${s.weights.length} quantum weights, ${K}x${C} head)`);
    }
    return { quantum: Float64Array.from(w.quantum), kernel: Float64Array.from(w.head[0]), bias: Float64Array.from(w.head[1]) };
  };
  const toTrained = (w: Qcnn12Weights): TrainedWeights => ({
    quantum: Array.from(w.quantum),
    head: [Array.from(w.kernel), Array.from(w.bias)],
  });
  let start = 0;
  let epochs: EpochMetrics[] = [];
  let secondsBefore = 0;
  let init = o.initial ? fromTrained(o.initial) : undefined;
  let optimizerState: OptimizerState | undefined;
  if (o.resume) {
    const ck = readResumeCheckpoint<Qcnn12Checkpoint>(ckptPath, fingerprint);
    start = ck.epoch;
    epochs = ck.epochs;
    secondsBefore = ck.seconds;
    init = fromTrained({ quantum: ck.quantum, head: ck.head });
    optimizerState = ck.optimizers;
  }
  let last: Qcnn12Weights | undefined = init;
  const stopAt = o.stopAfter === undefined ? o.epochs : Math.min(o.epochs, start + o.stopAfter);
  if (start < stopAt) {
    last = await trainQcnn12(s, data.train, {
      epochs: o.epochs,
      batch: o.batch,
      lr: o.lr,
      headLr: o.headLr,
      schedule: o.schedule,
      seed: o.seed,
      classes: C,
      startEpoch: start,
      optimizerState,
      init,
      signal: o.signal,
      onStep: (st) => o.onStep?.({ ...st, jobs: 0 }),
      onEpoch: async (e) => {
        const t0 = performance.now();
        const testAccuracy = accuracyOf(qcnn12Logits(s, e.weights, data.test), data.test.y, C);
        const m: EpochMetrics = {
          epoch: e.epoch,
          loss: e.loss,
          trainAccuracy: e.trainAccuracy,
          testAccuracy,
          seconds: e.seconds + (performance.now() - t0) / 1000,
          jobs: 0,
          shots: 0,
        };
        epochs.push(m);
        secondsBefore += m.seconds;
        if (ckptPath) {
          const w = toTrained(e.weights);
          const ck: Qcnn12Checkpoint = {
            format: CHECKPOINT_FORMAT,
            version: CHECKPOINT_VERSION,
            fingerprint,
            epoch: e.epoch,
            quantum: w.quantum,
            head: w.head,
            optimizers: await e.optimizerState(),
            epochs,
            seconds: secondsBefore,
          };
          atomicWriteFileSync(ckptPath, JSON.stringify(ck));
        }
        o.onEpoch?.(m);
        return e.epoch < stopAt;
      },
    });
  }
  const weights = last ? toTrained(last) : toTrained(qcnn12InitialWeights(s, C, o.seed));
  return {
    weights,
    epochs,
    testAccuracy: epochs.length ? epochs[epochs.length - 1].testAccuracy : NaN,
    seconds: secondsBefore,
    tfjsBackend: backend,
    quantumParameters: s.weights.length,
    classicalParameters: K * C + C,
    resumedFrom: start,
  };
}

/**
 * `trainModel` with qcnn12's fast path: a qcnn12 model trained on the exact local simulator goes
 * through trainQcnn12Model (same result, checkpoints and resume contract, two orders of magnitude
 * faster than per-image adjoint sweeps over 390 observables); every other model, and qcnn12 on a
 * shot-based or noisy backend, goes through the generic trainer unchanged.
 */
export async function trainModelWithFastPaths(
  model: HybridModel,
  data: { train: Dataset; test: Dataset },
  o: TrainOptions,
): Promise<TrainResult> {
  if (model.name === 'qcnn12' && o.quantum instanceof SimulatorQuantumFunction) return trainQcnn12Model(model, data, o);
  return trainModel(model, data, o);
}
