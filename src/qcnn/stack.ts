import { validationError } from '../errors.js';
import type { CircuitBuilder } from '../ir/builder.js';
import { sym } from '../ir/params.js';
import { convBlock, poolBlock } from './blocks.js';

export interface QcnnStackOptions {
  /** Convolution block name (see CONV_BLOCKS; default 'su4'). */
  readonly conv?: string;
  /** Pooling block name (see POOL_BLOCKS; default 'crz-x-crx'). */
  readonly pool?: string;
  /** Qubits the stack starts on (a power of two; default all of the builder's). */
  readonly qubits?: readonly number[];
  /** Stop when this many qubits are left (default 1). */
  readonly until?: number;
  /** Prefix of the weight symbols (default '', giving conv1[0], pool1[0], ...). */
  readonly prefix?: string;
}

export interface QcnnStack {
  /** Trainable symbols in creation order: conv1[*], pool1[*], conv2[*], ... */
  readonly weights: readonly string[];
  /** Qubits still active at the end (the readout qubits). */
  readonly active: readonly number[];
  /** Applications of conv and pool blocks (for documentation and cost estimates). */
  readonly convApplications: number;
  readonly poolApplications: number;
}

/**
 * The QCNN stack of Cong-Choi-Lukin as laid out by Hur-Kim-Park: at each level a convolution applies
 * ONE shared two-qubit block to neighbouring active qubits (the wrap-around pair, then even pairs,
 * then odd pairs: a ring brick-wall), and a pooling layer folds every second active qubit into its
 * neighbour and drops it, halving the register: 8 -> 4 -> 2 -> 1. Weights are shared within a level,
 * so the count is levels x (conv + pool) angles whatever the width.
 */
export function qcnnStack(b: CircuitBuilder, options: QcnnStackOptions = {}): QcnnStack {
  const conv = convBlock(options.conv ?? 'su4');
  const pool = poolBlock(options.pool ?? 'crz-x-crx');
  let active = [...(options.qubits ?? Array.from({ length: b.numQubits }, (_, i) => i))];
  const until = options.until ?? 1;
  if (active.length === 0 || (active.length & (active.length - 1)) !== 0) {
    throw validationError(`a QCNN stack needs a power-of-two number of qubits, got ${active.length}`);
  }
  if (!(until >= 1 && until <= active.length)) throw validationError(`'until' must be between 1 and ${active.length}, got ${until}`);
  const prefix = options.prefix ?? '';
  const weights: string[] = [];
  const names = (kind: string, level: number, count: number) => {
    const out = Array.from({ length: count }, (_, i) => `${prefix}${kind}${level}[${i}]`);
    weights.push(...out);
    return out.map((s) => sym(s));
  };
  let convApplications = 0;
  let poolApplications = 0;
  for (let level = 1; active.length > until; level++) {
    const w = names('conv', level, conv.params);
    const L = active.length;
    const pairs: [number, number][] = [];
    if (L > 2) pairs.push([active[0], active[L - 1]]);
    for (let i = 0; i + 1 < L; i += 2) pairs.push([active[i], active[i + 1]]);
    for (let i = 1; i + 1 < L; i += 2) pairs.push([active[i], active[i + 1]]);
    for (const [p, q] of pairs) conv.apply(b, w, p, q);
    convApplications += pairs.length;
    const v = names('pool', level, pool.params);
    const kept: number[] = [];
    for (let i = 0; i + 1 < L; i += 2) {
      pool.apply(b, v, active[i + 1], active[i]);
      kept.push(active[i]);
      poolApplications++;
    }
    active = kept;
  }
  return { weights, active, convApplications, poolApplications };
}
