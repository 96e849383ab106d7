import { randomUUID } from 'node:crypto';
import type { Backend, RunRequest, RunResult } from '../../src/index.js';
import type { FaultKind, FaultPlan } from './faults.js';

/**
 * Jobs inside a provider emulator. A job is created by a submission, moves queued -> running -> done
 * as it is polled (`pollsPerStep` status reads per step, so clients see every state the real service
 * shows), and its results are computed by a local backend (ideal or noisy from a device snapshot)
 * the first time it reaches `done`. Job-outcome faults from the plan (`fail`, `cancel`,
 * `missing-register`) attach to the next job created.
 */
export type EmulatedStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface EmulatedJob<M> {
  readonly id: string;
  readonly createdAt: Date;
  readonly device: string;
  readonly request: RunRequest;
  /** Provider-specific data kept with the job (the original payload, tags, token...). */
  readonly meta: M;
  status: EmulatedStatus;
  polls: number;
  result?: RunResult;
  error?: string;
  fault?: FaultKind;
  endedAt?: Date;
}

export interface EmulatedJobsOptions {
  /** The simulator that runs jobs for a device name. */
  readonly backendFor: (device: string) => Backend;
  readonly faults: FaultPlan;
  /** Status reads spent in each of queued and running (default 1). */
  readonly pollsPerStep?: number;
}

export class EmulatedJobs<M> {
  private readonly jobs = new Map<string, EmulatedJob<M>>();

  constructor(private readonly options: EmulatedJobsOptions) {}

  create(device: string, request: RunRequest, meta: M, id: string = randomUUID()): EmulatedJob<M> {
    const fault = this.options.faults.takeJob()?.kind;
    const job: EmulatedJob<M> = {
      id,
      createdAt: new Date(),
      device,
      request,
      meta,
      status: 'queued',
      polls: 0,
      ...(fault ? { fault } : {}),
    };
    this.jobs.set(id, job);
    return job;
  }

  get(id: string): EmulatedJob<M> | undefined {
    return this.jobs.get(id);
  }

  all(): EmulatedJob<M>[] {
    return [...this.jobs.values()];
  }

  /** Reads a job's status as a poll does: advances it one step every `pollsPerStep` reads. */
  async poll(id: string): Promise<EmulatedJob<M> | undefined> {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    if (job.status === 'done' || job.status === 'failed' || job.status === 'cancelled') return job;
    job.polls++;
    const per = this.options.pollsPerStep ?? 1;
    if (job.status === 'queued' && job.polls >= per) job.status = 'running';
    else if (job.status === 'running' && job.polls >= 2 * per) await this.finish(job);
    return job;
  }

  /** Runs a job to its end now (result reads before the last poll, tests). */
  async finish(job: EmulatedJob<M>): Promise<void> {
    if (job.status === 'done' || job.status === 'failed' || job.status === 'cancelled') return;
    if (job.fault === 'fail') {
      job.status = 'failed';
      job.error = 'injected failure: the device reported an error while running the job';
    } else if (job.fault === 'cancel') {
      job.status = 'cancelled';
    } else {
      try {
        const backend = this.options.backendFor(job.device);
        job.result = await (await backend.submit(job.request)).wait();
        job.status = 'done';
      } catch (e) {
        job.status = 'failed';
        job.error = (e as Error).message;
      }
    }
    job.endedAt = new Date();
  }

  cancel(id: string): EmulatedJob<M> | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    if (job.status === 'queued' || job.status === 'running') {
      job.status = 'cancelled';
      job.endedAt = new Date();
    }
    return job;
  }
}
