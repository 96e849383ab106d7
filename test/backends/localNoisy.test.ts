import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../cli/main.js';
import { LocalBackend, localBackendFor, NOISY_PRESETS } from '../../backends/local/index.js';
import {
  CircuitBuilder,
  compile,
  depolarizing,
  gateError,
  noiseModel,
  parsePauliSum,
  presetTarget,
  readoutError,
  statevector,
  expectation,
  makeCircuit,
  zOn,
} from '../../src/index.js';

const bell = new CircuitBuilder(2).h(0).cx(0, 1).measureAll().build();

describe('noisy local backend', () => {
  it('local:noisy=ibm_heron: Bell is mostly 00/11, with an error mass the model predicts', async () => {
    const b = localBackendFor('local:noisy=ibm_heron');
    expect(b.capabilities.noise).toBe('model');
    expect(b.numQubits).toBe(156);
    const shots = 20_000;
    const r = await (await b.submit({ runs: [{ circuit: bell }], shots, seed: 3 })).wait();
    const counts = r.results[0][0].counts ?? {};
    const err = ((counts['01'] ?? 0) + (counts['10'] ?? 0)) / shots;
    // First-order prediction from the calibration of the qubits the compiler picked: each qubit's
    // readout flips the parity with its mean assignment error, the CZ's depolarizing part with ~error·8/15.
    const t = presetTarget('ibm_heron');
    const comp = compile(bell, t, { level: 1, seed: 0 });
    const [q0, q1] = comp.finalPermutation;
    const twoQ = comp.circuit.ops.filter((i) => i.qubits.length === 2 && i.op !== 'barrier');
    const predicted = readoutError(t, q0) + readoutError(t, q1) + twoQ.reduce((s, i) => s + gateError(t, i.op, i.qubits) * (8 / 15), 0);
    expect(err).toBeGreaterThan(0.002);
    expect(err).toBeLessThan(0.15);
    expect(err).toBeGreaterThan(predicted / 3);
    expect(err).toBeLessThan(predicted * 3);
    const same = ((counts['00'] ?? 0) + (counts['11'] ?? 0)) / shots;
    expect(same).toBeGreaterThan(0.85);
    expect(Math.abs((counts['00'] ?? 0) - (counts['11'] ?? 0)) / shots).toBeLessThan(0.05);
    expect(r.metadata.engines).toEqual(['density']);
  });

  it.each(NOISY_PRESETS)('%s: X on qubit 0 decodes as 01 (bit order survives compilation and layout)', async (name) => {
    const b = localBackendFor(`local:noisy=${name}`);
    const x0 = new CircuitBuilder(2).x(0).build(); // implicit measurement
    const x0m = new CircuitBuilder(3, 3).x(0).measure(0, 0).measure(2, 1).build(); // explicit, bits shuffled
    const r = await (await b.submit({ runs: [{ circuit: x0 }, { circuit: x0m }], shots: 4000, seed: 1 })).wait();
    const a = r.results[0][0].counts ?? {};
    expect((a['01'] ?? 0) / 4000).toBeGreaterThan(0.85);
    const m = r.results[1][0].counts ?? {};
    expect((m['001'] ?? 0) / 4000).toBeGreaterThan(0.85);
  });

  it('exact mode gives noisy Tr(Oρ) on logical qubits, shrunk from the ideal values', async () => {
    const b = localBackendFor('local:noisy=ibm_heron');
    const c = new CircuitBuilder(3).ry(0.7, 0).cx(0, 1).rx(0.4, 2).cx(1, 2).measureAll().build();
    const obs = [parsePauliSum('Z0'), parsePauliSum('X0 X1 X2'), parsePauliSum('Z2'), parsePauliSum('Y2')];
    const r = await (await b.submit({ runs: [{ circuit: c }], shots: 0, observables: obs })).wait();
    const noisy = r.results[0][0].expectations ?? [];
    const s = statevector(c);
    const ideal = obs.map((o) => expectation(s, 3, o));
    for (let i = 0; i < obs.length; i++) {
      expect(Math.abs(noisy[i] - ideal[i])).toBeLessThan(0.05);
      if (Math.abs(ideal[i]) > 0.2) expect(Math.abs(noisy[i])).toBeLessThan(Math.abs(ideal[i]));
    }
  });

  it('a plain NoiseModel without a target: depolarizing shrinks <Z> by the analytic factor; trajectories above the DM limit', async () => {
    const p = 0.1;
    const model = noiseModel({ name: 'dep', rules: [{ gates: ['x'], channel: depolarizing(p) }] });
    const b = new LocalBackend({ noise: model });
    expect(b.id).toBe('local:noisy=dep');
    const c = new CircuitBuilder(1).x(0).build();
    const r = await (await b.submit({ runs: [{ circuit: c }], shots: 0, observables: [parsePauliSum('Z0')] })).wait();
    // Pauli-form depolarizing p: Bloch vector shrinks by 1 - 4p/3.
    expect(r.results[0][0].expectations?.[0]).toBeCloseTo(-(1 - (4 * p) / 3), 12);
    const tb = new LocalBackend({ noise: model, densityMatrixMaxQubits: 0 });
    const t = await (await tb.submit({ runs: [{ circuit: c }], shots: 20_000, seed: 2 })).wait();
    expect(t.metadata.engines).toEqual(['trajectories']);
    const p0 = (t.results[0][0].counts?.['0'] ?? 0) / 20_000;
    expect(Math.abs(p0 - (2 * p) / 3)).toBeLessThan(5 * Math.sqrt((((2 * p) / 3) * (1 - (2 * p) / 3)) / 20_000));
    await expect(tb.submit({ runs: [{ circuit: c }], shots: 0, observables: [parsePauliSum('Z0')] })).rejects.toThrow(/ask for shots/);
  });

  it('localBackendFor refuses unknown specs and names the valid presets', () => {
    expect(localBackendFor('local').capabilities.noise).toBe('none');
    expect(() => localBackendFor('local:noisy=ibm_nowhere')).toThrow(/ibm_heron, ibm_eagle, ionq_forte, iqm_garnet, rigetti/);
    expect(() => localBackendFor('aer')).toThrow(/local:noisy=NAME/);
  });
});

describe('noisy local backend: wide, mostly idle registers', () => {
  it('simulates only the touched qubits of a circuit that declares 97 (placed on $96)', async () => {
    const b = new CircuitBuilder(97).x(96).measure(96, 0);
    const c = makeCircuit(97, 1, b.build().ops);
    const backend = localBackendFor('local:noisy=ibm_heron');
    const res = await (await backend.submit({ runs: [{ circuit: c }], shots: 200, seed: 3 })).wait();
    expect(res.results[0]![0]!.counts!['1']).toBeGreaterThan(180);
    // Exact mode: idle qubits are |0>, so <Z_5> = 1 and <X_5> = 0; <Z_96> is about -1.
    const ex = await (
      await backend.submit({
        runs: [{ circuit: new CircuitBuilder(97).x(96).build() }],
        shots: 0,
        observables: [zOn(5), parsePauliSum('X5'), zOn(96)],
      })
    ).wait();
    const [z5, x5, z96] = ex.results[0]![0]!.expectations!;
    expect(z5).toBeCloseTo(1, 12);
    expect(x5).toBeCloseTo(0, 12);
    expect(z96).toBeLessThan(-0.9);
  });
});

describe('qbridge run --backend local:noisy=NAME', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qbridge-noisy-'));
  const BELL = join(dir, 'bell.qasm');
  writeFileSync(BELL, 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\nh q[0];\ncx q[0], q[1];\nc = measure q;\n');
  let out = '';
  let err = '';
  afterEach(() => vi.restoreAllMocks());
  const capture = () => {
    out = '';
    err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      err += String(s);
      return true;
    });
  };

  it('--json prints noisy counts', async () => {
    capture();
    expect(await runCli(['node', 'qbridge', 'run', BELL, '--backend', 'local:noisy=ibm_heron', '--shots', '4000', '--json'])).toBe(0);
    const doc = JSON.parse(out) as { counts: Record<string, number>; shots: number; backend: string };
    expect(doc.backend).toBe('local:noisy=ibm_heron');
    expect(Object.values(doc.counts).reduce((a, b) => a + b, 0)).toBe(4000);
    const odd = (doc.counts['01'] ?? 0) + (doc.counts['10'] ?? 0);
    expect(odd).toBeGreaterThan(0);
    expect(odd / 4000).toBeLessThan(0.15);
  });

  it('an unknown preset exits 2 and lists the valid names', async () => {
    capture();
    expect(await runCli(['node', 'qbridge', 'run', BELL, '--backend', 'local:noisy=ibm_nowhere'])).toBe(2);
    expect(err).toMatch(/unknown noisy preset 'ibm_nowhere'/);
    expect(err).toMatch(/ibm_heron, ibm_eagle, ionq_forte, iqm_garnet, rigetti/);
  });
});
