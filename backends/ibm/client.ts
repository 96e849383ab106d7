import { QError, isQError, validationError, type IbmConfiguration, type IbmProperties } from '../../src/index.js';
import { baseUrl, loadEnv, requireCredential } from '../common/credentials.js';
import { HttpClient, type HttpRequest } from '../common/http.js';
import { IAM_DEFAULT_URL, IamTokenSource } from './auth.js';

/**
 * The IBM Quantum Runtime REST API (https://quantum.cloud.ibm.com/api/v1), HTTP only. Every call
 * carries `Authorization: Bearer <IAM token>`, `Service-CRN: <instance CRN>` and a pinned
 * `IBM-API-Version`. Shapes follow research/providers.md §1 (qiskit-ibm-runtime @ 73514f0).
 */
export const IBM_PROVIDER = 'IBM Quantum';
/** The API version the adapter was written against (the SDK's pin at 73514f0). */
export const IBM_API_VERSION = '2026-04-15';

export interface IbmDeviceEntry {
  readonly name: string;
  readonly status?: { readonly name?: string; readonly reason?: string } | string;
  readonly queue_length?: number;
  readonly qubits?: number;
  readonly n_qubits?: number;
  readonly is_simulator?: boolean;
  readonly simulator?: boolean;
}

export interface IbmBackendStatus {
  readonly state?: boolean;
  readonly status?: string;
  readonly length_queue?: number;
  readonly backend_version?: string;
}

export interface IbmConfigurationDoc extends IbmConfiguration {
  readonly max_shots?: number;
  readonly max_experiments?: number;
  readonly simulator?: boolean;
  readonly [key: string]: unknown;
}

export type IbmApiStatus = 'Queued' | 'Running' | 'Completed' | 'Failed' | 'Cancelled' | string;

export interface IbmJobInfo {
  readonly id: string;
  readonly backend?: string;
  readonly status?: IbmApiStatus;
  readonly state?: {
    readonly status?: IbmApiStatus;
    readonly reason?: string;
    readonly reason_code?: number;
    readonly reasonCode?: number;
  };
  readonly created?: string;
  readonly session_id?: string | null;
  readonly tags?: readonly string[];
  readonly program?: { readonly id?: string };
  readonly params?: { readonly pubs?: readonly unknown[]; readonly [key: string]: unknown };
}

export interface IbmJobList {
  readonly jobs: readonly IbmJobInfo[];
  readonly count?: number;
  readonly limit?: number;
  readonly offset?: number;
}

/** A Sampler V2 PUB: [OpenQASM 3 text, parameter values (bindings x inputs) or null, shots]. */
export type IbmPub = readonly [string, readonly (readonly number[])[] | null, number];

export interface IbmJobPayload {
  readonly program_id: 'sampler';
  readonly backend: string;
  readonly params: {
    readonly pubs: readonly IbmPub[];
    readonly version: 2;
    readonly options: { readonly default_shots: number; readonly [key: string]: unknown };
  };
  readonly tags?: readonly string[];
  readonly session_id?: string;
  readonly private?: boolean;
}

export interface IbmResultRegister {
  readonly samples: readonly string[] | readonly (readonly string[])[];
  readonly num_bits?: number;
}

export interface IbmResults {
  readonly results: readonly {
    readonly data: Readonly<Record<string, IbmResultRegister>>;
    readonly metadata?: Readonly<Record<string, unknown>>;
  }[];
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface IbmClientOptions {
  /** IBM Cloud API key (default: QBRIDGE_IBM_API_KEY). */
  readonly apiKey?: string;
  /** Instance CRN (default: QBRIDGE_IBM_CRN); its region picks the endpoint. */
  readonly crn?: string;
  /** Runtime base URL (default: QBRIDGE_IBM_URL, else the CRN region's endpoint). */
  readonly url?: string;
  /** IAM base URL (default: QBRIDGE_IBM_IAM_URL, else https://iam.cloud.ibm.com). */
  readonly iamUrl?: string;
  /** Region when it should not come from the CRN (us-east, eu-de). */
  readonly region?: string;
  /** `IBM-API-Version` (default: QBRIDGE_IBM_API_VERSION, else IBM_API_VERSION). */
  readonly apiVersion?: string;
  readonly trace?: (line: string) => void;
  /** Retry tuning (tests). */
  readonly retries?: number;
  readonly minDelayMs?: number;
  readonly maxRetryAfterMs?: number;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Clock in ms for token expiry (tests). */
  readonly now?: () => number;
}

/** The region of an instance CRN: field 6 of `crn:v1:bluemix:public:quantum-computing:<region>:a/<acct>:<inst>::`. */
export function regionFromCrn(crn: string): string {
  const parts = crn.split(':');
  if (parts.length < 8 || parts[0] !== 'crn' || parts[5] === undefined || parts[5] === '') {
    throw validationError(
      'IBM Quantum: QBRIDGE_IBM_CRN is not an instance CRN (crn:v1:bluemix:public:quantum-computing:<region>:a/<account>:<instance>::)',
    );
  }
  return parts[5];
}

/** The Runtime endpoint of a region: us-east is the bare host, others are prefixed (eu-de.quantum...). */
export function runtimeUrlForRegion(region: string): string {
  if (!/^[a-z]+-[a-z]+$/.test(region)) throw validationError(`IBM Quantum: '${region}' is not an IBM Cloud region name (us-east, eu-de)`);
  return region === 'us-east' ? 'https://quantum.cloud.ibm.com/api/v1' : `https://${region}.quantum.cloud.ibm.com/api/v1`;
}

export class IbmClient {
  readonly http: HttpClient;
  readonly tokens: IamTokenSource;
  readonly crn: string;
  readonly url: string;
  readonly apiVersion: string;

  constructor(options: IbmClientOptions = {}) {
    const env = options.env ?? process.env;
    const apiKey = options.apiKey ?? requireCredential('QBRIDGE_IBM_API_KEY', IBM_PROVIDER, env);
    this.crn = options.crn ?? requireCredential('QBRIDGE_IBM_CRN', IBM_PROVIDER, env);
    const regional = (): string => runtimeUrlForRegion(options.region ?? regionFromCrn(this.crn));
    this.url = (options.url ?? baseUrl('QBRIDGE_IBM_URL', '', env)) || regional();
    this.apiVersion = options.apiVersion ?? credentialFree('QBRIDGE_IBM_API_VERSION', env) ?? IBM_API_VERSION;
    const tuning = {
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.minDelayMs !== undefined ? { minDelayMs: options.minDelayMs, maxDelayMs: options.minDelayMs * 8 } : {}),
    };
    this.tokens = new IamTokenSource({
      apiKey,
      iamUrl: options.iamUrl ?? baseUrl('QBRIDGE_IBM_IAM_URL', IAM_DEFAULT_URL, env),
      ...(options.trace ? { trace: options.trace } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...tuning,
    });
    this.http = new HttpClient({
      provider: IBM_PROVIDER,
      baseURL: this.url,
      ...tuning,
      ...(options.maxRetryAfterMs !== undefined ? { maxRetryAfterMs: options.maxRetryAfterMs } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.trace ? { trace: options.trace } : {}),
      headers: async (req: HttpRequest) => ({
        Authorization: `Bearer ${await this.tokens.get(req.signal)}`,
        'Service-CRN': this.crn,
        'IBM-API-Version': this.apiVersion,
      }),
      onUnauthorized: () => this.tokens.invalidate(),
    });
  }

  // ---- backends ---------------------------------------------------------------------------------

  async listBackends(signal?: AbortSignal): Promise<IbmDeviceEntry[]> {
    const res = await this.http.request<{ devices?: IbmDeviceEntry[] }>({ method: 'GET', url: '/backends', what: 'list backends', signal });
    if (!Array.isArray(res.data?.devices)) throw malformed('GET /backends', 'devices');
    return res.data.devices;
  }

  async configuration(name: string, signal?: AbortSignal): Promise<IbmConfigurationDoc> {
    return this.device<IbmConfigurationDoc>(name, 'configuration', signal);
  }

  async properties(name: string, signal?: AbortSignal): Promise<IbmProperties> {
    return this.device<IbmProperties>(name, 'properties', signal);
  }

  async backendStatus(name: string, signal?: AbortSignal): Promise<IbmBackendStatus> {
    return this.device<IbmBackendStatus>(name, 'status', signal);
  }

  private async device<T>(name: string, what: 'configuration' | 'properties' | 'status', signal?: AbortSignal): Promise<T> {
    try {
      const res = await this.http.request<T>({
        method: 'GET',
        url: `/backends/${encodeURIComponent(name)}/${what}`,
        what: `read ${what} of backend '${name}'`,
        signal,
      });
      return res.data;
    } catch (e) {
      if (isQError(e) && e.details['status'] === 404) {
        throw new QError('VALIDATION', `IBM Quantum: no backend '${name}' in this instance (see \`qbridge backends --provider ibm\`)`, {
          details: { status: 404, backend: name },
          cause: e,
        });
      }
      throw e;
    }
  }

  // ---- jobs -------------------------------------------------------------------------------------

  /**
   * `POST /jobs`. Not idempotent: a 5xx or a dropped connection leaves it unknown whether the job
   * exists, so the error carries `details.ambiguous` and the journal looks the job up by its tag
   * instead of sending again. A 429 (refused) is retried after its Retry-After.
   */
  async createJob(payload: IbmJobPayload, signal?: AbortSignal): Promise<{ id: string; backend?: string }> {
    try {
      const res = await this.http.request<{ id?: string; backend?: string }>({
        method: 'POST',
        url: '/jobs',
        body: payload,
        idempotent: false,
        what: 'submit job',
        signal,
      });
      if (typeof res.data?.id !== 'string' || res.data.id === '') throw malformed('POST /jobs', 'id');
      return { id: res.data.id, ...(res.data.backend ? { backend: res.data.backend } : {}) };
    } catch (e) {
      // 409 is IBM's "Usage exceeds instance limit": the plan's quota, not a transient failure.
      if (isQError(e) && e.details['status'] === 409) {
        throw new QError('BUDGET', `IBM Quantum: the job was refused: ${e.message.replace(/^IBM Quantum: /, '')}`, {
          details: { status: 409 },
          cause: e,
        });
      }
      throw e;
    }
  }

  async job(id: string, options: { signal?: AbortSignal; params?: boolean } = {}): Promise<IbmJobInfo> {
    const res = await this.http.request<IbmJobInfo>({
      method: 'GET',
      url: `/jobs/${encodeURIComponent(id)}`,
      query: options.params ? {} : { exclude_params: true },
      what: `read job ${id}`,
      signal: options.signal,
    });
    return res.data;
  }

  async results(id: string, signal?: AbortSignal): Promise<IbmResults> {
    const res = await this.http.request<IbmResults>({
      method: 'GET',
      url: `/jobs/${encodeURIComponent(id)}/results`,
      what: `read results of job ${id}`,
      signal,
    });
    if (!res.data || !Array.isArray(res.data.results)) throw malformed(`GET /jobs/${id}/results`, 'results');
    return res.data;
  }

  /** `POST /jobs/{id}/cancel` (204). Repeating a cancel is harmless, so it is retried like a GET. */
  async cancelJob(id: string, signal?: AbortSignal): Promise<void> {
    await this.http.request({
      method: 'POST',
      url: `/jobs/${encodeURIComponent(id)}/cancel`,
      idempotent: true,
      what: `cancel job ${id}`,
      signal,
    });
  }

  /** `GET /jobs?tags=...`: jobs carrying every given tag, newest first. */
  async listJobs(query: { tags?: string; backend?: string; limit?: number; pending?: boolean }, signal?: AbortSignal): Promise<IbmJobList> {
    const res = await this.http.request<IbmJobList>({
      method: 'GET',
      url: '/jobs',
      query: {
        limit: query.limit ?? 10,
        exclude_params: true,
        ...(query.tags !== undefined ? { tags: query.tags } : {}),
        ...(query.backend !== undefined ? { backend: query.backend } : {}),
        ...(query.pending !== undefined ? { pending: query.pending } : {}),
      },
      what: 'list jobs',
      signal,
    });
    if (!Array.isArray(res.data?.jobs)) throw malformed('GET /jobs', 'jobs');
    return res.data;
  }

  // ---- sessions and batches ---------------------------------------------------------------------

  /** `POST /sessions` with mode `batch` or `dedicated` (a session); returns its id. */
  async createSession(backend: string, mode: 'batch' | 'dedicated', maxTtlS?: number, signal?: AbortSignal): Promise<string> {
    const res = await this.http.request<{ id?: string }>({
      method: 'POST',
      url: '/sessions',
      body: { backend, mode, ...(maxTtlS !== undefined ? { max_ttl: maxTtlS } : {}) },
      idempotent: false,
      what: `open ${mode === 'batch' ? 'batch' : 'session'}`,
      signal,
    });
    if (typeof res.data?.id !== 'string') throw malformed('POST /sessions', 'id');
    return res.data.id;
  }

  /** `PATCH /sessions/{id}` `{accepting_jobs: false}`: no new jobs; queued ones still run. */
  async closeSession(id: string, signal?: AbortSignal): Promise<void> {
    await this.http.request({
      method: 'PATCH',
      url: `/sessions/${encodeURIComponent(id)}`,
      body: { accepting_jobs: false },
      idempotent: true,
      what: `close session ${id}`,
      signal,
    });
  }

  /** `DELETE /sessions/{id}/close`: ends the session and cancels its queued jobs. */
  async cancelSession(id: string, signal?: AbortSignal): Promise<void> {
    await this.http.request({ method: 'DELETE', url: `/sessions/${encodeURIComponent(id)}/close`, what: `cancel session ${id}`, signal });
  }
}

function malformed(where: string, field: string): QError {
  return new QError('PROVIDER', `IBM Quantum: ${where} answered without '${field}'`, { details: { malformed: true } });
}

/** A non-secret setting from the environment (not registered with the redactor). */
function credentialFree(name: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env === process.env) loadEnv();
  const v = env[name]?.trim();
  return v ? v : undefined;
}
