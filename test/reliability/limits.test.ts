import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CircuitBuilder, DensityMatrixProgram, noiseModel, depolarizing, prepare, statevector, type Backend } from '../../src/index.js';
import { backendFor, startEmulator, type EmulatorHandle } from '../../backends/registry.js';

/**
 * Limits: work that cannot fit is refused before anything is allocated or sent. Memory refusals are
 * checked against the heap (nothing big was allocated) and provider refusals against the emulator's
 * submission counter (nothing was sent).
 */
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

function heapGrowthMiB(f: () => unknown): { error: unknown; mib: number } {
  const before = process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed;
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  const after = process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed;
  return { error, mib: (after - before) / 2 ** 20 };
}

describe('memory limits', () => {
  it('refuses a 31-qubit statevector before allocating (RESOURCE, names the size and the way out)', () => {
    const c = new CircuitBuilder(31).h(0).build();
    const r = heapGrowthMiB(() => statevector(c));
    expect(r.error).toMatchObject({ code: 'RESOURCE' });
    expect((r.error as Error).message).toMatch(/31 qubits .*managed simulator/);
    expect(r.mib).toBeLessThan(64);
  });

  it('honours QBRIDGE_MAX_MEMORY_MB for statevectors and density matrices', () => {
    process.env['QBRIDGE_MAX_MEMORY_MB'] = '64';
    const sv = heapGrowthMiB(() => prepare(new CircuitBuilder(23).h(0).build()).run(new Float64Array(0)));
    expect(sv.error).toMatchObject({ code: 'RESOURCE' });
    expect((sv.error as Error).message).toMatch(/23 qubits needs \d+ MiB but only 64/);
    expect(sv.mib).toBeLessThan(32);
    const model = noiseModel({ rules: [{ gates: ['h'], channel: depolarizing(0.01) }] });
    const dm = heapGrowthMiB(() => new DensityMatrixProgram(new CircuitBuilder(13).h(0).build(), model));
    expect(dm.error).toMatchObject({ code: 'RESOURCE' });
    expect(dm.mib).toBeLessThan(32);
  });
});

describe('provider limits (refused before sending)', () => {
  let ionq: EmulatorHandle;
  let ibm: EmulatorHandle;
  beforeAll(async () => {
    ionq = await startEmulator('ionq');
    ibm = await startEmulator('ibm');
  });
  afterAll(async () => {
    await ionq.close();
    await ibm.close();
  });
  const submissions = (em: EmulatorHandle): number => (em.server.stats as { submissions: number }).submissions;
  const ionqBackend = async (name: string): Promise<Backend> => {
    Object.assign(process.env, ionq.env, { QBRIDGE_IONQ_API_KEY: 'limits-test-key' });
    return backendFor(`ionq:${name}`);
  };

  it('a shot count over the provider limit', async () => {
    const b = await ionqBackend('simulator');
    const c = new CircuitBuilder(1).h(0).measureAll().build();
    await expect(b.submit({ runs: [{ circuit: c }], shots: b.capabilities.maxShots + 1 })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(submissions(ionq)).toBe(0);
  });

  it('a circuit wider than the device', async () => {
    const b = await ionqBackend('qpu.forte-1');
    const c = new CircuitBuilder(b.numQubits + 1).h(0).measureAll().build();
    await expect(b.submit({ runs: [{ circuit: c }], shots: 100 })).rejects.toThrow(/qubits/);
    expect(submissions(ionq)).toBe(0);
  });

  it('more work than one IBM job takes (circuits x shots over 5,000,000)', async () => {
    Object.assign(process.env, ibm.env);
    const b = await backendFor('ibm:ibm_fez');
    const c = new CircuitBuilder(1).ry('t', 0).measureAll().build();
    const bindings = Array.from({ length: 101 }, (_, i) => ({ t: i / 100 }));
    await expect(b.submit({ runs: [{ circuit: c, bindings }], shots: 50_000 })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(submissions(ibm)).toBe(0);
  });
});
