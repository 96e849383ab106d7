import { randomUUID } from 'node:crypto';
import {
  MAX_SIM_QUBITS,
  QError,
  advance,
  expectation,
  isTerminal,
  pollUntil,
  prepare,
  prepareSampler,
  validateRequest,
  validationError,
  type Backend,
  type BindingResult,
  type Capabilities,
  type JobHandle,
  type JobStatus,
  type RunRequest,
  type RunResult,
  type WaitOptions,
} from '../../src/index.js';

/**
 * The local simulator as a Backend: the same submit/attach contract as a provider, so code written
 * against it runs unchanged on hardware. Jobs run asynchronously (a macrotask per job), move through
 * submitted -> running -> done, can be cancelled between bindings, and stay attachable by id for the
 * life of the process.
 */
export interface LocalBackendOptions {
  readonly id?: string;
  readonly numQubits?: number;
}

interface LocalJob {
  status: JobStatus;
  result?: RunResult;
  error?: QError;
  cancelRequested: boolean;
  readonly done: Promise<void>;
}

export class LocalBackend implements Backend {
  readonly id: string;
  readonly provider = 'local';
  readonly numQubits: number;
  readonly capabilities: Capabilities = {
    maxShots: 100_000_000,
    maxExecutions: 1_000_000,
    parametric: true,
    exact: true,
    noise: 'none',
    paid: false,
  };
  private readonly jobs = new Map<string, LocalJob>();

  constructor(options: LocalBackendOptions = {}) {
    this.id = options.id ?? 'local';
    this.numQubits = options.numQubits ?? MAX_SIM_QUBITS;
  }

  async submit(request: RunRequest, options: { signal?: AbortSignal } = {}): Promise<JobHandle> {
    validateRequest(request, this.capabilities, this.numQubits, this.id);
    if (options.signal?.aborted) throw new QError('CANCELLED', `${this.id}: submission aborted`);
    const id = randomUUID();
    let resolveDone = (): void => undefined;
    const job: LocalJob = { status: 'created', cancelRequested: false, done: new Promise<void>((r) => (resolveDone = r)) };
    this.jobs.set(id, job);
    job.status = advance(job.status, 'submitted', id);
    setImmediate(() => {
      try {
        if (job.cancelRequested) {
          job.status = advance(job.status, 'cancelled', id);
        } else {
          job.status = advance(job.status, 'running', id);
          const result = this.execute(id, request, job);
          if (result) {
            job.result = result;
            job.status = advance(job.status, 'done', id);
          } else job.status = advance(job.status, 'cancelled', id);
        }
      } catch (e) {
        job.error =
          e instanceof QError ? e : new QError('JOB_FAILED', `${this.id}: job ${id} failed: ${(e as Error).message}`, { cause: e });
        job.status = 'failed';
      }
      resolveDone();
    });
    return this.handle(id);
  }

  async attach(jobId: string): Promise<JobHandle> {
    if (!this.jobs.has(jobId)) throw validationError(`${this.id}: no job '${jobId}' (local jobs live as long as the process)`);
    return this.handle(jobId);
  }

  private handle(id: string): JobHandle {
    const job = this.jobs.get(id) as LocalJob;
    const backend = this.id;
    return {
      id,
      backend,
      get status() {
        return job.status;
      },
      refresh: async () => job.status,
      wait: async (options: WaitOptions = {}) =>
        pollUntil(
          async () => {
            await Promise.race([job.done, new Promise((r) => setTimeout(r, 0))]);
            if (!isTerminal(job.status)) return undefined;
            if (job.status === 'done') return job.result as RunResult;
            if (job.status === 'cancelled') throw new QError('CANCELLED', `${backend}: job ${id} was cancelled`);
            throw job.error ?? new QError('JOB_FAILED', `${backend}: job ${id} failed`);
          },
          `${backend} job ${id}`,
          { pollMs: 5, ...options },
        ),
      cancel: async () => {
        if (isTerminal(job.status)) return;
        job.cancelRequested = true;
      },
    };
  }

  /** Runs every binding of every circuit; returns undefined when cancelled part-way. */
  private execute(id: string, r: RunRequest, job: LocalJob): RunResult | undefined {
    const seed = r.seed ?? Math.floor(Math.random() * 2 ** 31);
    const t0 = performance.now();
    let execution = 0;
    const results: BindingResult[][] = [];
    for (const run of r.runs) {
      const bindings = run.bindings ?? [{}];
      const out: BindingResult[] = [];
      if (r.shots === 0) {
        const prog = prepare(run.circuit);
        const obs = r.observables ?? [];
        for (const b of bindings) {
          if (job.cancelRequested) return undefined;
          const s = prog.run(prog.values(b), prog.workState());
          out.push({ shots: 0, expectations: obs.map((o) => expectation(s, run.circuit.numQubits, o)) });
          execution++;
        }
      } else {
        const sample = prepareSampler(run.circuit);
        for (const b of bindings) {
          if (job.cancelRequested) return undefined;
          // A distinct, reproducible stream per execution.
          out.push({ shots: r.shots, counts: sample(b, r.shots, (seed + 7919 * execution) >>> 0) });
          execution++;
        }
      }
      results.push(out);
    }
    return { jobId: id, backend: this.id, results, metadata: { seed, executions: execution, seconds: (performance.now() - t0) / 1000 } };
  }
}
