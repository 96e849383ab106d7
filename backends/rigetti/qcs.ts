import { QError, registerSecret, targetFromQcsIsa, type QcsInstructionSetArchitecture, type Target } from '../../src/index.js';
import { baseUrl, requireCredential } from '../common/credentials.js';
import { HttpClient } from '../common/http.js';

/**
 * Rigetti QCS REST, metadata only (research/providers.md §4.1): quantum processors and their
 * instruction-set architectures. Execution on QCS itself is gRPC (translation + controller services)
 * after compiling Quil with quilc, which this project does not do: Rigetti hardware is run through
 * Amazon Braket instead (backends/rigetti/index.ts).
 *
 * Auth: an OAuth2 refresh-token grant against QCS's Okta issuer gives a short-lived bearer token;
 * the refresh token comes from QBRIDGE_RIGETTI_REFRESH_TOKEN. Both are registered as secrets.
 */
export const QCS_API = 'https://api.qcs.rigetti.com';
export const QCS_ISSUER = 'https://auth.qcs.rigetti.com/oauth2/aus8jcovzG0gW2TUG355';
export const QCS_CLIENT_ID = '0oa3ykoirzDKpkfzk357';

export interface QcsClientOptions {
  /** API base (QBRIDGE_RIGETTI_URL, default https://api.qcs.rigetti.com). */
  readonly apiUrl?: string;
  /** OAuth issuer (QBRIDGE_RIGETTI_AUTH_URL, default QCS's Okta issuer). */
  readonly issuer?: string;
  readonly clientId?: string;
  /** Default: QBRIDGE_RIGETTI_REFRESH_TOKEN, read when a token is first needed. */
  readonly refreshToken?: string;
  readonly trace?: (line: string) => void;
  readonly retries?: number;
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
}

export interface QcsProcessor {
  id: string;
}

interface TokenReply {
  access_token: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
}

export class QcsClient {
  private readonly api: HttpClient;
  private readonly auth: HttpClient;
  private readonly options: QcsClientOptions;
  private readonly issuer: string;
  private token: { value: string; expiresAt: number } | undefined;
  private refresh: string | undefined;
  private tokenEndpoint: string | undefined;

  constructor(options: QcsClientOptions = {}) {
    this.options = options;
    this.issuer = (options.issuer ?? baseUrl('QBRIDGE_RIGETTI_AUTH_URL', QCS_ISSUER)).replace(/\/+$/, '');
    this.refresh = options.refreshToken;
    if (this.refresh) registerSecret(this.refresh);
    const common = {
      provider: 'Rigetti QCS',
      ...(options.trace ? { trace: options.trace } : {}),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.minDelayMs !== undefined ? { minDelayMs: options.minDelayMs } : {}),
      ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
      errorMessage: qcsError,
    };
    this.auth = new HttpClient({ ...common, baseURL: this.issuer });
    this.api = new HttpClient({
      ...common,
      baseURL: options.apiUrl ?? baseUrl('QBRIDGE_RIGETTI_URL', QCS_API),
      headers: async () => ({ Authorization: `Bearer ${await this.accessToken()}` }),
      // A 401 means the bearer token expired early or was revoked: refresh once and repeat.
      onUnauthorized: () => {
        this.token = undefined;
      },
    });
  }

  /** Token endpoint from the issuer's OpenID configuration, else `{issuer}/v1/token` (Okta's default). */
  private async endpoint(): Promise<string> {
    if (this.tokenEndpoint) return this.tokenEndpoint;
    try {
      const res = await this.auth.request<{ token_endpoint?: string }>({
        method: 'GET',
        url: `${this.issuer}/.well-known/openid-configuration`,
        what: 'read the OpenID configuration',
      });
      this.tokenEndpoint = res.data?.token_endpoint ?? `${this.issuer}/v1/token`;
    } catch (e) {
      if (e instanceof QError && (e.code === 'AUTH' || e.code === 'VALIDATION')) throw e;
      this.tokenEndpoint = `${this.issuer}/v1/token`;
    }
    return this.tokenEndpoint;
  }

  /** A bearer token, refreshed a minute before it expires. */
  async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.expiresAt - 60_000) return this.token.value;
    this.refresh ??= requireCredential('QBRIDGE_RIGETTI_REFRESH_TOKEN', 'Rigetti QCS');
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: this.options.clientId ?? QCS_CLIENT_ID,
      refresh_token: this.refresh,
    });
    const url = await this.endpoint();
    const res = await this.auth
      .request<TokenReply>({
        method: 'POST',
        url,
        rawBody: form.toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        // Refreshing creates nothing: repeating it is safe.
        idempotent: true,
        what: 'refresh the QCS access token',
      })
      .catch((e: unknown) => {
        // OAuth refuses a bad or expired refresh token with 400 invalid_grant: a credential problem.
        if (e instanceof QError && e.code === 'VALIDATION')
          throw new QError('AUTH', `${e.message} (check QBRIDGE_RIGETTI_REFRESH_TOKEN)`, { details: e.details, cause: e });
        throw e;
      });
    const t = res.data;
    if (!t || typeof t.access_token !== 'string' || t.access_token === '') {
      throw new QError('AUTH', 'Rigetti QCS: the token endpoint returned no access_token');
    }
    registerSecret(t.access_token);
    if (t.refresh_token) {
      // Okta may rotate the refresh token; the new one is a secret too.
      registerSecret(t.refresh_token);
      this.refresh = t.refresh_token;
    }
    this.token = { value: t.access_token, expiresAt: Date.now() + (t.expires_in ?? 3600) * 1000 };
    return t.access_token;
  }

  /** GET /v1/quantumProcessors, every page. */
  async listQuantumProcessors(): Promise<QcsProcessor[]> {
    const out: QcsProcessor[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.api.request<{ quantumProcessors: QcsProcessor[]; nextPageToken?: string }>({
        method: 'GET',
        url: '/v1/quantumProcessors',
        query: { pageSize: 100, pageToken },
        what: 'list quantum processors',
      });
      out.push(...(res.data.quantumProcessors ?? []));
      pageToken = res.data.nextPageToken || undefined;
    } while (pageToken);
    return out;
  }

  /** GET /v1/quantumProcessors/{id}/instructionSetArchitecture. */
  async instructionSetArchitecture(id: string): Promise<QcsInstructionSetArchitecture> {
    const res = await this.api.request<QcsInstructionSetArchitecture>({
      method: 'GET',
      url: `/v1/quantumProcessors/${encodeURIComponent(id)}/instructionSetArchitecture`,
      what: `read the instruction-set architecture of ${id}`,
    });
    return res.data;
  }

  /** A processor's Target from its ISA (src/target/qcs.ts). */
  async target(id: string): Promise<Target> {
    return targetFromQcsIsa(await this.instructionSetArchitecture(id), { name: id.toLowerCase(), source: `QCS ISA of ${id}` });
  }
}

/** QCS error bodies are `{code, message, requestId, validationErrors[]}`. */
function qcsError(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const d = data as Record<string, unknown>;
  const msg =
    typeof d['message'] === 'string' ? d['message'] : typeof d['error_description'] === 'string' ? d['error_description'] : undefined;
  if (msg === undefined) return undefined;
  const code = typeof d['code'] === 'string' ? `${d['code']}: ` : typeof d['error'] === 'string' ? `${d['error']}: ` : '';
  const req = typeof d['requestId'] === 'string' ? ` (request ${d['requestId']})` : '';
  return `${code}${msg.slice(0, 400)}${req}`;
}
