import { describe, expect, it } from 'vitest';
import {
  AdjointDifferentiator,
  CircuitBuilder,
  Estimator,
  EstimatorQuantumFunction,
  Head,
  SimulatorQuantumFunction,
  amplitudeEncoder,
  angleEncoder,
  initHeadWeights,
  initTfjs,
  makeCircuit,
  pauliReadout,
  qcnnStack,
  quantumOutput,
  tf,
  type QuantumLayer,
} from '../../src/index.js';
import { LocalBackend } from '../../backends/local/index.js';

function smallLayer(): QuantumLayer {
  const enc = angleEncoder(4);
  const b = new CircuitBuilder(4);
  enc.apply(b);
  const st = qcnnStack(b, { conv: 'su4', pool: 'crz-x-crx', until: 2 });
  return {
    circuit: b.build(),
    inputs: enc.inputs,
    weights: st.weights,
    observables: pauliReadout(st.active, 'Z'),
    evaluationsPerSample: 1,
    trainable: true,
  };
}

const rows = 3;
const inputs = Float64Array.from({ length: rows * 4 }, (_, i) => 0.3 + 0.37 * i);
const weightsOf = (n: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + 0.2));

describe('quantum functions', () => {
  it('the simulator Jacobian (adjoint, weights only) equals parameter shift through the Estimator, in one job', async () => {
    const layer = smallLayer();
    const w = weightsOf(layer.weights.length);
    const sim = await new SimulatorQuantumFunction().run(layer, inputs, rows, w, { jacobian: true });
    const jobs: number[] = [];
    const ps = new EstimatorQuantumFunction(new Estimator(new LocalBackend()), { onJob: (j) => jobs.push(j.bindings) });
    const est = await ps.run(layer, inputs, rows, w, { jacobian: true });
    expect(jobs).toHaveLength(1);
    expect(est.jobs).toBe(1);
    // Every row's unshifted binding plus two per shifted 2-term occurrence and four per CRZ/CRX.
    expect(jobs[0]).toBeGreaterThan(rows * 2 * layer.weights.length);
    for (let i = 0; i < sim.values.length; i++) expect(est.values[i]).toBeCloseTo(sim.values[i], 10);
    const js = sim.jacobian as Float64Array;
    const je = est.jacobian as Float64Array;
    expect(js.length).toBe(rows * layer.observables.length * layer.weights.length);
    for (let i = 0; i < js.length; i++) expect(je[i]).toBeCloseTo(js[i], 9);
  });

  it('with shots, values agree with the exact ones within their standard error (Z readout of a subset of qubits)', async () => {
    const layer = smallLayer();
    const w = weightsOf(layer.weights.length);
    const shots = 4000;
    const exact = await new SimulatorQuantumFunction().run(layer, inputs, rows, w, { jacobian: false });
    const est = await new EstimatorQuantumFunction(new Estimator(new LocalBackend()), { shots, seed: 5 }).run(layer, inputs, rows, w, {
      jacobian: false,
    });
    expect(est.shots).toBe(rows * shots);
    for (let i = 0; i < exact.values.length; i++) {
      // Var <Z> = 1 - <Z>^2 per shot; 5 standard errors.
      const se = Math.sqrt((1 - exact.values[i] ** 2) / shots);
      expect(Math.abs(est.values[i] - exact.values[i])).toBeLessThan(5 * se + 1e-9);
    }
  });

  it('SPSA is one job of 3 bindings per row, and its estimate correlates with the true gradient', async () => {
    const layer = smallLayer();
    const w = weightsOf(layer.weights.length);
    const jobs: number[] = [];
    const spsa = new EstimatorQuantumFunction(new Estimator(new LocalBackend()), {
      gradient: 'spsa',
      seed: 3,
      spsaStep: 1e-3,
      onJob: (j) => jobs.push(j.bindings),
    });
    const exact = await new SimulatorQuantumFunction().run(layer, inputs, rows, w, { jacobian: true });
    const est = await spsa.run(layer, inputs, rows, w, { jacobian: true });
    expect(jobs).toEqual([3 * rows]);
    // E[Δ Δᵀ] = I: projected on Δ, the estimate equals the directional derivative.
    const P = layer.weights.length;
    const je = est.jacobian as Float64Array;
    const jx = exact.jacobian as Float64Array;
    let dot = 0;
    for (let p = 0; p < P; p++) dot += je[p] * jx[p];
    expect(dot).toBeGreaterThan(0);
    // Rank one: every entry of the first output's row is ±(the same directional derivative).
    const mag = Math.abs(je[0]);
    for (let p = 0; p < P; p++) expect(Math.abs(je[p])).toBeCloseTo(mag, 12);
  });

  it('adjoint with wrt and an initial state equals the full adjoint on the prepared circuit', () => {
    const enc = amplitudeEncoder(3);
    const b = new CircuitBuilder(3);
    enc.apply(b);
    const st = qcnnStack(b, { conv: 'so4', pool: 'crz', qubits: [1, 2] });
    const c = b.build();
    const x = [0.1, 0.5, 0.2, 0.9, 0.3, 0.0, 0.7, 0.4];
    const row = new Float64Array(enc.inputs.length);
    enc.inputValues(x, row);
    const w = weightsOf(st.weights.length);
    const bind: Record<string, number> = {};
    enc.inputs.forEach((s, i) => (bind[s] = row[i]));
    st.weights.forEach((s, i) => (bind[s] = w[i]));
    const obs = pauliReadout([0, 1], 'Z');
    const full = new AdjointDifferentiator(c).gradient(obs, bind);
    const tail = makeCircuit(3, 0, c.ops.slice(enc.gateCount));
    const wrt = new AdjointDifferentiator(tail, { wrt: st.weights });
    const tailBind = Object.fromEntries(tail.parameters.map((p) => [p, bind[p]]));
    const part = wrt.gradient(obs, tailBind, { initialState: enc.state?.(row, 0) });
    expect(part.parameters).toEqual(st.weights);
    for (let k = 0; k < obs.length; k++) {
      expect(part.values[k]).toBeCloseTo(full.values[k], 12);
      st.weights.forEach((s, j) => expect(part.jacobian[k][j]).toBeCloseTo(full.jacobian[k][full.parameters.indexOf(s)], 11));
    }
  });
});

describe('customGrad bridge', () => {
  it('passes dL/dθ equal to finite differences of the whole hybrid loss', async () => {
    await initTfjs();
    const layer = smallLayer();
    const qf = new SimulatorQuantumFunction();
    const P = layer.weights.length;
    const K = layer.observables.length;
    const theta0 = weightsOf(P);
    const spec = {
      input: 'quantum' as const,
      layers: [
        { kind: 'dense' as const, units: 3, activation: 'tanh' as const },
        { kind: 'dense' as const, units: 2, activation: 'linear' as const },
      ],
    };
    const head = new Head(spec, K, initHeadWeights(spec, K, 5));
    const labels = tf.tensor2d([1, 0, 0, 1, 1, 0], [rows, 2]);
    // The loss as a plain function of θ (float64 host values through the float32 head).
    const lossAt = async (th: Float64Array): Promise<number> => {
      const r = await qf.run(layer, inputs, rows, th, { jacobian: false });
      return tf.tidy(
        () => tf.losses.softmaxCrossEntropy(labels, head.apply(tf.tensor2d(Float32Array.from(r.values), [rows, K]))).dataSync()[0],
      );
    };
    const theta = tf.variable(tf.tensor1d(Float32Array.from(theta0)));
    const r = await qf.run(layer, inputs, rows, Float64Array.from(theta.dataSync()), { jacobian: true });
    const { grads, value } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(labels, head.apply(quantumOutput(theta, r.values, r.jacobian, rows, K))) as tf.Scalar,
      [theta],
    );
    const g = grads[theta.name].dataSync();
    expect(value.dataSync()[0]).toBeCloseTo(await lossAt(Float64Array.from(theta.dataSync())), 5);
    const h = 1e-3;
    for (const p of [0, 3, 7, P - 1]) {
      const plus = Float64Array.from(theta.dataSync());
      const minus = Float64Array.from(theta.dataSync());
      plus[p] += h;
      minus[p] -= h;
      const fd = ((await lossAt(plus)) - (await lossAt(minus))) / (2 * h);
      expect(Math.abs(g[p] - fd)).toBeLessThan(2e-3 + 0.02 * Math.abs(fd));
    }
    head.dispose();
    theta.dispose();
  });
});
