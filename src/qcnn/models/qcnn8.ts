import { validationError } from '../../errors.js';
import { CircuitBuilder } from '../../ir/builder.js';
import { createRng } from '../../sim/rng.js';
import { convBlock, poolBlock } from '../blocks.js';
import { amplitudeEncoder, angleEncoder, denseAngleEncoder, type Encoder } from '../encoders.js';
import type { HybridModel, ModelConfig, ModelDefinition } from '../model.js';
import type { PreprocessSpec, PreprocessStep } from '../preprocess.js';
import { pauliReadout } from '../readout.js';
import { qcnnStack } from '../stack.js';

/** Encodings qcnn8 supports (Hur-Kim-Park's: PCA8 angle, PCA16 dense angle, 16x16 amplitude). */
export const QCNN8_ENCODINGS = ['pca8', 'pca16-dense', 'amplitude'] as const;
export type Qcnn8Encoding = (typeof QCNN8_ENCODINGS)[number];

function option<T extends string>(config: ModelConfig, key: string, allowed: readonly T[], fallback: T): T {
  const v = config[key] ?? fallback;
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    throw validationError(`model option ${key} must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

function encoderFor(encoding: Qcnn8Encoding): Encoder {
  if (encoding === 'pca8') return angleEncoder(8);
  if (encoding === 'pca16-dense') return denseAngleEncoder(8);
  return amplitudeEncoder(8);
}

/**
 * qcnn8: the 8-qubit QCNN of Hur, Kim & Park (Quantum Mach. Intell. 4, 3 (2022), arXiv:2108.00661)
 * for two classes: encoding -> three convolution levels with ONE shared SU(4) block per level (15
 * angles; 8, 4 and 1 applications on a ring) -> three CRZ/X/CRX pooling levels (2 angles each),
 * 8 -> 4 -> 2 -> 1 qubits -> <Z> of the last qubit -> a 1 -> 2 dense layer (scale and bias of the
 * two logits, 4 classical parameters). 3x15 + 3x2 = 51 quantum parameters.
 *
 * Default encoding: PCA to 8 components fitted on the training set, each min-max scaled to [0, π]
 * and angle-encoded with RY (their "pca8"). Options: `encoding` ('pca8' | 'pca16-dense' |
 * 'amplitude': 16x16 bilinear resize, amplitude-encoded), `conv` and `pool` block names.
 */
export const qcnn8: ModelDefinition = {
  name: 'qcnn8',
  description: '8-qubit QCNN, SU(4) convolutions shared per level, CRZ/X/CRX pooling, 8->4->2->1, <Z> readout (Hur-Kim-Park)',
  source: 'Hur, Kim, Park, Quantum Mach. Intell. 4, 3 (2022), arXiv:2108.00661; Cong, Choi, Lukin, Nat. Phys. 15, 1273 (2019)',
  qubits: 8,
  numClasses: 2,
  defaultClasses: [0, 1],
  defaults: { epochs: 3, batch: 32, lr: 0.05, headLr: 0.05 },
  preprocessing(config): PreprocessSpec[] {
    const enc = option(config, 'encoding', QCNN8_ENCODINGS, 'pca8');
    if (enc === 'amplitude') return [{ op: 'resize', rows: 16, cols: 16, method: 'bilinear' }, { op: 'flatten' }, { op: 'normalize' }];
    const k = enc === 'pca8' ? 8 : 16;
    return [{ op: 'flatten' }, { op: 'pca', components: k }, { op: 'minmax', lo: 0, hi: Math.PI, clip: true }];
  },
  create(config, preprocessing: readonly PreprocessStep[], features): HybridModel {
    if (config.classes.length !== 2) throw validationError(`qcnn8 classifies two classes, got ${config.classes.length}`);
    const enc = option(config, 'encoding', QCNN8_ENCODINGS, 'pca8');
    const encoder = encoderFor(enc);
    if (features !== encoder.features)
      throw validationError(`qcnn8 (${enc}) needs ${encoder.features} features, preprocessing gives ${features}`);
    const conv = convBlock(typeof config.conv === 'string' ? config.conv : 'su4');
    const pool = poolBlock(typeof config.pool === 'string' ? config.pool : 'crz-x-crx');
    const b = new CircuitBuilder(8, 0, 'qcnn8');
    encoder.apply(b);
    const stack = qcnnStack(b, { conv: conv.name, pool: pool.name });
    const circuit = b.build();
    const row = new Float64Array(encoder.inputs.length);
    return {
      name: 'qcnn8',
      classes: [...config.classes],
      config,
      preprocessing,
      features,
      quantum: {
        circuit,
        inputs: encoder.inputs,
        weights: stack.weights,
        observables: pauliReadout(stack.active, 'Z'),
        evaluationsPerSample: 1,
        trainable: true,
        ...(encoder.state ? { statePrep: { gates: encoder.gateCount, state: encoder.state } } : {}),
      },
      quantumInputs(x, offset, out, outOffset) {
        encoder.inputValues(x.subarray(offset, offset + features), row);
        out.set(row, outOffset);
      },
      head: { input: 'quantum', layers: [{ kind: 'dense', units: 2, activation: 'linear' }] },
      initialWeights(seed) {
        const rng = createRng(seed);
        return Float64Array.from(stack.weights, () => (2 * rng.next() - 1) * Math.PI);
      },
    };
  },
};
