import aws4 from 'aws4';
import { QError } from '../../src/index.js';
import { credential } from '../common/credentials.js';

/**
 * AWS Signature Version 4 for Braket (signing name `braket`) and S3 (`s3`), through aws4. Keys come
 * from AWS's standard variables via the shared credentials helper, which registers every value with
 * the secret redactor first; a signature is derived from the secret key and never contains it.
 */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** AWS credentials from the environment or `.env`; an AUTH error names the missing variables. */
export function awsCredentialsFromEnv(env: NodeJS.ProcessEnv = process.env): AwsCredentials {
  const accessKeyId = credential('AWS_ACCESS_KEY_ID', env);
  const secretAccessKey = credential('AWS_SECRET_ACCESS_KEY', env);
  const sessionToken = credential('AWS_SESSION_TOKEN', env);
  const missing = [accessKeyId ? undefined : 'AWS_ACCESS_KEY_ID', secretAccessKey ? undefined : 'AWS_SECRET_ACCESS_KEY'].filter(
    (x): x is string => x !== undefined,
  );
  if (!accessKeyId || !secretAccessKey) {
    throw new QError('AUTH', `Amazon Braket: no credential: set ${missing.join(' and ')} in the environment or in .env`, {
      details: { variables: missing },
    });
  }
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** True when AWS credentials are configured (for live tests and `qbridge backends`). */
export function hasAwsCredentials(env: NodeJS.ProcessEnv = process.env): boolean {
  return credential('AWS_ACCESS_KEY_ID', env) !== undefined && credential('AWS_SECRET_ACCESS_KEY', env) !== undefined;
}

export interface SignInput {
  readonly method: string;
  /** Absolute URL, query included, exactly as it will be sent. */
  readonly url: string;
  readonly body?: string;
  readonly service: string;
  readonly region: string;
  /** Headers that travel with the request and are signed (content-type, user-agent...). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Fixed clock for tests; default now. */
  readonly now?: Date;
}

/** `YYYYMMDDTHHMMSSZ`, the form SigV4 signs. */
export function amzDate(d: Date): string {
  return d.toISOString().replace(/[:-]|\.\d{3}/g, '');
}

/**
 * The headers that authenticate one request: Authorization, X-Amz-Date, X-Amz-Security-Token (with
 * temporary credentials) and, for S3, X-Amz-Content-Sha256.
 */
export function signRequest(input: SignInput, creds: AwsCredentials): Record<string, string> {
  const u = new URL(input.url);
  const headers: Record<string, string> = { ...input.headers, 'X-Amz-Date': amzDate(input.now ?? new Date()) };
  const opts: aws4.Request = {
    host: u.host,
    path: `${u.pathname}${u.search}`,
    method: input.method.toUpperCase(),
    service: input.service,
    region: input.region,
    headers,
    ...(input.body !== undefined ? { body: input.body } : {}),
  };
  aws4.sign(opts, creds);
  const signed = opts.headers as Record<string, string | number>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed)) {
    const lower = k.toLowerCase();
    if (lower === 'authorization' || lower.startsWith('x-amz-')) out[k] = String(v);
  }
  return out;
}
