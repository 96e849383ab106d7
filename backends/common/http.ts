import axios, { type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import pRetry from 'p-retry';
import { QError, isQError, redact, sleep } from '../../src/index.js';

/**
 * The one HTTP path every provider adapter uses: axios for transport, p-retry for exponential backoff
 * with jitter, a typed QError for every failure, and a redacted trace for `--verbose`.
 *
 * Retry policy (the part that protects paid jobs):
 * - GET/DELETE and other idempotent requests retry on network errors, timeouts, 429 and 5xx;
 * - a POST retries only when the provider certainly did not act on it: a 429 (rate-limited requests
 *   are refused, not queued) or a connection that was refused before anything was sent; any other
 *   failure of a POST throws with `details.ambiguous = true`, and the caller (the journal) looks the
 *   job up before sending again, unless the request carries the provider's idempotency token
 *   (`idempotent: true`, Braket's clientToken), in which case it retries like a GET;
 * - a 429 waits at least its `Retry-After` (seconds or HTTP date) before the next attempt;
 * - a 401 calls `onUnauthorized` once (an expired token is refreshed) and repeats the request.
 */
export interface HttpRequest {
  readonly method: Method;
  /** Absolute URL, or a path relative to the client's base URL. */
  readonly url: string;
  readonly body?: unknown;
  /** Raw body bytes/text (for signed requests the exact bytes matter). */
  readonly rawBody?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Safe to repeat (GET, or a POST carrying an idempotency token). Default: true for GET/HEAD/DELETE/PUT. */
  readonly idempotent?: boolean;
  readonly responseType?: 'json' | 'text' | 'arraybuffer';
  /** Statuses returned instead of thrown (e.g. 404 while a Braket task is being created). */
  readonly allowStatus?: readonly number[];
  readonly signal?: AbortSignal;
  /** Human name of the operation for error messages ("submit job"). */
  readonly what?: string;
}

export interface HttpResponse<T> {
  readonly status: number;
  readonly data: T;
  readonly headers: Readonly<Record<string, string>>;
}

export interface HttpClientOptions {
  /** Provider name used in messages ("IBM Quantum"). */
  readonly provider: string;
  readonly baseURL: string;
  /** Per-attempt timeout (default 30 s). */
  readonly timeoutMs?: number;
  /** Retries after the first attempt (default 5). */
  readonly retries?: number;
  /** First backoff delay (default 500 ms; doubles, with jitter, up to `maxDelayMs`). */
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Longest Retry-After honoured before giving up with RATE_LIMIT (default 120 s). */
  readonly maxRetryAfterMs?: number;
  /** Headers to add to each attempt (auth); called per attempt so refreshed tokens are used. */
  readonly headers?: (req: HttpRequest, url: string, body: string | undefined) => Promise<Record<string, string>> | Record<string, string>;
  /** Called on a 401 before one repeat of the request (drop a cached token). */
  readonly onUnauthorized?: () => void | Promise<void>;
  /** Receives one redacted line per exchange (`--verbose`). */
  readonly trace?: (line: string) => void;
  /** Extra error text from a provider's error body. */
  readonly errorMessage?: (data: unknown) => string | undefined;
}

/** Counters for reports and fault-injection tests. */
export interface HttpStats {
  requests: number;
  retries: number;
  rateLimited: number;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'PUT', 'OPTIONS']);

export class HttpClient {
  readonly stats: HttpStats = { requests: 0, retries: 0, rateLimited: 0 };
  private readonly axios: AxiosInstance;

  constructor(readonly options: HttpClientOptions) {
    // No axios retries, no redirects to other hosts with our headers, no throwing on status: we map statuses ourselves.
    this.axios = axios.create({ timeout: options.timeoutMs ?? 30_000, maxRedirects: 0, validateStatus: () => true, proxy: false });
  }

  url(path: string): string {
    if (/^https?:\/\//.test(path)) return path;
    return `${this.options.baseURL.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  }

  async request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    const method = req.method.toUpperCase();
    const idempotent = req.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const what = req.what ?? `${method} ${req.url}`;
    let refreshed = false;
    const attempt = async (): Promise<HttpResponse<T>> => {
      try {
        return await this.once<T>(req, what, idempotent);
      } catch (e) {
        if (isQError(e) && e.code === 'AUTH' && e.details['status'] === 401 && !refreshed && this.options.onUnauthorized) {
          refreshed = true;
          await this.options.onUnauthorized();
          return this.once<T>(req, what, idempotent);
        }
        throw e;
      }
    };
    return pRetry(attempt, {
      retries: this.options.retries ?? 5,
      factor: 2,
      minTimeout: this.options.minDelayMs ?? 500,
      maxTimeout: this.options.maxDelayMs ?? 20_000,
      randomize: true,
      signal: req.signal,
      shouldRetry: ({ error }) => isQError(error) && error.retriable,
      onFailedAttempt: async ({ error, retriesLeft }) => {
        if (!isQError(error) || !error.retriable || retriesLeft === 0) return;
        this.stats.retries++;
        const wait = error.details['retryAfterMs'];
        if (typeof wait === 'number' && wait > 0) await sleep(wait, req.signal);
      },
    });
  }

  private async once<T>(req: HttpRequest, what: string, idempotent: boolean): Promise<HttpResponse<T>> {
    const provider = this.options.provider;
    let url = this.url(req.url);
    if (req.query) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(req.query)) if (v !== undefined) q.set(k, String(v));
      const qs = q.toString();
      if (qs) url += (url.includes('?') ? '&' : '?') + qs;
    }
    const body = req.rawBody ?? (req.body === undefined ? undefined : JSON.stringify(req.body));
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...req.headers,
    };
    Object.assign(headers, await this.options.headers?.(req, url, body));
    this.stats.requests++;
    const started = Date.now();
    let res: AxiosResponse;
    try {
      res = await this.axios.request({
        method: req.method,
        url,
        data: body,
        headers,
        signal: req.signal,
        responseType: req.responseType === 'arraybuffer' ? 'arraybuffer' : 'text',
        transformResponse: (x: unknown) => x,
      });
    } catch (e) {
      const err = e as { code?: string; message?: string; name?: string };
      if (req.signal?.aborted || err.name === 'CanceledError') throw new QError('CANCELLED', `${provider}: ${what} aborted`);
      const code = err.code ?? 'ERR_NETWORK';
      const timeout = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
      // Refused connections never reached the server: safe to retry even for a POST.
      const neverSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
      this.trace(`${req.method} ${url} -> ${code} (${Date.now() - started} ms)`);
      throw new QError(
        timeout ? 'TIMEOUT' : 'PROVIDER',
        `${provider}: ${what} failed: ${timeout ? 'no response before the timeout' : code}`,
        {
          retriable: idempotent || neverSent,
          details: { network: code, ...(idempotent || neverSent ? {} : { ambiguous: true }) },
          cause: e,
        },
      );
    }
    const resHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers as Record<string, unknown>))
      if (v !== undefined) resHeaders[k.toLowerCase()] = String(v);
    this.trace(`${req.method} ${url} -> ${res.status} (${Date.now() - started} ms)`);
    let data: unknown = res.data;
    if (req.responseType !== 'arraybuffer' && req.responseType !== 'text' && typeof data === 'string' && data !== '') {
      try {
        data = JSON.parse(data);
      } catch {
        if (res.status < 300) {
          throw new QError('PROVIDER', `${provider}: ${what}: the response is not valid JSON`, {
            retriable: idempotent,
            details: { status: res.status, malformed: true, ...(idempotent ? {} : { ambiguous: true }) },
          });
        }
      }
    } else if (req.responseType === 'arraybuffer') {
      data = Buffer.from(data as ArrayBuffer);
    }
    if ((res.status >= 200 && res.status < 300) || req.allowStatus?.includes(res.status)) {
      return { status: res.status, data: data as T, headers: resHeaders };
    }
    throw this.statusError(res.status, data, resHeaders, what, idempotent);
  }

  private statusError(status: number, data: unknown, headers: Record<string, string>, what: string, idempotent: boolean): QError {
    const provider = this.options.provider;
    const said = this.options.errorMessage?.(data) ?? genericMessage(data);
    const tail = said ? `: ${said}` : '';
    if (status === 401 || status === 403) {
      return new QError(
        'AUTH',
        `${provider}: ${what} was refused (${status} ${status === 401 ? 'unauthorized: check the credential' : 'forbidden: the credential lacks access'})${tail}`,
        {
          details: { status },
        },
      );
    }
    if (status === 429) {
      this.stats.rateLimited++;
      const retryAfterMs = parseRetryAfter(headers['retry-after']);
      const max = this.options.maxRetryAfterMs ?? 120_000;
      return new QError(
        'RATE_LIMIT',
        `${provider}: ${what} was rate limited (429)${retryAfterMs !== undefined ? `; retry after ${Math.ceil(retryAfterMs / 1000)} s` : ''}${tail}`,
        {
          // A 429 is a refusal, so even a POST may be repeated.
          retriable: retryAfterMs === undefined || retryAfterMs <= max,
          details: { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
        },
      );
    }
    if (status >= 500) {
      return new QError('PROVIDER', `${provider}: ${what} failed on the provider's side (${status})${tail}`, {
        retriable: idempotent,
        details: { status, ...(idempotent ? {} : { ambiguous: true }) },
      });
    }
    if (status === 400 || status === 422) {
      return new QError('VALIDATION', `${provider}: ${what} was rejected as invalid (${status})${tail}`, { details: { status } });
    }
    return new QError('PROVIDER', `${provider}: ${what} failed (${status})${tail}`, { details: { status } });
  }

  private trace(line: string): void {
    this.options.trace?.(redact(`[${this.options.provider}] ${line}`));
  }
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/** The usual places providers put an error text: `message`, `error.message`, `errors[0].message`, `detail`. */
function genericMessage(data: unknown): string | undefined {
  if (typeof data === 'string') return data.length > 0 && data.length < 300 ? data : undefined;
  if (data === null || typeof data !== 'object') return undefined;
  const d = data as Record<string, unknown>;
  const pick = (x: unknown): string | undefined => (typeof x === 'string' && x.length > 0 ? x.slice(0, 500) : undefined);
  const err = d['error'];
  const errors = d['errors'];
  return (
    pick(d['message']) ??
    pick(d['detail']) ??
    (err && typeof err === 'object' ? pick((err as Record<string, unknown>)['message']) : pick(err)) ??
    (Array.isArray(errors) && errors[0] && typeof errors[0] === 'object'
      ? pick((errors[0] as Record<string, unknown>)['message'])
      : undefined)
  );
}
