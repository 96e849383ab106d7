import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CircuitBuilder,
  JobJournal,
  JournaledBackend,
  QError,
  clearSecrets,
  registerSecret,
  requestKey,
  type Backend,
  type JobHandle,
  type RunRequest,
  type SubmitOptions,
} from '../../src/index.js';
import { LocalBackend } from '../../backends/local/index.js';

const bell = new CircuitBuilder(2).h(0).cx(0, 1).measureAll().build();
const req = (tags?: Record<string, string>): RunRequest => ({ runs: [{ circuit: bell }], shots: 100, seed: 1, ...(tags ? { tags } : {}) });
const dir = (): string => mkdtempSync(join(tmpdir(), 'qbridge-journal-'));

/** A paid backend over the local simulator that counts submissions and can lose its reply. */
class CountingBackend implements Backend {
  readonly id = 'counting';
  readonly provider = 'test';
  readonly numQubits = 5;
  submissions = 0;
  dropReply = false;
  readonly byToken = new Map<string, JobHandle>();
  private readonly local = new LocalBackend();
  constructor(readonly capabilities: Backend['capabilities'] = { ...new LocalBackend().capabilities, paid: true }) {}
  async submit(r: RunRequest, o: SubmitOptions = {}): Promise<JobHandle> {
    this.submissions++;
    const h = await this.local.submit(r);
    if (o.clientToken) this.byToken.set(o.clientToken, h);
    if (this.dropReply) throw new QError('PROVIDER', 'connection reset', { details: { ambiguous: true } });
    return h;
  }
  attach(id: string): Promise<JobHandle> {
    return this.local.attach(id);
  }
  find(token: string): Promise<JobHandle | undefined> {
    return Promise.resolve(this.byToken.get(token));
  }
}

afterEach(() => clearSecrets());

describe('requestKey', () => {
  it('is a content address: equal requests hash equally, any change (bindings, shots, tags) changes it', () => {
    const a = requestKey('b', req());
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(requestKey('b', req())).toBe(a);
    expect(requestKey('b', { ...req(), shots: 101 })).not.toBe(a);
    expect(requestKey('b', req({ step: '1' }))).not.toBe(a);
    expect(requestKey('other', req())).not.toBe(a);
  });
});

describe('JobJournal', () => {
  it('writes pending before the provider id, then done with results; files are valid JSON, no temp files left', async () => {
    const j = new JobJournal(dir());
    const backend = new JournaledBackend(new CountingBackend(), { journal: j, budgetShots: 1e9 });
    const h = await backend.submit(req());
    const key = requestKey('counting', req());
    expect(j.get(key)).toMatchObject({ state: 'submitted', providerJobId: h.id, attempt: 1 });
    await h.wait();
    const e = j.get(key)!;
    expect(e.state).toBe('done');
    expect(e.result?.results[0]?.[0]?.shots).toBe(100);
    expect(readdirSync(j.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(j.dir, `${key}.json`), 'utf8')).format).toBe('qbridge.job');
  });

  it('never submits the same request twice: finished results come from disk', async () => {
    const inner = new CountingBackend();
    const j = new JobJournal(dir());
    const a = new JournaledBackend(inner, { journal: j, budgetShots: 1e9 });
    const r1 = await (await a.submit(req())).wait();
    const b = new JournaledBackend(inner, { journal: j, budgetShots: 1e9 }); // "a new process"
    const r2 = await (await b.submit(req())).wait();
    expect(inner.submissions).toBe(1);
    expect(r2).toEqual(r1);
  });

  it('after a reply lost mid-submission, finds the job by its token instead of sending it again', async () => {
    const inner = new CountingBackend();
    const j = new JobJournal(dir());
    inner.dropReply = true;
    await expect(new JournaledBackend(inner, { journal: j, budgetShots: 1e9 }).submit(req())).rejects.toMatchObject({ code: 'PROVIDER' });
    expect(j.list()[0]).toMatchObject({ state: 'pending' });
    inner.dropReply = false;
    const res = await (await new JournaledBackend(inner, { journal: j, budgetShots: 1e9 }).submit(req())).wait();
    expect(inner.submissions).toBe(1);
    expect(res.results[0]?.[0]?.shots).toBe(100);
    expect(j.list()[0]).toMatchObject({ state: 'done' });
  });

  it('keeps looking during the grace period for a submission that lands late (no duplicate)', async () => {
    const inner = new CountingBackend();
    const j = new JobJournal(dir());
    inner.dropReply = true;
    await expect(new JournaledBackend(inner, { journal: j, budgetShots: 1e9 }).submit(req())).rejects.toMatchObject({ code: 'PROVIDER' });
    inner.dropReply = false;
    // The provider "creates" the job only 300 ms later: a lookup right away finds nothing.
    const landed = new Map(inner.byToken);
    inner.byToken.clear();
    setTimeout(() => landed.forEach((h, t) => inner.byToken.set(t, h)), 300);
    const t0 = Date.now();
    const res = await (await new JournaledBackend(inner, { journal: j, budgetShots: 1e9, submitGraceMs: 3000 }).submit(req())).wait();
    expect(inner.submissions).toBe(1);
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(res.results[0]?.[0]?.shots).toBe(100);
  });

  it('refuses to guess when a paid provider cannot be searched and the token is not idempotent', async () => {
    const inner = new CountingBackend();
    const j = new JobJournal(dir());
    inner.dropReply = true;
    const noFind: Backend = {
      ...inner,
      id: inner.id,
      provider: 'test',
      numQubits: 5,
      capabilities: inner.capabilities,
      submit: (r, o) => inner.submit(r, o),
      attach: (id) => inner.attach(id),
    };
    await expect(new JournaledBackend(noFind, { journal: j, budgetShots: 1e9 }).submit(req())).rejects.toBeInstanceOf(QError);
    inner.dropReply = false;
    await expect(new JournaledBackend(noFind, { journal: j, budgetShots: 1e9 }).submit(req())).rejects.toThrow(/cannot be searched/);
    expect(inner.submissions).toBe(1);
  });

  it('guards the budget of paid backends unless the user confirms', async () => {
    const inner = new CountingBackend();
    const j = new JobJournal(dir());
    const big: RunRequest = { runs: [{ circuit: bell }], shots: 1000, seed: 2 };
    await expect(new JournaledBackend(inner, { journal: j, budgetShots: 999 }).submit(big)).rejects.toMatchObject({
      code: 'BUDGET',
      details: { totalShots: 1000, budgetShots: 999 },
    });
    expect(inner.submissions).toBe(0);
    const asked: number[] = [];
    const ok = new JournaledBackend(inner, { journal: j, budgetShots: 999, confirm: (b) => (asked.push(b.totalShots), true) });
    await (await ok.submit(big)).wait();
    expect(asked).toEqual([1000]);
    // Free backends are never guarded.
    const free = new JournaledBackend(new LocalBackend(), { journal: j, budgetShots: 1 });
    await expect(free.submit(big)).resolves.toBeDefined();
  });

  it('reads QBRIDGE_BUDGET_SHOTS and rejects nonsense there', async () => {
    const { budgetFromEnv } = await import('../../src/index.js');
    expect(budgetFromEnv({})).toBe(100_000);
    expect(budgetFromEnv({ QBRIDGE_BUDGET_SHOTS: '5000' })).toBe(5000);
    expect(() => budgetFromEnv({ QBRIDGE_BUDGET_SHOTS: '-1' })).toThrow(/QBRIDGE_BUDGET_SHOTS/);
  });

  it('names a corrupt journal file instead of skipping it', () => {
    const j = new JobJournal(dir());
    const key = 'a'.repeat(64);
    writeFileSync(join(j.dir, `${key}.json`), '{"format": "qbridge.job", "vers');
    expect(() => j.get(key)).toThrow(new RegExp(`${key}\\.json is not valid JSON`));
  });

  it('redacts registered secrets from journal files', async () => {
    registerSecret('super-secret-token-xyz');
    const j = new JobJournal(dir());
    const backend = new JournaledBackend(new LocalBackend(), { journal: j });
    await (await backend.submit(req({ note: 'token super-secret-token-xyz' }))).wait();
    for (const f of readdirSync(j.dir)) expect(readFileSync(join(j.dir, f), 'utf8')).not.toContain('super-secret-token-xyz');
  });
});
