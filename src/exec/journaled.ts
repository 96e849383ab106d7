import { QError, isQError } from '../errors.js';
import type { Backend, JobHandle, JobStatus, RunRequest, RunResult, SubmitOptions, WaitOptions } from './backend.js';
import { JobJournal, requestKey, restoreRequest, type JournalEntry } from './journal.js';
import { executionCount } from './validate.js';
import { sleep } from './waitFor.js';

/** What the budget guard asks the user to confirm. */
export interface BudgetRequest {
  readonly backend: string;
  readonly shots: number;
  readonly executions: number;
  /** shots × executions: the figure providers bill by. */
  readonly totalShots: number;
  readonly budgetShots: number;
}

export interface JournaledOptions {
  readonly journal?: JobJournal;
  /**
   * Largest shots × executions a paid backend may run in one submission without confirmation
   * (default: `QBRIDGE_BUDGET_SHOTS`, else 100,000).
   */
  readonly budgetShots?: number;
  /** Asked when a paid submission exceeds the budget; refusing (or no callback) is a BUDGET error. */
  readonly confirm?: (request: BudgetRequest) => boolean | Promise<boolean>;
  /**
   * How long after an unconfirmed submission was sent a lookup must keep failing before it counts as
   * never received and is sent again (default `QBRIDGE_SUBMIT_GRACE_MS`, else 20 s: a slow provider
   * may create the job after our client gave up waiting).
   */
  readonly submitGraceMs?: number;
}

/** The budget from `QBRIDGE_BUDGET_SHOTS` (a positive integer), or 100,000 shots. */
export function budgetFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['QBRIDGE_BUDGET_SHOTS'];
  if (raw === undefined || raw === '') return 100_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    throw new QError('VALIDATION', `QBRIDGE_BUDGET_SHOTS must be a positive integer, got "${raw}"`);
  }
  return n;
}

/**
 * A Backend that journals every submission (see JobJournal) and guards paid budgets. Submitting a
 * request whose content address is already in the journal does not send it again: a finished job's
 * results come back from disk, a running one is re-attached by its provider id, and an unconfirmed
 * one (the process died mid-submission) is looked up with `find` or re-sent with the same idempotency
 * token. Failed and cancelled jobs are retried as a new attempt.
 */
export class JournaledBackend implements Backend {
  readonly journal: JobJournal;
  private readonly budgetShots: number;
  private readonly graceMs: number;
  private readonly findPollMs: number;

  constructor(
    readonly inner: Backend,
    private readonly options: JournaledOptions = {},
  ) {
    this.journal = options.journal ?? new JobJournal();
    this.budgetShots = options.budgetShots ?? budgetFromEnv();
    const envGrace = Number(process.env['QBRIDGE_SUBMIT_GRACE_MS']);
    this.graceMs = options.submitGraceMs ?? (Number.isFinite(envGrace) && envGrace >= 0 ? envGrace : 20_000);
    this.findPollMs = Math.max(50, Math.min(1000, this.graceMs / 10));
  }

  get id(): string {
    return this.inner.id;
  }
  get provider(): string {
    return this.inner.provider;
  }
  get capabilities(): Backend['capabilities'] {
    return this.inner.capabilities;
  }
  get numQubits(): number {
    return this.inner.numQubits;
  }

  async submit(request: RunRequest, options: SubmitOptions = {}): Promise<JobHandle> {
    const key = requestKey(this.inner.id, request);
    const existing = this.journal.get(key);
    if (existing) {
      const resumed = await this.resume(existing, request, options);
      if (resumed) return resumed;
    }
    await this.checkBudget(request);
    const entry = this.journal.begin(this.inner.id, this.inner.provider, request, key);
    return this.send(entry, request, options);
  }

  /** Re-attaches to (or re-sends) the job of a journal entry; undefined means "start a new attempt". */
  async resume(entry: JournalEntry, given?: RunRequest, options: SubmitOptions = {}): Promise<JobHandle | undefined> {
    const request = given ?? (entry.request ? restoreRequest(entry.request) : undefined);
    if (entry.state === 'done' && entry.result) return finishedHandle(entry.result, this.inner.id);
    if (entry.state === 'failed' || entry.state === 'cancelled') return undefined;
    if (entry.providerJobId !== undefined) {
      try {
        const h = await this.inner.attach(entry.providerJobId, request ? { request } : undefined);
        return this.track(entry.key, h);
      } catch (e) {
        // A free backend that forgot the job (the local simulator after a restart): run it again.
        if (!this.inner.capabilities.paid && request) return this.send(entry, request, options);
        throw e;
      }
    }
    // `pending`: sent or not, we cannot tell from here.
    if (this.inner.find) {
      // A submission that timed out on our side may still be landing at the provider: "not found"
      // only means "never sent" once the grace period since it was sent has passed, so keep looking
      // until then (a job found meanwhile is attached, never duplicated).
      const sentAt = Date.parse(entry.updatedAt);
      for (;;) {
        const found = await this.inner.find(entry.clientToken, { signal: options.signal });
        if (found) {
          this.journal.update(entry.key, { state: 'submitted', providerJobId: found.id });
          return this.track(entry.key, found);
        }
        const left = sentAt + this.graceMs - Date.now();
        if (left <= 0) break;
        await sleep(Math.min(left, this.findPollMs), options.signal);
      }
      if (!request) return undefined;
      return this.send(entry, request, options);
    }
    if ((this.inner.capabilities.idempotentSubmit ?? false) || !this.inner.capabilities.paid) {
      if (!request) return undefined;
      return this.send(entry, request, options);
    }
    throw new QError(
      'PROVIDER',
      `${this.inner.id}: job ${entry.key.slice(0, 12)} may have been submitted before a crash and this provider cannot be searched; ` +
        'check the provider console, then `qbridge jobs cancel` the entry to submit again',
      { details: { key: entry.key } },
    );
  }

  private async send(entry: JournalEntry, request: RunRequest, options: SubmitOptions): Promise<JobHandle> {
    let handle: JobHandle;
    try {
      handle = await this.inner.submit(request, { signal: options.signal, clientToken: entry.clientToken });
    } catch (e) {
      // A definite refusal (bad input, auth, budget) is recorded; an ambiguous failure stays pending
      // so the next attempt looks the job up before sending again.
      if (isQError(e) && !e.retriable && e.details['ambiguous'] !== true) {
        this.journal.update(entry.key, { state: 'failed', error: { code: e.code, message: e.message } });
      }
      throw e;
    }
    this.journal.update(entry.key, { state: 'submitted', providerJobId: handle.id });
    return this.track(entry.key, handle);
  }

  private async checkBudget(request: RunRequest): Promise<void> {
    if (!this.inner.capabilities.paid) return;
    const executions = executionCount(request);
    const totalShots = request.shots * executions;
    if (totalShots <= this.budgetShots) return;
    const ask: BudgetRequest = { backend: this.inner.id, shots: request.shots, executions, totalShots, budgetShots: this.budgetShots };
    if (this.options.confirm && (await this.options.confirm(ask))) return;
    throw new QError(
      'BUDGET',
      `${this.inner.id}: ${request.shots} shots x ${executions} executions = ${totalShots} shots exceeds the budget of ${this.budgetShots} ` +
        '(raise QBRIDGE_BUDGET_SHOTS or confirm with --yes)',
      { details: { ...ask } },
    );
  }

  attach(jobId: string, context?: { readonly request?: RunRequest }): Promise<JobHandle> {
    return this.inner.attach(jobId, context);
  }

  /** Cancels the job of a journal entry at the provider (if it was sent) and marks the entry cancelled. */
  async cancelEntry(entry: JournalEntry): Promise<void> {
    if (entry.providerJobId !== undefined && (entry.state === 'submitted' || entry.state === 'pending')) {
      const h = await this.inner.attach(entry.providerJobId, entry.request ? { request: restoreRequest(entry.request) } : undefined);
      await h.cancel();
    }
    this.journal.update(entry.key, { state: 'cancelled' });
  }

  /** Wraps a handle so completion, failure and cancellation land in the journal. */
  private track(key: string, h: JobHandle): JobHandle {
    const journal = this.journal;
    return {
      get id() {
        return h.id;
      },
      get backend() {
        return h.backend;
      },
      get status() {
        return h.status;
      },
      refresh: () => h.refresh(),
      cancel: async () => {
        await h.cancel();
        journal.update(key, { state: 'cancelled' });
      },
      wait: async (o?: WaitOptions) => {
        try {
          const result = await h.wait(o);
          journal.update(key, { state: 'done', result });
          return result;
        } catch (e) {
          if (isQError(e) && e.code === 'JOB_FAILED') journal.update(key, { state: 'failed', error: { code: e.code, message: e.message } });
          if (isQError(e) && e.code === 'CANCELLED' && h.status === 'cancelled') journal.update(key, { state: 'cancelled' });
          throw e;
        }
      },
    };
  }
}

/** A handle on results already on disk. */
function finishedHandle(result: RunResult, backend: string): JobHandle {
  const status: JobStatus = 'done';
  return {
    id: result.jobId,
    backend,
    status,
    refresh: () => Promise.resolve(status),
    wait: () => Promise.resolve(result),
    cancel: () => Promise.resolve(),
  };
}
