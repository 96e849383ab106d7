export { compile, estimatedSuccess, type CompileOptions, type CompileResult, type CompileStats } from './pipeline.js';
export { makeContext, type Pass, type PassContext, type OptimizationLevel } from './context.js';
export { unroll, unrollInstruction } from './decompose.js';
export { eulerOf, zyzOf, type Euler } from './euler.js';
export { synthesizeTwoQubit, entanglersNeeded, quickEntanglerCount, weylCoordinates, type TwoQubitSynthesis } from './kak.js';
export { noiseAwareLayout, trivialLayout, chainLayout, interactionWeights, checkFits } from './layout.js';
export { route, type RouteOptions, type RouteResult } from './route.js';
export {
  mergeSingleQubitRuns,
  cancelInversePairs,
  optimizeWorkingForm,
  elideSwaps,
  collapseRun,
  deferTerminalMeasurements,
} from './optimize.js';
export {
  targetBasis,
  translateTwoQubit,
  synthesizeSingleQubit,
  mergeRz,
  mergeNativePulses,
  type OneQubitBasis,
  type Entangler,
  type TargetBasis,
} from './translate.js';
export { validateForTarget } from './validate.js';
export { consolidateBlocks } from './consolidate.js';
