import { validationError } from '../../errors.js';
import type { ModelDefinition } from '../model.js';
import { baseline } from './baseline.js';
import { hqnn } from './hqnn.js';
import { qcnn8 } from './qcnn8.js';
import { qcnn12 } from './qcnn12.js';

/**
 * The named models. To add one, write `models/<name>.ts` exporting a ModelDefinition (see
 * ../model.ts for the contract) and add it here.
 */
export const MODELS: Readonly<Record<string, ModelDefinition>> = {
  qcnn8,
  hqnn,
  qcnn12,
};

/** A model definition by name; `baseline:<name>` is the classical twin of a model. */
export function modelDefinition(name: string): ModelDefinition {
  if (name.startsWith('baseline:')) {
    modelDefinition(name.slice('baseline:'.length));
    return baseline;
  }
  const d = MODELS[name];
  if (!d)
    throw validationError(`unknown model '${name}' (known: ${Object.keys(MODELS).join(', ')})`, {
      model: name,
      known: Object.keys(MODELS),
    });
  return d;
}

export { baseline, baselineConfig, matchingHiddenUnits, mlpParameters } from './baseline.js';
export { qcnn8, QCNN8_ENCODINGS, type Qcnn8Encoding } from './qcnn8.js';
export { hqnn } from './hqnn.js';
export { qcnn12, qcnn12StructureOf, trainQcnn12Model, trainModelWithFastPaths, type Qcnn12ModelTrainOptions } from './qcnn12.js';
export {
  qkcInfo,
  buildQkc,
  trainQkc,
  saveQkc,
  loadQkc,
  predictQkc,
  predictQkcMaps,
  qkcFeatures,
  classicalFilterBank,
  type QkcConfig,
  type QkcModel,
  type QkcTrainOptions,
  type QkcTrainResult,
  type QkcWeights,
} from './qkc.js';
