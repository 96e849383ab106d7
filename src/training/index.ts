/**
 * Hybrid training on TensorFlow.js. The contract:
 * - a model (src/qcnn/model.ts: HybridModel) = preprocessing + a QuantumLayer + a HeadSpec;
 * - a QuantumFunction (quantum.ts) turns (layer, input rows, weights) into values and weight
 *   Jacobians: SimulatorQuantumFunction (exact, adjoint) locally, EstimatorQuantumFunction
 *   (parameter-shift or SPSA, one job per call) on shot backends;
 * - trainModel (trainer.ts) runs minibatch Adam: await the quantum batch, then one synchronous tfjs
 *   step where quantumOutput (bridge.ts) supplies dy·J through tf.customGrad;
 * - saveModel / loadModel (modelFile.ts) store everything needed to evaluate again.
 */
export { initTfjs, tf } from './tfjs.js';
export { quantumOutput } from './bridge.js';
export { Head, headParameterCount, headShapes, initHeadWeights, checkHeadWeights, type HeadWeights } from './head.js';
export {
  SimulatorQuantumFunction,
  EstimatorQuantumFunction,
  type QuantumFunction,
  type QuantumBatch,
  type EstimatorQuantumOptions,
} from './quantum.js';
export {
  trainModel,
  predict,
  accuracy,
  headInputWidth,
  type TrainOptions,
  type TrainResult,
  type TrainedWeights,
  type EpochMetrics,
  type StepInfo,
} from './trainer.js';
export { saveModel, loadModel, modelDocument, MODEL_FORMAT, MODEL_VERSION, type ModelDocument } from './modelFile.js';
export { loadClasses, buildModel } from './pipeline.js';
export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, readResumeCheckpoint, type CheckpointEnvelope } from './checkpoint.js';
