export type {
  Backend,
  BindingResult,
  Capabilities,
  CircuitRun,
  JobHandle,
  JobStatus,
  RunRequest,
  RunResult,
  SubmitOptions,
  WaitOptions,
} from './backend.js';
export { TERMINAL_STATES, advance, isTerminal } from './jobState.js';
export { pollUntil, sleep } from './waitFor.js';
export { validateRequest, executionCount } from './validate.js';
export {
  JobJournal,
  requestKey,
  defaultJournalDir,
  JOURNAL_FORMAT,
  JOURNAL_VERSION,
  type JournalEntry,
  type JournalState,
} from './journal.js';
export { JournaledBackend, budgetFromEnv, type JournaledOptions, type BudgetRequest } from './journaled.js';
