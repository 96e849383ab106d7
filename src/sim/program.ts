import { validationError } from '../errors.js';
import type { Instruction } from '../ir/circuit.js';
import { getGate, type GateDef } from '../ir/gates.js';
import type { Angle, Bindings } from '../ir/params.js';
import * as K from './kernels.js';
import { createWasmState, type WasmKernels } from './wasm/index.js';

// ---- state allocation: wasm-backed where the SIMD kernels can run ------------------------------

const wasmKernels = new WeakMap<Float64Array, WasmKernels>();
/** Working states shared by every Program of a small size (at most 16 MiB each). */
const sharedWork = new Map<number, Float64Array>();
const SHARED_WORK_MAX_QUBITS = 20;

/** QBRIDGE_KERNELS=js forces the TypeScript kernels (for comparison and as a fallback). */
function wasmWanted(): boolean {
  return process.env.QBRIDGE_KERNELS !== 'js';
}

/**
 * A zeroed statevector buffer of n qubits. Where WebAssembly SIMD is available (and the state fits a
 * wasm32 memory) it lives in its own wasm instance and the SIMD kernels act on it; otherwise it is a
 * plain Float64Array and the TypeScript kernels do. Callers check memory first (checkStateMemory).
 */
export function allocState(n: number): Float64Array {
  if (wasmWanted()) {
    const w = createWasmState(n);
    if (w) {
      wasmKernels.set(w.state, w.k);
      return w.state;
    }
  }
  return new Float64Array(2 << n);
}

/** The SIMD kernels bound to this buffer, if it was made by allocState in wasm memory. */
export function kernelsOf(state: Float64Array): WasmKernels | undefined {
  return wasmKernels.get(state);
}

/**
 * A circuit prepared for repeated simulation: gates are grouped into blocks (one pass over the state
 * each), constant matrices are computed once, and only the blocks that hold symbols are recomputed
 * per binding. `run` then costs the kernels and nothing else, so thousands of bindings of one
 * circuit (training, parameter shift) never re-prepare it.
 */

/** How gates are grouped. 'all' fuses runs of 1-qubit gates; 'constant' leaves symbolic gates alone (adjoint needs them apart). */
export type FuseMode = 'all' | 'constant' | 'none';

/** An angle compiled against the parameter vector: offset + Σ coeff[k]·values[idx[k]]. */
interface Slot {
  readonly offset: number;
  readonly idx: Int32Array;
  readonly coeff: Float64Array;
}

/** One gate of a block, with what is needed to re-evaluate its matrix. */
export interface Term {
  readonly def: GateDef | undefined; // undefined for 'unitary'
  readonly slots: readonly Slot[];
  readonly p: Float64Array; // bound angle values (scratch)
  readonly constant: boolean;
  readonly fixed?: Float64Array; // constant matrix of the target operation
  /** Index of the source instruction. */
  readonly index: number;
  /** Which allocation-free matrix formula applies (see termMatrix), chosen once at prepare time. */
  readonly code: number;
}

const FAST: Readonly<Record<string, number>> = { ry: 1, cry: 1, rx: 2, crx: 2, rz: 3, crz: 3, p: 4, phase: 4, u1: 4, cp: 4, cphase: 4 };

// Kinds decide the kernel; they are chosen when a matrix is bound, so RY(0) costs nothing.
export const KIND = {
  skip: 0,
  phase: 1,
  g1: 2,
  g1Real: 3,
  g1Diag: 4,
  g1Anti: 5,
  c1: 6,
  c1Diag: 7,
  c1Anti: 8,
  g2: 9,
  g2Diag: 10,
  swap: 11,
  gk: 12,
} as const;

export interface Block {
  readonly targets: readonly number[];
  readonly controls: readonly number[];
  readonly pos: Int32Array; // sorted controls ∪ targets
  readonly cpos: Int32Array; // sorted controls
  readonly cmask: number; // OR of the control bits
  readonly cval: number;
  readonly nt: number;
  readonly terms: readonly Term[];
  readonly parametric: boolean;
  mat: Float64Array;
  kind: number;
  readonly offsets?: Int32Array;
  readonly scratch?: Float64Array;
  /** For a fused pair: the member blocks, remapped onto a 2-qubit register (targets[0] -> 0, targets[1] -> 1). */
  readonly parts?: readonly Block[];
}

function compileAngle(a: Angle, index: Map<string, number>): Slot {
  if (typeof a === 'number') return { offset: a, idx: new Int32Array(0), coeff: new Float64Array(0) };
  const idx = new Int32Array(a.terms.length);
  const coeff = new Float64Array(a.terms.length);
  a.terms.forEach((t, k) => {
    idx[k] = index.get(t.name) ?? -1;
    coeff[k] = t.coeff;
  });
  return { offset: a.offset, idx, coeff };
}

export function evalSlot(s: Slot, values: Float64Array): number {
  let v = s.offset;
  for (let k = 0; k < s.idx.length; k++) v += s.coeff[k] * values[s.idx[k]];
  return v;
}

/** The matrix of a term's target operation (controls excluded) for the bound angles, into `out`. */
function termMatrix(t: Term, values: Float64Array, out: Float64Array): void {
  if (t.fixed) {
    const f = t.fixed;
    if (f.length === 8) {
      // TypedArray.set costs more than eight plain copies for a 2x2.
      out[0] = f[0];
      out[1] = f[1];
      out[2] = f[2];
      out[3] = f[3];
      out[4] = f[4];
      out[5] = f[5];
      out[6] = f[6];
      out[7] = f[7];
    } else out.set(f);
    return;
  }
  const p = t.p;
  for (let k = 0; k < t.slots.length; k++) p[k] = evalSlot(t.slots[k], values);
  const def = t.def as GateDef;
  // Allocation-free fast paths for the rotations that dominate parametric circuits.
  switch (t.code) {
    case 1: {
      const c = Math.cos(p[0] / 2),
        s = Math.sin(p[0] / 2);
      out[0] = c;
      out[1] = 0;
      out[2] = -s;
      out[3] = 0;
      out[4] = s;
      out[5] = 0;
      out[6] = c;
      out[7] = 0;
      return;
    }
    case 2: {
      const c = Math.cos(p[0] / 2),
        s = Math.sin(p[0] / 2);
      out[0] = c;
      out[1] = 0;
      out[2] = 0;
      out[3] = -s;
      out[4] = 0;
      out[5] = -s;
      out[6] = c;
      out[7] = 0;
      return;
    }
    case 3: {
      const c = Math.cos(p[0] / 2),
        s = Math.sin(p[0] / 2);
      out[0] = c;
      out[1] = -s;
      out[2] = 0;
      out[3] = 0;
      out[4] = 0;
      out[5] = 0;
      out[6] = c;
      out[7] = s;
      return;
    }
    case 4:
      out[0] = 1;
      out[1] = 0;
      out[2] = 0;
      out[3] = 0;
      out[4] = 0;
      out[5] = 0;
      out[6] = Math.cos(p[0]);
      out[7] = Math.sin(p[0]);
      return;
    default:
      out.set(def.ctrlBase ? def.ctrlBase.matrix(p) : def.matrix(p));
  }
}

function classify(b: Block): number {
  const m = b.mat;
  const hasCtrl = b.controls.length > 0;
  if (b.nt === 0) return m[0] === 1 && m[1] === 0 ? KIND.skip : KIND.phase;
  if (b.nt === 1) {
    const offZero = m[2] === 0 && m[3] === 0 && m[4] === 0 && m[5] === 0;
    if (offZero) {
      if (m[0] === 1 && m[1] === 0 && m[6] === 1 && m[7] === 0) return KIND.skip;
      return hasCtrl ? KIND.c1Diag : KIND.g1Diag;
    }
    if (m[0] === 0 && m[1] === 0 && m[6] === 0 && m[7] === 0) return hasCtrl ? KIND.c1Anti : KIND.g1Anti;
    if (!hasCtrl && m[1] === 0 && m[3] === 0 && m[5] === 0 && m[7] === 0) return KIND.g1Real;
    return hasCtrl ? KIND.c1 : KIND.g1;
  }
  if (b.nt === 2) {
    let diag = true;
    for (let r = 0; r < 4 && diag; r++)
      for (let c = 0; c < 4; c++)
        if (r !== c && (m[8 * r + 2 * c] !== 0 || m[8 * r + 2 * c + 1] !== 0)) {
          diag = false;
          break;
        }
    if (diag) return KIND.g2Diag;
    const isSwap = m.every((v, k) => v === ([0, 1 * 8 + 2 * 2, 2 * 8 + 2 * 1, 3 * 8 + 2 * 3].includes(k) ? 1 : 0));
    if (isSwap) return KIND.swap;
    return KIND.g2;
  }
  return KIND.gk;
}

const mini = new Float64Array(8);

/** Binds a block's matrix for the parameter vector. */
export function bindBlock(b: Block, values: Float64Array, tmp: Float64Array): void {
  if (b.parts) {
    // A fused pair: bind each member, then read the 4x4 off column by column by running the members
    // on a 2-qubit register, so every member kind (controlled, diagonal, swap...) embeds exactly.
    for (const part of b.parts) if (part.parametric || part.kind === KIND.skip) bindBlock(part, values, tmp);
    const m = b.mat;
    for (let col = 0; col < 4; col++) {
      mini.fill(0);
      mini[2 * col] = 1;
      for (const part of b.parts) applyMatrix(mini, 2, part, part.mat, part.kind);
      for (let r = 0; r < 4; r++) {
        m[2 * (r * 4 + col)] = mini[2 * r];
        m[2 * (r * 4 + col) + 1] = mini[2 * r + 1];
      }
    }
    b.kind = classify(b);
    return;
  }
  if (b.terms.length === 1) {
    termMatrix(b.terms[0], values, b.mat);
  } else {
    // Fused 1-qubit run: mat = T_last · ... · T_first.
    termMatrix(b.terms[0], values, b.mat);
    const m = b.mat;
    for (let i = 1; i < b.terms.length; i++) {
      termMatrix(b.terms[i], values, tmp);
      const a00r = tmp[0],
        a00i = tmp[1],
        a01r = tmp[2],
        a01i = tmp[3],
        a10r = tmp[4],
        a10i = tmp[5],
        a11r = tmp[6],
        a11i = tmp[7];
      const b00r = m[0],
        b00i = m[1],
        b01r = m[2],
        b01i = m[3],
        b10r = m[4],
        b10i = m[5],
        b11r = m[6],
        b11i = m[7];
      m[0] = a00r * b00r - a00i * b00i + a01r * b10r - a01i * b10i;
      m[1] = a00r * b00i + a00i * b00r + a01r * b10i + a01i * b10r;
      m[2] = a00r * b01r - a00i * b01i + a01r * b11r - a01i * b11i;
      m[3] = a00r * b01i + a00i * b01r + a01r * b11i + a01i * b11r;
      m[4] = a10r * b00r - a10i * b00i + a11r * b10r - a11i * b10i;
      m[5] = a10r * b00i + a10i * b00r + a11r * b10i + a11i * b10r;
      m[6] = a10r * b01r - a10i * b01i + a11r * b11r - a11i * b11i;
      m[7] = a10r * b01i + a10i * b01r + a11r * b11i + a11i * b11r;
    }
  }
  b.kind = classify(b);
}

/**
 * Applies a block's bound matrix `m` (its own, or a dagger/derivative passed in) to state s, with the
 * SIMD kernels `w` when s lives in wasm memory.
 */
export function applyMatrix(s: Float64Array, n: number, b: Block, m: Float64Array, kind: number, w?: WasmKernels): void {
  if (w) {
    applyWasm(w, b, m, kind);
    return;
  }
  switch (kind) {
    case KIND.skip:
      return;
    case KIND.phase:
      K.applyPhase(s, n, m[0], m[1], b.cpos, b.cval);
      return;
    case KIND.g1:
      K.apply1(s, n, b.targets[0], m);
      return;
    case KIND.g1Real:
      K.apply1Real(s, n, b.targets[0], m[0], m[2], m[4], m[6]);
      return;
    case KIND.g1Diag:
      K.apply1Diag(s, n, b.targets[0], m[0], m[1], m[6], m[7]);
      return;
    case KIND.g1Anti:
      K.apply1Anti(s, n, b.targets[0], m[2], m[3], m[4], m[5]);
      return;
    case KIND.c1:
      K.apply1Ctrl(s, n, b.targets[0], m, b.pos, b.cval);
      return;
    case KIND.c1Diag:
      K.apply1CtrlDiag(s, n, b.targets[0], m[0], m[1], m[6], m[7], b.pos, b.cval);
      return;
    case KIND.c1Anti:
      K.apply1CtrlAnti(s, n, b.targets[0], m[2], m[3], m[4], m[5], b.pos, b.cval);
      return;
    case KIND.g2:
      K.apply2(s, n, b.targets[0], b.targets[1], m, b.pos, b.cval);
      return;
    case KIND.g2Diag: {
      const d = b.scratch as Float64Array;
      d[0] = m[0];
      d[1] = m[1];
      d[2] = m[10];
      d[3] = m[11];
      d[4] = m[20];
      d[5] = m[21];
      d[6] = m[30];
      d[7] = m[31];
      K.apply2Diag(s, n, b.targets[0], b.targets[1], d, b.pos, b.cval);
      return;
    }
    case KIND.swap:
      K.applySwap(s, n, b.targets[0], b.targets[1], b.pos, b.cval);
      return;
    default:
      K.applyK(s, n, m, b.offsets as Int32Array, b.pos, b.cval, b.scratch as Float64Array);
  }
}

function applyWasm(w: WasmKernels, b: Block, m: Float64Array, kind: number): void {
  const t = b.targets;
  switch (kind) {
    case KIND.skip:
      return;
    case KIND.phase:
      w.applyPhase(b.cmask, b.cval, m[0], m[1]);
      return;
    case KIND.g1:
      w.apply1(t[0], m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
      return;
    case KIND.g1Real:
      w.apply1Real(t[0], m[0], m[2], m[4], m[6]);
      return;
    case KIND.g1Diag:
      w.apply1Diag(t[0], m[0], m[1], m[6], m[7]);
      return;
    case KIND.g1Anti:
      w.apply1Anti(t[0], m[2], m[3], m[4], m[5]);
      return;
    case KIND.c1:
      w.apply1Ctrl(t[0], b.cmask, b.cval, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
      return;
    case KIND.c1Diag:
      w.apply1CtrlDiag(t[0], b.cmask, b.cval, m[0], m[1], m[6], m[7]);
      return;
    case KIND.c1Anti:
      w.apply1CtrlAnti(t[0], b.cmask, b.cval, m[2], m[3], m[4], m[5]);
      return;
    case KIND.g2:
      w.apply2(t[0], t[1], b.cmask, b.cval, m);
      return;
    case KIND.g2Diag: {
      const d = b.scratch as Float64Array;
      d[0] = m[0];
      d[1] = m[1];
      d[2] = m[10];
      d[3] = m[11];
      d[4] = m[20];
      d[5] = m[21];
      d[6] = m[30];
      d[7] = m[31];
      w.apply2Diag(t[0], t[1], b.cmask, b.cval, d);
      return;
    }
    case KIND.swap:
      w.applySwap(t[0], t[1], b.cmask, b.cval);
      return;
    default:
      throw new Error('no wasm kernel for this block'); // unreachable: gk blocks take the TypeScript path
  }
}

/**
 * Rough cost of a block in units of one complex 1-qubit pass, from its structure (kinds are known
 * only when bound); measured with the SIMD kernels at 10 and 20 qubits: real 1q 0.7, complex 1q 1,
 * CNOT 0.3-0.45, general 4x4 2 (20 qubits) to 3.7 (10 qubits).
 */
function passCost(b: Block): number {
  if (b.nt === 1) return b.controls.length ? 0.45 : 0.85;
  return 3;
}
const PAIR_FUSION_THRESHOLD = 3.2;

/**
 * Fuses runs of blocks confined to one pair of qubits (an SU(4) block's dozen gates, a CX-RZ-CX
 * sandwich) into one 4x4 pass when that saves work. A later block may join a run only if it commutes
 * with every block it is moved before (disjoint qubits); cheap pairs such as a real 1-qubit pass plus
 * a CNOT stay apart, since one general 4x4 pass costs more than both.
 */
function fusePairs(blocks: Block[], fuse: FuseMode): Block[] {
  if (fuse === 'none') return blocks;
  const used = new Uint8Array(blocks.length);
  const out: Block[] = [];
  // Qubit sets as bit masks: the scan below runs for every block, so it must not allocate.
  const masks = blocks.map((b) => b.cmask | b.targets.reduce((m, q) => m | (1 << q), 0));
  const popcount = (x: number): number => {
    let c = 0;
    for (; x; x &= x - 1) c++;
    return c;
  };
  const ok = (b: Block, m: number): boolean => b.nt >= 1 && b.nt <= 2 && popcount(m) <= 2 && (fuse === 'all' || !b.parametric);
  const group: number[] = [];
  for (let i = 0; i < blocks.length; i++) {
    if (used[i]) continue;
    const seed = blocks[i];
    if (!ok(seed, masks[i])) {
      out.push(seed);
      continue;
    }
    group.length = 0;
    group.push(i);
    let S = masks[i];
    let skipped = 0;
    for (let j = i + 1; j < blocks.length && j < i + 256; j++) {
      if (used[j]) continue;
      const T = masks[j];
      if ((T & S) === 0) {
        skipped |= T;
        if ((S & ~skipped) === 0) break;
        continue;
      }
      if (popcount(S | T) > 2 || !ok(blocks[j], T) || (T & skipped) !== 0) break;
      group.push(j);
      S |= T;
    }
    let cost = 0;
    for (const k of group) cost += passCost(blocks[k]);
    if (popcount(S) !== 2 || group.length < 2 || cost <= PAIR_FUSION_THRESHOLD) {
      out.push(seed);
      continue;
    }
    for (const k of group) used[k] = 1;
    const qa = 31 - Math.clz32(S & -S);
    const qb = 31 - Math.clz32(S);
    const map = (q: number): number => (q === qa ? 0 : 1);
    const parts = group.map((k) => {
      const b = blocks[k];
      let cval = 0;
      for (const c of b.controls) if ((b.cval >> c) & 1) cval |= 1 << map(c);
      return makeBlock(b.targets.map(map), b.controls.map(map), cval, [...b.terms]);
    });
    out.push(
      makeBlock(
        [qa, qb],
        [],
        0,
        parts.flatMap((p) => p.terms),
        parts,
      ),
    );
  }
  return out;
}

function sorted(xs: readonly number[]): Int32Array {
  return Int32Array.from([...xs].sort((a, b) => a - b));
}

function makeBlock(targets: number[], controls: number[], cval: number, terms: Term[], parts?: Block[]): Block {
  const nt = targets.length;
  const d = 1 << nt;
  const offsets = nt >= 3 ? new Int32Array(d) : undefined;
  if (offsets) {
    for (let c = 0; c < d; c++) {
      let o = 0;
      for (let j = 0; j < nt; j++) if ((c >> j) & 1) o |= 1 << targets[j];
      offsets[c] = o;
    }
  }
  return {
    targets,
    controls,
    pos: sorted([...controls, ...targets]),
    cpos: sorted(controls),
    cmask: controls.reduce((acc, q) => acc | (1 << q), 0),
    cval,
    nt,
    terms,
    parametric: terms.some((t) => !t.constant),
    mat: new Float64Array(2 * d * d),
    kind: KIND.skip,
    offsets,
    scratch: nt >= 3 ? new Float64Array(2 * d) : nt === 2 ? new Float64Array(8) : undefined,
    parts,
  };
}

export class Program {
  blocks: Block[] = [];
  readonly parameters: readonly string[];
  private readonly tmp = new Float64Array(8);
  private readonly paramIndex: Map<string, number>;
  private work: Float64Array | undefined;

  constructor(
    readonly numQubits: number,
    ops: readonly Instruction[],
    parameters: readonly string[],
    fuse: FuseMode = 'all',
  ) {
    this.parameters = parameters;
    this.paramIndex = new Map(parameters.map((p, i) => [p, i]));
    const pending = new Map<number, Term[]>();
    const flush = (q: number): void => {
      const run = pending.get(q);
      if (!run || run.length === 0) return;
      pending.delete(q);
      this.blocks.push(makeBlock([q], [], 0, run));
    };
    ops.forEach((ins, index) => {
      if (ins.op === 'barrier' || ins.op === 'delay') return;
      if (ins.op === 'measure' || ins.op === 'reset') {
        throw validationError(`instruction ${index} (${ins.op}): a unitary program cannot hold measurements or resets`);
      }
      const term = this.term(ins, index);
      const ctrl = ins.ctrl ?? 0;
      const regCtrls = term.def?.ctrlBase?.ctrls ?? 0;
      const controls = ins.qubits.slice(0, ctrl + regCtrls);
      const targets = ins.qubits.slice(ctrl + regCtrls);
      const fusable = controls.length === 0 && targets.length === 1 && fuse !== 'none' && (fuse === 'all' || term.constant);
      if (fusable) {
        const q = targets[0];
        const run = pending.get(q) ?? [];
        run.push(term);
        pending.set(q, run);
        return;
      }
      for (const q of ins.qubits) flush(q);
      let cval = 0;
      for (let i = 0; i < controls.length; i++) {
        const fires = i < ctrl ? ((ins.ctrlState ?? (1 << ctrl) - 1) >> i) & 1 : 1;
        if (fires) cval |= 1 << controls[i];
      }
      this.blocks.push(makeBlock(targets, controls, cval, [term]));
    });
    for (const q of [...pending.keys()]) flush(q);
    this.blocks = fusePairs(this.blocks, fuse);
    // Constant blocks are bound once, here.
    const none = new Float64Array(parameters.length);
    for (const b of this.blocks) if (!b.parametric) bindBlock(b, none, this.tmp);
  }

  private term(ins: Instruction, index: number): Term {
    if (ins.op === 'unitary') {
      return {
        def: undefined,
        slots: [],
        p: new Float64Array(0),
        constant: true,
        fixed: Float64Array.from(ins.matrix ?? []),
        index,
        code: 0,
      };
    }
    const def = getGate(ins.op);
    const slots = ins.params.map((a) => compileAngle(a, this.paramIndex));
    for (const s of slots) {
      for (let k = 0; k < s.idx.length; k++) {
        if (s.idx[k] < 0) throw validationError(`instruction ${index} (${ins.op}) uses a symbol missing from the circuit's parameter list`);
      }
    }
    const constant = slots.every((s) => s.idx.length === 0);
    const p = new Float64Array(slots.length);
    // Every Term has the same fields in the same order (one hidden class keeps the hot paths monomorphic).
    if (!constant) return { def, slots, p, constant, fixed: undefined, index, code: FAST[def.name] ?? 0 };
    for (let k = 0; k < slots.length; k++) p[k] = slots[k].offset;
    const fixed = def.ctrlBase ? def.ctrlBase.matrix(p) : def.matrix(p);
    return { def, slots, p, constant, fixed, index, code: 0 };
  }

  /** The parameter vector for bindings given by name; missing symbols are a VALIDATION error naming them. */
  values(bindings: Bindings | Float64Array | undefined): Float64Array {
    if (bindings instanceof Float64Array) {
      if (bindings.length !== this.parameters.length) {
        throw validationError(`expected ${this.parameters.length} parameter values, got ${bindings.length}`);
      }
      return bindings;
    }
    const v = new Float64Array(this.parameters.length);
    const missing: string[] = [];
    this.parameters.forEach((name, i) => {
      const x = bindings?.[name];
      if (typeof x !== 'number' || !Number.isFinite(x)) missing.push(name);
      else v[i] = x;
    });
    if (missing.length) {
      throw validationError(`no value bound for parameter${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`, {
        missing,
      });
    }
    return v;
  }

  /** Recomputes the symbolic blocks' matrices. */
  bind(values: Float64Array): void {
    for (const b of this.blocks) if (b.parametric) bindBlock(b, values, this.tmp);
  }

  /** Applies every block to `state` in place (after `bind`). */
  apply(state: Float64Array): void {
    const n = this.numQubits;
    const w = kernelsOf(state);
    const blocks = this.blocks;
    if (w) {
      for (let i = 0; i < blocks.length; i++) {
        const b = blocks[i];
        if (b.kind === KIND.gk) applyMatrix(state, n, b, b.mat, b.kind);
        else applyWasm(w, b, b.mat, b.kind);
      }
      return;
    }
    for (let i = 0; i < blocks.length; i++) applyMatrix(state, n, blocks[i], blocks[i].mat, blocks[i].kind);
  }

  /**
   * The program's working buffer: one wasm-backed state made on first use and reused by every run,
   * because each wasm memory reserves gigabytes of address space and must not be made per call.
   */
  workState(): Float64Array {
    const n = this.numQubits;
    if (n <= SHARED_WORK_MAX_QUBITS) {
      // Small registers share one working state per size: making a wasm instance costs about a
      // millisecond, far more than simulating the circuit, and a run never re-enters another run.
      let w = sharedWork.get(n);
      if (!w) {
        w = allocState(n);
        sharedWork.set(n, w);
      }
      return w;
    }
    this.work ??= allocState(n);
    return this.work;
  }

  /**
   * |0...0>, then the circuit: the statevector for one binding. With `out`, the result is written
   * there (in place when `out` came from allocState, else copied) and `out` is returned; without it,
   * a fresh array the caller owns.
   */
  run(values: Float64Array, out?: Float64Array): Float64Array {
    const s = out && kernelsOf(out) ? out : this.workState();
    s.fill(0);
    s[0] = 1;
    this.bind(values);
    this.apply(s);
    if (s === out) return out;
    if (out) {
      out.set(s);
      return out;
    }
    return Float64Array.from(s);
  }
}

/** The dagger of a block's bound matrix (conjugate transpose of its target operation). */
export function daggerOf(b: Block, out: Float64Array): Float64Array {
  const d = 1 << b.nt;
  const m = b.mat;
  for (let r = 0; r < d; r++)
    for (let c = 0; c < d; c++) {
      out[2 * (c * d + r)] = m[2 * (r * d + c)];
      out[2 * (c * d + r) + 1] = -m[2 * (r * d + c) + 1];
    }
  return out;
}
