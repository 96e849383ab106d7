import { describe, expect, it } from 'vitest';
import { CircuitBuilder, type Backend } from '../../src/index.js';
import { LocalBackend } from '../../backends/local/index.js';
import { ToyBackend, startToyServer } from '../../examples/custom-backend.js';

/**
 * Load: many concurrent small jobs complete with correct results and bounded memory. The peak
 * resident-set growth is printed (the closing note carries it) and bounded loosely, since a leak
 * of per-job state would grow it by far more.
 */
async function storm(backend: Backend, jobs: number, pollMs: number): Promise<{ peakMiB: number; seconds: number; wrong: number }> {
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  let wrong = 0;
  await Promise.all(
    Array.from({ length: jobs }, async (_, i) => {
      // Job i prepares the basis state |i mod 8>: its counts must be that one bitstring.
      const b = new CircuitBuilder(3);
      for (let q = 0; q < 3; q++) if ((i >> q) & 1) b.x(q);
      const res = await (
        await backend.submit({ runs: [{ circuit: b.measureAll().build() }], shots: 16, seed: i })
      ).wait({ pollMs, timeoutMs: 120_000 });
      const key = (i % 8).toString(2).padStart(3, '0');
      if (res.results[0]![0]!.counts?.[key] !== 16) wrong++;
    }),
  );
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { peakMiB: (peak - rss0) / 2 ** 20, seconds: (performance.now() - t0) / 1000, wrong };
}

describe('load', () => {
  it('1,000 concurrent small jobs through the local backend: all correct, bounded memory', { timeout: 60_000 }, async () => {
    const r = await storm(new LocalBackend(), 1000, 2);
    console.log(`load: 1000 local jobs in ${r.seconds.toFixed(2)} s, peak RSS growth ${r.peakMiB.toFixed(1)} MiB, wrong ${r.wrong}`);
    expect(r.wrong).toBe(0);
    expect(r.peakMiB).toBeLessThan(400);
  });

  it('200 concurrent jobs through an emulated provider over HTTP: all correct, no duplicate submissions', { timeout: 90_000 }, async () => {
    const server = await startToyServer();
    try {
      const r = await storm(new ToyBackend(server.baseUrl, 'toy-key-123456'), 200, 20);
      console.log(
        `load: 200 emulated-provider jobs in ${r.seconds.toFixed(2)} s, peak RSS growth ${r.peakMiB.toFixed(1)} MiB, wrong ${r.wrong}, submissions ${server.stats.submissions}`,
      );
      expect(r.wrong).toBe(0);
      expect(server.stats.submissions).toBe(200);
      expect(server.stats.duplicateSubmissions).toBe(0);
      expect(r.peakMiB).toBeLessThan(400);
    } finally {
      await server.close();
    }
  });
});
