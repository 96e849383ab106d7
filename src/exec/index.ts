export type {
  Backend,
  BindingResult,
  Capabilities,
  CircuitRun,
  JobHandle,
  JobStatus,
  RunRequest,
  RunResult,
  WaitOptions,
} from './backend.js';
export { TERMINAL_STATES, advance, isTerminal } from './jobState.js';
export { pollUntil, sleep } from './waitFor.js';
export { validateRequest, executionCount } from './validate.js';
