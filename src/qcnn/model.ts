import type { Dataset } from '../data/index.js';
import type { Circuit } from '../ir/circuit.js';
import type { PauliSum } from '../ir/pauli.js';
import type { PreprocessSpec, PreprocessStep } from './preprocess.js';

/**
 * The model contract shared by every named model (qcnn8, hqnn, qcnn12, qkc) and the trainer.
 *
 * A model is: preprocessing (plain data, fitted on the training set) -> a QUANTUM LAYER (one
 * parametric circuit evaluated `evaluationsPerSample` times per sample, e.g. once, or once per image
 * patch for a quanvolution) -> a CLASSICAL HEAD (plain-data layer list, see training/head.ts) that
 * maps the quantum outputs, concatenated per sample, to class logits.
 *
 *   features f (after preprocessing) --quantumInputs--> rows r_1..r_R (values of layer.inputs)
 *   q = [<O_k>(r_i; θ) for i in 1..R, k in observables]  (length R*K, row-major: evaluation, observable)
 *   logits = head(q)   (or head([q, f]) when head.features = 'quantum+features')
 *
 * The circuit's symbols are either INPUTS (data, never differentiated) or WEIGHTS (trained). The
 * trainer asks a QuantumFunction for values and d<O>/dθ, then feeds dy·J to tfjs (training/bridge.ts).
 */
export interface QuantumLayer {
  /** The full circuit (encoder + variational part), as sent to hardware. */
  readonly circuit: Circuit;
  /** Data symbols, in the order of an input row. */
  readonly inputs: readonly string[];
  /** Trainable symbols, in the order of the weight vector. */
  readonly weights: readonly string[];
  /** Measured observables: the layer's outputs per evaluation. */
  readonly observables: readonly PauliSum[];
  /** Circuit evaluations per sample (1; or the patch count of a quanvolution). */
  readonly evaluationsPerSample: number;
  /** False for a fixed circuit (e.g. a random, untrained quanvolution filter): its weights stay at init. */
  readonly trainable: boolean;
  /**
   * Simulator shortcut for a state-preparation encoder (amplitude encoding): the first `gates`
   * operations of `circuit` only prepare `state(row)`. An exact simulator may start from that state
   * and skip them; hardware runs the gates.
   */
  readonly statePrep?: { readonly gates: number; state(inputs: ArrayLike<number>, offset: number): Float64Array };
}

/** One classical layer of a head (plain data; weights live separately). */
export type HeadLayer =
  | { readonly kind: 'dense'; readonly units: number; readonly activation: 'linear' | 'relu' | 'tanh' | 'sigmoid' }
  /** Per-feature affine map y = a*x + b (2 parameters per feature): a learnable scale for expectation values. */
  | { readonly kind: 'scale' };

export interface HeadSpec {
  /** What the head reads: the quantum outputs, or the quantum outputs followed by the features. */
  readonly input: 'quantum' | 'features' | 'quantum+features';
  readonly layers: readonly HeadLayer[];
}

/** A built model: everything needed to train it, save it and run it again. */
export interface HybridModel {
  /** Registry name (qcnn8, hqnn, ...; 'baseline:<name>' for the classical twin). */
  readonly name: string;
  /** Original labels of the classes, in output order (logit k is classes[k]). */
  readonly classes: readonly number[];
  /** Options the model was built with (saved; `create` rebuilds the same model from them). */
  readonly config: ModelConfig;
  /** Fitted preprocessing. */
  readonly preprocessing: readonly PreprocessStep[];
  /** Features per sample after preprocessing. */
  readonly features: number;
  /** Undefined for a purely classical model (the baseline). */
  readonly quantum?: QuantumLayer;
  /** Writes the input rows of one sample (evaluationsPerSample x inputs.length values) at out[outOffset...]. */
  quantumInputs(features: Float32Array, offset: number, out: Float64Array, outOffset: number): void;
  readonly head: HeadSpec;
  /** Initial quantum weights for a seed. */
  initialWeights(seed: number): Float64Array;
}

export interface ModelConfig {
  readonly classes: readonly number[];
  readonly [option: string]: unknown;
}

/** A named model in the registry (src/qcnn/models/). */
export interface ModelDefinition {
  readonly name: string;
  readonly description: string;
  /** Where the design comes from. */
  readonly source: string;
  readonly qubits: number;
  /** Number of classes it is built for (undefined: any). */
  readonly numClasses?: number;
  readonly defaultClasses: readonly number[];
  /** Training schedule that reaches the documented accuracy. */
  readonly defaults: { readonly epochs: number; readonly batch: number; readonly lr: number; readonly headLr?: number };
  /** Preprocessing to fit on the training images ([28, 28], pixels in [0, 1]). */
  preprocessing(config: ModelConfig): readonly PreprocessSpec[];
  /** Builds the model around fitted preprocessing (deterministic: same inputs, same circuit). */
  create(config: ModelConfig, preprocessing: readonly PreprocessStep[], features: number): HybridModel;
}

/** Preprocessed data ready for the trainer. */
export interface PreparedData {
  readonly train: Dataset;
  readonly test: Dataset;
}
