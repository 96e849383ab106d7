export {
  Sampler,
  type SamplerPub,
  type SamplerOptions,
  type SamplerRunOptions,
  type SamplerPubResult,
  type SamplerResult,
} from './sampler.js';
export {
  Estimator,
  type EstimatorPub,
  type EstimatorOptions,
  type EstimatorRunOptions,
  type EstimatorPubResult,
  type EstimatorResult,
} from './estimator.js';
export { groupQubitWise, padPauli, type MeasurementSetting } from './grouping.js';
