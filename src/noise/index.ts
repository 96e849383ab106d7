export * from './channels.js';
export * from './noiseModel.js';
export * from './noiseFromTarget.js';
export { planNoisy, applyReadoutToProbabilities, countsFromProbabilities, type NoisyPlan, type NoisyStep } from './noisyPlan.js';
export { superoperator, applySuperoperator, type Superoperator } from './superoperator.js';
export * from './densityMatrix.js';
export * from './trajectories.js';
export * from './braketNoise.js';
