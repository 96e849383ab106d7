/**
 * One error type for the whole project. Every failure a user can meet carries a stable `code`, a
 * `retriable` flag (read by the retry logic, never guessed from a message) and plain-data `details`.
 * Messages say what was wrong and where; they never contain a secret.
 */
import { redact } from './secrets.js';

export type ErrorCode =
  | 'VALIDATION'
  | 'QASM_PARSE'
  | 'COMPILE'
  | 'UNSUPPORTED'
  | 'AUTH'
  | 'RATE_LIMIT'
  | 'PROVIDER'
  | 'JOB_FAILED'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'BUDGET'
  | 'RESOURCE';

export interface QErrorOptions {
  retriable?: boolean;
  details?: Readonly<Record<string, unknown>>;
  cause?: unknown;
}

export class QError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: QErrorOptions = {}) {
    // Redacted at construction: a provider may echo a credential back in an error body.
    super(redact(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'QError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.details = options.details ?? {};
  }
}

/** Bad input from a user or a caller: arguments, files, shapes. */
export function validationError(message: string, details?: Record<string, unknown>): QError {
  return new QError('VALIDATION', message, { details });
}

/** A request that would exhaust memory or another local resource; refused before anything is allocated. */
export function resourceError(message: string, details?: Record<string, unknown>): QError {
  return new QError('RESOURCE', message, { details });
}

export function isQError(e: unknown): e is QError {
  return e instanceof QError;
}
