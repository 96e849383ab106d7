import { randomUUID } from 'node:crypto';
import {
  QError,
  sleep,
  advance,
  isQError,
  isTerminal,
  pollUntil,
  targetFromBraket,
  validateRequest,
  validationError,
  type Backend,
  type BindingResult,
  type BraketCapabilities,
  type Capabilities,
  type JobHandle,
  type JobStatus,
  type NoiseModel,
  type OptimizationLevel,
  type RunRequest,
  type RunResult,
  type SubmitOptions,
  type Target,
  type WaitOptions,
} from '../../src/index.js';
import { baseUrl } from '../common/credentials.js';
import { BraketClient, type BraketDevice, type BraketTaskStatus, type QuantumTask } from './client.js';
import { arnRegion, deviceShortName, isSimulatorArn } from './devices.js';
import {
  countsFromBraket,
  decodeSlice,
  encodeSlice,
  planTasks,
  prepareProgram,
  taskClientToken,
  type Executable,
  type MeasurementData,
  type PreparedProgram,
  type ProgramSetLimits,
} from './translate.js';

/**
 * Amazon Braket as a Backend. One qbridge job is one Braket quantum task where the device takes
 * program sets (all circuits and bindings together), else one task per (circuit, binding); its id is
 * the task ARN, or the ARNs joined by ',' when the device's limits split it.
 */
export interface BraketBackendOptions {
  readonly device: BraketDevice;
  readonly client?: BraketClient;
  /** Results bucket (default QBRIDGE_BRAKET_BUCKET, else the SDK's `amazon-braket-REGION-ACCOUNT`). */
  readonly bucket?: string;
  /** Results key prefix (default QBRIDGE_BRAKET_PREFIX, else `qbridge`). */
  readonly prefix?: string;
  /** DM1 only: simulate under this model, sent as noise pragmas. */
  readonly noise?: NoiseModel;
  /** With `noise`: the device the model describes (circuits are compiled to it first). */
  readonly noiseTarget?: Target;
  /** QPUs: compile to the device and send verbatim boxes (default true when the device publishes its native gates). */
  readonly verbatim?: boolean;
  readonly compileLevel?: OptimizationLevel;
  /** Extra `deviceParameters` document (JSON), e.g. IonQ's error mitigation. */
  readonly deviceParameters?: Readonly<Record<string, unknown>>;
}

interface DeviceCapabilitiesDoc extends Partial<BraketCapabilities> {
  service?: { shotsRange?: [number, number]; getTaskPollIntervalMillis?: number };
  action?: Record<string, { maximumExecutables?: number; maximumTotalShots?: number } | undefined>;
}

/** Braket's task status as a qbridge job status; CANCELLING is still in flight (undefined: keep the last). */
export function jobStatusOf(s: BraketTaskStatus): JobStatus | undefined {
  switch (s) {
    case 'CREATED':
      return 'submitted';
    case 'QUEUED':
      return 'queued';
    case 'RUNNING':
      return 'running';
    case 'COMPLETED':
      return 'done';
    case 'FAILED':
      return 'failed';
    case 'CANCELLED':
      return 'cancelled';
    case 'CANCELLING':
      return undefined;
    default:
      throw new QError('PROVIDER', `Amazon Braket: unknown task status '${String(s)}'`);
  }
}

const SLICE_TAG = 'qbridge-slice';
const RESULTS_FILE = 'results.json';

interface TaskState {
  readonly arn: string;
  status: JobStatus;
  task?: QuantumTask;
  slice?: readonly Executable[];
  /** Programs as sent (submit only): used when a result file does not echo its program. */
  programs?: readonly PreparedProgram[];
  readonly createdHere: boolean;
}

export class BraketBackend implements Backend {
  readonly id: string;
  readonly provider = 'braket';
  readonly deviceArn: string;
  readonly numQubits: number;
  readonly capabilities: Capabilities;
  readonly target: Target | undefined;
  readonly client: BraketClient;
  /** The GetDevice description this backend was built from. */
  readonly device: BraketDevice;
  readonly programSetLimits: ProgramSetLimits | undefined;
  /** Suggested poll interval from the device (ms). */
  readonly pollMs: number;
  private readonly options: BraketBackendOptions;
  private readonly region: string;
  private bucket: Promise<string> | undefined;

  constructor(options: BraketBackendOptions) {
    this.options = options;
    const d = options.device;
    this.device = d;
    this.deviceArn = d.deviceArn;
    this.client = options.client ?? new BraketClient();
    this.region = arnRegion(d.deviceArn) ?? this.client.region;
    let caps: DeviceCapabilitiesDoc;
    try {
      caps = JSON.parse(d.deviceCapabilities) as DeviceCapabilitiesDoc;
    } catch {
      throw new QError('PROVIDER', `Amazon Braket: device ${d.deviceArn}: deviceCapabilities is not JSON`);
    }
    const simulator = d.deviceType === 'SIMULATOR' || isSimulatorArn(d.deviceArn);
    const qubits = caps.paradigm?.qubitCount;
    if (!Number.isInteger(qubits) || (qubits as number) < 1)
      throw new QError('PROVIDER', `Amazon Braket: device ${d.deviceArn}: capabilities lack paradigm.qubitCount`);
    this.numQubits = qubits as number;
    this.target =
      !simulator && Array.isArray(caps.paradigm?.nativeGateSet)
        ? targetFromBraket(caps as BraketCapabilities, { name: deviceShortName(d.deviceArn), source: `Braket GetDevice ${d.deviceArn}` })
        : undefined;
    const ps = caps.action?.['braket.ir.openqasm.program_set'];
    this.programSetLimits =
      ps && typeof ps.maximumExecutables === 'number' && ps.maximumExecutables > 0 && typeof ps.maximumTotalShots === 'number'
        ? { maximumExecutables: ps.maximumExecutables, maximumTotalShots: ps.maximumTotalShots }
        : undefined;
    this.pollMs = caps.service?.getTaskPollIntervalMillis ?? 1000;
    if (options.noise && !/\/dm1$/i.test(d.deviceArn)) {
      throw validationError(`Amazon Braket: a noise model runs only on DM1 (noise pragmas); ${d.deviceArn} does not take it`);
    }
    this.id = `braket:${d.deviceArn}`;
    this.capabilities = {
      maxShots: caps.service?.shotsRange?.[1] ?? 100_000,
      // More executions than one task holds are split over several tasks (each with its own clientToken).
      maxExecutions: 10_000,
      parametric: true,
      exact: false,
      noise: simulator ? (options.noise ? 'model' : 'none') : 'device',
      // Braket bills simulators by the minute and QPUs by the task and shot.
      paid: true,
      idempotentSubmit: true,
    };
  }

  private resultsBucket(): Promise<string> {
    this.bucket ??= (async () => {
      const b = this.options.bucket ?? (baseUrl('QBRIDGE_BRAKET_BUCKET', '') || undefined);
      if (b) return b;
      return `amazon-braket-${this.region}-${await this.client.accountId()}`;
    })();
    return this.bucket;
  }

  async submit(request: RunRequest, options: SubmitOptions = {}): Promise<JobHandle> {
    validateRequest(request, this.capabilities, this.numQubits, this.id);
    if (request.shots < 1) throw validationError(`${this.id}: shots must be at least 1`);
    const o = this.options;
    const programs = request.runs.map((run) =>
      prepareProgram(run.circuit, {
        ...(this.target ? { target: this.target } : {}),
        verbatim: o.verbatim ?? true,
        ...(o.compileLevel !== undefined ? { level: o.compileLevel } : {}),
        ...(o.noise ? { noise: o.noise } : {}),
        ...(o.noiseTarget ? { noiseTarget: o.noiseTarget } : {}),
      }),
    );
    const specs = planTasks(request, programs, this.programSetLimits);
    const bucket = await this.resultsBucket();
    const prefix = o.prefix ?? (baseUrl('QBRIDGE_BRAKET_PREFIX', '') || 'qbridge');
    const token = options.clientToken ?? randomUUID();
    const deviceParameters = o.deviceParameters ? JSON.stringify(o.deviceParameters) : undefined;
    const states: TaskState[] = [];
    for (let k = 0; k < specs.length; k++) {
      if (options.signal?.aborted) throw new QError('CANCELLED', `${this.id}: submission aborted`);
      const s = specs[k];
      const slice = encodeSlice(s.slice);
      const arn = await this.client.createQuantumTask(
        {
          clientToken: taskClientToken(token, k, specs.length),
          deviceArn: this.deviceArn,
          shots: s.shots,
          outputS3Bucket: bucket,
          outputS3KeyPrefix: prefix,
          action: s.action,
          ...(deviceParameters ? { deviceParameters } : {}),
          // Lets a restarted process decode the task without the request (tag values hold 256 characters).
          tags: {
            'qbridge-task': `${k + 1}/${specs.length}`,
            ...(slice.length <= 256 ? { [SLICE_TAG]: slice } : {}),
          },
        },
        this.region,
        options.signal,
      );
      states.push({ arn, status: 'submitted', slice: s.slice, programs, createdHere: true });
    }
    return this.handle(states, request);
  }

  async attach(jobId: string, context: { readonly request?: RunRequest } = {}): Promise<JobHandle> {
    const arns = jobId.split(',').map((x) => x.trim());
    if (arns.some((a) => !/^arn:aws[a-z-]*:braket:[a-z0-9-]*:\d*:quantum-task\/.+/.test(a))) {
      throw validationError(`${this.id}: '${jobId}' is not a Braket quantum task ARN (or a ','-separated list of them)`);
    }
    const states: TaskState[] = arns.map((arn) => ({ arn, status: 'submitted', createdHere: false }));
    const h = this.handle(states, context.request);
    await h.refresh();
    return h;
  }

  private handle(states: TaskState[], request: RunRequest | undefined): JobHandle {
    const id = states.map((s) => s.arn).join(',');
    const backend = this.id;
    let status: JobStatus = 'submitted';
    const client = this.client;
    const aggregate = (): JobStatus => {
      const all = states.map((s) => s.status);
      if (all.includes('failed')) return 'failed';
      if (all.includes('cancelled')) return 'cancelled';
      if (all.every((s) => s === 'done')) return 'done';
      if (all.includes('running') || all.includes('done')) return 'running';
      if (all.includes('queued')) return 'queued';
      return 'submitted';
    };
    const refresh = async (signal?: AbortSignal): Promise<JobStatus> => {
      for (const s of states) {
        if (isTerminal(s.status)) continue;
        const t = await client.getQuantumTask(s.arn, { graceMs: client.notFoundGrace(s.createdHere), ...(signal ? { signal } : {}) });
        s.task = t;
        const next = jobStatusOf(t.status);
        if (next) s.status = advance(s.status, next, s.arn);
      }
      status = advance(status, aggregate(), id);
      return status;
    };
    const failure = (): QError => {
      const bad = states.find((s) => s.status === 'failed');
      const why = bad?.task?.failureReason ?? 'no reason given';
      return new QError('JOB_FAILED', `${backend}: quantum task ${bad?.arn ?? id} failed: ${why}`, {
        details: { jobId: id, taskArn: bad?.arn, failureReason: why },
      });
    };
    return {
      id,
      backend,
      get status() {
        return status;
      },
      refresh: () => refresh(),
      wait: async (w: WaitOptions = {}) =>
        pollUntil(
          async () => {
            await refresh(w.signal);
            if (status === 'done') return this.collect(id, states, request, w.signal);
            if (status === 'failed') throw failure();
            if (status === 'cancelled') throw new QError('CANCELLED', `${backend}: job ${id} was cancelled`, { details: { jobId: id } });
            return undefined;
          },
          `${backend} job ${id}`,
          { pollMs: this.pollMs, ...w },
        ),
      cancel: async () => {
        for (const s of states) {
          if (isTerminal(s.status)) continue;
          try {
            const r = await client.cancelQuantumTask(s.arn, randomUUID());
            if (r.cancellationStatus === 'CANCELLED') s.status = advance(s.status, 'cancelled', s.arn);
          } catch (e) {
            // 409: the task reached a terminal state first; the next refresh tells which.
            if (!(isQError(e) && e.details['status'] === 409)) throw e;
          }
        }
        status = advance(status, aggregate(), id);
      },
    };
  }

  /** Reads every task's results.json and assembles results[circuit][binding]. */
  private async collect(id: string, states: TaskState[], request: RunRequest | undefined, signal?: AbortSignal): Promise<RunResult> {
    const out: BindingResult[][] = [];
    const put = (x: Executable, r: BindingResult) => ((out[x.run] ??= [])[x.binding] = r);
    const tasks: Record<string, unknown>[] = [];
    for (const s of states) {
      const t = s.task as QuantumTask;
      const slice = s.slice ?? sliceFromTags(t) ?? sliceFromRequest(states.length, request);
      if (!slice) {
        throw validationError(
          `${this.id}: task ${s.arn} carries no ${SLICE_TAG} tag; attach with the original request (the job journal keeps it)`,
        );
      }
      const key = `${t.outputS3Directory.replace(/\/+$/, '')}/${RESULTS_FILE}`;
      // A truncated read (a dropped connection mid-body) is re-read a few times: the object is immutable.
      let doc: Record<string, unknown> | undefined;
      for (let attempt = 1; doc === undefined; attempt++) {
        const text = await this.client.getS3Object(t.outputS3Bucket, key, arnRegion(s.arn) ?? this.region, signal);
        try {
          doc = JSON.parse(text) as Record<string, unknown>;
        } catch {
          if (attempt >= 4) throw new QError('PROVIDER', `${this.id}: s3://${t.outputS3Bucket}/${key} is not JSON`, { retriable: true });
          await sleep(100 * attempt, signal);
        }
      }
      const header = (doc['braketSchemaHeader'] as { name?: string } | undefined)?.name;
      if (header === 'braket.task_result.program_set_task_result') {
        await this.decodeProgramSet(doc, t, s, slice, put, signal);
      } else {
        const source =
          ((doc['additionalMetadata'] as { action?: { source?: string } } | undefined)?.action?.source ??
            s.programs?.[slice[0].run]?.source) ||
          undefined;
        if (source === undefined) throw new QError('PROVIDER', `${this.id}: the result of ${s.arn} does not include the program it ran`);
        if (slice.length !== 1)
          throw new QError('PROVIDER', `${this.id}: task ${s.arn} holds ${slice.length} executions but returned one result`);
        const shots = (doc['taskMetadata'] as { shots?: number } | undefined)?.shots ?? t.shots;
        put(slice[0], countsFromBraket(doc as MeasurementData, source, shots, `task ${s.arn}`));
      }
      tasks.push({ arn: s.arn, status: t.status, shots: t.shots, executions: slice.length, createdAt: t.createdAt, endedAt: t.endedAt });
    }
    for (let r = 0; r < out.length; r++) {
      const row = out[r] ?? [];
      for (let b = 0; b < row.length; b++)
        if (!row[b]) throw new QError('PROVIDER', `${this.id}: no result for circuit ${r}, binding ${b} in job ${id}`);
    }
    return { jobId: id, backend: this.id, results: out, metadata: { deviceArn: this.deviceArn, tasks } };
  }

  private async decodeProgramSet(
    doc: Record<string, unknown>,
    t: QuantumTask,
    s: TaskState,
    slice: readonly Executable[],
    put: (x: Executable, r: BindingResult) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const loc = doc['s3Location'] as [string, string] | null | undefined;
    const region = arnRegion(s.arn) ?? this.region;
    const fetchRel = async (rel: string): Promise<unknown> => {
      if (!loc) throw new QError('PROVIDER', `${this.id}: program-set result names file '${rel}' but no s3Location`);
      return JSON.parse(await this.client.getS3Object(loc[0], `${loc[1].replace(/\/+$/, '')}/${rel}`, region, signal)) as unknown;
    };
    const programResults = (doc['programResults'] ?? []) as unknown[];
    const shots = Math.floor(t.shots / Math.max(1, slice.length));
    let next = 0;
    for (let p = 0; p < programResults.length; p++) {
      const pr = (typeof programResults[p] === 'string' ? await fetchRel(programResults[p] as string) : programResults[p]) as {
        executableResults?: unknown[];
        source?: string | { source?: string };
      };
      let source = typeof pr.source === 'object' ? pr.source?.source : pr.source;
      if (typeof source === 'string' && !/^\s*OPENQASM/.test(source)) {
        const prog = (await fetchRel(source)) as { source?: string };
        source = prog.source;
      }
      const execs: (MeasurementData & { inputsIndex?: number; failureMetadata?: { failureReason?: string } })[] = [];
      for (const e of pr.executableResults ?? []) execs.push((typeof e === 'string' ? await fetchRel(e) : e) as (typeof execs)[number]);
      execs.sort((a, b) => (a.inputsIndex ?? 0) - (b.inputsIndex ?? 0));
      for (const e of execs) {
        const x = slice[next++];
        if (!x) throw new QError('PROVIDER', `${this.id}: task ${s.arn} returned more executables than it was sent`);
        if (e.failureMetadata) {
          throw new QError(
            'JOB_FAILED',
            `${this.id}: circuit ${x.run}, binding ${x.binding} failed in task ${s.arn}: ${e.failureMetadata.failureReason ?? 'no reason given'}`,
          );
        }
        const src = source ?? s.programs?.[x.run]?.source;
        if (!src) throw new QError('PROVIDER', `${this.id}: the result of ${s.arn} does not include program ${p}`);
        put(x, countsFromBraket(e, src, shots, `task ${s.arn}, program ${p}, inputs ${e.inputsIndex ?? 0}`));
      }
    }
    if (next !== slice.length) throw new QError('PROVIDER', `${this.id}: task ${s.arn} returned ${next} of ${slice.length} executables`);
  }
}

function sliceFromTags(t: QuantumTask): Executable[] | undefined {
  const tag = t.tags?.[SLICE_TAG];
  return tag ? decodeSlice(tag) : undefined;
}

/** A single task with the request in hand: every execution in request order. */
function sliceFromRequest(taskCount: number, r: RunRequest | undefined): Executable[] | undefined {
  if (!r || taskCount !== 1) return undefined;
  const out: Executable[] = [];
  r.runs.forEach((run, i) => (run.bindings?.length ? run.bindings : [{}]).forEach((_, b) => out.push({ run: i, binding: b })));
  return out;
}
