import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { QError, validationError } from '../errors.js';
import { circuitFromJSON, circuitToJSON, type CircuitDocument } from '../ir/json.js';
import type { Bindings } from '../ir/params.js';
import type { PauliSum } from '../ir/pauli.js';
import { atomicWriteFileSync } from '../io/atomicWrite.js';
import { redactData } from '../secrets.js';
import type { RunRequest, RunResult } from './backend.js';
import { executionCount } from './validate.js';

/**
 * The job journal: one small JSON file per submission under `.qbridge/jobs/` (or `QBRIDGE_HOME/jobs`).
 * A submission is written BEFORE it is sent (state `pending`, with the idempotency token that goes
 * to the provider), updated with the provider's job id right after, and with the results on
 * completion. A process that crashes anywhere in between finds the entry again by its content
 * address (the request's hash), so it re-attaches instead of paying for the same job twice.
 * Every write is atomic (temp file, fsync, rename) and passes through the secret redactor.
 */
export type JournalState = 'pending' | 'submitted' | 'done' | 'failed' | 'cancelled';

export const JOURNAL_FORMAT = 'qbridge.job';
export const JOURNAL_VERSION = 1;

export interface JournalEntry {
  readonly format: typeof JOURNAL_FORMAT;
  readonly version: typeof JOURNAL_VERSION;
  /** Content address: sha256 of the backend id and the canonical request (circuits, bindings, shots, seed, tags). */
  readonly key: string;
  readonly backend: string;
  readonly provider: string;
  /** Idempotency token sent with the submission (Braket `clientToken`; a job tag elsewhere). */
  readonly clientToken: string;
  readonly state: JournalState;
  /** Attempts made for this key (a failed or cancelled job is retried as a new attempt). */
  readonly attempt: number;
  readonly providerJobId?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly shots: number;
  readonly circuits: number;
  readonly executions: number;
  readonly tags?: Readonly<Record<string, string>>;
  readonly error?: { readonly code: string; readonly message: string };
  readonly result?: RunResult;
  /** The request itself, so `qbridge jobs resume` can re-send a submission that never reached the provider. */
  readonly request?: StoredRequest;
}

/** A RunRequest as plain JSON (circuits as qbridge.circuit documents). */
export interface StoredRequest {
  readonly runs: readonly { readonly circuit: CircuitDocument; readonly bindings?: readonly Bindings[] }[];
  readonly shots: number;
  readonly seed?: number;
  readonly observables?: readonly PauliSum[];
  readonly tags?: Readonly<Record<string, string>>;
}

export function storeRequest(r: RunRequest): StoredRequest {
  return {
    runs: r.runs.map((x) => ({ circuit: circuitToJSON(x.circuit), ...(x.bindings ? { bindings: x.bindings } : {}) })),
    shots: r.shots,
    ...(r.seed !== undefined ? { seed: r.seed } : {}),
    ...(r.observables ? { observables: r.observables } : {}),
    ...(r.tags ? { tags: r.tags } : {}),
  };
}

export function restoreRequest(s: StoredRequest): RunRequest {
  return {
    runs: s.runs.map((x) => ({ circuit: circuitFromJSON(x.circuit), ...(x.bindings ? { bindings: x.bindings } : {}) })),
    shots: s.shots,
    ...(s.seed !== undefined ? { seed: s.seed } : {}),
    ...(s.observables ? { observables: s.observables } : {}),
    ...(s.tags ? { tags: s.tags } : {}),
  };
}

/** Canonical JSON: keys sorted, so equal requests hash equally whatever the property order. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

/**
 * The content address of a request on a backend. Tags are part of it: a caller that runs the same
 * circuit twice on purpose (a repeated measurement) gives each run its own tag, while a training
 * loop tags each step with its run id and step number, so a resumed run finds its own jobs.
 */
export function requestKey(backendId: string, request: RunRequest): string {
  const doc = {
    backend: backendId,
    runs: request.runs.map((r) => ({ circuit: circuitToJSON(r.circuit), bindings: r.bindings ?? [{}] })),
    shots: request.shots,
    seed: request.seed,
    observables: request.observables,
    tags: request.tags,
  };
  return createHash('sha256').update(canonical(doc)).digest('hex');
}

/** The journal directory: `$QBRIDGE_HOME/jobs` or `./.qbridge/jobs`. */
export function defaultJournalDir(): string {
  const home = process.env['QBRIDGE_HOME'];
  return home !== undefined && home !== '' ? join(resolve(home), 'jobs') : resolve('.qbridge', 'jobs');
}

export class JobJournal {
  readonly dir: string;

  constructor(dir: string = defaultJournalDir()) {
    this.dir = dir;
  }

  private path(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw validationError(`journal: "${key}" is not a job key (64 hex digits)`);
    return join(this.dir, `${key}.json`);
  }

  /** The entry for `key`, or undefined. A corrupt file is an error naming the file, never silently skipped. */
  get(key: string): JournalEntry | undefined {
    const p = this.path(key);
    if (!existsSync(p)) return undefined;
    return readEntry(p);
  }

  /** Creates a `pending` entry for a request about to be sent (or a new attempt of a finished one). */
  begin(backend: string, provider: string, request: RunRequest, key = requestKey(backend, request)): JournalEntry {
    const prev = this.get(key);
    const now = new Date().toISOString();
    const entry: JournalEntry = {
      format: JOURNAL_FORMAT,
      version: JOURNAL_VERSION,
      key,
      backend,
      provider,
      clientToken: randomUUID(),
      state: 'pending',
      attempt: (prev?.attempt ?? 0) + 1,
      createdAt: now,
      updatedAt: now,
      shots: request.shots,
      circuits: request.runs.length,
      executions: executionCount(request),
      ...(request.tags ? { tags: request.tags } : {}),
      request: storeRequest(request),
    };
    this.write(entry);
    return entry;
  }

  /** Moves an entry forward; `done`, `failed` and `cancelled` are terminal for that attempt. */
  update(key: string, patch: Partial<Pick<JournalEntry, 'state' | 'providerJobId' | 'error' | 'result'>>): JournalEntry {
    const prev = this.get(key);
    if (!prev) throw validationError(`journal: no entry ${key}`);
    const next: JournalEntry = { ...prev, ...patch, updatedAt: new Date().toISOString() };
    this.write(next);
    return next;
  }

  private write(entry: JournalEntry): void {
    atomicWriteFileSync(this.path(entry.key), `${JSON.stringify(redactData(entry), null, 1)}\n`);
  }

  /** Every entry, newest first. */
  list(): JournalEntry[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => /^[0-9a-f]{64}\.json$/.test(f))
      .map((f) => readEntry(join(this.dir, f)))
      .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
  }

  /** Entries whose job may still be running or was never confirmed sent: what `jobs resume` attaches to. */
  unfinished(): JournalEntry[] {
    return this.list().filter((e) => e.state === 'pending' || e.state === 'submitted');
  }

  /** Finds an entry by key prefix (at least 6 hex digits) or provider job id. */
  find(idOrPrefix: string): JournalEntry | undefined {
    const all = this.list();
    const byJob = all.find((e) => e.providerJobId === idOrPrefix);
    if (byJob) return byJob;
    if (/^[0-9a-f]{6,64}$/.test(idOrPrefix)) {
      const hits = all.filter((e) => e.key.startsWith(idOrPrefix));
      if (hits.length > 1) throw validationError(`journal: "${idOrPrefix}" matches ${hits.length} jobs; give more digits`);
      return hits[0];
    }
    return undefined;
  }
}

function readEntry(p: string): JournalEntry {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(p, 'utf8'));
  } catch (e) {
    throw new QError('VALIDATION', `journal file ${p} is not valid JSON: ${(e as Error).message}`, { details: { file: p } });
  }
  const d = doc as Partial<JournalEntry> | null;
  if (d === null || typeof d !== 'object' || d.format !== JOURNAL_FORMAT || d.version !== JOURNAL_VERSION) {
    throw validationError(`journal file ${p} is not a ${JOURNAL_FORMAT} v${JOURNAL_VERSION} entry`, { file: p });
  }
  for (const f of ['key', 'backend', 'clientToken', 'state'] as const) {
    if (typeof d[f] !== 'string') throw validationError(`journal file ${p}: field "${f}" is missing`, { file: p, field: f });
  }
  return d as JournalEntry;
}
