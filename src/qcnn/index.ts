export { CONV_BLOCKS, POOL_BLOCKS, convBlock, poolBlock, type TwoQubitBlock } from './blocks.js';
export { angleEncoder, denseAngleEncoder, amplitudeEncoder, reupload, type Encoder } from './encoders.js';
export { qcnnStack, type QcnnStack, type QcnnStackOptions } from './stack.js';
export { pauliReadout, probabilityReadout } from './readout.js';
export { applyPreprocessing, applyStep, fitPreprocessing, type PreprocessSpec, type PreprocessStep } from './preprocess.js';
export type { QuantumLayer, HeadLayer, HeadSpec, HybridModel, ModelConfig, ModelDefinition, PreparedData } from './model.js';
export * from './models/index.js';
