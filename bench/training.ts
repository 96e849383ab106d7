/**
 * Hybrid training speed (`npm run bench -- training`): the qcnn8 quantum layer (8 qubits, 51
 * weights, SU(4) blocks) on MNIST 0/1 PCA-8 features, per sample: exact forward values, adjoint
 * values + weight Jacobian, and the same Jacobian by parameter shift on the same simulator (every
 * shifted binding simulated: what a shot backend would be sent, without the shots); then one full
 * training epoch (12,665 images, batch 32, Adam through tfjs) and its test evaluation.
 */
import {
  SimulatorQuantumFunction,
  buildModel,
  loadClasses,
  parameterShift,
  prepare,
  expectation,
  trainModel,
  type QuantumLayer,
} from '../src/index.js';
import { heading, table, timeIt, writeResults } from './util.js';

export async function benchTraining(): Promise<void> {
  heading('qcnn8 quantum layer on the local simulator (per sample)');
  const raw = loadClasses([0, 1]);
  const { model, train, test } = buildModel('qcnn8', { classes: [0, 1] }, raw);
  const q = model.quantum as QuantumLayer;
  const rows = 512;
  const I = q.inputs.length;
  const inputs = new Float64Array(rows * I);
  for (let r = 0; r < rows; r++) model.quantumInputs(train.x, r * model.features, inputs, r * I);
  const w = model.initialWeights(1);
  const qf = new SimulatorQuantumFunction();
  let sink = 0;
  const fwd = timeIt(() => void qf.run(q, inputs, rows, w, { jacobian: false }).then((r) => (sink += r.values[0])), { reps: 5 });
  const adj = timeIt(() => void qf.run(q, inputs, rows, w, { jacobian: true }).then((r) => (sink += r.values[0])), { reps: 5 });
  // Parameter shift on the same simulator: all shifted bindings of 16 samples.
  const plan = parameterShift(q.circuit, { wrt: q.weights });
  const prog = prepare(plan.circuit);
  const psRows = 16;
  let bindingsPerRow = 0;
  const ps = timeIt(
    () => {
      for (let r = 0; r < psRows; r++) {
        const b: Record<string, number> = {};
        q.inputs.forEach((s, i) => (b[s] = inputs[r * I + i]));
        q.weights.forEach((s, i) => (b[s] = w[i]));
        const e = plan.expand(b);
        bindingsPerRow = e.batch.length;
        const vals = e.batch.map((x) => [expectation(prog.run(prog.values(x), prog.workState()), 8, q.observables[0])]);
        sink += e.combine(vals).values[0];
      }
    },
    { reps: 3 },
  );
  const perRow = (ms: number, n: number): string => `${((1000 * ms) / n).toFixed(0)} µs`;
  const rowsOut = [
    ['forward (values only)', perRow(fwd.median, rows), '1'],
    ['adjoint (values + 51-weight Jacobian)', perRow(adj.median, rows), '1 forward + 1 backward sweep'],
    ['parameter shift (same Jacobian)', perRow(ps.median, psRows), String(bindingsPerRow)],
  ];
  process.stdout.write(`${table(['method', 'time per sample', 'circuit runs per sample'], rowsOut)}\n`);
  process.stdout.write(
    `adjoint is ${(ps.median / psRows / (adj.median / rows)).toFixed(0)}x faster than parameter shift on the simulator\n`,
  );

  heading('one qcnn8 training epoch (12,665 images, batch 32) + test evaluation (2,115 images)');
  const t0 = performance.now();
  const r = await trainModel(model, { train, test }, { epochs: 1, batch: 32, lr: 0.05, headLr: 0.05, seed: 1, quantum: qf });
  const epochS = (performance.now() - t0) / 1000;
  process.stdout.write(`epoch ${epochS.toFixed(1)} s (tfjs ${r.tfjsBackend}), test accuracy ${(100 * r.testAccuracy).toFixed(2)}%\n`);
  const file = writeResults('training', {
    perSampleMicroseconds: {
      forward: (1000 * fwd.median) / rows,
      adjoint: (1000 * adj.median) / rows,
      parameterShift: (1000 * ps.median) / psRows,
    },
    parameterShiftBindingsPerSample: bindingsPerRow,
    epochSeconds: epochS,
    testAccuracy: r.testAccuracy,
    tfjsBackend: r.tfjsBackend,
    sink,
  });
  process.stdout.write(`results: ${file}\n`);
}
