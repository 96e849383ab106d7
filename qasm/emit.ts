import { QError } from '../src/index.js';
import { gateNames, getGate, type Angle, type Circuit, type Instruction, type Register } from '../src/index.js';
import { BRAKET_NAMES, EXTRA_GATE_DEFS, IBM_HERON_BASIS, RESERVED, type Dialect } from './dialects.js';
import { CONTROLLED_FORMS } from './stdgates.js';

export type { Dialect } from './dialects.js';

/**
 * IR -> OpenQASM 3 text. Unbound parameters become `input float[64]` declarations, angles print
 * with full double precision (so parsing the text gives back the same numbers), and each dialect
 * restricts the output to what its provider accepts.
 */
export interface EmitOptions {
  /** 'generic' (default), 'ibm', 'braket' or 'ionq'. */
  dialect?: Dialect;
  /** ibm: the gates the target accepts (default IBM Heron: cz, id, rz, sx, x). */
  basisGates?: readonly string[];
  /** Significant digits for numbers; default: the shortest text that round-trips exactly. */
  precision?: number;
  /** braket: physical qubits `$n` instead of a `qubit[n] q;` register. */
  physicalQubits?: boolean;
  /** braket: wrap the gates in `#pragma braket verbatim` + `box { ... }` (implies physical qubits). */
  verbatim?: boolean;
  /** braket verbatim: the device's native gates (IR or Braket names); others are a COMPILE error. */
  nativeGates?: readonly string[];
}

export interface EmitResult {
  readonly source: string;
  /** IR parameter name -> the `input` name used in the text (they differ when the IR name is not a QASM identifier). */
  readonly parameterMap: Readonly<Record<string, string>>;
}

export function emitQasm(c: Circuit, options: EmitOptions = {}): string {
  return emitQasmDetailed(c, options).source;
}

const IDENT = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const PI = Math.PI;

/** Hands out identifiers that are valid, not reserved and not yet used, deterministically. */
class Namer {
  private readonly used = new Set<string>(RESERVED);
  constructor() {
    for (const g of gateNames()) this.used.add(g);
    for (const g of Object.values(BRAKET_NAMES)) this.used.add(g);
    for (const g of ['cnot', 'ccnot', 'cphaseshift', 'phaseshift', 'i', 'si', 'ti', 'v', 'vi', 'xx', 'yy', 'zz', 'cv', 'xy', 'pswap'])
      this.used.add(g);
  }
  take(wanted: string): string {
    let base = wanted.replace(/[^\p{L}\p{N}_]/gu, '_');
    if (base === '' || !IDENT.test(base)) base = `_${base}`;
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }
}

function compileError(msg: string, details: Record<string, unknown>): QError {
  return new QError('COMPILE', msg, { details });
}
function unsupportedError(msg: string, details: Record<string, unknown>): QError {
  return new QError('UNSUPPORTED', msg, { details });
}

/** U(θ, φ, λ) and a global phase γ with m = e^{iγ} U(θ, φ, λ), for a 2x2 unitary m. */
export function zyz(m: ArrayLike<number>): { theta: number; phi: number; lambda: number; gamma: number } {
  const arg = (re: number, im: number) => Math.atan2(im, re);
  const aAbs = Math.hypot(m[0], m[1]);
  const cAbs = Math.hypot(m[4], m[5]);
  const theta = 2 * Math.atan2(cAbs, aAbs);
  if (cAbs <= 1e-12) {
    const gamma = arg(m[0], m[1]);
    return { theta, phi: 0, lambda: arg(m[6], m[7]) - gamma, gamma };
  }
  if (aAbs <= 1e-12) {
    const gamma = arg(m[4], m[5]);
    return { theta, phi: 0, lambda: arg(-m[2], -m[3]) - gamma, gamma };
  }
  const gamma = arg(m[0], m[1]);
  return { theta, phi: arg(m[4], m[5]) - gamma, lambda: arg(-m[2], -m[3]) - gamma, gamma };
}

/** One printable gate: a name understood by the dialect, with its controls. */
interface Piece {
  name: string;
  params: readonly Angle[];
  ctrl: number;
  ctrlState: number;
  qubits: readonly number[];
}

export function emitQasmDetailed(c: Circuit, options: EmitOptions = {}): EmitResult {
  const dialect: Dialect = options.dialect ?? 'generic';
  if (!['generic', 'ibm', 'braket', 'ionq'].includes(dialect)) {
    throw new QError('VALIDATION', `unknown OpenQASM dialect '${String(dialect)}' (use generic, ibm, braket or ionq)`);
  }
  const verbatim = dialect === 'braket' && options.verbatim === true;
  const physical = dialect === 'ibm' || (dialect === 'braket' && (options.physicalQubits === true || verbatim));
  const namer = new Namer();
  const fmtNum = numberFormatter(options.precision);

  // registers
  const qregs = layout(c.qubitRegisters, c.numQubits, 'q', namer, !physical);
  const cregs = layout(c.clbitRegisters, c.numClbits, 'c', namer, true);
  const qref = (q: number): string => (physical ? `$${q}` : ref(qregs, q));
  const cref = (b: number): string => ref(cregs, b);

  // parameters
  const parameterMap: Record<string, string> = {};
  for (const p of c.parameters) parameterMap[p] = namer.take(p);
  const fmtAngle = (a: Angle): string => formatAngle(a, fmtNum, parameterMap);
  const paramList = (ps: readonly Angle[]): string => (ps.length ? `(${ps.map(fmtAngle).join(', ')})` : '');

  const basis = new Set(options.basisGates ?? IBM_HERON_BASIS);
  const native = options.nativeGates ? new Set(options.nativeGates) : undefined;
  const defsNeeded = new Set<string>();
  const body: string[] = [];
  const tail: string[] = []; // braket verbatim: measurements after the box
  let sawMeasure = false;

  const printPiece = (p: Piece, out: string[], index: number): void => {
    if (verbatim && p.ctrl > 0) {
      throw compileError(
        `instruction ${index} ('${p.name}' with controls) cannot go in a Braket verbatim box: compile the circuit to the device's native gates first`,
        { index, gate: p.name },
      );
    }
    if (verbatim && native && !native.has(p.name) && ![...native].some((g) => BRAKET_NAMES[g] === p.name)) {
      throw compileError(
        `gate '${p.name}' (instruction ${index}) is not native to the device (${[...native].join(', ')}): compile the circuit for the target first`,
        { index, gate: p.name },
      );
    }
    out.push(
      `${ctrlPrefix(p.ctrl, p.ctrlState)}${p.name}${paramList(p.params)}${p.qubits.length ? ' ' + p.qubits.map(qref).join(', ') : ''};`,
    );
  };

  c.ops.forEach((ins, index) => {
    const out = verbatim && (ins.op === 'measure' || sawMeasure) ? tail : body;
    if (verbatim && sawMeasure && ins.op !== 'measure' && ins.op !== 'barrier') {
      throw unsupportedError(
        `instruction ${index} ('${ins.op}') follows a measurement: a Braket verbatim box cannot hold mid-circuit measurements`,
        { index },
      );
    }
    if (dialect === 'generic' && ins.annotations) for (const a of ins.annotations) out.push(`@${a}`);
    switch (ins.op) {
      case 'measure':
        sawMeasure = true;
        ins.qubits.forEach((q, k) => out.push(`${cref((ins.clbits ?? [])[k])} = measure ${qref(q)};`));
        return;
      case 'reset':
        for (const q of ins.qubits) out.push(`reset ${qref(q)};`);
        return;
      case 'barrier':
        out.push(ins.qubits.length ? `barrier ${ins.qubits.map(qref).join(', ')};` : 'barrier;');
        return;
      case 'delay':
        out.push(`delay[${formatDuration(ins.durationS)}]${ins.qubits.length ? ' ' + ins.qubits.map(qref).join(', ') : ''};`);
        return;
    }
    if (dialect === 'ibm') {
      if (ins.op === 'unitary' || ins.ctrl) {
        const what = ins.op === 'unitary' ? "a 'unitary' matrix" : `controlled '${ins.op}' (ctrl @)`;
        throw compileError(
          `instruction ${index} is ${what}, which is not in the IBM basis (${[...basis].join(', ')}): compile the circuit for the target first`,
          { index, gate: ins.op },
        );
      }
      if (!basis.has(ins.op)) {
        throw compileError(
          `gate '${ins.op}' (instruction ${index}) is not in the IBM basis (${[...basis].join(', ')}): compile the circuit for the target first`,
          { index, gate: ins.op },
        );
      }
      printPiece(plainPiece(ins), out, index);
      return;
    }
    if (dialect === 'braket') {
      for (const p of braketPieces(ins, index)) printPiece(p, out, index);
      return;
    }
    // generic and ionq
    if (ins.op === 'unitary') {
      for (const p of unitaryPieces(ins, index)) printPiece(p, out, index);
      return;
    }
    const g = getGate(ins.op);
    if (!g.stdgates) defsNeeded.add(ins.op);
    printPiece(plainPiece(ins), out, index);
  });

  // assemble
  const lines: string[] = ['OPENQASM 3.0;'];
  if (dialect !== 'braket') lines.push('include "stdgates.inc";');
  for (const p of c.pragmas ?? []) {
    if (dialect === 'ibm' || dialect === 'ionq') continue;
    if (/^braket\s+verbatim\b/.test(p)) continue; // re-added below when asked for
    if (dialect === 'braket' && !p.startsWith('braket')) continue;
    lines.push(`#pragma ${p}`);
  }
  for (const name of defOrder(defsNeeded)) lines.push(EXTRA_GATE_DEFS[name].text);
  for (const p of c.parameters) lines.push(`input float[64] ${parameterMap[p]};`);
  if (!physical) for (const r of qregs) lines.push(`qubit[${r.size}] ${r.name};`);
  for (const r of cregs) lines.push(`bit[${r.size}] ${r.name};`);
  if (verbatim) {
    lines.push('#pragma braket verbatim', 'box {');
    for (const l of body) lines.push(`  ${l}`);
    lines.push('}');
    lines.push(...tail);
  } else lines.push(...body);
  return { source: lines.join('\n') + '\n', parameterMap };
}

interface Reg {
  name: string;
  offset: number;
  size: number;
}

/** The circuit's own registers when they tile its bits exactly, else one register named `fallback`. */
function layout(regs: readonly Register[] | undefined, total: number, fallback: string, namer: Namer, declare: boolean): Reg[] {
  if (total === 0) return [];
  if (regs && regs.length && regs.every((r) => r.size >= 1) && regs.reduce((s, r) => s + r.size, 0) === total) {
    const out: Reg[] = [];
    let offset = 0;
    for (const r of regs) {
      out.push({ name: namer.take(r.name), offset, size: r.size });
      offset += r.size;
    }
    return out;
  }
  return [{ name: declare ? namer.take(fallback) : fallback, offset: 0, size: total }];
}

function ref(regs: readonly Reg[], i: number): string {
  for (const r of regs) if (i >= r.offset && i < r.offset + r.size) return `${r.name}[${i - r.offset}]`;
  throw new QError('VALIDATION', `index ${i} is outside every register`);
}

function defOrder(needed: Set<string>): string[] {
  const out: string[] = [];
  const visit = (n: string): void => {
    if (out.includes(n)) return;
    for (const d of EXTRA_GATE_DEFS[n].deps) visit(d);
    out.push(n);
  };
  for (const n of [...needed].sort()) visit(n);
  return out;
}

function ctrlPrefix(n: number, state: number): string {
  let s = '';
  let i = 0;
  while (i < n) {
    const bit = (state >> i) & 1;
    let j = i + 1;
    while (j < n && ((state >> j) & 1) === bit) j++;
    const k = j - i;
    s += `${bit ? 'ctrl' : 'negctrl'}${k > 1 ? `(${k})` : ''} @ `;
    i = j;
  }
  return s;
}

function plainPiece(ins: Instruction): Piece {
  const n = ins.ctrl ?? 0;
  return { name: ins.op, params: ins.params, ctrl: n, ctrlState: ins.ctrlState ?? 2 ** n - 1, qubits: ins.qubits };
}

/** A 1-qubit `unitary` (possibly controlled) as U plus a (controlled) global phase. */
function unitaryPieces(ins: Instruction, index: number): Piece[] {
  const n = ins.ctrl ?? 0;
  const t = ins.qubits.length - n;
  const m = ins.matrix ?? [];
  const state = ins.ctrlState ?? 2 ** n - 1;
  if (t === 0) {
    return [{ name: 'gphase', params: [Math.atan2(m[1], m[0])], ctrl: n, ctrlState: state, qubits: ins.qubits }];
  }
  if (t !== 1) {
    throw unsupportedError(
      `instruction ${index} is a ${t}-qubit 'unitary' matrix, which OpenQASM cannot state directly: decompose it into gates first (the compiler's decompose pass does)`,
      { index },
    );
  }
  const { theta, phi, lambda, gamma } = zyz(m);
  const pieces: Piece[] = [{ name: 'U', params: [theta, phi, lambda], ctrl: n, ctrlState: state, qubits: ins.qubits }];
  if (gamma !== 0) pieces.push({ name: 'gphase', params: [gamma], ctrl: n, ctrlState: state, qubits: ins.qubits.slice(0, n) });
  return pieces;
}

const BRAKET_CONTROLLED: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  x: { 1: 'cnot', 2: 'ccnot' },
  y: { 1: 'cy' },
  z: { 1: 'cz' },
  p: { 1: 'cphaseshift' },
  phase: { 1: 'cphaseshift' },
  u1: { 1: 'cphaseshift' },
  swap: { 1: 'cswap' },
  gphase: { 1: 'phaseshift' },
};

/**
 * Rewrites one instruction into Braket's names: controlled forms become `ctrl @` on the base gate
 * (or Braket's named cnot/ccnot/cphaseshift/...), u2/u3/cu become U plus a global phase.
 */
function braketPieces(ins: Instruction, index: number): Piece[] {
  let op = ins.op;
  let n = ins.ctrl ?? 0;
  let state = ins.ctrlState ?? 2 ** n - 1;
  const params = ins.params;
  const qubits = ins.qubits;
  const cf = CONTROLLED_FORMS[op];
  if (cf) {
    op = cf.base;
    state = state + (2 ** cf.ctrls - 1) * 2 ** n;
    n += cf.ctrls;
  }
  const raw: Piece[] = [];
  if (op === 'unitary') raw.push(...unitaryPieces({ ...ins, ctrl: n, ctrlState: state }, index));
  else if (op === 'u2' || op === 'u3' || op === 'cu') {
    if (op === 'cu') {
      state = state + 2 ** n;
      n += 1;
    }
    const [t, f, l] = op === 'u2' ? [PI / 2, params[0], params[1]] : [params[0], params[1], params[2]];
    const g = op === 'cu' ? params[3] : negHalfSum(f, l);
    raw.push({ name: 'U', params: [t, f, l], ctrl: n, ctrlState: state, qubits });
    if (n > 0 || op === 'cu' || typeof g !== 'number' || g !== 0)
      raw.push({ name: 'gphase', params: [g], ctrl: n, ctrlState: state, qubits: qubits.slice(0, n) });
  } else raw.push({ name: op, params, ctrl: n, ctrlState: state, qubits });
  return raw.map((p) => {
    const full = 2 ** p.ctrl - 1;
    if (p.ctrl > 0 && p.ctrlState === full) {
      const named = BRAKET_CONTROLLED[p.name]?.[p.ctrl];
      if (named) return { ...p, name: named, ctrl: 0, ctrlState: 0 };
    }
    const name = BRAKET_NAMES[p.name];
    if (!name) {
      throw compileError(`gate '${p.name}' (instruction ${index}) has no Braket equivalent`, { index, gate: p.name });
    }
    return { ...p, name };
  });
}

/** -(φ + λ)/2 for numbers or affine angles. */
function negHalfSum(f: Angle, l: Angle): Angle {
  if (typeof f === 'number' && typeof l === 'number') return -(f + l) / 2;
  const terms = new Map<string, number>();
  let offset = 0;
  for (const a of [f, l]) {
    if (typeof a === 'number') offset += a;
    else {
      offset += a.offset;
      for (const t of a.terms) terms.set(t.name, (terms.get(t.name) ?? 0) + t.coeff);
    }
  }
  const out = [...terms].filter(([, k]) => k !== 0).map(([name, k]) => ({ name, coeff: -k / 2 }));
  return out.length ? { terms: out, offset: -offset / 2 } : -offset / 2;
}

// ---- numbers ------------------------------------------------------------------------------

function numberFormatter(precision: number | undefined): (x: number) => string {
  if (precision !== undefined) {
    if (!Number.isInteger(precision) || precision < 1 || precision > 21)
      throw new QError('VALIDATION', `precision must be an integer from 1 to 21, got ${precision}`);
    return (x) => String(Number(x.toPrecision(precision)));
  }
  return formatExact;
}

/**
 * The shortest exact text: `pi/2` or `3*pi/4` when the parser would compute exactly this double
 * from it, else JavaScript's round-trip decimal.
 */
export function formatExact(x: number): string {
  if (x === 0) return '0';
  if (!Number.isInteger(x)) {
    for (const d of [1, 2, 3, 4, 6, 8, 16]) {
      const k = Math.round((x * d) / PI);
      if (k === 0 || Math.abs(k) > 64) continue;
      const v = (k * PI) / d; // how the parser evaluates `k*pi/d` (and `pi/d`, `-pi/d`)
      if (v === x) {
        const num = k === 1 ? 'pi' : k === -1 ? '-pi' : `${k}*pi`;
        return d === 1 ? num : `${num}/${d}`;
      }
    }
  }
  return String(x);
}

function formatAngle(a: Angle, fmt: (x: number) => string, names: Readonly<Record<string, string>>): string {
  if (typeof a === 'number') return fmt(a);
  const parts: string[] = [];
  for (const t of a.terms) {
    const mag = Math.abs(t.coeff);
    const name = names[t.name] ?? t.name;
    const body = mag === 1 ? name : `${String(mag)}*${name}`;
    if (parts.length === 0) parts.push(t.coeff < 0 ? `-${body}` : body);
    else parts.push(t.coeff < 0 ? `- ${body}` : `+ ${body}`);
  }
  if (a.offset !== 0) {
    const o = fmt(Math.abs(a.offset));
    parts.push(a.offset < 0 ? `- ${o}` : `+ ${o}`);
  }
  return parts.join(' ');
}

function formatDuration(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '0dt';
  for (const [unit, scale] of [
    ['ns', 1e9],
    ['us', 1e6],
    ['ms', 1e3],
  ] as const) {
    const v: number = Number((s * scale).toPrecision(15));
    if (v / scale === s) return `${String(v)}${unit}`;
  }
  return `${String(s)}s`;
}
