import { validationError } from '../../errors.js';
import type { HybridModel, ModelConfig, ModelDefinition } from '../model.js';
import type { PreprocessStep } from '../preprocess.js';

/** Trainable parameters of Dense(d -> h, relu) -> Dense(h -> C). */
export function mlpParameters(d: number, h: number, C: number): number {
  return d * h + h + h * C + C;
}

/** Hidden width whose MLP parameter count is closest to `target` (ties: the smaller). */
export function matchingHiddenUnits(d: number, C: number, target: number): number {
  let best = 1;
  for (let h = 1; h <= 4096; h++) {
    if (Math.abs(mlpParameters(d, h, C) - target) < Math.abs(mlpParameters(d, best, C) - target)) best = h;
    if (mlpParameters(d, h, C) > target) break;
  }
  return best;
}

/**
 * The classical twin of a model for `--baseline`: the SAME preprocessed inputs into a one-hidden-layer
 * ReLU MLP whose trainable parameter count is as close as possible to the hybrid model's total
 * (quantum + classical), trained by the same loop, seed and schedule.
 */
export const baseline: ModelDefinition = {
  name: 'baseline',
  description: 'classical MLP with the parameter budget of a quantum model, on the same inputs',
  source: 'equal-parameter classical baseline (as Hur-Kim-Park and TFQ compare against)',
  qubits: 0,
  defaultClasses: [0, 1],
  defaults: { epochs: 3, batch: 32, lr: 0.01 },
  preprocessing() {
    throw validationError('a baseline reuses the preprocessing of the model it is compared with');
  },
  create(config: ModelConfig, preprocessing: readonly PreprocessStep[], features): HybridModel {
    const hidden = config.hidden;
    const of = config.of;
    if (typeof hidden !== 'number' || !(Number.isInteger(hidden) && hidden >= 1))
      throw validationError('baseline needs a positive integer option hidden');
    if (typeof of !== 'string') throw validationError('baseline needs the name of the model it mirrors (option of)');
    return {
      name: `baseline:${of}`,
      classes: [...config.classes],
      config,
      preprocessing,
      features,
      quantumInputs() {
        /* no quantum layer */
      },
      head: {
        input: 'features',
        layers: [
          { kind: 'dense', units: hidden, activation: 'relu' },
          { kind: 'dense', units: config.classes.length, activation: 'linear' },
        ],
      },
      initialWeights: () => new Float64Array(0),
    };
  },
};

/** Baseline config for a built model with `params` trainable parameters in total. */
export function baselineConfig(model: HybridModel, params: number): ModelConfig {
  const C = model.classes.length;
  return { classes: model.classes, of: model.name, hidden: matchingHiddenUnits(model.features, C, params) };
}
