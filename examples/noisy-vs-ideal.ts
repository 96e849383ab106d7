/**
 * What noise does to a trained model, and how much mitigation gives back: the same qcnn8 and the same
 * test images on the exact simulator, on a simulated IBM Fez (`local:noisy=ibm_fez`: the noise of a
 * real calibration snapshot, density-matrix simulation of the compiled circuit), and on that device
 * with readout-error mitigation and with readout mitigation plus zero-noise extrapolation.
 * For each it prints the accuracy and the mean / max absolute deviation of the measured <Z> from
 * its ideal value, image by image.
 *
 * Run:   npx tsx examples/noisy-vs-ideal.ts [--quick] [--model DIR] [--samples K] [--shots N]
 * `--quick` (or QBRIDGE_EXAMPLE_QUICK=1): a model trained on 1,000 images, 16 test images, 2,000 shots.
 * `npx qbridge compare` does the same for any backends, with plots.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  Estimator,
  EstimatorQuantumFunction,
  QError,
  SimulatorQuantumFunction,
  accuracy,
  applyPreprocessing,
  buildModel,
  loadClasses,
  loadModel,
  pipe,
  predict,
  trainModel,
  withCompilation,
  withReadoutMitigation,
  withZne,
  type EstimatorLike,
  type HybridModel,
  type QuantumFunction,
  type TrainedWeights,
} from '../src/index.js';
import { localBackendFor } from '../backends/local/index.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: process.env['QBRIDGE_EXAMPLE_QUICK'] === '1' },
    model: { type: 'string' },
    samples: { type: 'string' },
    shots: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
function count(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new QError('VALIDATION', `--${name} must be a positive integer, got '${v}'`);
  return n;
}
const quick = args.quick ?? false;
const samples = count('samples', args.samples, quick ? 16 : 100);
const shots = count('shots', args.shots, quick ? 2000 : 4000);
const seed = count('seed', args.seed, 1);
const classes = [0, 1];

// ---- the model: trained here on the exact simulator, or loaded (`qbridge train --out DIR`) ----
let model: HybridModel;
let weights: TrainedWeights;
if (args.model) {
  const file = existsSync(args.model) && statSync(args.model).isDirectory() ? join(args.model, 'model.json') : args.model;
  ({ model, weights } = loadModel(file));
} else {
  const built = buildModel('qcnn8', { classes }, loadClasses(classes, { trainLimit: quick ? 1000 : 12_665, testLimit: 1 }));
  model = built.model;
  const t = await trainModel(model, built, { epochs: quick ? 2 : 3, batch: 32, lr: 0.05, seed, quantum: new SimulatorQuantumFunction() });
  weights = t.weights;
}
if (!model.quantum) throw new QError('VALIDATION', `${model.name} has no quantum layer`);
const test = applyPreprocessing(loadClasses(model.classes, { trainLimit: 0, testLimit: samples }).test, model.preprocessing);
console.log(`${model.name} (${model.quantum.weights.length} quantum parameters), ${test.count} test images, ${shots} shots per circuit`);

/** Keeps every value a quantum function returns (one row per image, one column per observable). */
class Recording implements QuantumFunction {
  values: number[] = [];
  jobs = 0;
  shots = 0;
  constructor(private readonly inner: QuantumFunction) {}
  get description(): string {
    return this.inner.description;
  }
  async run(...a: Parameters<QuantumFunction['run']>): ReturnType<QuantumFunction['run']> {
    const r = await this.inner.run(...a);
    this.values.push(...r.values);
    return r;
  }
}

// ---- the device and the mitigation stacks ----
// The noisy backend simulates ISA circuits where they stand. Each stack compiles the circuit to the
// device once, INSIDE the mitigation layers, so the readout calibration and the ZNE folds act on the
// physical circuit that runs (withZne compiles before folding when given the target).
const device = 'local:noisy=ibm_fez';
const backend = localBackendFor(device);
const target = backend.target!;
const noisy = (): Estimator => new Estimator(backend, { seed });
const rows: { name: string; est?: () => EstimatorLike }[] = [
  { name: 'local (ideal, exact)' },
  { name: `${device}`, est: () => pipe(withCompilation(target))(noisy()) },
  { name: `${device} + readout`, est: () => pipe(withReadoutMitigation(), withCompilation(target))(noisy()) },
  { name: `${device} + readout+zne`, est: () => pipe(withReadoutMitigation(), withZne({ target }))(noisy()) },
];

let ideal: number[] = [];
const table: string[][] = [];
const meanDeviation: number[] = [];
for (const row of rows) {
  const t0 = performance.now();
  const qf = new Recording(
    row.est ? new EstimatorQuantumFunction(row.est(), { shots, seed, onJob: () => undefined }) : new SimulatorQuantumFunction(),
  );
  const r = await predict(model, weights, test, qf, { evalBatch: test.count });
  if (!row.est) ideal = qf.values;
  const dev = qf.values.map((v, i) => Math.abs(v - ideal[i]!));
  meanDeviation.push(dev.reduce((a, b) => a + b, 0) / dev.length);
  table.push([
    row.name,
    `${(100 * accuracy(r.predictions, test.y)).toFixed(2)}%`,
    meanDeviation.at(-1)!.toFixed(4),
    Math.max(...dev).toFixed(4),
    String(r.shots),
    ((performance.now() - t0) / 1000).toFixed(1),
  ]);
}

const head = ['backend / mitigation', 'accuracy', 'mean |Δ<Z>|', 'max |Δ<Z>|', 'shots', 'seconds'];
const width = head.map((h, c) => Math.max(h.length, ...table.map((r) => r[c]!.length)));
const line = (cells: string[]): string => cells.map((s, c) => (c === 0 ? s.padEnd(width[c]!) : s.padStart(width[c]!))).join('  ');
console.log(line(head));
console.log(width.map((w) => '-'.repeat(w)).join('  '));
for (const r of table) console.log(line(r));
const [, raw, readout, zne] = meanDeviation as [number, number, number, number];
console.log(
  `mean deviation left by mitigation: readout ${((100 * readout) / raw).toFixed(0)}% of the raw ${raw.toFixed(4)}, readout+zne ${((100 * zne) / raw).toFixed(0)}%`,
);
