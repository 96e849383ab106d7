import type { Circuit, Instruction } from '../ir/circuit.js';
import type { CMatrix } from '../ir/matrix.js';
import type { PassContext } from './context.js';
import { productMatrix, quickEntanglerCount, synthesizeTwoQubit, type TwoQubitSynthesis } from './kak.js';

/**
 * Two-qubit block consolidation: a maximal run of gates confined to one qubit pair is a single 4x4
 * unitary, which KAK synthesis writes with the fewest CX its class needs (0-3). After routing this
 * pays off whenever a SWAP meets the gate that needed it (SWAP + controlled-phase is 5 CX as written,
 * 3 re-synthesised; SWAP + CX is 4 as written, 2 re-synthesised), and before routing it shrinks runs
 * such as cx·rz·cx·ry·cx that are cheaper than they look. Only blocks with constant angles are
 * rewritten; symbolic ones must stay symbolic.
 */
interface Block {
  readonly a: number;
  readonly b: number;
  readonly ops: number[];
  cx: number;
  numeric: boolean;
}

const cost = (ins: Instruction) => (ins.op === 'swap' ? 3 : ins.op === 'cx' ? 1 : 0);

/** Maximal runs of U/cx/swap on one qubit pair; owner[i] is the block of instruction i (-1: none). */
function collectBlocks(c: Circuit): { blocks: Block[]; owner: Int32Array } {
  const ops = c.ops;
  const owner = new Int32Array(ops.length).fill(-1);
  const blocks: Block[] = [];
  const open = new Int32Array(c.numQubits).fill(-1);
  const close = (q: number) => {
    const id = open[q];
    if (id < 0) return;
    open[blocks[id].a] = -1;
    open[blocks[id].b] = -1;
  };
  ops.forEach((ins, i) => {
    const numeric = ins.params.every((p) => typeof p === 'number');
    if (ins.op === 'U' && open[ins.qubits[0]] >= 0) {
      const blk = blocks[open[ins.qubits[0]]];
      blk.ops.push(i);
      blk.numeric &&= numeric;
      owner[i] = open[ins.qubits[0]];
      return;
    }
    if ((ins.op === 'cx' || ins.op === 'swap') && !ins.ctrl) {
      const [a, b] = ins.qubits;
      if (open[a] >= 0 && open[a] === open[b]) {
        const blk = blocks[open[a]];
        blk.ops.push(i);
        blk.cx += cost(ins);
        owner[i] = open[a];
        return;
      }
      close(a);
      close(b);
      const id = blocks.length;
      blocks.push({ a, b, ops: [i], cx: cost(ins), numeric: true });
      open[a] = id;
      open[b] = id;
      owner[i] = id;
      return;
    }
    for (const q of ins.qubits) close(q);
  });
  return { blocks, owner };
}

/** The block's 4x4 matrix (qubit a = local 0), or undefined when it cannot be cheaper than written. */
function blockMatrix(blk: Block, ops: readonly Instruction[]): CMatrix | undefined {
  if (blk.cx < 2 || !blk.numeric) return undefined;
  const local = blk.ops.map((i) => {
    const ins = ops[i];
    const qs = ins.qubits.map((q) => (q === blk.a ? 0 : 1));
    if (ins.op === 'swap')
      return [
        { op: 'cx' as const, qubits: qs, params: [] },
        { op: 'cx' as const, qubits: [qs[1], qs[0]], params: [] },
        { op: 'cx' as const, qubits: qs, params: [] },
      ];
    return [{ op: ins.op as 'U' | 'cx', qubits: qs, params: ins.params as number[] }];
  });
  return productMatrix(local.flat());
}

/**
 * What a routed circuit will cost once consolidated, without re-synthesising anything: CX count,
 * and the sum over CX of `edgeError` of their pair. Used to compare routing trials.
 */
export function consolidatedCost(c: Circuit, edgeError: (a: number, b: number) => number): { cx: number; error: number } {
  const { blocks } = collectBlocks(c);
  let cx = 0;
  let error = 0;
  for (const blk of blocks) {
    const u = blockMatrix(blk, c.ops);
    const k = u ? Math.min(blk.cx, quickEntanglerCount(u)) : blk.cx;
    cx += k;
    error += k * edgeError(blk.a, blk.b);
  }
  return { cx, error };
}

export function consolidateBlocks(c: Circuit, _ctx?: PassContext): Circuit {
  const ops = c.ops;
  const { blocks, owner } = collectBlocks(c);
  const rewrite = new Map<number, TwoQubitSynthesis>();
  blocks.forEach((blk, id) => {
    const u = blockMatrix(blk, ops);
    if (!u || quickEntanglerCount(u) >= blk.cx) return; // no cheaper form exists: skip the decomposition
    const syn = synthesizeTwoQubit(u);
    if (syn.ops.filter((o) => o.op === 'cx').length < blk.cx) rewrite.set(id, syn);
  });
  if (rewrite.size === 0) return c;

  const out: Instruction[] = [];
  ops.forEach((ins, i) => {
    const id = owner[i];
    const syn = id >= 0 ? rewrite.get(id) : undefined;
    if (!syn) {
      out.push(ins);
      return;
    }
    const blk = blocks[id];
    if (blk.ops[blk.ops.length - 1] !== i) return; // the block is emitted where it ends
    const phys = [blk.a, blk.b];
    for (const o of syn.ops) out.push({ op: o.op, qubits: o.qubits.map((q) => phys[q]), params: o.params });
  });
  return { ...c, ops: out };
}
