import type { Circuit } from '../ir/circuit.js';
import type { Bindings } from '../ir/params.js';
import type { PauliSum } from '../ir/pauli.js';

/**
 * The Backend contract: a device described as data (its target and capabilities) plus two verbs,
 * `submit` and `attach`. Everything else (compilation, batching, mitigation, gradients) is built on
 * top, so a provider adapter adds only the wire protocol.
 */

/** What a backend can do; callers (primitives, the trainer) read it instead of guessing by name. */
export interface Capabilities {
  /** Largest shot count of one circuit in one job. */
  readonly maxShots: number;
  /** Largest number of circuit executions (circuits x bindings) in one job. */
  readonly maxExecutions: number;
  /** Whether `input` parameters travel unbound (one program, many bindings in one job). */
  readonly parametric: boolean;
  /** Whether exact expectation values are available (simulators). */
  readonly exact: boolean;
  /** 'none' (ideal), 'model' (a NoiseModel), or 'device' (real hardware). */
  readonly noise: 'none' | 'model' | 'device';
  /** Whether a run costs money (the budget guard applies). */
  readonly paid: boolean;
  /**
   * Whether sending the same submission twice with the same `clientToken` creates one job (Braket).
   * The journal re-sends an unconfirmed submission only when this holds or `find` says it was never
   * received.
   */
  readonly idempotentSubmit?: boolean;
}

/** One circuit and the bindings it runs with (default: one empty binding). */
export interface CircuitRun {
  readonly circuit: Circuit;
  readonly bindings?: readonly Bindings[];
}

export interface RunRequest {
  readonly runs: readonly CircuitRun[];
  /** Shots per circuit per binding; 0 asks for exact results where `capabilities.exact`. */
  readonly shots: number;
  readonly seed?: number;
  /** With shots 0 on an exact backend: observables to evaluate per binding. */
  readonly observables?: readonly PauliSum[];
  /** Free-form labels kept with the job (journal, provider tags). */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Results of one binding of one circuit. Counts use qbridge's bit order: classical bit 0 rightmost. */
export interface BindingResult {
  readonly counts?: Readonly<Record<string, number>>;
  readonly shots: number;
  /** Exact expectation values of `request.observables`, in order (exact mode). */
  readonly expectations?: readonly number[];
}

export interface RunResult {
  readonly jobId: string;
  readonly backend: string;
  /** results[circuit][binding]. */
  readonly results: readonly (readonly BindingResult[])[];
  readonly metadata: Readonly<Record<string, unknown>>;
}

export type JobStatus = 'created' | 'submitted' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface WaitOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

/** A job at a provider, re-attachable by its id after a crash. */
export interface JobHandle {
  readonly id: string;
  readonly backend: string;
  /** The last known status (refreshed by `refresh` and `wait`). */
  readonly status: JobStatus;
  refresh(): Promise<JobStatus>;
  wait(options?: WaitOptions): Promise<RunResult>;
  cancel(): Promise<void>;
}

export interface Backend {
  readonly id: string;
  readonly provider: string;
  readonly capabilities: Capabilities;
  /** Number of qubits the backend offers. */
  readonly numQubits: number;
  submit(request: RunRequest, options?: SubmitOptions): Promise<JobHandle>;
  /**
   * Re-attaches to a job by its provider id (after a restart). `context.request` is the original
   * request when the caller still has it (the journal does); adapters that can decode results from
   * the provider's own record ignore it.
   */
  attach(jobId: string, context?: { readonly request?: RunRequest }): Promise<JobHandle>;
  /**
   * Looks a job up by the idempotency token it was submitted with (a provider tag, `clientToken` or
   * metadata field). The journal calls it when a process died between sending a submission and
   * recording the provider's answer: found means attach, not found means it is safe to send again.
   * Backends that cannot search leave it out; then the journal re-sends only where the token itself
   * makes the submission idempotent (`capabilities`-independent: see JournaledBackend).
   */
  find?(clientToken: string, options?: { readonly signal?: AbortSignal }): Promise<JobHandle | undefined>;
}

export interface SubmitOptions {
  readonly signal?: AbortSignal;
  /**
   * Idempotency token for this submission. Providers with idempotent submission (Braket's
   * `clientToken`) send it as such; the others attach it as a job tag so `find` can locate the job.
   */
  readonly clientToken?: string;
}
