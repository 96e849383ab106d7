export { createRng, type Rng } from './rng.js';
export { checkStateMemory, MAX_SIM_QUBITS, formatBytes } from './memory.js';
export { Program, allocState, type FuseMode } from './program.js';
export { wasmAvailable } from './wasm/index.js';
export {
  prepare,
  statevector,
  expectationValues,
  runCounts,
  prepareSampler,
  splitTerminal,
  type PrepareOptions,
  type CountsOptions,
  type CountsResult,
  type TerminalSplit,
} from './statevector.js';
export { expectation, pauliExpectation, probabilities, applyPauliSum } from './expectation.js';
export {
  AdjointDifferentiator,
  adjointGradient,
  type GradientResult,
  type AdjointOptions,
  type AdjointGradientOptions,
} from './adjoint.js';
export { circuitUnitary, MAX_UNITARY_QUBITS } from './unitary.js';
