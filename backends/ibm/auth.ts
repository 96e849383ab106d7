import { QError, isQError, registerSecret } from '../../src/index.js';
import { HttpClient } from '../common/http.js';

/**
 * IBM Cloud IAM: the API key is exchanged for a bearer token (`POST /identity/token`, form-encoded
 * `grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=...`) that lives about an hour. The token
 * is cached and exchanged again once 80% of its life has passed (what IBM's own SDK core does), so a
 * long training run never sends a token that is about to expire; a 401 from the Runtime API drops it
 * (`invalidate`) and the next request exchanges the key again.
 */
export const IAM_DEFAULT_URL = 'https://iam.cloud.ibm.com';
export const IAM_TOKEN_PATH = '/identity/token';
export const IAM_GRANT_TYPE = 'urn:ibm:params:oauth:grant-type:apikey';

export interface IamTokenResponse {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly token_type?: string;
  /** Lifetime in seconds (3600). */
  readonly expires_in?: number;
  /** Unix time (seconds) the token expires. */
  readonly expiration?: number;
}

export interface IamTokenSourceOptions {
  readonly apiKey: string;
  /** IAM base URL (default https://iam.cloud.ibm.com; QBRIDGE_IBM_IAM_URL points it at an emulator). */
  readonly iamUrl?: string;
  readonly trace?: (line: string) => void;
  /** Clock in ms (tests). */
  readonly now?: () => number;
  readonly retries?: number;
  readonly minDelayMs?: number;
}

export class IamTokenSource {
  /** Token exchanges made (tests and `--verbose` reports read it). */
  exchanges = 0;
  private token: { value: string; refreshAt: number; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private readonly http: HttpClient;
  private readonly now: () => number;

  constructor(private readonly options: IamTokenSourceOptions) {
    registerSecret(options.apiKey);
    this.now = options.now ?? Date.now;
    this.http = new HttpClient({
      provider: 'IBM Cloud IAM',
      baseURL: (options.iamUrl ?? IAM_DEFAULT_URL).replace(/\/+$/, ''),
      ...(options.trace ? { trace: options.trace } : {}),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.minDelayMs !== undefined ? { minDelayMs: options.minDelayMs, maxDelayMs: options.minDelayMs * 8 } : {}),
      errorMessage: iamErrorMessage,
    });
  }

  /** A valid access token: the cached one, or a fresh exchange (concurrent callers share one). */
  async get(signal?: AbortSignal): Promise<string> {
    const t = this.token;
    if (t && this.now() < t.refreshAt) return t.value;
    this.pending ??= this.exchange(signal).finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Forgets the cached token (after a 401: revoked or expired early). */
  invalidate(): void {
    this.token = undefined;
  }

  private async exchange(signal?: AbortSignal): Promise<string> {
    const body = new URLSearchParams({ grant_type: IAM_GRANT_TYPE, apikey: this.options.apiKey }).toString();
    let data: IamTokenResponse;
    try {
      // The exchange creates nothing, so it may be repeated like a GET.
      const res = await this.http.request<IamTokenResponse>({
        method: 'POST',
        url: IAM_TOKEN_PATH,
        rawBody: body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        idempotent: true,
        what: 'API key exchange',
        ...(signal ? { signal } : {}),
      });
      data = res.data;
    } catch (e) {
      // IAM answers an unknown or malformed key with 400 (BXNIM0415E): that is a credential problem.
      if (isQError(e) && (e.details['status'] === 400 || e.details['status'] === 401 || e.details['status'] === 403)) {
        throw new QError(
          'AUTH',
          `IBM Quantum: the API key was refused by IBM Cloud IAM (${String(e.details['status'])}): check QBRIDGE_IBM_API_KEY`,
          {
            details: { status: e.details['status'] },
            cause: e,
          },
        );
      }
      throw e;
    }
    if (!data || typeof data.access_token !== 'string' || data.access_token === '') {
      throw new QError('AUTH', 'IBM Quantum: IBM Cloud IAM returned no access token', { retriable: false });
    }
    registerSecret(data.access_token);
    if (data.refresh_token) registerSecret(data.refresh_token);
    this.exchanges++;
    const now = this.now();
    const life = typeof data.expires_in === 'number' && data.expires_in > 0 ? data.expires_in * 1000 : 3_600_000;
    const expiresAt = typeof data.expiration === 'number' && data.expiration > 0 ? data.expiration * 1000 : now + life;
    // Refresh at 80% of the lifetime, and never later than a minute before expiry.
    const refreshAt = Math.min(expiresAt - 0.2 * life, expiresAt - 60_000);
    this.token = { value: data.access_token, refreshAt, expiresAt };
    return data.access_token;
  }
}

/** IAM error bodies: `{errorCode, errorMessage}`. */
function iamErrorMessage(data: unknown): string | undefined {
  if (data && typeof data === 'object') {
    const d = data as Record<string, unknown>;
    if (typeof d['errorMessage'] === 'string') {
      return `${typeof d['errorCode'] === 'string' ? `${d['errorCode']} ` : ''}${d['errorMessage']}`;
    }
  }
  return undefined;
}
