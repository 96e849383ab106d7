export { pipe, type EstimatorLike, type EstimatorMiddleware, type MitigatedEstimatorResult, type MitigationReport } from './pipe.js';
export {
  calibrationCircuits,
  calibrationFromCounts,
  checkCalibration,
  mitigatedObservable,
  inverseWeights,
  applyTensoredInverse,
  denseDistribution,
  nearestProbability,
  m3Correct,
  M3Subspace,
  type ReadoutCalibration,
} from './readout.js';
export { withReadoutMitigation, type ReadoutMitigationOptions } from './withReadoutMitigation.js';
export { foldCircuit, inverseOps, type FoldMethod, type FoldOptions, type FoldedCircuit } from './folding.js';
export { linear, richardson, polynomial, exponential, polynomialWeights, type Extrapolator, type Extrapolation } from './extrapolate.js';
export { withZne, type ZneOptions, type ZnePubResult } from './withZne.js';
export { twirlCircuit, twirlTable, withTwirling, DEFAULT_TWIRLED_GATES, type TwirlingOptions } from './twirling.js';
export { withCompilation, compilePub, mapObservable, nativeSet, type CompilationOptions, type CompiledPub } from './compilation.js';
