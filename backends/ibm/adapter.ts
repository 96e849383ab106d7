import {
  QError,
  advance,
  executionCount,
  isQError,
  isTerminal,
  pollUntil,
  targetFromIbm,
  validateRequest,
  validationError,
  type Backend,
  type Capabilities,
  type JobHandle,
  type JobStatus,
  type OptimizationLevel,
  type RunRequest,
  type RunResult,
  type SubmitOptions,
  type Target,
  type WaitOptions,
} from '../../src/index.js';
import type { DeviceInfo } from '../common/deviceInfo.js';
import { IbmClient, type IbmClientOptions, type IbmJobInfo, type IbmJobPayload } from './client.js';
import { decodeResults, groupPubs, layoutsFromPubs, statusFromIbm, toPubs, type PubLayout } from './translate.js';

/**
 * IBM Quantum (Qiskit Runtime REST, Sampler V2) as a qbridge Backend.
 *
 * A request becomes one `sampler` job: each circuit is compiled to the backend's ISA and sent as a
 * PUB with a row of parameter values per binding, so a 200-binding training step is one job (and
 * one of the 5 submissions a minute IBM allows). The job is tagged with the journal's clientToken,
 * so after a crash between sending and hearing back, `find` lists jobs by that tag instead of
 * submitting twice. Jobs may run inside a batch or a session (`mode`).
 */
export type IbmExecutionMode = 'job' | 'batch' | 'session';

/**
 * IBM's job validation limit: circuits (after broadcasting bindings) x shots per job
 * (docs/guides/job-limits, "Maximum executions").
 */
export const IBM_MAX_EXECUTIONS = 5_000_000;
/** Prefix of the tag carrying the journal's idempotency token. */
export const TOKEN_TAG = 'qbridge-token:';
/** Prefix of the tag recording how PUBs group into circuits when it is not one PUB per circuit. */
export const LAYOUT_TAG = 'qbridge-pubs:';

export interface IbmBackendOptions extends IbmClientOptions {
  /** IBM backend name (ibm_fez, ibm_kingston...). */
  readonly backend: string;
  /** The device, from its configuration and properties (`ibmBackendFor` builds it). */
  readonly target: Target;
  /** Share one client (token cache) between backends. */
  readonly client?: IbmClient;
  /** The configuration's `max_shots` (default 100,000). */
  readonly maxShots?: number;
  /** A cloud simulator: free, so the budget guard does not apply. */
  readonly simulator?: boolean;
  /** Compiler optimisation level for the ISA circuits (default 1). */
  readonly compileLevel?: OptimizationLevel;
  /** 'job' (default), 'batch' or 'session': the latter open a batch/session on the first submission. */
  readonly mode?: IbmExecutionMode;
  /** Join an existing batch or session instead of opening one. */
  readonly sessionId?: string;
  /** Session/batch time to live in seconds (`max_ttl`). */
  readonly sessionMaxTtlS?: number;
  /** Further Sampler options (`dynamical_decoupling`, `twirling`, `execution`). */
  readonly samplerOptions?: Readonly<Record<string, unknown>>;
  /** Default poll interval of `wait` (default 2 s; IBM asks clients not to hammer job status). */
  readonly pollMs?: number;
}

export class IbmBackend implements Backend {
  readonly id: string;
  readonly provider = 'ibm';
  readonly name: string;
  readonly numQubits: number;
  readonly target: Target;
  readonly capabilities: Capabilities;
  readonly client: IbmClient;
  private session: Promise<string> | undefined;

  constructor(private readonly options: IbmBackendOptions) {
    this.name = options.backend;
    this.id = `ibm:${options.backend}`;
    this.target = options.target;
    this.numQubits = options.target.numQubits;
    this.client = options.client ?? new IbmClient(options);
    this.capabilities = {
      maxShots: options.maxShots ?? 100_000,
      // Bounded by shots x executions below (IBM_MAX_EXECUTIONS); with one shot this is the ceiling.
      maxExecutions: IBM_MAX_EXECUTIONS,
      parametric: true,
      exact: false,
      noise: options.simulator ? 'model' : 'device',
      paid: !options.simulator,
      idempotentSubmit: false,
    };
    if (options.sessionId) this.session = Promise.resolve(options.sessionId);
  }

  /** The batch or session jobs go to (undefined in job mode until one is joined). */
  async sessionId(signal?: AbortSignal): Promise<string | undefined> {
    const mode = this.options.mode ?? 'job';
    if (!this.session && mode !== 'job') {
      this.session = this.client.createSession(this.name, mode === 'batch' ? 'batch' : 'dedicated', this.options.sessionMaxTtlS, signal);
      this.session.catch(() => (this.session = undefined));
    }
    return this.session;
  }

  /** Closes the batch/session gracefully (queued jobs still run; no new ones are accepted). */
  async closeSession(): Promise<void> {
    const s = this.session;
    if (!s) return;
    this.session = undefined;
    await this.client.closeSession(await s);
  }

  async submit(request: RunRequest, options: SubmitOptions = {}): Promise<JobHandle> {
    validateRequest(request, this.capabilities, this.numQubits, this.id);
    const executions = executionCount(request) * request.shots;
    if (executions > IBM_MAX_EXECUTIONS) {
      throw validationError(
        `${this.id}: ${executionCount(request)} circuit executions x ${request.shots} shots = ${executions} exceed IBM's limit of ${IBM_MAX_EXECUTIONS} per job; split the request or lower the shots`,
        { executions, max: IBM_MAX_EXECUTIONS },
      );
    }
    if (options.signal?.aborted) throw new QError('CANCELLED', `${this.id}: submission aborted`);
    const t = toPubs(request, { target: this.target, level: this.options.compileLevel ?? 1 });
    const sessionId = await this.sessionId(options.signal);
    const tags = ['qbridge'];
    if (options.clientToken) tags.push(TOKEN_TAG + options.clientToken);
    if (t.circuitPubs.some((p) => p.length !== 1)) {
      const tag = LAYOUT_TAG + t.circuitPubs.map((p) => p.length).join(',');
      if (tag.length <= 256) tags.push(tag);
    }
    for (const [k, v] of Object.entries(request.tags ?? {})) tags.push(`${k}:${v}`);
    const payload: IbmJobPayload = {
      program_id: 'sampler',
      backend: this.name,
      params: {
        pubs: t.pubs,
        version: 2,
        options: { default_shots: request.shots, ...this.options.samplerOptions },
      },
      tags,
      ...(sessionId ? { session_id: sessionId } : {}),
    };
    const created = await this.client.createJob(payload, options.signal);
    return new IbmJob(this, created.id, 'submitted', { layouts: t.layouts, circuitPubs: t.circuitPubs }, sessionId);
  }

  /**
   * Re-attaches by job id. The decoding plan comes from the job's own PUBs (`GET /jobs/{id}` with
   * its params): registers from each OpenQASM text, bindings from each value array, and the
   * grouping of PUBs into circuits from the original request when given, else from the job's tag.
   */
  async attach(jobId: string, context?: { readonly request?: RunRequest }): Promise<JobHandle> {
    const info = await this.client.job(jobId, { params: true });
    const request = context?.request;
    // Without the job's PUBs, the original request rebuilds the same plan (compilation is seeded).
    const plan =
      !Array.isArray(info.params?.pubs) && request
        ? toPubs(request, { target: this.target, level: this.options.compileLevel ?? 1 })
        : planFromJob(info, request);
    const status = statusFromIbm(info.state?.status ?? info.status) ?? 'submitted';
    const job = new IbmJob(this, jobId, 'submitted', plan, info.session_id ?? undefined);
    job.observe(info, status);
    return job;
  }

  /** The job carrying `clientToken` as a tag (the newest one), or undefined when none was received. */
  async find(clientToken: string, options: { readonly signal?: AbortSignal } = {}): Promise<JobHandle | undefined> {
    const list = await this.client.listJobs({ tags: TOKEN_TAG + clientToken, backend: this.name, limit: 5 }, options.signal);
    const hit = list.jobs.find((j) => (j.tags ?? [TOKEN_TAG + clientToken]).includes(TOKEN_TAG + clientToken));
    return hit ? this.attach(hit.id) : undefined;
  }

  /** @internal */
  defaultPollMs(): number {
    return this.options.pollMs ?? 2000;
  }
}

interface DecodePlan {
  readonly layouts: readonly PubLayout[];
  readonly circuitPubs: readonly number[][];
}

function planFromJob(info: IbmJobInfo, request: RunRequest | undefined): DecodePlan {
  const pubs = info.params?.pubs;
  if (!Array.isArray(pubs)) {
    throw new QError('PROVIDER', `IBM Quantum: job ${info.id} came back without its PUBs; cannot decode its results`, {
      details: { jobId: info.id },
    });
  }
  const layouts = layoutsFromPubs(pubs);
  if (request) return { layouts, circuitPubs: groupPubs(layouts, request) };
  const tag = (info.tags ?? []).find((t) => t.startsWith(LAYOUT_TAG));
  if (tag) {
    const sizes = tag.slice(LAYOUT_TAG.length).split(',').map(Number);
    if (sizes.every((n) => Number.isInteger(n) && n > 0) && sizes.reduce((a, b) => a + b, 0) === layouts.length) {
      let next = 0;
      return { layouts, circuitPubs: sizes.map((n) => Array.from({ length: n }, () => next++)) };
    }
  }
  return { layouts, circuitPubs: groupPubs(layouts) };
}

const RANK: Readonly<Record<JobStatus, number>> = { created: 0, submitted: 1, queued: 2, running: 3, done: 4, failed: 4, cancelled: 4 };

class IbmJob implements JobHandle {
  readonly backend: string;
  private current: JobStatus;
  private reason: string | undefined;
  private reasonCode: number | undefined;

  constructor(
    private readonly owner: IbmBackend,
    readonly id: string,
    status: JobStatus,
    private readonly plan: DecodePlan,
    private readonly sessionId: string | undefined,
  ) {
    this.backend = owner.id;
    this.current = status;
  }

  get status(): JobStatus {
    return this.current;
  }

  /** Takes a status report; stale reports (running after done, queued after running) are ignored. */
  observe(info: IbmJobInfo, next: JobStatus | undefined): void {
    if (info.state?.reason) this.reason = info.state.reason;
    const code = info.state?.reason_code ?? info.state?.reasonCode;
    if (typeof code === 'number') this.reasonCode = code;
    if (next === undefined || next === this.current) return;
    if (!isTerminal(next) && RANK[next] < RANK[this.current]) return;
    this.current = advance(this.current, next, this.id);
  }

  async refresh(signal?: AbortSignal): Promise<JobStatus> {
    if (isTerminal(this.current)) return this.current;
    const info = await this.owner.client.job(this.id, { ...(signal ? { signal } : {}) });
    this.observe(info, statusFromIbm(info.state?.status ?? info.status));
    return this.current;
  }

  async wait(options: WaitOptions = {}): Promise<RunResult> {
    return pollUntil(
      async () => {
        const s = await this.refresh(options.signal);
        if (s === 'done') return this.result(options.signal);
        if (s === 'failed') {
          const why = this.reason
            ? `${this.reasonCode !== undefined ? `error code ${this.reasonCode}; ` : ''}${this.reason}`
            : 'no reason given';
          throw new QError('JOB_FAILED', `${this.backend}: job ${this.id} failed: ${why}`, {
            details: { jobId: this.id, ...(this.reasonCode !== undefined ? { reasonCode: this.reasonCode } : {}) },
          });
        }
        if (s === 'cancelled') {
          // 1305: IBM stopped the job because it ran past its maximum execution time.
          const why = this.reasonCode === 1305 ? ': it ran longer than its maximum execution time' : this.reason ? `: ${this.reason}` : '';
          throw new QError('CANCELLED', `${this.backend}: job ${this.id} was cancelled${why}`, {
            details: { jobId: this.id, ...(this.reasonCode !== undefined ? { reasonCode: this.reasonCode } : {}) },
          });
        }
        return undefined;
      },
      `${this.backend} job ${this.id}`,
      { pollMs: this.owner.defaultPollMs(), ...options },
    );
  }

  private async result(signal?: AbortSignal): Promise<RunResult> {
    const res = await this.owner.client.results(this.id, signal);
    return {
      jobId: this.id,
      backend: this.backend,
      results: decodeResults(res, this.plan.layouts, this.plan.circuitPubs, this.id),
      metadata: {
        provider: 'ibm',
        device: this.owner.name,
        ...(this.sessionId ? { sessionId: this.sessionId } : {}),
        ...(res.metadata ? { ibm: res.metadata } : {}),
      },
    };
  }

  async cancel(): Promise<void> {
    if (isTerminal(this.current)) return;
    try {
      await this.owner.client.cancelJob(this.id);
    } catch (e) {
      // 409: the job reached a final state first; the next refresh says which.
      if (!(isQError(e) && e.details['status'] === 409)) throw e;
    }
    await this.refresh();
  }
}

/** Options of `ibmBackendFor` and `listIbmDevices` (the registry passes `trace`). */
export interface IbmFactoryOptions extends Omit<IbmBackendOptions, 'backend' | 'target'> {
  readonly signal?: AbortSignal;
}

/**
 * The backend `--backend ibm:NAME` resolves to: its Target from `GET /backends/NAME/configuration`
 * and `/properties`, credentials from the environment (QBRIDGE_IBM_API_KEY, QBRIDGE_IBM_CRN).
 */
export async function ibmBackendFor(name: string, options: IbmFactoryOptions = {}): Promise<IbmBackend> {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw validationError(`IBM Quantum: '${name}' is not a backend name (e.g. ibm_fez)`);
  const client = options.client ?? new IbmClient(options);
  const [configuration, properties] = await Promise.all([
    client.configuration(name, options.signal),
    client.properties(name, options.signal),
  ]);
  const target = targetFromIbm(configuration, properties, { name });
  const simulator = configuration.simulator === true;
  return new IbmBackend({
    ...options,
    client,
    backend: name,
    target,
    simulator,
    ...(typeof configuration.max_shots === 'number' ? { maxShots: configuration.max_shots } : {}),
  });
}

/** Devices of the instance (`GET /backends`): status and queue length as IBM reports them. */
export async function listIbmDevices(options: Omit<IbmFactoryOptions, 'backend'> = {}): Promise<DeviceInfo[]> {
  const client = options.client ?? new IbmClient(options);
  const devices = await client.listBackends(options.signal);
  return Promise.all(
    devices.map(async (d) => {
      let numQubits = d.qubits ?? d.n_qubits;
      // Older answers omit the qubit count; the configuration has it.
      if (typeof numQubits !== 'number') numQubits = (await client.configuration(d.name, options.signal)).n_qubits;
      const status = typeof d.status === 'string' ? d.status : (d.status?.name ?? 'unknown');
      return {
        provider: 'ibm',
        name: d.name,
        numQubits,
        status,
        ...(typeof d.queue_length === 'number' ? { queue: d.queue_length } : {}),
        simulator: d.is_simulator ?? d.simulator ?? /simulator/.test(d.name),
      };
    }),
  );
}
