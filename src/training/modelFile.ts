import { readFileSync } from 'node:fs';
import { validationError } from '../errors.js';
import { atomicWriteFileSync } from '../io/atomicWrite.js';
import { circuitToJSON } from '../ir/json.js';
import type { PauliSum } from '../ir/pauli.js';
import { modelDefinition } from '../qcnn/models/index.js';
import type { HybridModel, ModelConfig } from '../qcnn/model.js';
import type { PreprocessStep } from '../qcnn/preprocess.js';
import { checkHeadWeights } from './head.js';
import { headInputWidth, type TrainedWeights } from './trainer.js';

export const MODEL_FORMAT = 'qbridge.model';
export const MODEL_VERSION = 1;

/**
 * A trained model as one JSON document: format name and version, the model's registry name and
 * build options, the fitted preprocessing, the quantum circuit (qbridge circuit JSON, symbolic in its
 * inputs and weights), the observables, the weights by name, the classical head (spec + arrays) and
 * a training summary. Loading rebuilds the model from the registry and checks that it yields the
 * stored circuit, so a file from another version or a tampered file fails clearly instead of
 * silently computing something else.
 */
export interface ModelDocument {
  readonly format: typeof MODEL_FORMAT;
  readonly version: typeof MODEL_VERSION;
  readonly model: string;
  readonly classes: readonly number[];
  readonly config: ModelConfig;
  readonly preprocessing: readonly PreprocessStep[];
  readonly features: number;
  readonly circuit?: ReturnType<typeof circuitToJSON>;
  readonly inputs?: readonly string[];
  readonly observables?: readonly PauliSum[];
  readonly quantumWeights: Readonly<Record<string, number>>;
  readonly head: { readonly spec: HybridModel['head']; readonly weights: number[][] };
  readonly training?: Readonly<Record<string, unknown>>;
}

export function modelDocument(model: HybridModel, weights: TrainedWeights, training?: Record<string, unknown>): ModelDocument {
  const q = model.quantum;
  const named: Record<string, number> = {};
  q?.weights.forEach((w, i) => (named[w] = weights.quantum[i]));
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    model: model.name,
    classes: model.classes,
    config: model.config,
    preprocessing: model.preprocessing,
    features: model.features,
    ...(q ? { circuit: circuitToJSON(q.circuit), inputs: q.inputs, observables: q.observables } : {}),
    quantumWeights: named,
    head: { spec: model.head, weights: weights.head },
    ...(training ? { training } : {}),
  };
}

export function saveModel(path: string, model: HybridModel, weights: TrainedWeights, training?: Record<string, unknown>): void {
  atomicWriteFileSync(path, `${JSON.stringify(modelDocument(model, weights, training))}\n`);
}

/** Reads a model file; every malformed or foreign document is a VALIDATION error naming the file and the problem. */
export function loadModel(path: string): { model: HybridModel; weights: TrainedWeights; document: ModelDocument } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw validationError(
      `${path}: ${code === 'ENOENT' ? 'no such model file' : `cannot read the model file (${code ?? (e as Error).message})`}`,
      { file: path },
    );
  }
  let doc: ModelDocument;
  try {
    doc = JSON.parse(text) as ModelDocument;
  } catch (e) {
    throw validationError(`${path}: the model file is corrupted (not valid JSON: ${(e as Error).message})`, { file: path });
  }
  const bad = (what: string): never => {
    throw validationError(`${path}: the model file is corrupted (${what})`, { file: path });
  };
  if (typeof doc !== 'object' || doc === null || doc.format !== MODEL_FORMAT) {
    throw validationError(`${path}: not a qbridge model file (format '${String((doc as { format?: unknown })?.format)}')`, { file: path });
  }
  if (doc.version !== MODEL_VERSION) {
    throw validationError(
      `${path}: model file version ${String(doc.version)} is not supported (this qbridge reads version ${MODEL_VERSION}); retrain the model with this version`,
      {
        file: path,
        version: doc.version,
      },
    );
  }
  if (typeof doc.model !== 'string') bad('no model name');
  if (!Array.isArray(doc.classes) || !doc.classes.every((c) => Number.isInteger(c))) bad('classes');
  if (typeof doc.config !== 'object' || doc.config === null || !Array.isArray(doc.config.classes)) bad('config');
  if (!Array.isArray(doc.preprocessing)) bad('preprocessing');
  if (!Number.isInteger(doc.features)) bad('features');
  if (typeof doc.quantumWeights !== 'object' || doc.quantumWeights === null) bad('quantumWeights');
  if (typeof doc.head !== 'object' || doc.head === null) bad('head');
  let model: HybridModel;
  try {
    model = modelDefinition(doc.model).create(doc.config, doc.preprocessing, doc.features);
  } catch (e) {
    throw validationError(`${path}: cannot rebuild model '${doc.model}': ${(e as Error).message}`, { file: path });
  }
  const q = model.quantum;
  if (q) {
    if (!doc.circuit || JSON.stringify(doc.circuit) !== JSON.stringify(circuitToJSON(q.circuit))) {
      throw validationError(
        `${path}: the stored circuit differs from what model '${doc.model}' builds in this qbridge version (file from another version, or edited)`,
        {
          file: path,
        },
      );
    }
  }
  const quantum = (q?.weights ?? []).map((w) => {
    const v = doc.quantumWeights[w];
    if (typeof v !== 'number' || !Number.isFinite(v)) bad(`weight '${w}' missing or not a finite number`);
    return v;
  });
  if (JSON.stringify(doc.head.spec) !== JSON.stringify(model.head)) bad('the head does not match the model');
  let head: number[][];
  try {
    head = checkHeadWeights(model.head, headInputWidth(model), doc.head.weights);
  } catch (e) {
    bad((e as Error).message);
    throw e;
  }
  return { model, weights: { quantum, head }, document: doc };
}
