import { QError, type IonqCharacterization } from '../../src/index.js';
import { HttpClient, type HttpRequest } from '../common/http.js';
import { baseUrl, requireCredential } from '../common/credentials.js';
import type { IonqGate } from './translate.js';

/**
 * The IonQ v0.4 REST API, HTTP only (no qbridge types beyond the wire shapes). Facts from the
 * official OpenAPI (shared/providers/ionq/openapi-v0.4.json) and research/providers.md §2:
 * base https://api.ionq.co/v0.4, `Authorization: apiKey <key>`, JSON bodies, errors as
 * `{statusCode, error, message, validation?}`.
 */
export const IONQ_DEFAULT_URL = 'https://api.ionq.co/v0.4';
export const IONQ_URL_ENV = 'QBRIDGE_IONQ_URL';
export const IONQ_KEY_ENV = 'QBRIDGE_IONQ_API_KEY';

export type IonqJobStatus = 'submitted' | 'ready' | 'started' | 'completed' | 'failed' | 'canceled';

export interface IonqArtifact {
  id?: string;
  format?: string;
  media_type?: string;
  /** Older descriptor shape qiskit-ionq still reads (`/v0.4/jobs/{id}/results/...`). */
  url?: string;
}

export interface IonqJob {
  id: string;
  status: IonqJobStatus;
  type: string;
  backend: string;
  name?: string | null;
  metadata?: Record<string, string> | null;
  parent_job_id?: string | null;
  child_job_ids?: string[] | null;
  shots?: number;
  failure?: { code: string; message: string } | null;
  results?: Record<string, IonqArtifact> | null;
  stats?: Record<string, unknown>;
  settings?: Record<string, unknown>;
  submitted_at?: string;
  completed_at?: string | null;
  execution_duration_ms?: number | null;
}

export interface IonqBackendInfo {
  backend: string;
  status: string;
  qubits: number;
  average_queue_time: number;
  last_updated: string;
  characterization_id?: string;
  degraded?: boolean;
  supported_gates?: string[];
  supported_native_gates?: string[];
  supported_error_mitigations?: string[];
}

export interface IonqQisOrNativeCircuit {
  name?: string;
  circuit: IonqGate[];
  qubits?: number;
  gateset?: 'qis' | 'native';
}

export interface IonqJobPayload {
  type: 'ionq.circuit.v1' | 'ionq.qasm3.v1' | 'ionq.multi-circuit.v1';
  backend: string;
  shots?: number;
  name?: string;
  metadata?: Record<string, string>;
  noise?: { model: string; seed?: number };
  settings?: {
    error_mitigation?: { debiasing?: boolean; symmetry_verification?: boolean };
    compilation?: Record<string, unknown>;
  };
  input:
    | { qubits: number; gateset: 'qis' | 'native'; circuit: IonqGate[] }
    | { data: string }
    | { qubits: number; gateset: 'qis' | 'native'; circuits: IonqQisOrNativeCircuit[] };
}

export interface IonqClientOptions {
  readonly apiKey?: string;
  readonly baseUrl?: string;
  readonly trace?: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /** Passed to HttpClient (tests shorten the backoff). */
  readonly retries?: number;
  readonly minDelayMs?: number;
  readonly timeoutMs?: number;
}

export class IonqClient {
  readonly http: HttpClient;
  readonly baseUrl: string;
  private readonly apiKey: string | undefined;

  constructor(options: IonqClientOptions = {}) {
    const env = options.env ?? process.env;
    this.baseUrl = options.baseUrl ?? baseUrl(IONQ_URL_ENV, IONQ_DEFAULT_URL, env);
    // The key is read lazily so the unauthenticated endpoints (GET /backends) work without one.
    this.apiKey = options.apiKey;
    const keyFor = (): string => this.apiKey ?? requireCredential(IONQ_KEY_ENV, 'IonQ', env);
    this.http = new HttpClient({
      provider: 'IonQ',
      baseURL: this.baseUrl,
      ...(options.trace ? { trace: options.trace } : {}),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.minDelayMs !== undefined ? { minDelayMs: options.minDelayMs, maxDelayMs: options.minDelayMs * 8 } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      // GET /backends... has `security: []` in the spec: no key needed (device listing works without one).
      headers: (req): Record<string, string> =>
        req.method === 'GET' && /^\/?backends(\/|$|\?)/.test(req.url) ? {} : { Authorization: `apiKey ${keyFor()}` },
      errorMessage: ionqErrorMessage,
    });
  }

  private req<T>(r: HttpRequest): Promise<T> {
    return this.http.request<T>(r).then((x) => x.data);
  }

  /** POST /jobs. Not idempotent (IonQ has no idempotency token): HttpClient never blindly repeats it. */
  createJob(payload: IonqJobPayload, signal?: AbortSignal): Promise<{ id: string; status: IonqJobStatus; session_id: string | null }> {
    return this.req({ method: 'POST', url: 'jobs', body: payload, signal, what: 'submit job' });
  }

  getJob(id: string, signal?: AbortSignal): Promise<IonqJob> {
    return this.req({ method: 'GET', url: `jobs/${encodeURIComponent(id)}`, signal, what: `read job ${id}` });
  }

  listJobs(
    query: { target?: string; limit?: number; next?: string; parent_job_id?: string },
    signal?: AbortSignal,
  ): Promise<{ jobs: IonqJob[]; next: string | null }> {
    return this.req({ method: 'GET', url: 'jobs', query, signal, what: 'list jobs' });
  }

  cancelJob(id: string, signal?: AbortSignal): Promise<{ id: string; status: 'canceled' }> {
    return this.req({ method: 'PUT', url: `jobs/${encodeURIComponent(id)}/status/cancel`, signal, what: `cancel job ${id}` });
  }

  probabilities(id: string, query: { sharpen?: boolean } = {}, signal?: AbortSignal): Promise<Record<string, number>> {
    return this.req({
      method: 'GET',
      url: `jobs/${encodeURIComponent(id)}/results/probabilities`,
      query,
      signal,
      what: `read results of job ${id}`,
    });
  }

  /** GET /jobs/{id}/artifacts/{artifactId}, or a descriptor's legacy `url` (with the version prefix dropped). */
  artifact<T>(jobId: string, a: IonqArtifact, signal?: AbortSignal): Promise<T> {
    const url =
      a.id !== undefined
        ? `jobs/${encodeURIComponent(jobId)}/artifacts/${encodeURIComponent(a.id)}`
        : (a.url ?? '').replace(/^\/?v0\.\d+\//, '').replace(/^\//, '');
    return this.req({ method: 'GET', url, signal, what: `read result artifact of job ${jobId}` });
  }

  backends(signal?: AbortSignal): Promise<IonqBackendInfo[]> {
    return this.req({ method: 'GET', url: 'backends', signal, what: 'list backends' }).then((x) => x as IonqBackendInfo[]);
  }

  backend(name: string, signal?: AbortSignal): Promise<IonqBackendInfo> {
    return this.req({ method: 'GET', url: `backends/${encodeURIComponent(name)}`, signal, what: `read backend ${name}` });
  }

  /** The backend's current characterization (by id when known, else the newest of the list). */
  async characterization(name: string, id?: string, signal?: AbortSignal): Promise<IonqCharacterization> {
    if (id)
      return this.req({
        method: 'GET',
        url: `backends/${encodeURIComponent(name)}/characterizations/${encodeURIComponent(id)}`,
        signal,
        what: `read characterization of ${name}`,
      });
    const page = await this.req<{ characterizations: IonqCharacterization[] }>({
      method: 'GET',
      url: `backends/${encodeURIComponent(name)}/characterizations`,
      query: { limit: 1 },
      signal,
      what: `read characterizations of ${name}`,
    });
    const ch = page.characterizations?.[0];
    if (!ch) throw new QError('PROVIDER', `IonQ: backend ${name} has no characterization`);
    return ch;
  }

  whoami(signal?: AbortSignal): Promise<{ key_id?: string; key_name?: string; project_id?: string }> {
    return this.req({ method: 'GET', url: 'whoami', signal, what: 'check the API key' });
  }
}

/** IonQ's error body: `{statusCode, error, message, validation?: {keys, source}}`. */
export function ionqErrorMessage(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return typeof data === 'string' && data.length < 300 ? data : undefined;
  const d = data as { error?: unknown; message?: unknown; validation?: { keys?: unknown } };
  const parts: string[] = [];
  if (typeof d.message === 'string') parts.push(d.message);
  else if (typeof d.error === 'string') parts.push(d.error);
  if (Array.isArray(d.validation?.keys) && d.validation.keys.length) parts.push(`(bad keys: ${d.validation.keys.join(', ')})`);
  return parts.length ? parts.join(' ').slice(0, 500) : undefined;
}
