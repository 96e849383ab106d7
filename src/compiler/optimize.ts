import type { Circuit, Instruction } from '../ir/circuit.js';
import { addAngles, type Angle } from '../ir/params.js';
import type { PassContext } from './context.js';
import { isZeroMod, mergeNumericU, sumAngles, wrapAngle } from './euler.js';

/**
 * Peephole optimisation on the compiler's working form (1-qubit `U` plus 2-qubit gates): merge runs
 * of 1-qubit gates into one U, let diagonal (Z-type) 1-qubit gates slide through CZ and the control
 * of CX, cancel adjacent self-inverse pairs, drop identities. Symbolic angles merge only where the
 * result stays affine (Z rotations into neighbours, Y rotations that meet without a Z between them),
 * so trained parameters survive as `input` angles.
 */

type U3 = readonly [Angle, Angle, Angle];

const isNum = (a: Angle): a is number => typeof a === 'number';

function isZType(u: U3): boolean {
  return isNum(u[0]) && isZeroMod(u[0], 2 * Math.PI, 1e-12);
}

function isIdentity(u: U3): boolean {
  if (!isNum(u[0]) || !isZeroMod(u[0], 2 * Math.PI, 1e-12)) return false;
  const s = addAngles(u[1], u[2]);
  return isNum(s) && isZeroMod(s, 2 * Math.PI, 1e-12);
}

/** `next` applied after `acc` as one U when that is exact and affine; undefined when they must stay apart. */
function fold(acc: U3, next: U3): U3 | undefined {
  if (acc.every(isNum) && next.every(isNum)) {
    return mergeNumericU([acc as readonly number[], next as readonly number[]]);
  }
  if (isZType(acc)) return [next[0], next[1], sumAngles(next[2], acc[1], acc[2])];
  if (isZType(next)) return [acc[0], sumAngles(acc[1], next[1], next[2]), acc[2]];
  // Rz(φn)Ry(θn)Rz(λn)·Rz(φa)Ry(θa)Rz(λa): when λn + φa ≡ 0 the two Y rotations meet.
  const mid = addAngles(next[2], acc[1]);
  if (isNum(mid) && isZeroMod(mid)) return [addAngles(acc[0], next[0]), next[1], acc[2]];
  return undefined;
}

/** Collapses a run of U gates (in time order) into as few as the algebra allows. */
export function collapseRun(run: readonly U3[]): U3[] {
  const out: U3[] = [];
  for (const u of run) {
    const top = out[out.length - 1];
    const merged = top ? fold(top, u) : undefined;
    if (merged) out[out.length - 1] = merged;
    else out.push(u);
  }
  return out.filter((u) => !isIdentity(u)).map((u) => (u.every(isNum) ? [wrapAngle(u[0]), wrapAngle(u[1]), wrapAngle(u[2])] : u));
}

/** Gates with which a diagonal gate on the given operand position commutes. */
function commutesZ(ins: Instruction, pos: number): boolean {
  if (ins.op === 'cz' || ins.op === 'rzz') return true;
  if (ins.op === 'cx') return pos === 0;
  return false;
}

/** Merges 1-qubit runs; with `commute`, Z-type runs wait across CZ/CX-controls to meet later gates. */
export function mergeSingleQubitRuns(c: Circuit, _ctx?: PassContext, commute = true): Circuit {
  const pending: U3[][] = Array.from({ length: c.numQubits }, () => []);
  const out: Instruction[] = [];
  const flush = (q: number) => {
    const run = pending[q];
    if (!run.length) return;
    for (const u of collapseRun(run)) out.push({ op: 'U', qubits: [q], params: [u[0], u[1], u[2]] });
    pending[q] = [];
  };
  for (const ins of c.ops) {
    if (ins.op === 'U') {
      pending[ins.qubits[0]].push(ins.params as unknown as U3);
      continue;
    }
    ins.qubits.forEach((q, pos) => {
      const run = pending[q];
      if (!run.length) return;
      if (commute && commutesZ(ins, pos) && run.every(isZType)) return; // slide past
      flush(q);
    });
    out.push(ins);
  }
  for (let q = 0; q < c.numQubits; q++) flush(q);
  return { ...c, ops: out };
}

const SELF_INVERSE = new Set(['cx', 'cz', 'ecr', 'swap', 'x', 'h', 'y', 'z']);
const SYMMETRIC = new Set(['cz', 'swap']);

/** Removes adjacent pairs of the same self-inverse gate on the same qubits. */
export function cancelInversePairs(c: Circuit, _ctx?: PassContext): Circuit {
  const out: (Instruction | undefined)[] = [];
  const stacks: number[][] = Array.from({ length: c.numQubits }, () => []);
  for (const ins of c.ops) {
    if (SELF_INVERSE.has(ins.op) && ins.params.length === 0 && !ins.ctrl) {
      const tops = ins.qubits.map((q) => stacks[q][stacks[q].length - 1]);
      const j = tops[0];
      if (j !== undefined && tops.every((t) => t === j)) {
        const prev = out[j] as Instruction;
        const same =
          prev.op === ins.op &&
          prev.qubits.length === ins.qubits.length &&
          (prev.qubits.every((q, i) => q === ins.qubits[i]) ||
            (SYMMETRIC.has(ins.op) && prev.qubits[0] === ins.qubits[1] && prev.qubits[1] === ins.qubits[0]));
        if (same) {
          out[j] = undefined;
          for (const q of ins.qubits) stacks[q].pop();
          continue;
        }
      }
    }
    const idx = out.length;
    out.push(ins);
    for (const q of ins.qubits) stacks[q].push(idx);
  }
  return { ...c, ops: out.filter((x): x is Instruction => x !== undefined) };
}

/** Merge and cancel until nothing changes (bounded). */
export function optimizeWorkingForm(c: Circuit, ctx: PassContext, rounds: number): Circuit {
  let cur = c;
  for (let r = 0; r < rounds; r++) {
    const before = cur.ops.length;
    cur = cancelInversePairs(mergeSingleQubitRuns(cur, ctx), ctx);
    if (cur.ops.length === before) break;
  }
  return cur;
}

/**
 * Removes uncontrolled SWAP gates by relabelling the qubits of everything after them (a SWAP moves
 * no information a relabelling cannot). Returns the circuit and `relabel`: the source's logical
 * qubit i ends on wire relabel[i] of the returned circuit, which the pipeline folds into the final
 * permutation. QFT's closing SWAPs, for instance, cost nothing.
 */
export function elideSwaps(c: Circuit): { circuit: Circuit; relabel: number[] } {
  const relabel = Array.from({ length: c.numQubits }, (_, i) => i);
  const out: Instruction[] = [];
  for (const ins of c.ops) {
    if (ins.op === 'swap' && !ins.ctrl) {
      const [a, b] = ins.qubits;
      [relabel[a], relabel[b]] = [relabel[b], relabel[a]];
      continue;
    }
    out.push({ ...ins, qubits: ins.qubits.map((q) => relabel[q]) });
  }
  return { circuit: { ...c, ops: out }, relabel };
}

/**
 * Moves measurements that are the last operation on their qubit (and classical bit) to the end of
 * the circuit, keeping their order. Gates of other qubits then no longer follow a measurement in
 * program text, which Braket's verbatim boxes and most devices' schedulers require.
 */
export function deferTerminalMeasurements(c: Circuit): Circuit {
  const lastQ = new Map<number, number>();
  const lastC = new Map<number, number>();
  c.ops.forEach((ins, i) => {
    for (const q of ins.qubits) lastQ.set(q, i);
    for (const b of ins.clbits ?? []) lastC.set(b, i);
  });
  const terminal = (ins: Instruction, i: number) =>
    ins.op === 'measure' && ins.qubits.every((q) => lastQ.get(q) === i) && (ins.clbits ?? []).every((b) => lastC.get(b) === i);
  const body = c.ops.filter((ins, i) => !terminal(ins, i));
  const tail = c.ops.filter((ins, i) => terminal(ins, i));
  return tail.length === 0 ? c : { ...c, ops: [...body, ...tail] };
}
