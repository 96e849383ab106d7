import { QError, sleep } from '../../src/index.js';
import { baseUrl } from '../common/credentials.js';
import { HttpClient, type HttpRequest, type HttpStats } from '../common/http.js';
import { awsCredentialsFromEnv, signRequest, type AwsCredentials } from './sigv4.js';

/**
 * The Amazon Braket REST API (botocore `braket/2019-09-01/service-2.json`, research/providers.md §3)
 * and the S3 GET that reads results, over the shared HttpClient. HTTP only: no circuits here.
 *
 * - Every request is SigV4-signed in the region it goes to (the device's, or the task's).
 * - `action`, `deviceParameters` and `deviceCapabilities` are JSON documents inside strings.
 * - CreateQuantumTask carries `clientToken`, Braket's idempotency token, so a retried POST cannot
 *   create a second task: it is sent with `idempotent: true` and retried like a GET.
 * - ARNs in paths are URL-encoded (they hold ':' and '/').
 */
export type BraketTaskStatus = 'CREATED' | 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLING' | 'CANCELLED';

export interface CreateQuantumTaskRequest {
  clientToken: string;
  deviceArn: string;
  deviceParameters?: string;
  shots: number;
  outputS3Bucket: string;
  outputS3KeyPrefix: string;
  action: string;
  tags?: Record<string, string>;
}

export interface QuantumTask {
  quantumTaskArn: string;
  status: BraketTaskStatus;
  failureReason?: string;
  deviceArn: string;
  deviceParameters: string;
  shots: number;
  outputS3Bucket: string;
  outputS3Directory: string;
  createdAt: string;
  endedAt?: string;
  tags?: Record<string, string>;
  queueInfo?: { queue: string; position: string; queuePriority?: string; message?: string };
  numSuccessfulShots?: number;
  actionMetadata?: { actionType: string; programCount?: number; executableCount?: number };
}

export interface BraketDevice {
  deviceArn: string;
  deviceName: string;
  providerName: string;
  deviceType: 'QPU' | 'SIMULATOR';
  deviceStatus: 'ONLINE' | 'OFFLINE' | 'RETIRED';
  /** JSON string. */
  deviceCapabilities: string;
  deviceQueueInfo?: { queue: string; queueSize: string; queuePriority?: string }[];
}

export interface DeviceSummary {
  deviceArn: string;
  deviceName: string;
  providerName: string;
  deviceType: 'QPU' | 'SIMULATOR';
  deviceStatus: 'ONLINE' | 'OFFLINE' | 'RETIRED';
}

export interface BraketClientOptions {
  /** Region for region-less (simulator) ARNs and device search (default AWS_REGION, else us-east-1). */
  readonly region?: string;
  /** Default: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, read on first use. */
  readonly credentials?: AwsCredentials;
  /** Braket endpoint for every region (QBRIDGE_BRAKET_URL; an emulator). */
  readonly braketUrl?: string;
  /** S3 endpoint, path-style (QBRIDGE_S3_URL; an emulator). */
  readonly s3Url?: string;
  readonly trace?: (line: string) => void;
  readonly retries?: number;
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly timeoutMs?: number;
  /** How long GetQuantumTask's 404 is taken for eventual consistency after a create (default 30 s). */
  readonly notFoundGraceMs?: number;
  /** The same for a task attached by ARN, whose age is unknown (default 5 s). */
  readonly attachNotFoundGraceMs?: number;
  /** Clock for signing (tests). */
  readonly now?: () => Date;
}

/** Braket reads the schema version from the User-Agent: without BraketSchemas >= 1.8 GetDevice omits OpenQASM details. */
export const USER_AGENT = 'qbridge/0.1.0 BraketSchemas/1.26.0 NotebookInstance/None';

type Service = 'braket' | 's3' | 'sts';

export class BraketClient {
  readonly region: string;
  private readonly options: BraketClientOptions;
  private creds: AwsCredentials | undefined;
  private readonly clients = new Map<string, HttpClient>();
  private readonly braketUrl: string | undefined;
  private readonly s3Url: string | undefined;

  constructor(options: BraketClientOptions = {}) {
    this.options = options;
    this.region = options.region ?? (baseUrl('AWS_REGION', '') || baseUrl('AWS_DEFAULT_REGION', '') || 'us-east-1');
    this.creds = options.credentials;
    const b = options.braketUrl ?? baseUrl('QBRIDGE_BRAKET_URL', '');
    const s = options.s3Url ?? baseUrl('QBRIDGE_S3_URL', '');
    this.braketUrl = b === '' ? undefined : b.replace(/\/+$/, '');
    this.s3Url = s === '' ? undefined : s.replace(/\/+$/, '');
  }

  /** How long a 404 from GetQuantumTask is retried: for a task created by this process, or an attached one. */
  notFoundGrace(createdHere: boolean): number {
    return createdHere ? (this.options.notFoundGraceMs ?? 30_000) : (this.options.attachNotFoundGraceMs ?? 5_000);
  }

  /** Requests and retries over every endpoint used so far. */
  get stats(): HttpStats {
    const s: HttpStats = { requests: 0, retries: 0, rateLimited: 0 };
    for (const c of this.clients.values()) {
      s.requests += c.stats.requests;
      s.retries += c.stats.retries;
      s.rateLimited += c.stats.rateLimited;
    }
    return s;
  }

  private credentials(): AwsCredentials {
    return (this.creds ??= awsCredentialsFromEnv());
  }

  /** One HttpClient per (service, region), each signing for its own scope. */
  private http(service: Service, region: string): HttpClient {
    const key = `${service}:${region}`;
    let c = this.clients.get(key);
    if (c) return c;
    const o = this.options;
    const base =
      service === 'braket'
        ? (this.braketUrl ?? `https://braket.${region}.amazonaws.com`)
        : service === 's3'
          ? (this.s3Url ?? `https://s3.${region}.amazonaws.com`)
          : `https://sts.${region}.amazonaws.com`;
    c = new HttpClient({
      provider: 'Amazon Braket',
      baseURL: base,
      ...(o.trace ? { trace: o.trace } : {}),
      ...(o.retries !== undefined ? { retries: o.retries } : {}),
      ...(o.minDelayMs !== undefined ? { minDelayMs: o.minDelayMs } : {}),
      ...(o.maxDelayMs !== undefined ? { maxDelayMs: o.maxDelayMs } : {}),
      ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
      // Signed per attempt: a retry gets a fresh X-Amz-Date.
      headers: (req: HttpRequest, url: string, body: string | undefined) =>
        signRequest(
          {
            method: req.method,
            url,
            ...(body !== undefined ? { body, headers: { 'Content-Type': 'application/json' } } : {}),
            service,
            region,
            ...(o.now ? { now: o.now() } : {}),
          },
          this.credentials(),
        ),
      errorMessage: errorText,
    });
    this.clients.set(key, c);
    return c;
  }

  private regionFor(arn: string): string {
    const m = /^arn:aws[a-z-]*:braket:([a-z0-9-]*):/.exec(arn);
    return m && m[1] !== '' ? m[1] : this.region;
  }

  /** POST /quantum-task (201). Safe to repeat: the clientToken makes it idempotent. */
  async createQuantumTask(body: CreateQuantumTaskRequest, region: string, signal?: AbortSignal): Promise<string> {
    const res = await this.http('braket', region).request<{ quantumTaskArn: string }>({
      method: 'POST',
      url: '/quantum-task',
      body,
      idempotent: true,
      headers: { 'User-Agent': USER_AGENT },
      what: 'create quantum task',
      ...(signal ? { signal } : {}),
    });
    const arn = res.data?.quantumTaskArn;
    if (typeof arn !== 'string' || arn === '') {
      throw new QError('PROVIDER', 'Amazon Braket: create quantum task: the reply has no quantumTaskArn', {
        details: { status: res.status },
      });
    }
    return arn;
  }

  /**
   * GET /quantum-task/{arn}?additionalAttributeNames=QueueInfo. A task can be invisible for a moment
   * after CreateQuantumTask returns (eventual consistency, which the Braket SDK also retries): a 404
   * within `graceMs` of the creation is retried; after that it means "no such task".
   */
  async getQuantumTask(arn: string, o: { signal?: AbortSignal; graceMs?: number } = {}): Promise<QuantumTask> {
    const grace = o.graceMs ?? 0;
    const start = Date.now();
    let delay = 200;
    for (;;) {
      const res = await this.http('braket', this.regionFor(arn)).request<QuantumTask | { message?: string }>({
        method: 'GET',
        url: `/quantum-task/${encodeURIComponent(arn)}`,
        query: { additionalAttributeNames: 'QueueInfo' },
        allowStatus: [404],
        headers: { 'User-Agent': USER_AGENT },
        what: 'get quantum task',
        ...(o.signal ? { signal: o.signal } : {}),
      });
      if (res.status !== 404) return res.data as QuantumTask;
      if (Date.now() - start + delay > grace) {
        throw new QError('VALIDATION', `Amazon Braket: no quantum task ${arn} (404 ResourceNotFoundException)`, {
          details: { status: 404, taskArn: arn },
        });
      }
      await sleep(delay, o.signal);
      delay = Math.min(delay * 2, 5000);
    }
  }

  /** PUT /quantum-task/{arn}/cancel with a clientToken. */
  async cancelQuantumTask(
    arn: string,
    clientToken: string,
  ): Promise<{ quantumTaskArn: string; cancellationStatus: 'CANCELLING' | 'CANCELLED' }> {
    const res = await this.http('braket', this.regionFor(arn)).request<{
      quantumTaskArn: string;
      cancellationStatus: 'CANCELLING' | 'CANCELLED';
    }>({
      method: 'PUT',
      url: `/quantum-task/${encodeURIComponent(arn)}/cancel`,
      body: { clientToken },
      headers: { 'User-Agent': USER_AGENT },
      what: 'cancel quantum task',
    });
    return res.data;
  }

  /** GET /device/{arn}. */
  async getDevice(arn: string): Promise<BraketDevice> {
    const res = await this.http('braket', this.regionFor(arn)).request<BraketDevice>({
      method: 'GET',
      url: `/device/${encodeURIComponent(arn)}`,
      headers: { 'User-Agent': USER_AGENT },
      what: `get device ${arn}`,
    });
    return res.data;
  }

  /** POST /devices (SearchDevices), every page. A read: repeating it is harmless. */
  async searchDevices(region: string = this.region): Promise<DeviceSummary[]> {
    const out: DeviceSummary[] = [];
    let nextToken: string | undefined;
    do {
      const res = await this.http('braket', region).request<{ devices: DeviceSummary[]; nextToken?: string }>({
        method: 'POST',
        url: '/devices',
        body: { filters: [], maxResults: 100, ...(nextToken ? { nextToken } : {}) },
        idempotent: true,
        headers: { 'User-Agent': USER_AGENT },
        what: 'search devices',
      });
      out.push(...(res.data.devices ?? []));
      nextToken = res.data.nextToken ?? undefined;
    } while (nextToken);
    return out;
  }

  /** The URL of an S3 object: path-style on an override endpoint, virtual-hosted on AWS. */
  s3ObjectUrl(bucket: string, key: string, region: string): string {
    const path = key.split('/').map(encodeURIComponent).join('/');
    if (this.s3Url) return `${this.s3Url}/${encodeURIComponent(bucket)}/${path}`;
    // Virtual-hosted style is AWS's current form; buckets with dots break its TLS name, so they go path-style.
    if (bucket.includes('.')) return `https://s3.${region}.amazonaws.com/${bucket}/${path}`;
    return `https://${bucket}.s3.${region}.amazonaws.com/${path}`;
  }

  /** Signed S3 GetObject; the body as text. A bucket in another region is followed once. */
  async getS3Object(bucket: string, key: string, region: string, signal?: AbortSignal): Promise<string> {
    const get = (r: string) =>
      this.http('s3', r).request<string>({
        method: 'GET',
        url: this.s3ObjectUrl(bucket, key, r),
        responseType: 'text',
        allowStatus: [301, 400],
        what: `read s3://${bucket}/${key}`,
        ...(signal ? { signal } : {}),
      });
    let res = await get(region);
    const other = res.headers['x-amz-bucket-region'];
    if ((res.status === 301 || res.status === 400) && other && other !== region) res = await get(other);
    if (res.status !== 200) {
      throw new QError('PROVIDER', `Amazon Braket: read s3://${bucket}/${key} failed (${res.status})${s3Message(res.data)}`, {
        details: { status: res.status },
      });
    }
    return res.data;
  }

  /** The AWS account id (STS GetCallerIdentity), for the SDK's default bucket name. */
  async accountId(): Promise<string> {
    const res = await this.http('sts', this.region).request<string>({
      method: 'GET',
      url: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      responseType: 'text',
      what: 'look up the AWS account (STS GetCallerIdentity)',
    });
    const m = /<Account>(\d+)<\/Account>/.exec(res.data) ?? /"Account"\s*:\s*"(\d+)"/.exec(res.data);
    if (!m) throw new QError('PROVIDER', 'Amazon Braket: STS GetCallerIdentity: no account id in the reply');
    return m[1];
  }
}

/** Braket error bodies are `{message}` (some services say `Message`); the error type rides in `__type`. */
function errorText(data: unknown): string | undefined {
  if (typeof data === 'string') return s3Message(data).replace(/^: /, '') || undefined;
  if (data === null || typeof data !== 'object') return undefined;
  const d = data as Record<string, unknown>;
  const msg = typeof d['message'] === 'string' ? d['message'] : typeof d['Message'] === 'string' ? d['Message'] : undefined;
  const failures = Array.isArray(d['programSetValidationFailures']) ? d['programSetValidationFailures'] : [];
  const first = failures.length ? ` (first program-set failure: ${JSON.stringify(failures[0]).slice(0, 300)})` : '';
  return msg === undefined ? undefined : `${msg.slice(0, 500)}${first}`;
}

function s3Message(text: unknown): string {
  if (typeof text !== 'string') return '';
  const m = /<Message>([^<]*)<\/Message>/.exec(text);
  return m ? `: ${m[1]}` : '';
}
