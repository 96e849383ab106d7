import { randomUUID } from 'node:crypto';
import {
  QError,
  instructionProps,
  makeCircuit,
  presetTarget,
  probabilities,
  statevector,
  type Backend,
  type Circuit,
  type IonqCharacterization,
  type Target,
} from '../../src/index.js';
import { qasmToCircuit } from '../../qasm/index.js';
import { EmulatedJobs, type EmulatedJob } from '../common/emulatedJobs.js';
import { EmulatorServer, type EmulatorReply, type EmulatorRequest, type EmulatorRoute } from '../common/emulatorServer.js';
import { FaultPlan } from '../common/faults.js';
import { LocalBackend, localBackendFor } from '../local/index.js';
import { IONQ_URL_ENV } from './client.js';
import { circuitFromIonq, type IonqGate } from './translate.js';

/**
 * The IonQ v0.4 REST subset on 127.0.0.1 (`qbridge emulate --provider ionq`), for running the
 * adapter unchanged (QBRIDGE_IONQ_URL=<url>). Served:
 *   GET  /v0.4/backends, /backends/{b}, /backends/{b}/characterizations[/{id}]   (no auth, as the spec)
 *   GET  /v0.4/whoami
 *   POST /v0.4/jobs                     ionq.circuit.v1 (qis|native), ionq.qasm3.v1, ionq.multi-circuit.v1
 *   GET  /v0.4/jobs[?target&limit&next&parent_job_id&status], /v0.4/jobs/{id}
 *   PUT  /v0.4/jobs/{id}/status/cancel
 *   GET  /v0.4/jobs/{id}/results/probabilities, /v0.4/jobs/{id}/artifacts/{artifactId}
 * Auth: `Authorization: apiKey <key>` with any non-empty key (or one of `apiKeys`). Jobs go
 * submitted -> ready -> started -> completed over status reads (`pollsPerStep` reads per step).
 * Backends: `simulator` (ideal: exact probabilities only, as IonQ's; with `noise.model` other than
 * `ideal`: the noisy local simulator, every IonQ model approximated by the `noiseFrom` preset) and
 * `qpu.forte-1` (target, characterization and noise from preset `ionq_forte` or `noiseFrom`).
 * Results follow IonQ's formats: v1 decimal keys over all qubits, qubit 0 = bit 0.
 * Like IonQ, circuits are validated after submission: a bad gate makes the job fail (InvalidInput).
 */
export interface IonqEmulatorOptions {
  readonly port?: number;
  /** Preset whose target and noise stand in for the QPU (default `ionq_forte`). */
  readonly noiseFrom?: string;
  readonly faults?: string;
  /** Status reads spent in each of ready and started (default 2, so every status is seen). */
  readonly pollsPerStep?: number;
  /** Keys accepted; default: any non-empty key. */
  readonly apiKeys?: readonly string[];
  /** Qubits of the `simulator` backend (IonQ's has 29). */
  readonly simulatorQubits?: number;
}

export interface IonqEmulator {
  readonly url: string;
  readonly server: EmulatorServer;
  readonly env: Record<string, string>;
  readonly jobs: EmulatedJobs<JobMeta>;
  close(): Promise<void>;
}

const BASE = '/v0.4';
const QPU = 'qpu.forte-1';
const NOISE_MODELS = ['ideal', 'harmony', 'harmony-1', 'harmony-2', 'aria-1', 'aria-2', 'forte-1', 'forte-enterprise-1'];
const QIS_GATES = ['x', 'y', 'z', 'h', 's', 'si', 't', 'ti', 'v', 'vi', 'rx', 'ry', 'rz', 'cnot', 'swap', 'xx', 'yy', 'zz', 'not'];
const NATIVE_GATES = ['gpi', 'gpi2', 'ms'];
const MAX_CIRCUITS = 5000;
const MAX_GATES = 150_000;

interface JobMeta {
  readonly type: string;
  readonly backend: string;
  readonly name: string | null;
  readonly metadata: Record<string, string> | null;
  readonly shots: number;
  readonly noise?: { model: string; seed?: number };
  readonly settings: Record<string, unknown>;
  /** Qubits each circuit spans (results cover all of them). */
  readonly widths: number[];
  readonly gates: { '1q': number; '2q': number };
  readonly children: string[];
  readonly ideal: boolean;
  /** Whether a status read has seen the job (the first read shows `ready`, later reads advance it). */
  seen?: boolean;
  /** Per-circuit distributions, computed once the job completes. */
  dists?: Dist[];
}

/** One circuit's outcome: probabilities (decimal keys) and, for noisy runs, counts. */
interface Dist {
  probabilities: Record<string, number>;
  histogram?: Record<string, number>;
}

function error(status: number, error: string, message: string, validation?: { keys: string[]; source: string }): EmulatorReply {
  return { status, body: { statusCode: status, error, message, ...(validation ? { validation } : {}) } };
}
const badRequest = (message: string, keys: string[] = []): EmulatorReply =>
  error(400, 'Bad Request', message, keys.length ? { keys, source: 'body' } : undefined);
const notFound = (what = 'Resource'): EmulatorReply =>
  error(404, 'Not Found Error', `${what} not found. See https://docs.ionq.com/ for details, or email support@ionq.co for help.`);

/** A characterization document (IonQ's shape) describing a qbridge Target: device-wide medians. */
export function characterizationFromTarget(t: Target, backend: string, date: string): IonqCharacterization & { id: string } {
  const median = (xs: number[]): number | undefined => {
    if (xs.length === 0) return undefined;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  };
  const errs = (arity: number): number[] => {
    const out: number[] = [];
    for (const [g, sites] of t.instructions) {
      if (g === 'measure') continue;
      for (const [k, p] of sites) if (k.split(',').length === arity && p.error !== undefined) out.push(p.error);
    }
    return out;
  };
  const durs = (arity: number): number[] => {
    const out: number[] = [];
    for (const [g, sites] of t.instructions) {
      if (g === 'measure') continue;
      for (const [k, p] of sites) if (k.split(',').length === arity && p.durationS !== undefined) out.push(p.durationS);
    }
    return out;
  };
  const e1 = median(errs(1));
  const e2 = median(errs(2));
  const ro = median((t.readout ?? []).map((r) => (r.p01 + r.p10) / 2));
  const readoutS = instructionProps(t, 'measure', [0])?.durationS;
  return {
    id: `ch-${backend}`.replace(/[^a-z0-9-]/gi, '-'),
    backend,
    date,
    qubits: t.numQubits,
    connectivity: [],
    fidelity: {
      spam: { median: ro === undefined ? 1 : 1 - ro },
      ...(e1 !== undefined ? { '1q': { median: 1 - e1 } } : {}),
      ...(e2 !== undefined ? { '2q': { median: 1 - e2 } } : {}),
    },
    timing: {
      ...(t.t1S?.length ? { t1: median([...t.t1S]) } : {}),
      ...(t.t2S?.length ? { t2: median([...t.t2S]) } : {}),
      ...(median(durs(1)) !== undefined ? { '1q': median(durs(1)) } : {}),
      ...(median(durs(2)) !== undefined ? { '2q': median(durs(2)) } : {}),
      readout: readoutS ?? 0,
      reset: 0,
    },
  };
}

export async function startIonqEmulator(options: IonqEmulatorOptions = {}): Promise<IonqEmulator> {
  const preset = options.noiseFrom ?? 'ionq_forte';
  const qpuTarget = presetTarget(preset);
  const started = new Date().toISOString();
  const characterization = characterizationFromTarget(qpuTarget, QPU, started);
  const simQubits = options.simulatorQubits ?? 29;
  const faults = FaultPlan.from(options.faults);
  const noisy = localBackendFor(`local:noisy=${preset}`);
  const ideal = new LocalBackend();
  const jobs = new EmulatedJobs<JobMeta>({
    backendFor: (device): Backend => (device === 'noisy' ? noisy : ideal),
    faults,
    pollsPerStep: options.pollsPerStep ?? 2,
  });
  /** child id -> [parent id, index] */
  const children = new Map<string, [string, number]>();
  const order: string[] = [];

  const backendsDoc = (): Record<string, unknown>[] => [
    {
      backend: 'simulator',
      status: 'available',
      qubits: simQubits,
      average_queue_time: 0,
      last_updated: started,
      degraded: false,
      supported_gates: QIS_GATES,
      supported_native_gates: NATIVE_GATES,
      supported_error_mitigations: [],
    },
    {
      backend: QPU,
      status: 'available',
      qubits: qpuTarget.numQubits,
      average_queue_time: 0,
      last_updated: started,
      characterization_id: characterization.id,
      degraded: false,
      supported_gates: QIS_GATES,
      supported_native_gates: NATIVE_GATES,
      supported_error_mitigations: ['debiasing'],
    },
  ];

  const ionqStatus = (j: EmulatedJob<JobMeta>): string =>
    j.status === 'queued'
      ? !j.meta.seen
        ? 'submitted'
        : 'ready'
      : j.status === 'running'
        ? 'started'
        : j.status === 'done'
          ? 'completed'
          : j.status === 'failed'
            ? 'failed'
            : 'canceled';

  /** Distributions of a completed job (exact for the ideal simulator, from the noisy run otherwise). */
  const dists = (j: EmulatedJob<JobMeta>): Dist[] => {
    if (j.meta.dists) return j.meta.dists;
    const out: Dist[] = j.request.runs.map((run, i) => {
      if (j.meta.ideal) {
        const n = run.circuit.numQubits;
        const p = probabilities(statevector(stripMeasure(run.circuit)), n);
        const probs: Record<string, number> = {};
        p.forEach((v, k) => {
          if (v > 1e-12) probs[String(k)] = v;
        });
        return { probabilities: probs };
      }
      const counts = j.result?.results[i]?.[0]?.counts ?? {};
      const hist: Record<string, number> = {};
      for (const [bits, c] of Object.entries(counts)) hist[BigInt(`0b${bits}`).toString()] = c;
      const shots = Object.values(hist).reduce((a, b) => a + b, 0);
      return { histogram: hist, probabilities: Object.fromEntries(Object.entries(hist).map(([k, c]) => [k, c / shots])) };
    });
    if (j.fault === 'missing-register') out.forEach((d) => ((d.probabilities = {}), (d.histogram = {})));
    j.meta.dists = out;
    return out;
  };

  const artifacts = (ideal: boolean): Record<string, { id: string; format: string; media_type: string }> => {
    const a = (id: string, format: string) => ({ id, format, media_type: 'application/json' });
    return {
      'ionq.result.probabilities.json.v1': a('probabilities', 'ionq.result.probabilities.json.v1'),
      ...(ideal
        ? {}
        : {
            'ionq.result.histogram.json.v1': a('histogram', 'ionq.result.histogram.json.v1'),
            'ionq.result.shots.json.v1': a('shots', 'ionq.result.shots.json.v1'),
          }),
    };
  };

  /** The job document (BaseJob fields; `full` adds child_job_ids as GET /jobs/{id} does). */
  const jobDoc = (j: EmulatedJob<JobMeta>, full: boolean, child?: { parent: string; index: number }): Record<string, unknown> => {
    const m = j.meta;
    const status = ionqStatus(j);
    const multi = m.type === 'ionq.multi-circuit.v1' && !child;
    const done = status === 'completed';
    const circuits = child ? 1 : Math.max(1, m.widths.length);
    const doc: Record<string, unknown> = {
      id: child ? m.children[child.index] : j.id,
      status,
      type: child ? 'ionq.circuit.v1' : m.type,
      backend: m.backend,
      dry_run: false,
      submitter_id: 'qbridge-emulator',
      project_id: null,
      parent_job_id: child ? child.parent : null,
      session_id: null,
      metadata: m.metadata,
      name: child ? `${m.name ?? 'job'} #${child.index}` : m.name,
      submitted_at: j.createdAt.toISOString(),
      started_at: status === 'started' || j.endedAt ? j.createdAt.toISOString() : null,
      completed_at: j.endedAt ? j.endedAt.toISOString() : null,
      predicted_wait_time_ms: null,
      predicted_execution_duration_ms: null,
      execution_duration_ms: done && j.endedAt ? j.endedAt.getTime() - j.createdAt.getTime() : null,
      ...(m.ideal ? {} : { shots: m.shots }),
      ...(m.backend === 'simulator' ? { noise: m.noise ?? { model: 'ideal' } } : {}),
      failure:
        j.status === 'failed' ? { code: j.fault === 'fail' ? 'QuantumComputerError' : 'InvalidInput', message: j.error ?? 'failed' } : null,
      output: {},
      settings: m.settings,
      stats: { qubits: Math.max(1, ...m.widths), circuits, gate_counts: m.gates },
      results: done
        ? multi
          ? {
              'ionq.result.probabilities-aggregate.json.v1': {
                id: 'probabilities-aggregate',
                format: 'ionq.result.probabilities-aggregate.json.v1',
                media_type: 'application/json',
              },
            }
          : artifacts(m.ideal)
        : null,
    };
    if (full) doc.child_job_ids = multi ? m.children : null;
    return doc;
  };

  /** A job or child by id: [job, child info]. Reading a parent advances it; a child follows its parent. */
  const lookup = async (
    id: string,
    advance: boolean,
  ): Promise<[EmulatedJob<JobMeta>, { parent: string; index: number } | undefined] | undefined> => {
    const c = children.get(id);
    if (c) {
      const parent = jobs.get(c[0]);
      return parent ? [parent, { parent: c[0], index: c[1] }] : undefined;
    }
    let j = jobs.get(id);
    if (j && advance) {
      // submitted -> ready on the first read, then the shared progression (ready -> started -> completed).
      if (!j.meta.seen) j.meta.seen = true;
      else j = await jobs.poll(id);
    }
    return j ? [j, undefined] : undefined;
  };

  const submit = (req: EmulatorRequest): EmulatorReply => {
    const p = req.json as Record<string, unknown> | undefined;
    if (!p || typeof p !== 'object' || Array.isArray(p)) return badRequest('the body must be a JSON object');
    const allowed = ['name', 'metadata', 'shots', 'backend', 'session_id', 'settings', 'dry_run', 'noise', 'type', 'input'];
    const extra = Object.keys(p).filter((k) => !allowed.includes(k));
    if (extra.length) return badRequest(`"${extra[0]}" is not allowed`, extra);
    for (const k of ['backend', 'type', 'input']) if (p[k] === undefined) return badRequest(`"${k}" is required`, [k]);
    const type = p.type as string;
    const backend = p.backend as string;
    if (backend !== 'simulator' && backend !== QPU) return badRequest(`"backend" must be one of simulator, ${QPU}`, ['backend']);
    if (!['ionq.circuit.v1', 'ionq.qasm3.v1', 'ionq.multi-circuit.v1'].includes(type))
      return badRequest(`"type" '${type}' is not supported here`, ['type']);
    const shots = p.shots === undefined ? 100 : p.shots;
    if (!Number.isInteger(shots) || (shots as number) < 1 || (shots as number) > 1_000_000)
      return badRequest('"shots" must be an integer from 1 to 1000000', ['shots']);
    const noise = p.noise as { model?: string; seed?: number } | undefined;
    if (noise !== undefined) {
      if (backend !== 'simulator') return badRequest('"noise" applies only to the simulator', ['noise']);
      if (typeof noise.model !== 'string' || !NOISE_MODELS.includes(noise.model))
        return badRequest(`"noise.model" must be one of ${NOISE_MODELS.join(', ')}`, ['noise.model']);
    }
    const settings = (p.settings ?? {}) as { error_mitigation?: { debiasing?: boolean } };
    if (settings.error_mitigation?.debiasing && (shots as number) < 500)
      return badRequest('To turn on debiasing, you must request at least 500 shots', ['shots']);
    const meta = p.metadata as Record<string, unknown> | undefined;
    if (meta !== undefined && (typeof meta !== 'object' || Object.values(meta).some((v) => typeof v !== 'string')))
      return badRequest('"metadata" values must be strings', ['metadata']);

    // Shape checks IonQ does on the request; gate-level validation happens after submission.
    const input = p.input as Record<string, unknown>;
    let sources: { gates?: IonqGate[]; qasm?: string; qubits?: number; gateset: 'qis' | 'native' }[];
    if (type === 'ionq.qasm3.v1') {
      if (typeof input.data !== 'string' || Object.keys(input).some((k) => k !== 'data'))
        return badRequest('"input" must be {data: string}', ['input']);
      sources = [{ qasm: input.data, gateset: 'qis' }];
    } else if (type === 'ionq.circuit.v1') {
      if (!Array.isArray(input.circuit) || (input.gateset !== 'qis' && input.gateset !== 'native'))
        return badRequest('"input" must have circuit and gateset', ['input']);
      sources = [{ gates: input.circuit as IonqGate[], qubits: input.qubits as number | undefined, gateset: input.gateset }];
    } else {
      const cs = input.circuits;
      if (!Array.isArray(cs) || cs.length === 0 || (input.gateset !== 'qis' && input.gateset !== 'native') || input.circuit !== undefined)
        return badRequest('"input" must have gateset and a non-empty circuits array (and no circuit)', ['input']);
      if (cs.length > MAX_CIRCUITS)
        return badRequest(`a multi-circuit job may contain at most ${MAX_CIRCUITS} circuits`, ['input.circuits']);
      const parent = input.gateset;
      sources = (cs as { circuit: IonqGate[]; qubits?: number; gateset?: 'qis' | 'native' }[]).map((c) => ({
        gates: c.circuit,
        qubits: c.qubits ?? (input.qubits as number | undefined),
        gateset: c.gateset ?? parent,
      }));
      const total = sources.reduce((a, s) => a + (Array.isArray(s.gates) ? s.gates.length : 0), 0);
      if (total > MAX_GATES) return badRequest(`a multi-circuit job may contain at most ${MAX_GATES} gates in total`, ['input.circuits']);
    }

    const id = randomUUID();
    let circuits: Circuit[] = [];
    let invalid: string | undefined;
    try {
      circuits = sources.map((s, i) => {
        try {
          if (s.qasm !== undefined) return measureAll(stripMeasure(qasmToCircuit(s.qasm)));
          if (!Array.isArray(s.gates)) throw new QError('VALIDATION', 'circuit must be an array of gates');
          const width = s.qubits ?? inferQubits(s.gates);
          return circuitFromIonq(s.gates, width, s.gateset);
        } catch (e) {
          throw new QError('VALIDATION', `${sources.length > 1 ? `circuit ${i}: ` : ''}${(e as Error).message}`);
        }
      });
      const limit = backend === 'simulator' ? simQubits : qpuTarget.numQubits;
      const wide = circuits.findIndex((c) => c.numQubits > limit);
      if (wide >= 0) throw new QError('VALIDATION', `circuit ${wide} uses ${circuits[wide].numQubits} qubits; ${backend} has ${limit}`);
    } catch (e) {
      invalid = (e as Error).message;
    }
    const isIdeal = backend === 'simulator' && (noise === undefined || noise.model === 'ideal');
    const count = (arity: number): number =>
      circuits.reduce((a, c) => a + c.ops.filter((o) => o.op !== 'measure' && o.qubits.length === arity).length, 0);
    const jobMeta: JobMeta = {
      type,
      backend,
      name: typeof p.name === 'string' ? p.name : null,
      metadata: (meta as Record<string, string> | undefined) ?? null,
      shots: shots as number,
      ...(noise ? { noise: { model: noise.model as string, ...(noise.seed !== undefined ? { seed: noise.seed } : {}) } } : {}),
      settings: sanitizeSettings(p.settings),
      widths: circuits.map((c) => c.numQubits),
      gates: { '1q': count(1), '2q': count(2) },
      children: type === 'ionq.multi-circuit.v1' ? sources.map(() => randomUUID()) : [],
      ideal: isIdeal,
    };
    const seed = noise?.seed ?? (isIdeal ? 0 : undefined);
    const job = jobs.create(
      isIdeal ? 'ideal' : 'noisy',
      { runs: (invalid ? [] : circuits).map((circuit) => ({ circuit })), shots: shots as number, ...(seed !== undefined ? { seed } : {}) },
      jobMeta,
      id,
    );
    if (invalid) {
      job.status = 'failed';
      job.error = invalid;
      job.endedAt = new Date();
    }
    jobMeta.children.forEach((cid, i) => children.set(cid, [id, i]));
    order.unshift(id);
    server.countSubmission(jobMeta.metadata?.['qbridge_token']);
    return { status: 201, body: { id, status: 'submitted', session_id: null } };
  };

  const routes: EmulatorRoute[] = [
    { method: 'GET', path: `${BASE}/backends`, name: 'device', auth: false, handle: () => ({ status: 200, body: backendsDoc() }) },
    {
      method: 'GET',
      path: `${BASE}/backends/:backend`,
      name: 'device',
      auth: false,
      handle: (r) => {
        const b = backendsDoc().find((x) => x.backend === r.params.backend);
        return b ? { status: 200, body: b } : notFound('Backend');
      },
    },
    {
      method: 'GET',
      path: `${BASE}/backends/:backend/characterizations`,
      name: 'device',
      auth: false,
      handle: (r) =>
        r.params.backend === QPU ? { status: 200, body: { characterizations: [characterization], pages: 0 } } : notFound('Backend'),
    },
    {
      method: 'GET',
      path: `${BASE}/backends/:backend/characterizations/:uuid`,
      name: 'device',
      auth: false,
      handle: (r) =>
        r.params.backend === QPU && r.params.uuid === characterization.id
          ? { status: 200, body: characterization }
          : notFound('Characterization'),
    },
    {
      method: 'GET',
      path: `${BASE}/whoami`,
      name: 'other',
      handle: () => ({ status: 200, body: { key_id: 'emulator-key', key_name: 'qbridge emulator', project_id: 'qbridge-emulator' } }),
    },
    { method: 'POST', path: `${BASE}/jobs`, name: 'submit', handle: submit },
    {
      method: 'GET',
      path: `${BASE}/jobs`,
      name: 'status',
      handle: (r) => {
        const target = r.query.get('target');
        const parentId = r.query.get('parent_job_id');
        const status = r.query.get('status');
        const limit = Math.max(1, Math.min(100, Number(r.query.get('limit') ?? 25) || 25));
        const start = Number(r.query.get('next') ?? 0) || 0;
        let docs: Record<string, unknown>[] = [];
        for (const id of order) {
          const j = jobs.get(id) as EmulatedJob<JobMeta>;
          if (!parentId) docs.push(jobDoc(j, false));
          docs.push(...j.meta.children.map((_, index) => jobDoc(j, false, { parent: id, index })));
        }
        docs = docs.filter(
          (d) =>
            (!target || target.split(',').includes(d.backend as string)) &&
            (!parentId || d.parent_job_id === parentId) &&
            (!status || d.status === status),
        );
        const page = docs.slice(start, start + limit);
        return { status: 200, body: { jobs: page, next: start + limit < docs.length ? String(start + limit) : null } };
      },
    },
    {
      method: 'GET',
      path: `${BASE}/jobs/:id`,
      name: 'status',
      handle: async (r) => {
        const hit = await lookup(r.params.id, true);
        return hit ? { status: 200, body: jobDoc(hit[0], true, hit[1]) } : notFound('Job');
      },
    },
    {
      method: 'PUT',
      path: `${BASE}/jobs/:id/status/cancel`,
      name: 'cancel',
      handle: (r) => {
        const j = jobs.get(r.params.id);
        if (!j) return notFound('Job');
        if (j.status !== 'queued' && j.status !== 'running') return error(409, 'Conflict', `job ${j.id} is already ${ionqStatus(j)}`);
        jobs.cancel(j.id);
        return { status: 200, body: { id: j.id, status: 'canceled' } };
      },
    },
    {
      method: 'GET',
      path: `${BASE}/jobs/:id/results/probabilities`,
      name: 'result',
      handle: async (r) => {
        const hit = await lookup(r.params.id, false);
        if (!hit || hit[0].status !== 'done') return notFound('Job results');
        const [j, child] = hit;
        if (j.meta.type === 'ionq.multi-circuit.v1' && !child)
          return badRequest('a multi-circuit job has per-child results: read its probabilities-aggregate artifact or its child jobs');
        return { status: 200, body: dists(j)[child?.index ?? 0].probabilities };
      },
    },
    {
      method: 'GET',
      path: `${BASE}/jobs/:id/artifacts/:artifact`,
      name: 'result',
      handle: async (r) => {
        const hit = await lookup(r.params.id, false);
        if (!hit || hit[0].status !== 'done') return notFound('Artifact');
        const [j, child] = hit;
        const ds = dists(j);
        const multi = j.meta.type === 'ionq.multi-circuit.v1' && !child;
        const a = r.params.artifact;
        if (multi) {
          if (a !== 'probabilities-aggregate') return notFound('Artifact');
          const body: Record<string, Record<string, number>> = {};
          j.meta.children.forEach((cid, i) => {
            if (j.fault !== 'missing-register' || i !== 0) body[cid] = ds[i].probabilities;
          });
          return { status: 200, body };
        }
        const d = ds[child?.index ?? 0];
        if (a === 'probabilities') return { status: 200, body: d.probabilities };
        if (a === 'histogram' && d.histogram) return { status: 200, body: d.histogram };
        if (a === 'shots' && d.histogram) {
          const shots: string[] = [];
          for (const [k, c] of Object.entries(d.histogram)) for (let i = 0; i < c; i++) shots.push(k);
          return { status: 200, body: shots };
        }
        return notFound('Artifact');
      },
    },
  ];

  const server = new EmulatorServer({
    provider: 'ionq',
    routes,
    faults,
    authorize: (req) => {
      const h = req.headers.authorization;
      const m = typeof h === 'string' ? /^apiKey\s+(\S.*)$/.exec(h) : null;
      const key = m?.[1]?.trim();
      if (!key || (options.apiKeys && !options.apiKeys.includes(key))) {
        return error(
          401,
          'Unauthorized Error',
          'Invalid key provided. See https://docs.ionq.com/#authentication for details, or email support@ionq.co for help.',
        );
      }
      return undefined;
    },
  });
  const url = await server.listen(options.port ?? 0, BASE);
  return {
    url,
    server,
    jobs,
    env: { [IONQ_URL_ENV]: url },
    close: () => server.close(),
  };
}

/** The settings IonQ echoes (CircuitJobSettings: compilation and error_mitigation only). */
function sanitizeSettings(s: unknown): Record<string, unknown> {
  if (!s || typeof s !== 'object') return {};
  const x = s as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (x.error_mitigation && typeof x.error_mitigation === 'object') {
    const em = x.error_mitigation as Record<string, unknown>;
    out.error_mitigation = Object.fromEntries(Object.entries(em).filter(([k]) => k === 'debiasing' || k === 'symmetry_verification'));
  }
  if (x.compilation && typeof x.compilation === 'object') {
    const c = x.compilation as Record<string, unknown>;
    out.compilation = Object.fromEntries(
      Object.entries(c).filter(([k]) => ['precision', 'opt', 'gate_basis', 'service_version'].includes(k)),
    );
  }
  return out;
}

function inferQubits(gates: readonly IonqGate[]): number {
  let n = 1;
  for (const g of gates)
    for (const q of [g.target, g.control, ...(g.targets ?? []), ...(g.controls ?? [])]) if (typeof q === 'number') n = Math.max(n, q + 1);
  return n;
}

function stripMeasure(c: Circuit): Circuit {
  return makeCircuit(
    c.numQubits,
    c.numClbits,
    c.ops.filter((o) => o.op !== 'measure' && o.op !== 'barrier'),
  );
}

/** IonQ measures every qubit: qubit i into bit i. */
function measureAll(c: Circuit): Circuit {
  const ops = [...c.ops, ...Array.from({ length: c.numQubits }, (_, q) => ({ op: 'measure', qubits: [q], params: [], clbits: [q] }))];
  return makeCircuit(c.numQubits, c.numQubits, ops);
}
