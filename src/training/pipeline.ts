import { filterClasses, loadMnist, type Dataset, type MnistOptions } from '../data/index.js';
import { validationError } from '../errors.js';
import { modelDefinition } from '../qcnn/models/index.js';
import type { HybridModel, ModelConfig } from '../qcnn/model.js';
import { applyPreprocessing, fitPreprocessing } from '../qcnn/preprocess.js';
import { sampleSize } from '../data/index.js';

/** MNIST train and test images of the given classes, relabelled 0..k-1 in that order. */
export function loadClasses(
  classes: readonly number[],
  options: MnistOptions & { trainLimit?: number; testLimit?: number } = {},
): { train: Dataset; test: Dataset } {
  for (const c of classes) {
    if (!(Number.isInteger(c) && c >= 0 && c <= 9)) throw validationError(`class ${c} is not an MNIST digit (0-9)`);
  }
  const train = filterClasses(loadMnist('train', { dir: options.dir }), classes);
  const test = filterClasses(loadMnist('test', { dir: options.dir }), classes);
  const cut = (ds: Dataset, n?: number): Dataset => {
    if (n === undefined || n >= ds.count) return ds;
    const size = sampleSize(ds);
    return { x: ds.x.subarray(0, n * size), y: ds.y.subarray(0, n), count: n, shape: [...ds.shape] };
  };
  return { train: cut(train, options.trainLimit), test: cut(test, options.testLimit) };
}

/** Fits the model's preprocessing on the training images and builds it; returns the preprocessed sets too. */
export function buildModel(
  name: string,
  config: ModelConfig,
  raw: { train: Dataset; test: Dataset },
): { model: HybridModel; train: Dataset; test: Dataset } {
  const def = modelDefinition(name);
  if (def.numClasses !== undefined && config.classes.length !== def.numClasses) {
    throw validationError(
      `${name} classifies ${def.numClasses} classes; --classes gave ${config.classes.length} (${config.classes.join(',')})`,
    );
  }
  const { steps, train } = fitPreprocessing(raw.train, def.preprocessing(config));
  const model = def.create(config, steps, sampleSize(train));
  return { model, train, test: applyPreprocessing(raw.test, steps) };
}
