/**
 * qbridge's public entry: the only surface `qasm/`, `backends/` and users import.
 */
export * from './errors.js';
export * from './secrets.js';
export * from './ir/index.js';
export * from './sim/index.js';
export { parameterShift, type ShiftPlan, type ShiftOptions } from './gradients/parameterShift.js';
export * from './noise/index.js';
export * from './exec/index.js';
export * from './target/index.js';
export * from './compiler/index.js';
export * from './primitives/index.js';
export * from './mitigation/index.js';
export { atomicWriteFileSync } from './io/atomicWrite.js';
export * from './data/index.js';
export * from './report/index.js';
export * from './qcnn/index.js';
export * from './training/index.js';
export {
  quanvLayer,
  quanvCircuit,
  quanvObservables,
  quanvolve,
  quanvPatch,
  quanvOutputSize,
  type QuanvLayer,
  type QuanvOptions,
} from './qcnn/quanv.js';
export { type QuanvolveOnOptions, type QuanvolveOnResult, quanvolveOn } from './qcnn/quanvolveOn.js';
export {
  type TrainableQuanv,
  trainableQuanv,
  trainableForms,
  trainableQuanvolve,
  trainableQuanvGradient,
  trainableQuanvOp,
} from './qcnn/quanvTrainable.js';
