import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  createRng,
  isQError,
  makeCircuit,
  noiseFromTarget,
  presetTarget,
  validateForTarget,
  type Backend,
  type Bindings,
  type BindingResult,
  type Circuit,
  type JobHandle,
  type NoiseModel,
  type RunRequest,
  type RunResult,
  type Target,
} from '../../src/index.js';
import { qasmToCircuit } from '../../qasm/index.js';
import { EmulatedJobs, type EmulatedJob } from '../common/emulatedJobs.js';
import { EmulatorServer, type EmulatorReply, type EmulatorRequest, type EmulatorRoute } from '../common/emulatorServer.js';
import { FaultPlan } from '../common/faults.js';
import { DEVICE_ALIASES, LocalBackend, restrictModel } from '../local/index.js';
import { IAM_GRANT_TYPE, IAM_TOKEN_PATH } from './auth.js';
import { TOKEN_TAG } from './adapter.js';
import type { IbmJobInfo } from './client.js';
import { ibmDocumentsFromTarget, type IbmDocuments } from './documents.js';
import { registersOf, type ClassicalRegister } from './translate.js';

/**
 * The IBM Quantum emulator: IBM Cloud IAM's token exchange and the Qiskit Runtime REST subset qbridge
 * uses, on 127.0.0.1, backed by the local noisy simulator. It serves `ibm_heron` and `ibm_fez` (the
 * same calibration snapshot, written back in IBM's configuration/properties format), checks
 * credentials as the service does (an IAM bearer token it issued, a `Service-CRN`, an
 * `IBM-API-Version`), refuses circuits that are not ISA for the device, moves jobs Queued -> Running
 * -> Completed over polls, and answers results in IBM's plain-JSON Sampler V2 format (hex samples per
 * classical register, one array per binding). Faults from the shared plan apply per route: auth
 * (IAM), submit (POST /jobs), status (GET /jobs/{id}), result, cancel, device (/backends...), other.
 */
export interface IbmEmulatorOptions {
  readonly port?: number;
  /** Device snapshot whose target and noise the backends get (default ibm_heron, i.e. ibm_fez's calibration). */
  readonly noiseFrom?: string;
  /** Fault spec (`KIND[=ARG][xCOUNT][@ROUTE]`, ...). */
  readonly faults?: string;
  /** Status reads spent in each of Queued and Running (default 1). */
  readonly pollsPerStep?: number;
  /** Accept only this API key (default: any non-empty key, like `qbridge emulate`). */
  readonly apiKey?: string;
  /** Lifetime of issued tokens in seconds (default 3600). */
  readonly tokenTtlS?: number;
  /** Enforce IBM's submission rate limit (5 per 60 s) or another; off by default so tests stay fast. */
  readonly submitRateLimit?: { readonly count: number; readonly windowMs: number };
  /** Seed of the simulator (jobs get seed + their index); default: random. */
  readonly seed?: number;
}

export interface IbmEmulator {
  /** The Runtime base URL (`.../api/v1`). */
  readonly url: string;
  readonly server: EmulatorServer;
  /** QBRIDGE_IBM_URL, QBRIDGE_IBM_IAM_URL and placeholder credentials that point the adapter here. */
  readonly env: Record<string, string>;
  /** Jobs the emulator holds (tests inspect them). */
  readonly jobs: EmulatedJobs<IbmJobMeta>;
  close(): Promise<void>;
}

/** What the emulator keeps with a job besides the simulated request. */
export interface IbmJobMeta {
  readonly params: Record<string, unknown>;
  readonly tags: readonly string[];
  readonly sessionId?: string;
  readonly pubs: readonly { registers: readonly ClassicalRegister[]; numClbits: number; nested: boolean }[];
  readonly seed: number;
}

export const EMULATOR_CRN = 'crn:v1:bluemix:public:quantum-computing:us-east:a/emulator:emulator::';
const DEVICES = ['ibm_heron', 'ibm_fez'] as const;
const API = '/api/v1';

const modelCache = new Map<string, { target: Target; noise: NoiseModel }>();

function deviceModel(preset: string): { target: Target; noise: NoiseModel } {
  let m = modelCache.get(preset);
  if (!m) {
    const target = presetTarget(preset);
    m = { target, noise: noiseFromTarget(target) };
    modelCache.set(preset, m);
  }
  return m;
}

/**
 * Runs ISA circuits where they stand: each circuit is cut down to the physical qubits it touches and
 * simulated under the device's noise restricted to exactly those qubits, so `$24` gets qubit 24's
 * calibration (no re-layout, no re-routing: the circuit was already placed by the client).
 */
class PhysicalQubitSimulator implements Backend {
  readonly provider = 'ibm-emulator';
  readonly capabilities;
  readonly numQubits: number;
  private readonly models = new Map<string, NoiseModel>();

  constructor(
    readonly id: string,
    target: Target,
    private readonly noise: NoiseModel,
  ) {
    this.numQubits = target.numQubits;
    this.capabilities = {
      maxShots: 10_000_000,
      maxExecutions: 10_000_000,
      parametric: true,
      exact: false,
      noise: 'model' as const,
      paid: false,
    };
  }

  async submit(request: RunRequest): Promise<JobHandle> {
    const results: BindingResult[][] = [];
    for (const [i, run] of request.runs.entries()) {
      const used = [...new Set(run.circuit.ops.flatMap((o) => o.qubits))].sort((a, b) => a - b);
      const index = new Map(used.map((q, k) => [q, k]));
      const compact = makeCircuit(
        used.length,
        run.circuit.numClbits,
        run.circuit.ops.map((o) => ({ ...o, qubits: o.qubits.map((q) => index.get(q)!) })),
      );
      const key = used.join(',');
      let model = this.models.get(key);
      if (!model) {
        model = restrictModel(this.noise, used);
        this.models.set(key, model);
      }
      const local = new LocalBackend({ id: this.id, noise: model });
      const seed = request.seed === undefined ? undefined : request.seed + 7919 * i;
      const res = await (
        await local.submit({
          runs: [{ circuit: compact, ...(run.bindings ? { bindings: run.bindings } : {}) }],
          shots: request.shots,
          ...(seed !== undefined ? { seed } : {}),
        })
      ).wait();
      results.push([...res.results[0]!]);
    }
    const result: RunResult = { jobId: randomUUID(), backend: this.id, results, metadata: {} };
    return {
      id: result.jobId,
      backend: this.id,
      status: 'done',
      refresh: async () => 'done',
      wait: async () => result,
      cancel: async () => undefined,
    };
  }

  async attach(): Promise<JobHandle> {
    throw new Error('not used by the emulator');
  }
}

function err(status: number, message: string, code = String(status)): EmulatorReply {
  return {
    status,
    body: { errors: [{ code, message, more_info: 'https://quantum.cloud.ibm.com/docs/api/qiskit-runtime-rest' }], status_code: status },
  };
}

export async function startIbmEmulator(options: IbmEmulatorOptions = {}): Promise<IbmEmulator> {
  // `--noise-from ibm_fez` names the machine; its snapshot is the ibm_heron preset.
  const preset = DEVICE_ALIASES[options.noiseFrom ?? ''] ?? options.noiseFrom ?? 'ibm_heron';
  const { target, noise } = deviceModel(preset);
  const docs = new Map<string, IbmDocuments>(DEVICES.map((d) => [d, ibmDocumentsFromTarget(target, { name: d })]));
  const sim = new PhysicalQubitSimulator(`ibm-emulator:${preset}`, target, noise);
  const faults = FaultPlan.from(options.faults);
  const jobs = new EmulatedJobs<IbmJobMeta>({ backendFor: () => sim, faults, pollsPerStep: options.pollsPerStep ?? 1 });
  const tokens = new Map<string, number>();
  const sessions = new Map<string, { id: string; backend: string; mode: string; accepting: boolean; created: string }>();
  const submitTimes: number[] = [];
  const ttl = (options.tokenTtlS ?? 3600) * 1000;
  let jobIndex = 0;

  const authorize = (req: EmulatorRequest): EmulatorReply | undefined => {
    const auth = String(req.headers['authorization'] ?? '');
    const m = /^Bearer (.+)$/.exec(auth);
    const exp = m ? tokens.get(m[1]!) : undefined;
    if (exp === undefined || exp < Date.now()) return err(401, 'Unauthorized: the bearer token is missing, unknown or expired', '1001');
    const crn = String(req.headers['service-crn'] ?? '');
    if (!/^crn:v1:[^:]*:[^:]*:quantum-computing:[a-z]+-[a-z]+:a\/[^:]+:[^:]+::$/.test(crn)) {
      return err(403, 'Forbidden: the Service-CRN header does not name a Qiskit Runtime instance', '1002');
    }
    if (!req.headers['ibm-api-version']) return err(400, 'The IBM-API-Version header is required', '1003');
    return undefined;
  };

  const iam: EmulatorRoute = {
    method: 'POST',
    path: IAM_TOKEN_PATH,
    name: 'auth',
    auth: false,
    handle: (req) => {
      if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        return { status: 400, body: { errorCode: 'BXNIM0109E', errorMessage: 'Property missing or empty', context: {} } };
      }
      const form = new URLSearchParams(req.text);
      const key = form.get('apikey') ?? '';
      if (form.get('grant_type') !== IAM_GRANT_TYPE) {
        return { status: 400, body: { errorCode: 'BXNIM0103E', errorMessage: 'Unsupported grant type', context: {} } };
      }
      if (key === '' || (options.apiKey !== undefined && key !== options.apiKey)) {
        return { status: 400, body: { errorCode: 'BXNIM0415E', errorMessage: 'Provided API key could not be found.', context: {} } };
      }
      const token = `emu.${randomBytes(18).toString('base64url')}`;
      const now = Date.now();
      tokens.set(token, now + ttl);
      return {
        status: 200,
        body: {
          access_token: token,
          refresh_token: 'not_supported',
          ims_user_id: 1,
          token_type: 'Bearer',
          expires_in: Math.round(ttl / 1000),
          expiration: Math.floor((now + ttl) / 1000),
          scope: 'ibm openid',
        },
      };
    },
  };

  const device = (name: string): IbmDocuments | undefined => docs.get(name);

  const jobInfo = (job: EmulatedJob<IbmJobMeta>, withParams: boolean): IbmJobInfo & Record<string, unknown> => {
    const status = { queued: 'Queued', running: 'Running', done: 'Completed', failed: 'Failed', cancelled: 'Cancelled' }[job.status];
    const state: Record<string, unknown> = { status };
    if (job.status === 'failed') {
      state['reason'] = job.error ?? 'Job failed';
      state['reason_code'] = 1517;
    } else if (job.status === 'cancelled' && job.fault === 'cancel') {
      state['reason'] = 'Job was cancelled by the system';
    }
    return {
      id: job.id,
      backend: job.device,
      status,
      state: state as IbmJobInfo['state'],
      created: job.createdAt.toISOString(),
      ...(job.endedAt ? { ended: job.endedAt.toISOString() } : {}),
      session_id: job.meta.sessionId ?? null,
      tags: job.meta.tags,
      program: { id: 'sampler' },
      private: false,
      runtime: '',
      ...(withParams ? { params: job.meta.params } : {}),
    };
  };

  const submit = (req: EmulatorRequest): EmulatorReply => {
    const body = req.json as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') return err(400, 'The request body must be a JSON object');
    if (body['program_id'] !== 'sampler') return err(400, `program_id '${String(body['program_id'])}' is not served here (sampler)`);
    const backend = String(body['backend'] ?? '');
    const doc = device(backend);
    if (!doc) return err(404, `Backend ${backend} not found`, '1216');
    const params = body['params'] as Record<string, unknown> | undefined;
    const pubs = params?.['pubs'];
    if (!params || !Array.isArray(pubs) || pubs.length === 0) return err(400, 'params.pubs must be a non-empty array');
    if (params['version'] !== 2) return err(400, 'params.version must be 2 (Sampler V2)');
    if (params['support_qiskit'] === true) return err(400, 'this emulator returns plain JSON only (support_qiskit must not be set)');
    const opts = (params['options'] ?? {}) as Record<string, unknown>;
    const defaultShots =
      typeof opts['default_shots'] === 'number' ? opts['default_shots'] : typeof params['shots'] === 'number' ? params['shots'] : 4096;
    const runs: { circuit: Circuit; bindings?: Bindings[] }[] = [];
    const layouts: IbmJobMeta['pubs'][number][] = [];
    let shots: number | undefined;
    for (let i = 0; i < pubs.length; i++) {
      const pub = pubs[i] as unknown[];
      if (!Array.isArray(pub) || typeof pub[0] !== 'string') return err(400, `PUB ${i} must be [qasm, parameter values, shots]`);
      const text = pub[0];
      let circuit: Circuit;
      try {
        circuit = qasmToCircuit(text);
      } catch (e) {
        return err(400, `PUB ${i}: the OpenQASM 3 program could not be parsed: ${(e as Error).message}`);
      }
      if (!/\$\d+/.test(text))
        return err(400, `PUB ${i}: the circuit must act on physical qubits ($n): transpile it for the backend first`);
      try {
        validateForTarget(circuit, target);
      } catch (e) {
        return err(400, `PUB ${i}: The instruction is not ISA for the target: ${isQError(e) ? e.message : String(e)}`, '1517');
      }
      const pubShots = pub[2] === undefined || pub[2] === null ? defaultShots : pub[2];
      if (typeof pubShots !== 'number' || !Number.isInteger(pubShots) || pubShots < 1)
        return err(400, `PUB ${i}: shots must be a positive integer`);
      if (pubShots > (doc.configuration.max_shots ?? 100_000))
        return err(400, `PUB ${i}: ${pubShots} shots exceed the backend's max_shots`);
      if (shots !== undefined && shots !== pubShots) return err(400, 'PUBs with different shot counts are not supported by this emulator');
      shots = pubShots;
      const inputs = [...text.matchAll(/^\s*input\s+(?:float|angle)(?:\s*\[\s*\d+\s*\])?\s+([A-Za-z_][A-Za-z0-9_]*)\s*;/gm)].map(
        (m) => m[1]!,
      );
      // The service binds value columns in the circuit's parameter order, which Qiskit sorts by name.
      const order = [...inputs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const values = pub[1];
      let bindings: Bindings[] | undefined;
      let nested = false;
      if (order.length === 0) {
        if (values !== null && values !== undefined && !(Array.isArray(values) && values.length === 0))
          return err(400, `PUB ${i}: parameter values were given for a circuit without parameters`);
      } else if (Array.isArray(values)) {
        nested = values.length > 0 && Array.isArray(values[0]);
        const rows = (nested ? values : [values]) as unknown[][];
        for (const [r, row] of rows.entries()) {
          if (!Array.isArray(row) || row.length !== order.length || row.some((v) => typeof v !== 'number')) {
            return err(400, `PUB ${i}: parameter values row ${r} must hold ${order.length} numbers (${order.join(', ')})`);
          }
        }
        bindings = rows.map((row) => Object.fromEntries(order.map((n, k) => [n, row[k] as number])));
      } else if (values && typeof values === 'object') {
        const rec = values as Record<string, unknown>;
        const len = Array.isArray(rec[order[0]!]) ? (rec[order[0]!] as unknown[]).length : undefined;
        nested = len !== undefined;
        bindings = Array.from({ length: len ?? 1 }, (_, k) =>
          Object.fromEntries(order.map((n) => [n, Array.isArray(rec[n]) ? (rec[n] as number[])[k] : rec[n]])),
        ) as Bindings[];
        if (bindings.some((b) => order.some((n) => typeof b[n] !== 'number')))
          return err(400, `PUB ${i}: parameter values miss ${order.join(', ')}`);
      } else return err(400, `PUB ${i}: the circuit has parameters (${order.join(', ')}) but no values were given`);
      const registers = registersOf(text);
      if (registers.length === 0) return err(400, `PUB ${i}: the circuit has no classical registers to return`);
      runs.push({ circuit, ...(bindings ? { bindings } : {}) });
      layouts.push({ registers, numClbits: circuit.numClbits, nested });
    }
    const sessionId = typeof body['session_id'] === 'string' ? body['session_id'] : undefined;
    if (sessionId !== undefined) {
      const s = sessions.get(sessionId);
      if (!s) return err(400, `Session ${sessionId} not found`);
      if (!s.accepting) return err(400, `Session ${sessionId} is closed and accepts no new jobs`);
    }
    if (options.submitRateLimit) {
      const now = Date.now();
      const { count, windowMs } = options.submitRateLimit;
      while (submitTimes.length && submitTimes[0]! <= now - windowMs) submitTimes.shift();
      if (submitTimes.length >= count) {
        const wait = Math.max(1, Math.ceil((submitTimes[0]! + windowMs - now) / 1000));
        return {
          status: 429,
          headers: { 'retry-after': String(wait) },
          body: { errors: [{ code: '429', message: `Rate limit: ${count} jobs per window` }] },
        };
      }
      submitTimes.push(now);
    }
    const tags = Array.isArray(body['tags']) ? (body['tags'] as unknown[]).map(String) : [];
    const token = tags.find((t) => t.startsWith(TOKEN_TAG));
    server.countSubmission(token);
    const seed = options.seed !== undefined ? options.seed + jobIndex : Math.floor(Math.random() * 2 ** 31);
    jobIndex++;
    const request: RunRequest = { runs, shots: shots ?? defaultShots, seed };
    const id = `d${createHash('sha256').update(randomUUID()).digest('hex').slice(0, 19)}`;
    const job = jobs.create(backend, request, { params, tags, ...(sessionId ? { sessionId } : {}), pubs: layouts, seed }, id);
    return { status: 200, body: { id: job.id, backend } };
  };

  const results = async (req: EmulatorRequest): Promise<EmulatorReply> => {
    const job = jobs.get(req.params['id']!);
    if (!job) return err(404, `Job ${req.params['id']} not found`, '1291');
    if (job.status !== 'done' || !job.result) return err(409, `Job ${job.id} has no results: it is ${job.status}`);
    const rng = createRng(job.meta.seed ^ 0x9e3779b9);
    const out = job.meta.pubs.map((layout, p) => {
      const rows = job.result!.results[p]!.map((binding) => {
        // Per-shot records in a random order, as a device returns them.
        const shotsList: string[] = [];
        for (const [key, n] of Object.entries(binding.counts ?? {})) for (let k = 0; k < n; k++) shotsList.push(key);
        for (let k = shotsList.length - 1; k > 0; k--) {
          const j = Math.floor(rng.next() * (k + 1));
          [shotsList[k], shotsList[j]] = [shotsList[j]!, shotsList[k]!];
        }
        return shotsList;
      });
      const data: Record<string, { samples: string[] | string[][]; num_bits: number }> = {};
      let offset = 0;
      for (const r of layout.registers) {
        const lo = offset;
        offset += r.size;
        const hex = (key: string): string => {
          const bits = key.slice(key.length - lo - r.size, key.length - lo);
          return `0x${BigInt(`0b${bits || '0'}`).toString(16)}`;
        };
        const perBinding = rows.map((row) => row.map(hex));
        data[r.name] = { samples: layout.nested ? perBinding : perBinding[0]!, num_bits: r.size };
      }
      if (job.fault === 'missing-register' && p === 0) delete data[layout.registers[0]!.name];
      return { data, metadata: { circuit_metadata: {} } };
    });
    return {
      status: 200,
      body: { results: out, metadata: { execution: { execution_spans: [] }, version: 2 } },
    };
  };

  const routes: EmulatorRoute[] = [
    iam,
    {
      method: 'GET',
      path: `${API}/backends`,
      name: 'device',
      handle: () => ({
        status: 200,
        body: {
          devices: [...docs.values()].map((d) => ({
            name: d.configuration.backend_name,
            status: { name: 'online', reason: 'available' },
            qubits: d.configuration.n_qubits,
            queue_length: jobs
              .all()
              .filter((j) => j.device === d.configuration.backend_name && (j.status === 'queued' || j.status === 'running')).length,
            is_simulator: false,
            processor_type: d.configuration.processor_type,
          })),
        },
      }),
    },
    {
      method: 'GET',
      path: `${API}/backends/:name/:what`,
      name: 'device',
      handle: (req) => {
        const d = device(req.params['name']!);
        if (!d) return err(404, `Backend ${req.params['name']} not found`, '1216');
        switch (req.params['what']) {
          case 'configuration':
            return { status: 200, body: d.configuration };
          case 'properties':
            return { status: 200, body: d.properties };
          case 'status':
            return {
              status: 200,
              body: {
                state: true,
                status: 'active',
                length_queue: jobs.all().filter((j) => j.device === req.params['name'] && (j.status === 'queued' || j.status === 'running'))
                  .length,
                backend_version: d.configuration.backend_version,
              },
            };
          default:
            return err(404, `no such backend resource '${req.params['what']}'`);
        }
      },
    },
    { method: 'POST', path: `${API}/jobs`, name: 'submit', handle: submit },
    {
      method: 'GET',
      path: `${API}/jobs`,
      name: 'other',
      handle: (req) => {
        const want = req.query.getAll('tags').flatMap((t) => t.split(','));
        const backend = req.query.get('backend');
        const pending = req.query.get('pending');
        const limit = Math.min(200, Number(req.query.get('limit') ?? 200));
        const offset = Number(req.query.get('offset') ?? 0);
        const matched = jobs
          .all()
          .filter((j) => want.every((t) => j.meta.tags.includes(t)))
          .filter((j) => !backend || j.device === backend)
          .filter((j) => pending === null || (pending === 'true') === (j.status === 'queued' || j.status === 'running'))
          .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
        const page = matched.slice(offset, offset + limit).map((j) => jobInfo(j, req.query.get('exclude_params') !== 'true'));
        return { status: 200, body: { jobs: page, count: matched.length, limit, offset } };
      },
    },
    {
      method: 'GET',
      path: `${API}/jobs/:id`,
      name: 'status',
      handle: async (req) => {
        const job = await jobs.poll(req.params['id']!);
        if (!job) return err(404, `Job ${req.params['id']} not found`, '1291');
        return { status: 200, body: jobInfo(job, req.query.get('exclude_params') !== 'true') };
      },
    },
    { method: 'GET', path: `${API}/jobs/:id/results`, name: 'result', handle: results },
    {
      method: 'POST',
      path: `${API}/jobs/:id/cancel`,
      name: 'cancel',
      handle: (req) => {
        const job = jobs.get(req.params['id']!);
        if (!job) return err(404, `Job ${req.params['id']} not found`, '1291');
        if (job.status !== 'queued' && job.status !== 'running')
          return err(409, `Job ${job.id} is in a final state and cannot be cancelled`, '1307');
        jobs.cancel(job.id);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: `${API}/sessions`,
      name: 'other',
      handle: (req) => {
        const b = (req.json ?? {}) as Record<string, unknown>;
        const backend = String(b['backend'] ?? '');
        if (!device(backend)) return err(404, `Backend ${backend} not found`, '1216');
        if (b['mode'] !== 'batch' && b['mode'] !== 'dedicated') return err(400, "mode must be 'batch' or 'dedicated'");
        const id = randomUUID();
        sessions.set(id, { id, backend, mode: b['mode'], accepting: true, created: new Date().toISOString() });
        return { status: 200, body: { id, backend_name: backend, mode: b['mode'], state: 'open', accepting_jobs: true } };
      },
    },
    {
      method: 'GET',
      path: `${API}/sessions/:id`,
      name: 'other',
      handle: (req) => {
        const s = sessions.get(req.params['id']!);
        if (!s) return err(404, `Session ${req.params['id']} not found`);
        return {
          status: 200,
          body: {
            id: s.id,
            backend_name: s.backend,
            mode: s.mode,
            state: s.accepting ? 'open' : 'closed',
            accepting_jobs: s.accepting,
            started_at: s.created,
          },
        };
      },
    },
    {
      method: 'PATCH',
      path: `${API}/sessions/:id`,
      name: 'other',
      handle: (req) => {
        const s = sessions.get(req.params['id']!);
        if (!s) return err(404, `Session ${req.params['id']} not found`);
        if ((req.json as Record<string, unknown> | undefined)?.['accepting_jobs'] === false) s.accepting = false;
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      path: `${API}/sessions/:id/close`,
      name: 'other',
      handle: (req) => {
        const s = sessions.get(req.params['id']!);
        if (!s) return err(404, `Session ${req.params['id']} not found`);
        s.accepting = false;
        for (const j of jobs.all()) if (j.meta.sessionId === s.id) jobs.cancel(j.id);
        return { status: 204 };
      },
    },
  ];

  const server = new EmulatorServer({ provider: 'ibm', routes, authorize, faults });
  const url = await server.listen(options.port ?? 0, API);
  const root = url.slice(0, -API.length);
  return {
    url,
    server,
    jobs,
    env: {
      QBRIDGE_IBM_URL: url,
      QBRIDGE_IBM_IAM_URL: root,
      QBRIDGE_IBM_API_KEY: options.apiKey ?? 'emulator-api-key',
      QBRIDGE_IBM_CRN: EMULATOR_CRN,
    },
    close: () => server.close(),
  };
}
