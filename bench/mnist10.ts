/**
 * Ten-digit MNIST pipeline speed (`npm run bench -- mnist10`): reading and preprocessing the IDX
 * files (src/data), the qcnn12 quantum layer per image (the structured exact simulator against the
 * generic statevector path the evaluate command uses), the fixed qkc quanvolution of 10,000 images,
 * and the custom-gradient conv2d's filter gradient (im2col + matMul against the batch-as-channels
 * convolution) on the shapes qkc trains with.
 */
import {
  SimulatorQuantumFunction,
  buildModel,
  downsampleArea,
  fitPca,
  flatten,
  initTfjs,
  loadClasses,
  loadMnist,
  buildQkc,
  sliceSamples,
  trainableQuanv,
  trainableQuanvGradient,
  trainableQuanvolve,
  quanvolve,
  tf,
  type QuantumLayer,
} from '../src/index.js';
import { qcnn12StructureOf } from '../src/qcnn/models/qcnn12.js';
import { qcnn12Features } from '../src/qcnn/models/qcnn12Train.js';
import { conv2dFilterGrad } from '../src/training/conv2d.js';
import { fmtTime, heading, table, timeIt, writeResults } from './util.js';

export async function benchMnist10(): Promise<void> {
  await initTfjs();
  heading('data: MNIST IDX files and preprocessing');
  const load = timeIt(() => void loadMnist('train'), { reps: 3 });
  const train = loadMnist('train');
  const area = timeIt(() => void downsampleArea(train, 16), { reps: 3 });
  const pca = timeIt(() => void fitPca(flatten(train), 16), { reps: 1, warmup: 0 });
  process.stdout.write(
    `${table(
      ['step', 'time'],
      [
        ['load 60,000 training images (bytes -> Float32 in [0, 1])', fmtTime(load.median)],
        ['area downsampling 28x28 -> 16x16, 60,000 images', fmtTime(area.median)],
        ['PCA fit, 784 -> 16 components, 60,000 images', fmtTime(pca.median)],
      ],
    )}\n`,
  );

  heading('qcnn12 quantum layer (12 qubits, 390 observables) per image');
  const classes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const { model, test } = buildModel('qcnn12', { classes }, loadClasses(classes, { trainLimit: 1000, testLimit: 2048 }));
  const q = model.quantum as QuantumLayer;
  const w = model.initialWeights(1);
  const s = qcnn12StructureOf(model.config);
  const fast = timeIt(() => void qcnn12Features(s, w, test), { reps: 3 });
  const rows = 16;
  const inputs = new Float64Array(rows * q.inputs.length);
  for (let r = 0; r < rows; r++) model.quantumInputs(test.x, r * 256, inputs, r * q.inputs.length);
  const qf = new SimulatorQuantumFunction();
  let sink = 0;
  const generic = timeIt(() => void qf.run(q, inputs, rows, w, { jacobian: false }).then((r) => (sink += r.values[0])), { reps: 3 });
  process.stdout.write(
    `${table(
      ['path', 'time per image'],
      [
        ['structured exact simulator (U, F once, then (Ux)²F), 2,048 images', fmtTime(fast.median / test.count)],
        ['generic statevector + 390 expectation values, 16 images', fmtTime(generic.median / rows)],
      ],
    )}\n`,
  );

  const layer = buildQkc({ classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }).layer;
  heading(`qkc quanvolution (${layer.filters} fixed 4-qubit filters, 196 patches per image)`);
  const t10k = loadMnist('test');
  const quanv = timeIt(() => void quanvolve(layer, t10k), { reps: 1, warmup: 0 });
  // A trainable filter bank's training step on a batch of 128: forward maps, then the angle gradient.
  const batch = sliceSamples(t10k, 0, 128);
  const trainable = trainableQuanv(layer);
  const dy = new Float64Array(128 * 14 * 14 * layer.channels).fill(1e-3);
  const fwd = timeIt(() => void trainableQuanvolve(trainable, trainable.initial, batch), { reps: 3 });
  const grad = timeIt(() => void trainableQuanvGradient(trainable, trainable.initial, batch, dy), { reps: 1, warmup: 0 });
  process.stdout.write(
    `${table(
      ['step', 'time'],
      [
        ['quanvolve 10,000 test images', fmtTime(quanv.median)],
        [`trainable: forward, batch 128 (${layer.filters} filters)`, fmtTime(fwd.median)],
        [`trainable: angle gradient, batch 128 (${layer.filters * trainable.params} angles)`, fmtTime(grad.median)],
      ],
    )}\n`,
  );

  heading('conv2d filter gradient, batch 128 (tfjs backend: ' + tf.getBackend() + ')');
  const rowsOut: string[][] = [];
  const results: Record<string, number> = {};
  for (const [H, C, O] of [
    [14, layer.channels, 32],
    [7, 32, 64],
  ]) {
    const x = tf.randomNormal([128, H, H, C]) as tf.Tensor4D;
    const dy = tf.randomNormal([128, H, H, O]) as tf.Tensor4D;
    for (const method of ['im2col', 'conv'] as const) {
      const t = timeIt(() => conv2dFilterGrad(x, dy, 3, 3, 'same', method).dispose(), { reps: 5 });
      rowsOut.push([`${H}x${H}x${C} -> ${O}`, method, fmtTime(t.median)]);
      results[`${H}x${C}x${O}-${method}`] = t.median;
    }
    x.dispose();
    dy.dispose();
  }
  process.stdout.write(`${table(['layer', 'method', 'time'], rowsOut)}\n`);
  writeResults('mnist10', {
    loadMs: load.median,
    areaMs: area.median,
    pcaMs: pca.median,
    qcnn12StructuredMsPerImage: fast.median / test.count,
    qcnn12GenericMsPerImage: generic.median / rows,
    quanv10kMs: quanv.median,
    trainableForwardMs: fwd.median,
    trainableGradientMs: grad.median,
    filterGradMs: results,
    sink,
  });
}
