import { validationError } from '../errors.js';
import { inverseCircuit, makeCircuit, type Circuit, type Instruction } from '../ir/circuit.js';
import { negAngle } from '../ir/params.js';
import { createRng } from '../sim/rng.js';

/**
 * Unitary folding for zero-noise extrapolation (Giurgica-Tiron et al., arXiv:2005.10921; Mitiq's
 * fold_global / fold_gates_at_random): G -> G (G† G)^k leaves the unitary unchanged and multiplies
 * the gate noise by about 2k + 1. Fold circuits that are already compiled to the device, so no
 * optimiser sees (and cancels) the G† G pairs.
 */
export type FoldMethod = 'global' | 'local';

export interface FoldOptions {
  /** 'global' folds the whole circuit (U (U†U)^k, then a tail); 'local' folds gate by gate. Default 'global'. */
  readonly method?: FoldMethod;
  /** Local folding only: fold every gate, or only 2-qubit gates (where hardware noise lives). Default 'all'. */
  readonly gates?: 'all' | 'two-qubit';
  /** Seed for the random subset a fractional local scale folds once more. */
  readonly seed?: number;
  /** Gates the device runs natively; inverses are written in them where a rewrite is known (sxdg = rz(π)·sx·rz(π)). */
  readonly native?: ReadonlySet<string>;
}

export interface FoldedCircuit {
  readonly circuit: Circuit;
  /** The scale achieved: folded over original count of the gates that fold (2-qubit gates with gates: 'two-qubit'). */
  readonly scale: number;
}

const isGate = (ins: Instruction) => ins.op !== 'barrier' && ins.op !== 'measure' && ins.op !== 'reset' && ins.op !== 'delay';

/** G† as instructions, in the device's gates when a rewrite is known. */
export function inverseOps(ins: Instruction, native?: ReadonlySet<string>): Instruction[] {
  if (native && native.has(ins.op)) {
    // Inverses that stay native (and so cost exactly one device gate).
    const q = ins.qubits;
    switch (ins.op) {
      case 'x':
      case 'y':
      case 'z':
      case 'cz':
      case 'cx':
      case 'ecr':
      case 'swap':
      case 'h':
      case 'gpi':
        return [ins];
      case 'rz':
      case 'rx':
      case 'ry':
      case 'rzz':
      case 'rxx':
      case 'zz':
        return [{ ...ins, params: [negAngle(ins.params[0])] }];
      case 'prx':
        return [{ ...ins, params: [negAngle(ins.params[0]), ins.params[1]] }];
      case 'sx':
        if (native.has('rz')) {
          const rz = { op: 'rz', qubits: [q[0]], params: [Math.PI] };
          return [rz, ins, rz];
        }
        break;
      case 'iswap':
        if (native.has('rz')) {
          // (Z⊗I) iSWAP (Z⊗I) = iSWAP† up to phase.
          const rz = { op: 'rz', qubits: [q[0]], params: [Math.PI] };
          return [rz, ins, rz];
        }
        break;
    }
  }
  return [...inverseCircuit(makeCircuit(Math.max(...ins.qubits) + 1, 0, [{ ...ins, clbits: undefined }])).ops].map((o) => ({
    ...o,
    qubits: ins.qubits,
  }));
}

function checkScale(scale: number): void {
  if (!(Number.isFinite(scale) && scale >= 1)) throw validationError(`a noise scale factor must be a number >= 1, got ${String(scale)}`);
}

/** Folds a measurement-free circuit to (about) `scale`; see FoldOptions. */
export function foldCircuit(c: Circuit, scale: number, options: FoldOptions = {}): FoldedCircuit {
  checkScale(scale);
  const method = options.method ?? 'global';
  const which = options.gates ?? 'all';
  if (method !== 'global' && method !== 'local') throw validationError(`fold method must be 'global' or 'local', got '${String(method)}'`);
  if (which !== 'all' && which !== 'two-qubit') throw validationError(`fold gates must be 'all' or 'two-qubit', got '${String(which)}'`);
  if (method === 'global' && which === 'two-qubit')
    throw validationError("global folding folds the whole circuit; use method 'local' to fold only 2-qubit gates");
  c.ops.forEach((ins, i) => {
    if (ins.op === 'measure' || ins.op === 'reset')
      throw validationError(`folding needs a circuit without measurements or resets (instruction ${i} is '${ins.op}')`);
  });
  return method === 'global' ? foldGlobal(c, scale, options.native) : foldLocal(c, scale, which, options);
}

function foldGlobal(c: Circuit, scale: number, native?: ReadonlySet<string>): FoldedCircuit {
  const gates = c.ops.filter(isGate);
  const d = gates.length;
  if (d === 0) return { circuit: c, scale: 1 };
  const k = Math.floor((scale - 1) / 2 + 1e-9);
  // The remainder folds the last s gates once more: L† L appended.
  const s = Math.round((d * (scale - 1 - 2 * k)) / 2);
  const inv: Instruction[] = [];
  for (let i = c.ops.length - 1; i >= 0; i--) if (isGate(c.ops[i])) inv.push(...inverseOps(c.ops[i], native));
  const ops: Instruction[] = [...c.ops];
  for (let r = 0; r < k; r++) ops.push(...inv, ...gates);
  if (s > 0) {
    const tail = gates.slice(d - s);
    for (let i = tail.length - 1; i >= 0; i--) ops.push(...inverseOps(tail[i], native));
    ops.push(...tail);
  }
  return { circuit: makeCircuit(c.numQubits, c.numClbits, ops, { name: c.name }), scale: (d * (1 + 2 * k) + 2 * s) / d };
}

function foldLocal(c: Circuit, scale: number, which: 'all' | 'two-qubit', options: FoldOptions): FoldedCircuit {
  const eligible: number[] = [];
  c.ops.forEach((ins, i) => {
    if (isGate(ins) && (which === 'all' || ins.qubits.length === 2)) eligible.push(i);
  });
  const m = eligible.length;
  if (m === 0) return { circuit: c, scale: 1 };
  const k = Math.floor((scale - 1) / 2 + 1e-9);
  const extra = Math.round((m * (scale - 1 - 2 * k)) / 2);
  // A seeded random subset gets one fold more (Mitiq's fold_gates_at_random).
  const rng = createRng(options.seed ?? 0);
  const order = [...eligible];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const folds = new Map<number, number>(eligible.map((i) => [i, k]));
  for (let t = 0; t < extra; t++) folds.set(order[t], k + 1);
  const ops: Instruction[] = [];
  c.ops.forEach((ins, i) => {
    ops.push(ins);
    const f = folds.get(i) ?? 0;
    if (f === 0) return;
    const inv = inverseOps(ins, options.native);
    for (let r = 0; r < f; r++) ops.push(...inv, ins);
  });
  return { circuit: makeCircuit(c.numQubits, c.numClbits, ops, { name: c.name }), scale: (m * (1 + 2 * k) + 2 * extra) / m };
}
