import { existsSync, readFileSync } from 'node:fs';
import { validationError } from '../errors.js';

/** Every trainer's per-epoch checkpoint shares this envelope (`qbridge.checkpoint`, version 1). */
export const CHECKPOINT_FORMAT = 'qbridge.checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointEnvelope {
  readonly format: string;
  readonly version: number;
  /** Hash of the model, data and schedule the run was started with: a resume must match it. */
  readonly fingerprint: string;
}

/**
 * The checkpoint `--resume` continues from, or a VALIDATION error naming the file: no directory, no
 * checkpoint, corrupted JSON, another format or version, or a run with other settings (a resumed run
 * must replay the same schedule to end with the same weights).
 */
export function readResumeCheckpoint<T extends CheckpointEnvelope>(path: string | undefined, fingerprint: string): T {
  if (!path) throw validationError('--resume needs an output directory holding a checkpoint');
  if (!existsSync(path)) throw validationError(`nothing to resume: ${path} does not exist`, { file: path });
  let doc: T;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw validationError(`${path}: checkpoint is corrupted (${(e as Error).message})`, { file: path });
  }
  if (doc?.format !== CHECKPOINT_FORMAT) throw validationError(`${path}: not a qbridge checkpoint`, { file: path });
  if (doc.version !== CHECKPOINT_VERSION) {
    throw validationError(
      `${path}: checkpoint version ${String(doc.version)} is not supported (this qbridge reads version ${CHECKPOINT_VERSION})`,
      { file: path },
    );
  }
  if (doc.fingerprint !== fingerprint) {
    throw validationError(
      `${path} was written for another model, data set or schedule (batch, lr, seed); start a fresh run or use the same settings`,
      { file: path },
    );
  }
  return doc;
}
