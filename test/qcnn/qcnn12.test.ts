import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng, expectationValues, makeDataset, type Dataset } from '../../src/index.js';
import {
  auxStates,
  auxStatesBackward,
  dataUnitary,
  dataUnitaryBackward,
  qcnn12Circuit,
  qcnn12Encoder,
  qcnn12Expectations,
  qcnn12Observables,
  qcnn12Structure,
  readoutMatrix,
  readoutMatrixBackward,
} from '../../src/qcnn/models/qcnn12Circuit.js';
import { qcnn12, qcnn12StructureOf, trainQcnn12Model } from '../../src/qcnn/models/qcnn12.js';
import { SimulatorQuantumFunction } from '../../src/training/quantum.js';
import { modelDefinition } from '../../src/qcnn/models/index.js';

const dir = mkdtempSync(join(tmpdir(), 'qbridge-qcnn12-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function unitVector(rng: ReturnType<typeof createRng>, n: number): Float64Array {
  const x = Float64Array.from({ length: n }, () => rng.next() * (rng.next() < 0.3 ? -1 : 1));
  const norm = Math.hypot(...x);
  return x.map((v) => v / norm);
}

describe('qcnn12 structured simulator', () => {
  for (const opts of [
    { layers: 1, perceptrons: 1, readout: 'real', dataZ: 'single' },
    { layers: 2, perceptrons: 2, readout: 'z', dataZ: 'all' },
  ] as const) {
    it(`equals the generic 12-qubit statevector simulation (${JSON.stringify(opts)})`, () => {
      const s = qcnn12Structure(opts);
      const rng = createRng(17);
      const w = Float64Array.from(s.weights, () => (2 * rng.next() - 1) * Math.PI);
      const x = unitVector(rng, 256);
      const fast = qcnn12Expectations(s, w, x);
      const { circuit, inputs } = qcnn12Circuit(s);
      expect(circuit.numQubits).toBe(12);
      const iv = new Float64Array(inputs.length);
      qcnn12Encoder().inputValues(x, iv);
      const b: Record<string, number> = {};
      inputs.forEach((k, i) => (b[k] = iv[i]));
      s.weights.forEach((k, i) => (b[k] = w[i]));
      const slow = expectationValues(circuit, qcnn12Observables(s), b);
      expect(fast.length).toBe(slow.length);
      let worst = 0;
      for (let k = 0; k < fast.length; k++) worst = Math.max(worst, Math.abs(fast[k] - slow[k]));
      expect(worst).toBeLessThan(1e-10);
      // The readout is informative: not all expectations vanish.
      expect(Math.max(...Array.from(fast, Math.abs))).toBeGreaterThan(1e-3);
    });
  }

  it('reverse-mode gradients of U and F match central finite differences', () => {
    const s = qcnn12Structure({ layers: 1, perceptrons: 1 });
    const rng = createRng(3);
    const w = Float64Array.from(s.weights, () => (2 * rng.next() - 1) * Math.PI);
    const RU = Float64Array.from({ length: 256 * 256 }, () => rng.normal());
    const K = s.observables.length;
    const RF = Float64Array.from({ length: 256 * K }, () => rng.normal());
    // L(w) = Σ RU ⊙ U(w) + Σ RF ⊙ F(w).
    const L = (v: Float64Array) => {
      const u = dataUnitary(s, v);
      const f = readoutMatrix(s, auxStates(s, v));
      let acc = 0;
      for (let i = 0; i < u.length; i++) acc += RU[i] * u[i];
      for (let i = 0; i < f.length; i++) acc += RF[i] * f[i];
      return acc;
    };
    const grad = new Float64Array(w.length);
    dataUnitaryBackward(s, w, dataUnitary(s, w), RU, grad);
    const c = auxStates(s, w);
    auxStatesBackward(s, w, c, readoutMatrixBackward(s, c, RF), grad);
    const h = 1e-5;
    let worst = 0;
    for (let j = 0; j < w.length; j += 3) {
      const up = Float64Array.from(w);
      up[j] += h;
      const dn = Float64Array.from(w);
      dn[j] -= h;
      worst = Math.max(worst, Math.abs((L(up) - L(dn)) / (2 * h) - grad[j]));
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it('refuses invalid options', () => {
    expect(() => qcnn12Structure({ layers: -1 })).toThrow(/layers must be an integer/);
    expect(() => qcnn12Structure({ readout: 'x' as never })).toThrow(/readout must be/);
    expect(() => qcnn12.create({ classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }, [], 64)).toThrow(/needs 256 features/);
  });
});

describe('qcnn12 model', () => {
  const classes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

  it('is registered with its documented size: 12 qubits, 552 quantum parameters, 390 observables', () => {
    const def = modelDefinition('qcnn12');
    expect(def.qubits).toBe(12);
    expect(def.numClasses).toBe(10);
    const m = def.create({ classes }, [], 256);
    expect(m.quantum?.circuit.numQubits).toBe(12);
    expect(m.quantum?.weights.length).toBe(10 * 48 + 2 * 36);
    expect(m.quantum?.observables.length).toBe(135 + 255);
    expect(m.head.layers).toEqual([{ kind: 'dense', units: 10, activation: 'linear' }]);
    // The simulator shortcut prepares exactly the amplitude-encoded image.
    const rng = createRng(5);
    const x = Float32Array.from(unitVector(rng, 256));
    const row = new Float64Array(m.quantum?.inputs.length ?? 0);
    m.quantumInputs(x, 0, row, 0);
    const st = m.quantum?.statePrep?.state(row, 0) as Float64Array;
    expect(st.length).toBe(2 * 4096); // the whole 12-qubit register, auxiliaries in |0>
    for (let i = 0; i < 256; i++) expect(st[2 * i]).toBeCloseTo(x[i], 6);
    expect(Math.max(...st.subarray(512).map(Math.abs))).toBe(0);
  });

  it('the generic simulator path (used by evaluate and shot backends) gives the same expectations', async () => {
    const model = qcnn12.create({ classes, layers: 1, perceptrons: 1 }, [], 256);
    const q = model.quantum as NonNullable<typeof model.quantum>;
    const rng = createRng(12);
    const rows = 3;
    const x = new Float32Array(rows * 256);
    for (let r = 0; r < rows; r++) x.set(unitVector(rng, 256), r * 256);
    const inputs = new Float64Array(rows * q.inputs.length);
    for (let r = 0; r < rows; r++) model.quantumInputs(x, r * 256, inputs, r * q.inputs.length);
    const w = model.initialWeights(3);
    const generic = await new SimulatorQuantumFunction().run(q, inputs, rows, w, { jacobian: false });
    const s = qcnn12StructureOf(model.config);
    const K = q.observables.length;
    for (let r = 0; r < rows; r++) {
      const fast = qcnn12Expectations(s, w, x.subarray(r * 256, (r + 1) * 256));
      for (let k = 0; k < K; k++) expect(generic.values[r * K + k]).toBeCloseTo(fast[k], 6);
    }
  });

  /** 20 samples per class of smooth random 16x16 "images" with a class-dependent bright block. */
  function toyData(seed: number, perClass: number): Dataset {
    const rng = createRng(seed);
    const n = perClass * 10;
    const x = new Float32Array(n * 256);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const c = i % 10;
      y[i] = c;
      let ss = 0;
      for (let p = 0; p < 256; p++) {
        const r = p >> 4;
        const col = p & 15;
        const on = r >= (c % 5) * 3 && r < (c % 5) * 3 + 4 && col >= (c >> 1) * 3 && col < (c >> 1) * 3 + 4 + (c & 1) * 3;
        const v = (on ? 1 : 0.05) + 0.05 * rng.next();
        x[i * 256 + p] = v;
        ss += v * v;
      }
      for (let p = 0; p < 256; p++) x[i * 256 + p] /= Math.sqrt(ss);
    }
    return makeDataset(x, y, [256]);
  }

  it('trains (loss falls, accuracy above chance) and resumes from a checkpoint to the same weights', async () => {
    const model = qcnn12.create({ classes, layers: 1, perceptrons: 1 }, [], 256);
    const data = { train: toyData(1, 20), test: toyData(2, 10) };
    const opts = { epochs: 3, batch: 50, lr: 0.05, headLr: 0.1, seed: 4 };
    const full = await trainQcnn12Model(model, data, opts);
    expect(full.epochs.length).toBe(3);
    expect(full.epochs[2].loss).toBeLessThan(full.epochs[0].loss);
    expect(full.testAccuracy).toBeGreaterThan(0.3);
    expect(full.quantumParameters).toBe(48 + 36);
    const ck = join(dir, 'run');
    const first = await trainQcnn12Model(model, data, { ...opts, checkpointDir: ck, stopAfter: 1 });
    expect(first.epochs.length).toBe(1);
    const resumed = await trainQcnn12Model(model, data, { ...opts, checkpointDir: ck, resume: true });
    expect(resumed.resumedFrom).toBe(1);
    expect(resumed.epochs.length).toBe(3);
    let worst = 0;
    full.weights.quantum.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - resumed.weights.quantum[i]))));
    expect(worst).toBeLessThan(1e-5);
    await expect(trainQcnn12Model(model, data, { ...opts, lr: 0.01, checkpointDir: ck, resume: true })).rejects.toThrow(
      /another model, data set or schedule/,
    );
  });
});
