import { validationError } from '../errors.js';
import type { CircuitBuilder } from '../ir/builder.js';
import type { Angle } from '../ir/params.js';

/**
 * Two-qubit convolution and pooling blocks of the Hur-Kim-Park family (Quantum Mach. Intell. 4, 3
 * (2022), arXiv:2108.00661). A block appends its gates to a builder given its angles, so the same
 * block is reused with shared weights across a layer (the QCNN's translation invariance).
 */
export interface TwoQubitBlock {
  readonly name: string;
  /** Number of angles the block takes. */
  readonly params: number;
  readonly description: string;
  /** Appends the block on (a, b). For pooling blocks, `a` is the qubit that is dropped, `b` the one kept. */
  apply(b: CircuitBuilder, w: readonly Angle[], a: number, bq: number): void;
}

const u3 = (b: CircuitBuilder, w: readonly Angle[], k: number, q: number): void => {
  b.u3(w[k], w[k + 1], w[k + 2], q);
};

/** Convolution blocks, from the cheapest (2 angles) to a general SU(4) element (15 angles). */
export const CONV_BLOCKS: Readonly<Record<string, TwoQubitBlock>> = {
  ttn: {
    name: 'ttn',
    params: 2,
    description: 'RY on each qubit, CNOT (tree-tensor-network block)',
    apply: (b, w, p, q) => void b.ry(w[0], p).ry(w[1], q).cx(p, q),
  },
  u9: {
    name: 'u9',
    params: 2,
    description: 'H on each qubit, CZ, RX on each qubit (circuit 9 of Sim et al.)',
    apply: (b, w, p, q) => void b.h(p).h(q).cz(p, q).rx(w[0], p).rx(w[1], q),
  },
  u15: {
    name: 'u15',
    params: 4,
    description: 'RY, RY, CNOT(b->a), RY, RY, CNOT(a->b) (circuit 15)',
    apply: (b, w, p, q) => void b.ry(w[0], p).ry(w[1], q).cx(q, p).ry(w[2], p).ry(w[3], q).cx(p, q),
  },
  so4: {
    name: 'so4',
    params: 6,
    description: 'a general SO(4) element: RY pairs between two CNOTs',
    apply: (b, w, p, q) => void b.ry(w[0], p).ry(w[1], q).cx(p, q).ry(w[2], p).ry(w[3], q).cx(p, q).ry(w[4], p).ry(w[5], q),
  },
  u13: {
    name: 'u13',
    params: 6,
    description: 'RY pairs with CRZ both ways (circuit 13)',
    apply: (b, w, p, q) => void b.ry(w[0], p).ry(w[1], q).crz(w[2], q, p).ry(w[3], p).ry(w[4], q).crz(w[5], p, q),
  },
  u14: {
    name: 'u14',
    params: 6,
    description: 'RY pairs with CRX both ways (circuit 14)',
    apply: (b, w, p, q) => void b.ry(w[0], p).ry(w[1], q).crx(w[2], q, p).ry(w[3], p).ry(w[4], q).crx(w[5], p, q),
  },
  u5: {
    name: 'u5',
    params: 10,
    description: 'RX RZ on each qubit, CRZ both ways, RX RZ on each qubit (circuit 5)',
    apply: (b, w, p, q) =>
      void b
        .rx(w[0], p)
        .rx(w[1], q)
        .rz(w[2], p)
        .rz(w[3], q)
        .crz(w[4], q, p)
        .crz(w[5], p, q)
        .rx(w[6], p)
        .rx(w[7], q)
        .rz(w[8], p)
        .rz(w[9], q),
  },
  u6: {
    name: 'u6',
    params: 10,
    description: 'RX RZ on each qubit, CRX both ways, RX RZ on each qubit (circuit 6)',
    apply: (b, w, p, q) =>
      void b
        .rx(w[0], p)
        .rx(w[1], q)
        .rz(w[2], p)
        .rz(w[3], q)
        .crx(w[4], q, p)
        .crx(w[5], p, q)
        .rx(w[6], p)
        .rx(w[7], q)
        .rz(w[8], p)
        .rz(w[9], q),
  },
  su4: {
    name: 'su4',
    params: 15,
    description: 'a general SU(4) element (Vatan-Williams form): 2xU3, CNOT, RY, RZ, CNOT, RY, CNOT, 2xU3',
    apply: (b, w, p, q) => {
      u3(b, w, 0, p);
      u3(b, w, 3, q);
      b.cx(p, q).ry(w[6], p).rz(w[7], q).cx(q, p).ry(w[8], p).cx(p, q);
      u3(b, w, 9, p);
      u3(b, w, 12, q);
    },
  },
};

/**
 * Pooling blocks: after the block, qubit `a` is no longer used and its information has been folded
 * into `b` (the active register halves at each pooling layer).
 */
export const POOL_BLOCKS: Readonly<Record<string, TwoQubitBlock>> = {
  /** Hur-Kim-Park pooling: CRZ(a->b), X(a), CRX(a->b): b rotates one way if a is |1>, the other if |0>. */
  'crz-x-crx': {
    name: 'crz-x-crx',
    params: 2,
    description: 'CRZ(dropped->kept), X(dropped), CRX(dropped->kept)',
    apply: (b, w, a, q) => void b.crz(w[0], a, q).x(a).crx(w[1], a, q),
  },
  crz: {
    name: 'crz',
    params: 1,
    description: 'CRZ(dropped->kept)',
    apply: (b, w, a, q) => void b.crz(w[0], a, q),
  },
  /**
   * Entanglement-based pooling without parameters: CNOT from the dropped qubit onto the kept one, so
   * the kept qubit carries the parity of the pair (the measurement-free form of "measure and
   * condition").
   */
  entangle: {
    name: 'entangle',
    params: 0,
    description: 'CNOT(dropped->kept): the kept qubit carries the pair parity',
    apply: (b, _w, a, q) => void b.cx(a, q),
  },
};

export function convBlock(name: string): TwoQubitBlock {
  const blk = CONV_BLOCKS[name];
  if (!blk) throw validationError(`unknown convolution block '${name}' (known: ${Object.keys(CONV_BLOCKS).join(', ')})`);
  return blk;
}

export function poolBlock(name: string): TwoQubitBlock {
  const blk = POOL_BLOCKS[name];
  if (!blk) throw validationError(`unknown pooling block '${name}' (known: ${Object.keys(POOL_BLOCKS).join(', ')})`);
  return blk;
}
