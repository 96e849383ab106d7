import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobJournal, JournaledBackend, isQError, sleep, type Backend, type JournalEntry, type RunResult } from '../../src/index.js';
import { checkJournal } from './helpers/journalCheck.js';
import {
  asymmetricRequest,
  availableRigs,
  checkAsymmetric,
  httpStats,
  jobsCreated,
  rigEnv,
  type AdapterTiming,
  type Rig,
  type RigEmulator,
} from './helpers/providers.js';

/**
 * Fault injection against every provider emulator in the tree, over real HTTP on 127.0.0.1, each
 * run through the JournaledBackend (the path `qbridge run` takes). For each fault the run either
 * completes with correct results (asymmetric state: bit order and binding order are checked) or
 * ends with a typed QError; then, where the failure leaves work to recover, a fresh adapter and
 * journaled backend (a new process, as far as the client knows) submits the same request again and
 * must finish it without a second job. After every step the journal is checked on disk, and at the
 * end every job the emulator completed must have its results in a journal ("data lost" otherwise)
 * and no idempotency token may have been submitted twice.
 */

const SHOTS = 400;
/** Generous per-request timeout for the ordinary scenarios (the machine is shared and loaded). */
const NORMAL: AdapterTiming = { timeoutMs: 8000, minDelayMs: 2, retries: 6 };
/** Short timeout for the slow-reply scenarios; SLOW_MS is well beyond it. */
const SHORT: AdapterTiming = { timeoutMs: 300, minDelayMs: 2, retries: 6 };
const SLOW_MS = 900;
// Unconfirmed submissions are looked up this long before they count as never received: longer than
// the slowest injected submit, much shorter than the 20 s default, so the suite stays quick.
const GRACE_MS = SLOW_MS + 1000;
const RETRY_AFTER_S = 0.05;
const CODES = ['RATE_LIMIT', 'PROVIDER', 'TIMEOUT', 'AUTH', 'JOB_FAILED', 'CANCELLED'];

interface Scenario {
  readonly name: string;
  readonly faults: string;
  /** `complete`: the first run must succeed (the retry policy covers it); `either`: success or a typed error then recovery. */
  readonly expect: 'complete' | 'either' | { readonly code: string; readonly state: JournalEntry['state'] };
  readonly timing?: AdapterTiming;
  /** Wait before recovering (a slowed request is still being processed by the server). */
  readonly settleMs?: number;
  /** The first run must take at least this long (Retry-After honoured). */
  readonly minMs?: number;
  /** Recovery must end in this error code too (the provider's data itself is missing). */
  readonly unrecoverable?: string;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'baseline (no fault)', faults: '', expect: 'complete' },
  {
    name: '429 burst on submit, Retry-After',
    faults: `429=${RETRY_AFTER_S}x3@submit`,
    expect: 'complete',
    minMs: 3 * RETRY_AFTER_S * 1000,
  },
  {
    name: '429 burst on status, Retry-After',
    faults: `429=${RETRY_AFTER_S}x2@status`,
    expect: 'complete',
    minMs: 2 * RETRY_AFTER_S * 1000,
  },
  { name: '500/502/503 on status and results', faults: '500@status,502@status,503@result', expect: 'complete' },
  { name: '503 on submit (not processed)', faults: '503@submit', expect: 'either' },
  { name: '500 on submit (not processed)', faults: '500@submit', expect: 'either' },
  { name: 'reset on submit (job created, reply lost)', faults: 'reset@submit', expect: 'either' },
  { name: 'reset on status', faults: 'reset@status', expect: 'complete' },
  { name: 'reset on result', faults: 'reset@result', expect: 'complete' },
  { name: 'slow status beyond the timeout', faults: `slow=${SLOW_MS}@status`, expect: 'complete', timing: SHORT },
  { name: 'slow submit beyond the timeout', faults: `slow=${SLOW_MS}@submit`, expect: 'either', timing: SHORT, settleMs: SLOW_MS + 200 },
  { name: 'malformed JSON on submit', faults: 'malformed@submit', expect: 'either' },
  { name: 'malformed JSON on status', faults: 'malformed@status', expect: 'complete' },
  { name: 'malformed JSON on results', faults: 'malformed@result', expect: 'complete' },
  { name: 'missing register in the results', faults: 'missing-register', expect: 'either', unrecoverable: 'PROVIDER' },
  { name: 'job ends failed', faults: 'fail', expect: { code: 'JOB_FAILED', state: 'failed' } },
  { name: 'job ends cancelled', faults: 'cancel', expect: { code: 'CANCELLED', state: 'cancelled' } },
  { name: 'token expired mid-run (status)', faults: 'expire-token@status', expect: 'either' },
  { name: 'token expired at submit', faults: 'expire-token@submit', expect: 'either' },
];

interface Tally {
  injected: number;
  retries: number;
  completed: number;
  duplicates: number;
  lost: number;
}
const TOTAL: Tally = { injected: 0, retries: 0, completed: 0, duplicates: 0, lost: 0 };
const line = (t: Tally): string =>
  `faults: injected ${t.injected}, retries ${t.retries}, jobs completed ${t.completed}, duplicates ${t.duplicates}, data lost ${t.lost}`;

const RIGS = await availableRigs();

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.enableNetConnect();
  console.log(`[total ${RIGS.map((r) => r.provider).join('+')}] ${line(TOTAL)}`);
});

describe.each(RIGS.map((r) => [r.provider, r] as const))('fault injection: %s emulator', (_name, rig: Rig) => {
  let emu: RigEmulator;
  let env: Record<string, string>;
  const dirs: string[] = [];
  const tally: Tally = { injected: 0, retries: 0, completed: 0, duplicates: 0, lost: 0 };
  let jobsPerRequest = 0;
  const outcomes: string[] = [];
  /** Every provider job id a journal ever recorded, with whether its results are known to be missing. */
  const known = new Map<string, { scenario: string; unrecoverable: boolean }>();
  const remember = (e: JournalEntry, s: Scenario): void => {
    for (const id of e.providerJobId?.split(',') ?? []) known.set(id, { scenario: s.name, unrecoverable: s.unrecoverable !== undefined });
  };
  let idempotent = false;
  const gaps: string[] = [];

  beforeAll(async () => {
    emu = await rig.start({ pollsPerStep: 1 });
    env = rigEnv(rig, emu);
  });
  afterAll(async () => {
    await emu?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const backend = async (timing: AdapterTiming): Promise<Backend> => rig.backend(env, timing);
  const run = async (b: JournaledBackend, tag: string): Promise<RunResult> =>
    (await b.submit(asymmetricRequest(SHOTS, tag))).wait({ pollMs: 5, timeoutMs: 30_000 });

  /** The single journal entry of a scenario, after checking the directory's invariants. */
  const entryOf = (dir: string): JournalEntry => {
    const { entries, problems } = checkJournal(dir);
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(1);
    return entries[0]!;
  };

  for (const s of SCENARIOS) {
    it(s.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'qbridge-faults-'));
      dirs.push(dir);
      const journal = new JobJournal(dir);
      const timing = s.timing ?? NORMAL;
      // Device discovery happens before the faults are armed: the faults target the job's exchanges.
      const inner = await backend(timing);
      idempotent = inner.capabilities.idempotentSubmit === true;
      const created0 = jobsCreated(emu);
      const injected0 = emu.server.faults.injected;
      if (s.faults) emu.server.faults.add(s.faults);

      const t0 = Date.now();
      let result: RunResult | undefined;
      let error: unknown;
      try {
        result = await run(new JournaledBackend(inner, { journal, submitGraceMs: GRACE_MS }), s.name);
      } catch (e) {
        error = e;
      }
      const ms = Date.now() - t0;
      let retries = httpStats(inner).retries;
      let entry = entryOf(dir);
      remember(entry, s);

      if (result) {
        expect(checkAsymmetric(result, SHOTS, rig.ideal)).toEqual([]);
        expect(entry.state).toBe('done');
        expect(entry.result?.results).toEqual(result.results);
        if (s.minMs !== undefined) expect(ms).toBeGreaterThanOrEqual(s.minMs);
      } else {
        // A typed error, never a raw exception, and a journal state that says what happened.
        expect(isQError(error), `untyped error: ${String(error)}`).toBe(true);
        if (!isQError(error)) return;
        if (s.expect === 'complete') {
          // The retry policy should have absorbed a fault on an idempotent read. A typed error that says
          // "retry" is still within the contract (the journal recovers it below), but it is a gap: reported.
          expect(error.retriable, `${s.name} must complete but threw ${error.code}: ${error.message}`).toBe(true);
          gaps.push(`${s.name}: ${error.code} (retriable) instead of an internal retry: ${error.message}`);
        }
        expect(CODES).toContain(error.code);
        if (typeof s.expect === 'object') {
          expect(error.code).toBe(s.expect.code);
          expect(entry.state).toBe(s.expect.state);
        }
        if (s.unrecoverable) expect(error.code).toBe(s.unrecoverable);
        if (entry.providerJobId === undefined) {
          // Never confirmed sent: pending when the provider may have acted (ambiguous), failed on a definite refusal.
          expect(entry.state).toBe(error.details['ambiguous'] === true ? 'pending' : 'failed');
        } else if (error.code === 'JOB_FAILED') expect(entry.state).toBe('failed');
        else if (error.code === 'CANCELLED') expect(entry.state).toBe('cancelled');
        else expect(entry.state).toBe('submitted');
        expect(entry.result).toBeUndefined();

        // Recovery: a new process (fresh adapter, same journal) runs the same request.
        if (s.settleMs) await sleep(s.settleMs);
        const again = await backend(NORMAL);
        let recovered: RunResult | undefined;
        let error2: unknown;
        try {
          recovered = await run(new JournaledBackend(again, { journal, submitGraceMs: GRACE_MS }), s.name);
        } catch (e) {
          error2 = e;
        }
        retries += 1 + httpStats(again).retries;
        entry = entryOf(dir);
        remember(entry, s);
        if (s.unrecoverable) {
          // The provider's record lacks the data: the same typed error again, and no results invented.
          expect(isQError(error2) && error2.code).toBe(s.unrecoverable);
          expect(entry.state).not.toBe('done');
          expect(entry.result).toBeUndefined();
        } else {
          expect(error2, `recovery failed: ${String(error2)}`).toBeUndefined();
          expect(checkAsymmetric(recovered!, SHOTS, rig.ideal)).toEqual([]);
          expect(entry.state).toBe('done');
          expect(entry.result?.results).toEqual(recovered!.results);
        }
        result = recovered;
      }

      // Every armed fault was actually hit, and no job was sent more often than attempts were made.
      expect(emu.server.faults.pending()).toBe(0);
      const created = jobsCreated(emu) - created0;
      if (s.faults === '') jobsPerRequest = created;
      expect(created).toBeLessThanOrEqual(entry.attempt * Math.max(1, jobsPerRequest));
      // A fault on a read never costs a second job: the recovery re-attached to the first.
      if (s.expect === 'complete') expect(created).toBe(jobsPerRequest);
      // Without an idempotency token at the provider, a repeated token means a job sent twice; with one
      // (Braket's clientToken) a repeat is a harmless replay answered with the same task.
      if (!idempotent) expect(emu.server.stats.duplicateSubmissions).toBe(0);

      tally.injected += emu.server.faults.injected - injected0;
      tally.retries += retries;
      if (result) tally.completed++;
      outcomes.push(
        `${s.name}: ${error ? `${isQError(error) ? error.code : 'raw'} -> ${result ? 'recovered' : 'typed error'}` : 'completed'}`,
      );
    });
  }

  it('no job the provider completed is missing from a journal; no duplicate submission', async () => {
    const journaled = new Map<string, JournalEntry>();
    for (const d of dirs) for (const e of checkJournal(d).entries) for (const id of e.providerJobId?.split(',') ?? []) journaled.set(id, e);
    // Orphans: jobs the provider created that no journal ever pointed at (a blind re-send, or a lost reply never recovered).
    const orphans = jobsCreated(emu) - known.size;
    expect(orphans).toBe(0);
    if (emu.jobs) for (const j of emu.jobs.all()) expect(['done', 'failed', 'cancelled']).toContain(j.status);
    // Data lost: a job the provider finished whose results are not in a journal.
    const probe = await backend(NORMAL);
    let lost = 0;
    for (const [id, k] of known) {
      const h = await probe.attach(id);
      const st = h.status === 'done' || h.status === 'failed' || h.status === 'cancelled' ? h.status : await h.refresh();
      if (st !== 'done' || k.unrecoverable) continue;
      const e = journaled.get(id);
      if (!e || e.state !== 'done' || !e.result) lost++;
    }
    tally.lost = lost;
    const replays = idempotent ? emu.server.stats.duplicateSubmissions : 0;
    tally.duplicates = orphans + (idempotent ? 0 : emu.server.stats.duplicateSubmissions);
    for (const k of Object.keys(TOTAL) as (keyof Tally)[]) TOTAL[k] += tally[k];
    console.log(`[${rig.provider}] ${outcomes.join('; ')}`);
    for (const g of gaps) console.log(`[${rig.provider}] GAP: ${g}`);
    console.log(
      `[${rig.provider}] ${line(tally)}${replays ? ` (${replays} idempotent replays of a clientToken, answered with the same task)` : ''}`,
    );
    expect(lost).toBe(0);
    expect(tally.duplicates).toBe(0);
  });
});
