import { describe, expect, it } from 'vitest';
import { LocalBackend } from '../../backends/local/index.js';
import { CircuitBuilder, parsePauliSum } from '../../src/index.js';

describe('local backend', () => {
  const backend = new LocalBackend();

  it('runs Bell counts and keeps bit 0 rightmost for an asymmetric state', async () => {
    const bell = new CircuitBuilder(2).h(0).cx(0, 1).measureAll().build();
    const one = new CircuitBuilder(3).x(0).measureAll().build();
    const job = await backend.submit({ runs: [{ circuit: bell }, { circuit: one }], shots: 1000, seed: 5 });
    expect(['submitted', 'running', 'done']).toContain(job.status);
    const r = await job.wait();
    expect(job.status).toBe('done');
    expect(Object.keys(r.results[0][0].counts ?? {}).sort()).toEqual(['00', '11']);
    expect(r.results[1][0].counts).toEqual({ '001': 1000 });
  });

  it('runs many bindings of one circuit as ONE job, reproducibly from a seed', async () => {
    const c = new CircuitBuilder(1).ry('t', 0).measureAll().build();
    const bindings = Array.from({ length: 200 }, (_, k) => ({ t: (Math.PI * k) / 199 }));
    const a = await (await backend.submit({ runs: [{ circuit: c, bindings }], shots: 2000, seed: 11 })).wait();
    const b = await (await backend.submit({ runs: [{ circuit: c, bindings }], shots: 2000, seed: 11 })).wait();
    expect(a.results[0]).toHaveLength(200);
    expect(a.results).toEqual(b.results);
    expect(a.metadata.executions).toBe(200);
    // P(1) = sin²(t/2): first binding all zeros, last all ones, middle about half (6 sigma at 2000 shots).
    expect(a.results[0][0].counts).toEqual({ '0': 2000 });
    expect(a.results[0][199].counts).toEqual({ '1': 2000 });
    const mid = a.results[0][100].counts ?? {};
    const p1 = (mid['1'] ?? 0) / 2000;
    const exact = Math.sin((Math.PI * 100) / 199 / 2) ** 2;
    expect(Math.abs(p1 - exact)).toBeLessThan(6 * Math.sqrt((exact * (1 - exact)) / 2000));
  });

  it('gives exact expectation values with shots 0', async () => {
    const c = new CircuitBuilder(1).ry('t', 0).build();
    const r = await (
      await backend.submit({
        runs: [{ circuit: c, bindings: [{ t: 0.3 }, { t: 1.2 }] }],
        shots: 0,
        observables: [parsePauliSum('Z0'), parsePauliSum('X0')],
      })
    ).wait();
    expect(r.results[0][0].expectations?.[0]).toBeCloseTo(Math.cos(0.3), 14);
    expect(r.results[0][1].expectations?.[1]).toBeCloseTo(Math.sin(1.2), 14);
  });

  it('refuses bad requests before running anything', async () => {
    const c = new CircuitBuilder(1).ry('t', 0).build();
    await expect(backend.submit({ runs: [{ circuit: c }], shots: 10 })).rejects.toThrow(/binding 0 has no value for t/);
    await expect(backend.submit({ runs: [{ circuit: c, bindings: [{ t: 1 }] }], shots: 1e9 })).rejects.toThrow(
      /exceed the backend's limit/,
    );
    await expect(backend.submit({ runs: [], shots: 10 })).rejects.toThrow(/at least one circuit/);
    const small = new LocalBackend({ numQubits: 2 });
    await expect(small.submit({ runs: [{ circuit: new CircuitBuilder(3).h(2).build() }], shots: 1 })).rejects.toThrow(
      /needs 3 qubits but the backend has 2/,
    );
  });

  it('cancels a job before it runs, and re-attaches by id', async () => {
    const c = new CircuitBuilder(2).h(0).measureAll().build();
    const job = await backend.submit({ runs: [{ circuit: c }], shots: 10, seed: 1 });
    await job.cancel();
    await expect(job.wait()).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(job.status).toBe('cancelled');
    const job2 = await backend.submit({ runs: [{ circuit: c }], shots: 10, seed: 1 });
    const again = await backend.attach(job2.id);
    expect((await again.wait()).jobId).toBe(job2.id);
    await expect(backend.attach('nope')).rejects.toThrow(/no job 'nope'/);
  });
});
