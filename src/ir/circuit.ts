import { validationError } from '../errors.js';
import { getGate, hasGate } from './gates.js';
import { angleSymbols, bindAngle, type Angle, type Bindings } from './params.js';

/** Operations that are not unitary gates. */
export type NonGateOp = 'measure' | 'reset' | 'barrier' | 'unitary' | 'delay';

/**
 * One instruction. For gates, `qubits` lists the `ctrl` control qubits first, then the gate's own
 * qubits; `ctrlState` bit i says whether control i fires on |1> (default) or |0> (negctrl).
 * `unitary` carries a constant matrix (interleaved re/im, row-major, qubits[0] least significant).
 */
export interface Instruction {
  readonly op: string;
  readonly qubits: readonly number[];
  readonly params: readonly Angle[];
  readonly clbits?: readonly number[];
  readonly ctrl?: number;
  readonly ctrlState?: number;
  readonly matrix?: readonly number[];
  /** `@annotation` lines attached in OpenQASM; ignored by simulation. */
  readonly annotations?: readonly string[];
  /** `delay` duration, in seconds, when known. */
  readonly durationS?: number;
}

export interface Register {
  readonly name: string;
  readonly size: number;
}

export interface Circuit {
  readonly numQubits: number;
  readonly numClbits: number;
  readonly ops: readonly Instruction[];
  /** Every symbol the circuit depends on, in first-use order. */
  readonly parameters: readonly string[];
  readonly name?: string;
  /** `#pragma` lines, kept for emitters; ignored by simulation. */
  readonly pragmas?: readonly string[];
  readonly qubitRegisters?: readonly Register[];
  readonly clbitRegisters?: readonly Register[];
}

export function isGateOp(op: string): boolean {
  return op !== 'measure' && op !== 'reset' && op !== 'barrier' && op !== 'delay';
}

/** Symbols in first-use order. */
export function collectParameters(ops: readonly Instruction[]): string[] {
  const seen = new Set<string>();
  for (const ins of ops) for (const a of ins.params) for (const s of angleSymbols(a)) seen.add(s);
  return [...seen];
}

/** Number of qubits the gate itself acts on (without controls). */
export function targetCount(ins: Instruction): number {
  return ins.qubits.length - (ins.ctrl ?? 0);
}

/**
 * Checks an instruction against the circuit's size and the gate registry. Errors name the
 * instruction's index and what is wrong with it.
 */
export function validateInstruction(ins: Instruction, numQubits: number, numClbits: number, index: number): void {
  const where = `instruction ${index} (${ins.op})`;
  const seen = new Set<number>();
  for (const q of ins.qubits) {
    if (!Number.isInteger(q) || q < 0 || q >= numQubits) {
      throw validationError(`${where}: qubit ${q} is out of range (circuit has ${numQubits} qubits)`, { index, qubit: q });
    }
    if (seen.has(q) && ins.op !== 'barrier') throw validationError(`${where}: qubit ${q} is used twice`, { index, qubit: q });
    seen.add(q);
  }
  const ctrl = ins.ctrl ?? 0;
  if (!Number.isInteger(ctrl) || ctrl < 0 || ctrl > ins.qubits.length) {
    throw validationError(`${where}: invalid control count ${ctrl}`, { index });
  }
  for (const a of ins.params) {
    if (typeof a === 'number' && !Number.isFinite(a)) throw validationError(`${where}: angle ${a} is not finite`, { index });
  }
  switch (ins.op) {
    case 'measure':
      if (!ins.clbits || ins.clbits.length !== ins.qubits.length) {
        throw validationError(`${where}: needs one classical bit per qubit`, { index });
      }
      for (const c of ins.clbits) {
        if (!Number.isInteger(c) || c < 0 || c >= numClbits) {
          throw validationError(`${where}: classical bit ${c} is out of range (circuit has ${numClbits} bits)`, { index, clbit: c });
        }
      }
      return;
    case 'reset':
    case 'barrier':
    case 'delay':
      return;
    case 'unitary': {
      const d = 1 << targetCount(ins);
      if (!ins.matrix || ins.matrix.length !== 2 * d * d) {
        throw validationError(`${where}: matrix must have ${2 * d * d} numbers (interleaved re/im of ${d}x${d})`, { index });
      }
      return;
    }
    default: {
      if (!hasGate(ins.op)) throw validationError(`${where}: unknown gate '${ins.op}'`, { index, gate: ins.op });
      const g = getGate(ins.op);
      if (targetCount(ins) !== g.numQubits) {
        throw validationError(`${where}: gate '${ins.op}' acts on ${g.numQubits} qubit(s), got ${targetCount(ins)}`, { index });
      }
      if (ins.params.length !== g.paramNames.length) {
        throw validationError(`${where}: gate '${ins.op}' takes ${g.paramNames.length} parameter(s), got ${ins.params.length}`, { index });
      }
    }
  }
}

/** Builds a circuit from parts, validating every instruction. */
export function makeCircuit(
  numQubits: number,
  numClbits: number,
  ops: readonly Instruction[],
  extra: Partial<Pick<Circuit, 'name' | 'pragmas' | 'qubitRegisters' | 'clbitRegisters'>> = {},
): Circuit {
  if (!Number.isInteger(numQubits) || numQubits < 0) throw validationError(`invalid qubit count ${numQubits}`);
  if (!Number.isInteger(numClbits) || numClbits < 0) throw validationError(`invalid classical bit count ${numClbits}`);
  ops.forEach((ins, i) => validateInstruction(ins, numQubits, numClbits, i));
  const c: Circuit = { numQubits, numClbits, ops, parameters: collectParameters(ops), ...extra };
  return Object.freeze(c);
}

/** Replaces symbols with numbers; symbols not in `bindings` stay symbolic. */
export function bindCircuit(c: Circuit, bindings: Bindings): Circuit {
  const ops = c.ops.map((ins) => {
    if (ins.params.length === 0) return ins;
    const params = ins.params.map((a) => {
      if (typeof a === 'number') return a;
      return angleSymbols(a).every((s) => s in bindings) ? bindAngle(a, bindings) : a;
    });
    return { ...ins, params };
  });
  return { ...c, ops, parameters: collectParameters(ops) };
}

/** The inverse circuit (gates only; measurement, reset and delay have no inverse). */
export function inverseCircuit(c: Circuit): Circuit {
  const ops: Instruction[] = [];
  for (let i = c.ops.length - 1; i >= 0; i--) {
    const ins = c.ops[i];
    if (ins.op === 'barrier') {
      ops.push(ins);
      continue;
    }
    if (ins.op === 'measure' || ins.op === 'reset' || ins.op === 'delay') {
      throw validationError(`cannot invert a circuit with '${ins.op}' (instruction ${i})`);
    }
    if (ins.op === 'unitary') {
      const m = ins.matrix ?? [];
      const d = Math.round(Math.sqrt(m.length / 2));
      const inv = new Array<number>(m.length);
      for (let r = 0; r < d; r++)
        for (let k = 0; k < d; k++) {
          inv[2 * (k * d + r)] = m[2 * (r * d + k)];
          inv[2 * (k * d + r) + 1] = -m[2 * (r * d + k) + 1];
        }
      ops.push({ ...ins, matrix: inv });
      continue;
    }
    const calls = getGate(ins.op).inverse(ins.params);
    for (let j = calls.length - 1; j >= 0; j--) ops.push({ ...ins, op: calls[j].op, params: calls[j].params });
  }
  return { ...c, ops, parameters: collectParameters(ops) };
}

/** Counts of each operation name. */
export function countOps(c: Circuit): Record<string, number> {
  const out: Record<string, number> = {};
  for (const ins of c.ops) out[ins.op] = (out[ins.op] ?? 0) + 1;
  return out;
}

/** Circuit depth over qubits and classical bits (barriers and delays count as layers of zero width). */
export function depth(c: Circuit): number {
  const level = new Array<number>(c.numQubits + c.numClbits).fill(0);
  let d = 0;
  for (const ins of c.ops) {
    if (ins.op === 'barrier') continue;
    const wires = [...ins.qubits, ...(ins.clbits ?? []).map((b) => c.numQubits + b)];
    let l = 0;
    for (const w of wires) l = Math.max(l, level[w]);
    l += 1;
    for (const w of wires) level[w] = l;
    d = Math.max(d, l);
  }
  return d;
}
