import { describe, expect, it, afterAll } from 'vitest';
import { CircuitBuilder, QError, isQError, type Backend, type RunRequest } from '../src/index.js';

/**
 * The adapter author kit: a conformance suite every Backend passes (PennyLane's device tests, Cirq's
 * consistency checks). Call it from a vitest file with a factory for your backend, typically pointed
 * at your provider's emulator on 127.0.0.1:
 *
 *   describeBackendConformance('myprovider', async () => ({ backend: new MyBackend(url), restart: ... }));
 *
 * It checks what a user relies on when switching backends: counts in qbridge's bit order (classical
 * bit 0 rightmost) on an asymmetric state, a Bell pair's statistics, many parameter bindings in one
 * job, limits refused before sending, cancel, attach to a job from a fresh instance (a restarted
 * process), error mapping for a bad credential, and recovery from injected transient faults.
 */
export interface ConformanceSetup {
  readonly backend: Backend;
  /** A fresh backend instance with the same configuration (simulates a process restart). */
  readonly restart?: () => Promise<Backend> | Backend;
  /** The same backend with a wrong credential (expects an AUTH error). */
  readonly badCredential?: () => Promise<Backend> | Backend;
  /** Injects faults (the emulator's `--faults` spec) into the next requests. */
  readonly injectFaults?: (spec: string) => void;
  /** Submissions the provider received so far (the emulator's counter). */
  readonly submissions?: () => number;
  readonly cleanup?: () => Promise<void> | void;
}

export interface ConformanceOptions {
  /** Shots per circuit (default 400). */
  readonly shots?: number;
  /** Poll interval for `wait` (default 20 ms against an emulator). */
  readonly pollMs?: number;
  /** Per-test timeout (default 30 s). */
  readonly timeoutMs?: number;
}

export function describeBackendConformance(
  name: string,
  setup: () => Promise<ConformanceSetup> | ConformanceSetup,
  options: ConformanceOptions = {},
): void {
  const shots = options.shots ?? 400;
  const wait = { pollMs: options.pollMs ?? 20, timeoutMs: 60_000 };
  const timeout = options.timeoutMs ?? 30_000;
  let ctx: ConformanceSetup | undefined;
  const get = async (): Promise<ConformanceSetup> => (ctx ??= await setup());

  describe(`backend conformance: ${name}`, () => {
    afterAll(async () => {
      await ctx?.cleanup?.();
    });

    it('puts classical bit 0 rightmost (X on qubit 0 of 3 reads 001; X on qubit 2 reads 100)', { timeout }, async () => {
      const { backend } = await get();
      const c1 = new CircuitBuilder(3).x(0).measureAll().build();
      const c2 = new CircuitBuilder(3).x(2).measureAll().build();
      const res = await (await backend.submit({ runs: [{ circuit: c1 }, { circuit: c2 }], shots })).wait(wait);
      expect(res.results).toHaveLength(2);
      const top = (counts: Readonly<Record<string, number>> | undefined): string =>
        Object.entries(counts ?? {}).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
      expect(top(res.results[0]![0]!.counts)).toBe('001');
      expect(top(res.results[1]![0]!.counts)).toBe('100');
      expect(res.results[0]![0]!.shots).toBe(shots);
    });

    it('gives Bell-pair statistics (00 and 11, each within 5 standard deviations of half)', { timeout }, async () => {
      const { backend } = await get();
      const bell = new CircuitBuilder(2).h(0).cx(0, 1).measureAll().build();
      const res = await (await backend.submit({ runs: [{ circuit: bell }], shots, seed: 7 })).wait(wait);
      const counts = res.results[0]![0]!.counts ?? {};
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      expect(total).toBe(shots);
      const same = (counts['00'] ?? 0) + (counts['11'] ?? 0);
      // Noisy backends leak a little into 01/10; allow 15% (hardware-grade noise), demand the rest.
      expect(same / total).toBeGreaterThan(0.85);
      const sd = Math.sqrt(total * 0.25);
      expect(Math.abs((counts['00'] ?? 0) - same / 2)).toBeLessThan(5 * sd);
    });

    it('runs many parameter bindings of one circuit in one job, in order', { timeout }, async () => {
      const { backend, submissions } = await get();
      const c = new CircuitBuilder(1).ry('theta', 0).measureAll().build();
      const thetas = [0, Math.PI, 0, Math.PI, Math.PI / 2];
      const before = submissions?.();
      const res = await (await backend.submit({ runs: [{ circuit: c, bindings: thetas.map((t) => ({ theta: t })) }], shots })).wait(wait);
      if (before !== undefined) expect(submissions!() - before).toBe(1);
      const ones = res.results[0]!.map((r) => (r.counts?.['1'] ?? 0) / r.shots);
      expect(ones).toHaveLength(thetas.length);
      expect(ones[0]).toBeLessThan(0.15);
      expect(ones[1]).toBeGreaterThan(0.85);
      expect(ones[2]).toBeLessThan(0.15);
      expect(ones[3]).toBeGreaterThan(0.85);
      expect(Math.abs(ones[4]! - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / shots) + 0.1);
    });

    it('refuses requests over its limits before sending anything', { timeout }, async () => {
      const { backend, submissions } = await get();
      const c = new CircuitBuilder(1).h(0).measureAll().build();
      const before = submissions?.();
      const tooMany: RunRequest = { runs: [{ circuit: c }], shots: backend.capabilities.maxShots + 1 };
      await expect(backend.submit(tooMany)).rejects.toMatchObject({ code: 'VALIDATION' });
      const wide = new CircuitBuilder(backend.numQubits + 1).h(0).measureAll().build();
      await expect(backend.submit({ runs: [{ circuit: wide }], shots })).rejects.toBeInstanceOf(QError);
      if (before !== undefined) expect(submissions!()).toBe(before);
    });

    it('cancels a job: it ends cancelled (or done if it finished first) and wait says so', { timeout }, async () => {
      const { backend } = await get();
      const c = new CircuitBuilder(2).h(0).cx(0, 1).measureAll().build();
      const job = await backend.submit({ runs: [{ circuit: c }], shots });
      await job.cancel();
      try {
        await job.wait(wait);
        expect(job.status).toBe('done');
      } catch (e) {
        expect(isQError(e) && e.code).toBe('CANCELLED');
        expect(job.status).toBe('cancelled');
      }
    });

    it('attaches to a job from a fresh instance (after a restart) and gets its results', { timeout }, async (t) => {
      const s = await get();
      if (!s.restart) return t.skip();
      const c = new CircuitBuilder(2).x(1).measureAll().build();
      const job = await s.backend.submit({ runs: [{ circuit: c }], shots });
      const again = await s.restart();
      const res = await (await again.attach(job.id)).wait(wait);
      expect(res.results[0]![0]!.counts?.['10'] ?? 0).toBeGreaterThan(shots * 0.85);
    });

    it('maps a bad credential to an AUTH error', { timeout }, async (t) => {
      const s = await get();
      if (!s.badCredential) return t.skip();
      const bad = await s.badCredential();
      const c = new CircuitBuilder(1).h(0).measureAll().build();
      await expect(bad.submit({ runs: [{ circuit: c }], shots })).rejects.toMatchObject({ code: 'AUTH' });
    });

    it('recovers from transient faults (429 with Retry-After, 503) without duplicate submissions', { timeout }, async (t) => {
      const s = await get();
      if (!s.injectFaults) return t.skip();
      s.injectFaults('429=0x1@submit,503x2@status');
      const c = new CircuitBuilder(1).x(0).measureAll().build();
      const before = s.submissions?.();
      const res = await (await s.backend.submit({ runs: [{ circuit: c }], shots })).wait(wait);
      expect(res.results[0]![0]!.counts?.['1']).toBeGreaterThan(shots * 0.85);
      if (before !== undefined) expect(s.submissions!() - before).toBe(1);
    });
  });
}
