import {
  QError,
  bindCircuit,
  compile,
  isQError,
  isTerminal,
  pollUntil,
  validateRequest,
  validationError,
  type Backend,
  type BindingResult,
  type Capabilities,
  type Circuit,
  type JobHandle,
  type JobStatus,
  type OptimizationLevel,
  type RunRequest,
  type RunResult,
  type SubmitOptions,
  type Target,
  type WaitOptions,
} from '../../src/index.js';
import { emitQasm } from '../../qasm/index.js';
import { IonqClient, type IonqArtifact, type IonqClientOptions, type IonqJob, type IonqJobPayload, type IonqJobStatus } from './client.js';
import {
  countsFromHistogram,
  countsFromProbabilities,
  countsFromShots,
  decodeLayout,
  encodeLayout,
  remap,
  type JobLayout,
} from './results.js';
import { splitMeasurements, toNative, toQis, type IonqGate, type MeasureMap } from './translate.js';

/**
 * IonQ (v0.4 REST API) as a qbridge Backend.
 *
 * IonQ takes no parametric inputs, so every binding is a bound circuit. They ride together in
 * `ionq.multi-circuit.v1` jobs of at most 5,000 circuits and 150,000 gates (the spec's limits for
 * one job; `maxCircuitsPerJob`/`maxGatesPerJob`), so a training step of one circuit with 200
 * bindings is ONE IonQ job. A request over those limits is packed into as few jobs as they allow;
 * its qbridge job id is then the IonQ ids joined by commas (attach and cancel take it whole).
 * `ionq.qasm3.v1` input carries one program per job (multi-circuit accepts only JSON circuits).
 *
 * Results: IonQ returns probabilities (v1: decimal keys, qubit 0 = bit 0). With `results:
 * 'probabilities'` (default: one request per job) they become counts by largest-remainder rounding
 * to the shot count; with `results: 'shots'` the per-shot or histogram artifacts of each (child) job
 * are read where the backend produced them (noisy simulator, QPU), falling back to probabilities.
 * Result metadata says which (`countsFrom`).
 */
export type IonqInput = 'qis' | 'native' | 'qasm3';

export interface IonqBackendOptions extends IonqClientOptions {
  /** IonQ backend name: `simulator`, `qpu.forte-1`, ... */
  readonly backend: string;
  /** The device (from its characterization; `ionqTarget`). */
  readonly target: Target;
  /** Circuit form sent: QIS JSON gates (default; IonQ compiles), native gpi/gpi2/ms JSON (compiled here), or OpenQASM 3. */
  readonly input?: IonqInput;
  /** Simulator noise model (`ideal`, `aria-1`, `forte-1`, ...); only for backend `simulator`. */
  readonly noise?: { readonly model: string; readonly seed?: number };
  /** IonQ's debiasing error mitigation (needs at least 500 shots). */
  readonly debiasing?: boolean;
  /** Where counts come from (see the class comment). */
  readonly results?: 'probabilities' | 'shots';
  /** `sharpen` for GET /results/probabilities (debiased jobs). */
  readonly sharpen?: boolean;
  /** Compiler level for the native gateset (default 2). */
  readonly compileLevel?: OptimizationLevel;
  /**
   * `capabilities.maxExecutions` (default 5,000: one multi-circuit job's worth, so callers batch by
   * IonQ jobs); a request may be packed into several jobs only when the gate or body limit demands.
   */
  readonly maxExecutions?: number;
  /** Per-job limits (default: the spec's 5,000 circuits and 150,000 gates). */
  readonly maxCircuitsPerJob?: number;
  readonly maxGatesPerJob?: number;
  readonly client?: IonqClient;
}

/** Spec limits of one multi-circuit job (MultiCircuitJobCreationPayload). */
export const IONQ_MAX_CIRCUITS_PER_JOB = 5000;
export const IONQ_MAX_GATES_PER_JOB = 150_000;
export const IONQ_MAX_SHOTS = 1_000_000;
export const IONQ_MIN_DEBIAS_SHOTS = 500;
/** The request body limit is 10 MB (413); packs stay under this. */
const MAX_BODY_BYTES = 9_500_000;
export const TOKEN_KEY = 'qbridge_token';

const STATUS: Readonly<Record<IonqJobStatus, JobStatus>> = {
  submitted: 'submitted',
  ready: 'queued',
  started: 'running',
  completed: 'done',
  failed: 'failed',
  canceled: 'cancelled',
};

export function mapIonqStatus(s: string): JobStatus {
  const m = STATUS[s as IonqJobStatus];
  if (!m) throw new QError('PROVIDER', `IonQ: unknown job status '${s}'`);
  return m;
}

/** One execution (a circuit with one binding) in IonQ's form. */
interface Execution {
  readonly gates?: IonqGate[];
  readonly qasm?: string;
  readonly qubits: number;
  readonly measure: MeasureMap;
}

export class IonqBackend implements Backend {
  readonly id: string;
  readonly provider = 'ionq';
  readonly numQubits: number;
  readonly capabilities: Capabilities;
  readonly target: Target;
  readonly client: IonqClient;
  readonly input: IonqInput;
  private readonly options: IonqBackendOptions;

  constructor(options: IonqBackendOptions) {
    this.options = options;
    this.target = options.target;
    this.numQubits = options.target.numQubits;
    this.input = options.input ?? 'qis';
    this.client = options.client ?? new IonqClient(options);
    const simulator = options.backend === 'simulator';
    if (options.noise && !simulator) {
      throw validationError(`IonQ: a noise model applies only to backend 'simulator', not '${options.backend}'`);
    }
    const noisy = options.noise !== undefined && options.noise.model !== 'ideal';
    this.id = `ionq:${options.backend}${noisy ? `:noise=${options.noise?.model}` : ''}`;
    this.capabilities = {
      maxShots: IONQ_MAX_SHOTS,
      maxExecutions: options.maxExecutions ?? IONQ_MAX_CIRCUITS_PER_JOB,
      parametric: false,
      exact: false,
      noise: simulator ? (noisy ? 'model' : 'none') : 'device',
      paid: !simulator,
      idempotentSubmit: false,
    };
  }

  async submit(request: RunRequest, options: SubmitOptions = {}): Promise<JobHandle> {
    validateRequest(request, this.capabilities, this.numQubits, this.id);
    if (this.options.debiasing && request.shots < IONQ_MIN_DEBIAS_SHOTS) {
      throw validationError(`${this.id}: debiasing needs at least ${IONQ_MIN_DEBIAS_SHOTS} shots, got ${request.shots}`);
    }
    const executions = this.translate(request);
    const parts = this.pack(executions);
    const total = executions.length;
    const ids: string[] = [];
    for (const part of parts) {
      const payload = this.payload(request, executions, part, total, options.clientToken);
      try {
        const created = await this.client.createJob(payload, options.signal);
        ids.push(created.id);
      } catch (e) {
        // Parts already created would run without the rest: cancel them, then report.
        for (const id of ids) await this.client.cancelJob(id).catch(() => undefined);
        if (isQError(e) && ids.length > 0) {
          throw new QError(
            e.code,
            `${e.message} (part ${ids.length + 1} of ${parts.length}; the ${ids.length} created part(s) were cancelled)`,
            {
              retriable: e.retriable,
              details: { ...e.details, cancelledParts: ids },
              cause: e,
            },
          );
        }
        throw e;
      }
    }
    return new IonqJobHandle(this, ids, request, 'submitted');
  }

  async attach(jobId: string, context: { readonly request?: RunRequest } = {}): Promise<JobHandle> {
    const ids = jobId.split(',').filter((x) => x !== '');
    if (ids.length === 0) throw validationError(`${this.id}: '${jobId}' is not an IonQ job id`);
    const handle = new IonqJobHandle(this, ids, context.request, 'submitted');
    await handle.refresh();
    return handle;
  }

  /**
   * Finds the job(s) submitted with `clientToken` (kept in the job's metadata). The v0.4 API cannot
   * filter jobs by metadata, so this reads the backend's job list page by page (newest first) and
   * answers "not found" only after reading all of it; when the list is longer than `maxPages` it
   * throws instead of guessing (a wrong "not found" would re-send a paid job).
   */
  async find(
    clientToken: string,
    options: { readonly signal?: AbortSignal; readonly maxPages?: number } = {},
  ): Promise<JobHandle | undefined> {
    const parts: { first: number; id: string; total: number }[] = [];
    let next: string | undefined;
    const maxPages = options.maxPages ?? 50;
    for (let page = 0; ; page++) {
      if (page >= maxPages) {
        throw new QError(
          'PROVIDER',
          `${this.id}: could not search all jobs for the submission (more than ${maxPages} pages); check the IonQ console`,
          {
            details: { clientToken },
          },
        );
      }
      const res = await this.client.listJobs({ target: this.options.backend, limit: 100, ...(next ? { next } : {}) }, options.signal);
      for (const j of res.jobs) {
        if (j.parent_job_id || j.metadata?.[TOKEN_KEY] !== clientToken) continue;
        const layout = decodeLayout(j.metadata);
        parts.push({ id: j.id, first: layout?.first ?? 0, total: layout ? layout.first + layout.count : 0 });
      }
      if (!res.next) break;
      next = res.next;
    }
    if (parts.length === 0) return undefined;
    parts.sort((a, b) => a.first - b.first);
    return this.attach(parts.map((p) => p.id).join(','));
  }

  // ------------------------------------------------------------------------------------------

  /** Every binding of every circuit in IonQ's form (circuit-major). */
  private translate(request: RunRequest): Execution[] {
    const out: Execution[] = [];
    request.runs.forEach((run, ci) => {
      const bindings = run.bindings ?? [{}];
      const what = (k: number): string => `circuit ${ci}${bindings.length > 1 ? `, binding ${k}` : ''}`;
      if (this.input === 'native') {
        // Compile once with symbols, bind per execution. Identity layout: IonQ is all-to-all, so the
        // compiled circuit stays on the user's qubit indices and no routing is needed.
        const n = run.circuit.numQubits;
        const compiled = compile(run.circuit, this.target, {
          level: this.options.compileLevel ?? 2,
          initialLayout: Array.from({ length: n }, (_, i) => i),
        }).circuit;
        const used = Math.max(n, ...compiled.ops.flatMap((o) => o.qubits.map((q) => q + 1)));
        bindings.forEach((b, k) => {
          const j = toNative(bindCircuit(compiled, b), what(k));
          out.push({ gates: j.gates, qubits: Math.max(1, used), measure: j.measure });
        });
      } else if (this.input === 'qasm3') {
        bindings.forEach((b, k) => {
          const bound: Circuit = bindCircuit(run.circuit, b);
          const { measure } = splitMeasurements(bound, what(k));
          out.push({ qasm: emitQasm(bound, { dialect: 'ionq' }), qubits: Math.max(1, bound.numQubits), measure });
        });
      } else {
        bindings.forEach((b, k) => {
          const j = toQis(bindCircuit(run.circuit, b), what(k));
          out.push({ gates: j.gates, qubits: j.qubits, measure: j.measure });
        });
      }
    });
    return out;
  }

  /** Execution index ranges [first, first + count), one per IonQ job, as few as the limits allow. */
  private pack(executions: readonly Execution[]): { first: number; count: number }[] {
    if (this.input === 'qasm3') return executions.map((_, i) => ({ first: i, count: 1 }));
    const maxC = this.options.maxCircuitsPerJob ?? IONQ_MAX_CIRCUITS_PER_JOB;
    const maxG = this.options.maxGatesPerJob ?? IONQ_MAX_GATES_PER_JOB;
    const parts: { first: number; count: number }[] = [];
    let first = 0;
    let gates = 0;
    let bytes = 0;
    executions.forEach((e, i) => {
      const g = e.gates?.length ?? 0;
      const b = JSON.stringify(e.gates ?? []).length + 64;
      if (g > maxG) {
        throw validationError(`${this.id}: execution ${i} has ${g} gates, over IonQ's ${maxG} per job`, { execution: i, gates: g });
      }
      const count = i - first;
      if (count > 0 && (count + 1 > maxC || gates + g > maxG || bytes + b > MAX_BODY_BYTES)) {
        parts.push({ first, count });
        first = i;
        gates = 0;
        bytes = 0;
      }
      gates += g;
      bytes += b;
    });
    parts.push({ first, count: executions.length - first });
    return parts;
  }

  private payload(
    request: RunRequest,
    executions: readonly Execution[],
    part: { first: number; count: number },
    total: number,
    token: string | undefined,
  ): IonqJobPayload {
    const slice = executions.slice(part.first, part.first + part.count);
    const layout = this.layout(request, executions, part, total);
    const metadata: Record<string, string> = {
      ...Object.fromEntries(Object.entries(request.tags ?? {}).map(([k, v]) => [k, String(v)])),
      ...(token ? { [TOKEN_KEY]: token } : {}),
      ...encodeLayout(layout),
    };
    const gateset = this.input === 'native' ? 'native' : 'qis';
    const base = {
      backend: this.options.backend,
      shots: request.shots,
      name: `qbridge${token ? ` ${token.slice(0, 12)}` : ''}${total > part.count ? ` part ${part.first}+${part.count}/${total}` : ''}`,
      metadata,
      ...this.noisePayload(request),
      ...(this.options.debiasing !== undefined ? { settings: { error_mitigation: { debiasing: this.options.debiasing } } } : {}),
    };
    if (this.input === 'qasm3') {
      return { ...base, type: 'ionq.qasm3.v1', input: { data: slice[0].qasm as string } };
    }
    if (slice.length === 1) {
      return { ...base, type: 'ionq.circuit.v1', input: { qubits: slice[0].qubits, gateset, circuit: slice[0].gates as IonqGate[] } };
    }
    return {
      ...base,
      type: 'ionq.multi-circuit.v1',
      input: {
        gateset,
        qubits: Math.max(...slice.map((e) => e.qubits)),
        circuits: slice.map((e, i) => ({ name: `e${part.first + i}`, qubits: e.qubits, circuit: e.gates as IonqGate[] })),
      },
    };
  }

  private noisePayload(request: RunRequest): { noise?: { model: string; seed?: number } } {
    const n = this.options.noise;
    if (!n) return {};
    const seed = n.seed ?? (request.seed !== undefined ? request.seed % 2 ** 31 : undefined);
    return { noise: { model: n.model, ...(seed !== undefined ? { seed } : {}) } };
  }

  /** The decode information of one part (also rebuilt from the request on attach). */
  layout(
    request: RunRequest,
    executions: readonly { measure: MeasureMap }[],
    part: { first: number; count: number },
    total: number,
  ): JobLayout {
    return {
      v: 1,
      shots: request.shots,
      total,
      circuits: executions.slice(part.first, part.first + part.count).map((e) => e.measure),
      bindings: request.runs.map((r) => Math.max(1, r.bindings?.length ?? 1)),
      first: part.first,
      count: part.count,
    };
  }

  /** Counts of every execution of one IonQ job, in execution order. */
  async decode(job: IonqJob, layout: JobLayout, signal?: AbortSignal): Promise<{ counts: Record<string, number>[]; from: string[] }> {
    const mode = this.options.results ?? 'probabilities';
    const shots = layout.shots;
    const maps = layout.circuits;
    const fromProbs = (probs: Record<string, number>, m: MeasureMap): Record<string, number> =>
      countsFromProbabilities(remap(probs, m), shots);
    const single = job.type !== 'ionq.multi-circuit.v1';
    if (single) {
      if (maps.length !== 1)
        throw new QError('PROVIDER', `${this.id}: job ${job.id} is a single-circuit job but ${maps.length} executions were expected`);
      return this.decodeOne(job, maps[0], shots, mode, signal).then((r) => ({ counts: [r.counts], from: [r.from] }));
    }
    const children = job.child_job_ids ?? [];
    if (children.length !== maps.length) {
      throw new QError('PROVIDER', `${this.id}: job ${job.id} has ${children.length} child jobs, ${maps.length} were submitted`, {
        details: { jobId: job.id },
      });
    }
    const aggregate = findArtifact(job.results, 'ionq.result.probabilities-aggregate.json.v1');
    if (mode === 'probabilities' && aggregate) {
      const agg = await this.client.artifact<Record<string, Record<string, number>>>(job.id, aggregate, signal);
      return {
        counts: children.map((cid, i) => {
          const p = agg[cid];
          if (!p)
            throw new QError('PROVIDER', `${this.id}: the aggregate result of job ${job.id} lacks child ${cid}`, {
              details: { jobId: job.id },
            });
          return fromProbs(p, maps[i]);
        }),
        from: children.map(() => 'probabilities'),
      };
    }
    // Per child: its own artifacts (a few requests at a time).
    const out: { counts: Record<string, number>; from: string }[] = new Array(children.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < children.length) {
        const i = next++;
        const child = await this.client.getJob(children[i], signal);
        out[i] = await this.decodeOne(child, maps[i], shots, mode, signal);
      }
    };
    await Promise.all(Array.from({ length: Math.min(6, children.length) }, worker));
    return { counts: out.map((r) => r.counts), from: out.map((r) => r.from) };
  }

  /** `shots` is the request's: the ideal simulator omits `shots` from its jobs. */
  private async decodeOne(
    job: IonqJob,
    m: MeasureMap,
    shots: number,
    mode: 'probabilities' | 'shots',
    signal?: AbortSignal,
  ): Promise<{ counts: Record<string, number>; from: string }> {
    if (mode === 'shots') {
      const shotsArt = findArtifact(job.results, 'ionq.result.shots.json.v1');
      if (shotsArt) return { counts: countsFromShots(await this.client.artifact<string[]>(job.id, shotsArt, signal), m), from: 'shots' };
      const hist = findArtifact(job.results, 'ionq.result.histogram.json.v1');
      if (hist)
        return {
          counts: countsFromHistogram(await this.client.artifact<Record<string, number>>(job.id, hist, signal), m),
          from: 'histogram',
        };
    }
    const probs = await this.client.probabilities(
      job.id,
      this.options.sharpen !== undefined ? { sharpen: this.options.sharpen } : {},
      signal,
    );
    return { counts: countsFromProbabilities(remap(probs, m), shots), from: 'probabilities' };
  }
}

/** A descriptor by format id, in either shape (`{id, format}` or the legacy `{url}` keyed by kind). */
function findArtifact(results: IonqJob['results'], format: string): IonqArtifact | undefined {
  if (!results) return undefined;
  const direct = results[format];
  if (direct && (direct.id !== undefined || direct.url !== undefined)) return direct;
  const byFormat = Object.values(results).find((a) => a && a.format === format);
  if (byFormat) return byFormat;
  // qiskit-ionq's reading of older responses: results.{probabilities,histogram,shots}.url
  const kind = /ionq\.result\.([a-z-]+)\.json\.v1/.exec(format)?.[1];
  const legacy = kind ? results[kind] : undefined;
  return legacy?.url ? legacy : undefined;
}

class IonqJobHandle implements JobHandle {
  readonly id: string;
  readonly backend: string;
  private state: JobStatus;
  private readonly jobs = new Map<string, IonqJob>();
  private result: RunResult | undefined;

  constructor(
    private readonly owner: IonqBackend,
    private readonly ids: readonly string[],
    private readonly request: RunRequest | undefined,
    initial: JobStatus,
  ) {
    this.id = ids.join(',');
    this.backend = owner.id;
    this.state = initial;
  }

  get status(): JobStatus {
    return this.state;
  }

  async refresh(signal?: AbortSignal): Promise<JobStatus> {
    for (const id of this.ids) {
      const known = this.jobs.get(id);
      if (known && isTerminal(mapIonqStatus(known.status))) continue;
      this.jobs.set(id, await this.owner.client.getJob(id, signal));
    }
    const states = this.ids.map((id) => mapIonqStatus((this.jobs.get(id) as IonqJob).status));
    // The whole is as far as its slowest part; one failed or cancelled part decides the outcome.
    const next: JobStatus = states.includes('failed')
      ? 'failed'
      : states.includes('cancelled')
        ? 'cancelled'
        : states.every((s) => s === 'done')
          ? 'done'
          : states.includes('running') || states.includes('done')
            ? 'running'
            : states.includes('queued')
              ? 'queued'
              : 'submitted';
    if (!isTerminal(this.state)) this.state = next;
    return this.state;
  }

  async wait(options: WaitOptions = {}): Promise<RunResult> {
    if (this.result) return this.result;
    return pollUntil(
      async () => {
        const s = await this.refresh(options.signal);
        if (s === 'done') return (this.result = await this.collect(options.signal));
        if (s === 'cancelled')
          throw new QError('CANCELLED', `${this.backend}: job ${this.id} was cancelled`, { details: { jobId: this.id } });
        if (s === 'failed') {
          const bad = [...this.jobs.values()].find((j) => j.status === 'failed');
          const f = bad?.failure;
          throw new QError('JOB_FAILED', `${this.backend}: job ${bad?.id ?? this.id} failed${f ? `: ${f.code}: ${f.message}` : ''}`, {
            details: { jobId: bad?.id ?? this.id, ...(f ? { failure: f.code } : {}) },
          });
        }
        return undefined;
      },
      `${this.backend} job ${this.id}`,
      { pollMs: 1000, ...options },
    );
  }

  async cancel(): Promise<void> {
    for (const id of this.ids) {
      const known = this.jobs.get(id);
      if (known && isTerminal(mapIonqStatus(known.status))) continue;
      try {
        await this.owner.client.cancelJob(id);
      } catch (e) {
        // 409: the job already ended (IonQ refuses to cancel a finished job); anything else is real.
        if (!(isQError(e) && e.details['status'] === 409)) throw e;
      }
    }
    await this.refresh();
  }

  private async collect(signal?: AbortSignal): Promise<RunResult> {
    const counts: Record<string, number>[] = [];
    const from = new Set<string>();
    let layoutAll: JobLayout | undefined;
    let executions = 0;
    for (const id of this.ids) {
      const job = this.jobs.get(id) as IonqJob;
      const layout = decodeLayout(job.metadata) ?? this.rebuildLayout(job);
      if (layout.first !== executions) {
        throw new QError(
          'PROVIDER',
          `${this.backend}: job ${this.id}: part ${id} starts at execution ${layout.first}, expected ${executions}`,
        );
      }
      layoutAll ??= layout;
      const r = await this.owner.decode(job, layout, signal);
      counts.push(...r.counts);
      r.from.forEach((f) => from.add(f));
      executions += layout.count;
    }
    const layout = layoutAll as JobLayout;
    if (executions !== layout.total) {
      throw new QError(
        'PROVIDER',
        `${this.backend}: job ${this.id} covers ${executions} of ${layout.total} executions; attach with the full id`,
      );
    }
    const results: BindingResult[][] = [];
    let k = 0;
    for (const nb of layout.bindings) {
      const row: BindingResult[] = [];
      for (let b = 0; b < nb; b++) row.push({ counts: counts[k++], shots: layout.shots });
      results.push(row);
    }
    const first = this.jobs.get(this.ids[0]) as IonqJob;
    return {
      jobId: this.id,
      backend: this.backend,
      results,
      metadata: {
        provider: 'ionq',
        ionqBackend: first.backend,
        ionqJobs: [...this.ids],
        jobType: first.type,
        input: this.owner.input,
        countsFrom: [...from].map((f) =>
          f === 'probabilities' ? 'probabilities, rounded to the shot count by largest remainder (not sampled)' : `${f} artifact`,
        ),
        bitOrder:
          'IonQ decimal keys are little-endian (bit i = qubit i); mapped through the measurements to classical bits, bit 0 rightmost',
        ...(first.settings ? { settings: first.settings } : {}),
        ...(first.execution_duration_ms ? { executionMs: first.execution_duration_ms } : {}),
      },
    };
  }

  /** Without our metadata (a job submitted elsewhere, or stripped), the original request decides the layout. */
  private rebuildLayout(job: IonqJob): JobLayout {
    if (!this.request || this.ids.length !== 1) {
      throw new QError('PROVIDER', `${this.backend}: job ${job.id} carries no qbridge layout metadata; attach with the original request`, {
        details: { jobId: job.id },
      });
    }
    const maps = this.request.runs.flatMap((run) => {
      const n = Math.max(1, run.bindings?.length ?? 1);
      const m = splitMeasurements(run.circuit).measure;
      return Array.from({ length: n }, () => ({ measure: m }));
    });
    return this.owner.layout(this.request, maps, { first: 0, count: maps.length }, maps.length);
  }
}
