import { validationError } from '../../errors.js';
import { CircuitBuilder } from '../../ir/builder.js';
import { sym } from '../../ir/params.js';
import { createRng } from '../../sim/rng.js';
import { angleEncoder, denseAngleEncoder } from '../encoders.js';
import type { HybridModel, ModelDefinition } from '../model.js';
import type { PreprocessSpec, PreprocessStep } from '../preprocess.js';
import { pauliReadout } from '../readout.js';

/**
 * hqnn: a hybrid quantum neural network in the style of the HQNN family (Senokosov et al., Mach.
 * Learn.: Sci. Technol. 5, 015040 (2024), arXiv:2304.09224): classical preprocessing shrinks the
 * image to a few informative features, a parameterised circuit transforms them, a small MLP decides.
 *
 * Preprocessing (fitted on the training set): binarise at 0.5 -> block compression (area average of
 * 4x4 blocks, 28x28 -> 7x7) -> standardise each block -> feature screening (keep the `qubits` blocks
 * with the highest Fisher score) -> min-max to [0, π]. Circuit on `qubits` (default 8) qubits: RY
 * angle encoding, then `layers` (default 3) of [RY, RZ on every qubit; CNOT ring on odd layers, CZ
 * ring on even ones], <Z> of every qubit. Head: Dense(qubits -> 8, relu) -> Dense(8 -> 2).
 * Quantum parameters 2 x qubits x layers (48 by default); classical 8·9 + 9·2 = 90.
 */
export const hqnn: ModelDefinition = {
  name: 'hqnn',
  description: 'hybrid QNN: binarise, block-compress, screen features -> RY/RZ layers with CNOT/CZ rings -> MLP',
  source: 'Senokosov, Sedykh, Sagingalieva, Kyriacou, Melnikov, Mach. Learn.: Sci. Technol. 5, 015040 (2024), arXiv:2304.09224',
  qubits: 8,
  numClasses: 2,
  defaultClasses: [0, 1],
  defaults: { epochs: 3, batch: 32, lr: 0.03, headLr: 0.01 },
  preprocessing(config): PreprocessSpec[] {
    const qubits = typeof config.qubits === 'number' ? config.qubits : 8;
    const perQubit = config.encoding === 'dense' ? 2 : 1;
    return [
      { op: 'binarize', threshold: 0.5 },
      { op: 'resize', rows: 7, cols: 7, method: 'area' },
      { op: 'flatten' },
      { op: 'standardize' },
      { op: 'screen', keep: perQubit * qubits },
      { op: 'minmax', lo: 0, hi: Math.PI, clip: true },
    ];
  },
  create(config, preprocessing: readonly PreprocessStep[], features): HybridModel {
    const n = typeof config.qubits === 'number' ? config.qubits : 8;
    const layers = typeof config.layers === 'number' ? config.layers : 3;
    if (!(Number.isInteger(n) && n >= 2 && n <= 16)) throw validationError(`hqnn qubits must be 2..16, got ${n}`);
    if (!(Number.isInteger(layers) && layers >= 1 && layers <= 20)) throw validationError(`hqnn layers must be 1..20, got ${layers}`);
    if (config.classes.length !== 2) throw validationError(`hqnn classifies two classes, got ${config.classes.length}`);
    const encoder = config.encoding === 'dense' ? denseAngleEncoder(n) : angleEncoder(n);
    if (features !== encoder.features) throw validationError(`hqnn needs ${encoder.features} features, preprocessing gives ${features}`);
    const b = new CircuitBuilder(n, 0, 'hqnn');
    encoder.apply(b);
    const weights: string[] = [];
    for (let l = 0; l < layers; l++) {
      for (let q = 0; q < n; q++) {
        const ry = `ry${l}[${q}]`;
        const rz = `rz${l}[${q}]`;
        weights.push(ry, rz);
        b.ry(sym(ry), q).rz(sym(rz), q);
      }
      for (let q = 0; q < n; q++) {
        // CZ first: it commutes with the Z readout, so at the near-identity start the MLP sees the
        // encoded features themselves; CNOT rings then mix them.
        if (l % 2 === 0) b.cz(q, (q + 1) % n);
        else b.cx(q, (q + 1) % n);
      }
    }
    const row = new Float64Array(encoder.inputs.length);
    return {
      name: 'hqnn',
      classes: [...config.classes],
      config,
      preprocessing,
      features,
      quantum: {
        circuit: b.build(),
        inputs: encoder.inputs,
        weights,
        observables: pauliReadout(
          Array.from({ length: n }, (_, q) => q),
          'Z',
        ),
        evaluationsPerSample: 1,
        trainable: true,
      },
      quantumInputs(x, offset, out, outOffset) {
        encoder.inputValues(x.subarray(offset, offset + features), row);
        out.set(row, outOffset);
      },
      head: {
        input: 'quantum',
        layers: [
          { kind: 'dense', units: 8, activation: 'relu' },
          { kind: 'dense', units: 2, activation: 'linear' },
        ],
      },
      initialWeights(seed) {
        const rng = createRng(seed);
        // Small angles: the circuit starts near the identity after the encoding, so the MLP first
        // sees (nearly) the encoded features and the quantum layer learns corrections.
        return Float64Array.from(weights, () => 0.1 * rng.normal());
      },
    };
  },
};
