import { QError } from '../errors.js';
import type { Circuit, Instruction } from '../ir/circuit.js';
import { getGate, hasGate } from '../ir/gates.js';
import { dimOf, matmul, kron, type CMatrix } from '../ir/matrix.js';
import type { Angle } from '../ir/params.js';
import type { PassContext } from './context.js';
import { eulerOf, half, neg, sumAngles, type Euler } from './euler.js';
import { synthesizeTwoQubit } from './kak.js';

/**
 * Unrolling: every instruction becomes 1-qubit `U(θ, φ, λ)` gates (affine angles) and `cx`, the
 * compiler's working basis; translation to a device's entangler and 1-qubit forms happens after
 * routing. Decompositions are exact including the global phase of each gate, because a gate's phase
 * becomes a relative phase once the gate is controlled (`ctrl @`), and controls are pushed down
 * through every rule: C(AB) = C(A)·C(B).
 */

const PI = Math.PI;

/** A gate application inside the unroller: own qubits plus the (positive) controls above it. */
interface Call {
  readonly op: string;
  readonly params: readonly Angle[];
  readonly qubits: readonly number[];
  readonly matrix?: ArrayLike<number>;
}

/** Gates that are a controlled form of a smaller gate: name -> (controls, base gate). */
const CONTROLLED: Readonly<Record<string, { ctrls: number; base: string }>> = {
  cx: { ctrls: 1, base: 'x' },
  CX: { ctrls: 1, base: 'x' },
  cy: { ctrls: 1, base: 'y' },
  cz: { ctrls: 1, base: 'z' },
  ch: { ctrls: 1, base: 'h' },
  cp: { ctrls: 1, base: 'p' },
  cphase: { ctrls: 1, base: 'p' },
  crx: { ctrls: 1, base: 'rx' },
  cry: { ctrls: 1, base: 'ry' },
  crz: { ctrls: 1, base: 'rz' },
  cu: { ctrls: 1, base: 'cu' }, // base handled as e^{iγ} U(θ, φ, λ) below
  ccx: { ctrls: 2, base: 'x' },
  cswap: { ctrls: 1, base: 'swap' },
};

/**
 * Phase-exact rules for 2-qubit gates in terms of smaller gates on the same qubits [a, b]. CONJ says
 * how many leading calls are a basis change V whose inverse V† closes the rule (V·G·V†): under
 * control only G needs the controls, since C(V G V†) = V·C(G)·V†.
 */
const CONJ: Readonly<Record<string, number>> = { rzz: 1, rxx: 2, ryy: 2, ms: 2 };
const RULES: Readonly<Record<string, (p: readonly Angle[], a: number, b: number) => Call[]>> = {
  swap: (_p, a, b) => [cx(a, b), cx(b, a), cx(a, b)],
  rzz: (p, a, b) => [cx(a, b), g1('rz', [p[0]], b), cx(a, b)],
  rxx: (p, a, b) => [g1('h', [], a), g1('h', [], b), { op: 'rzz', params: p, qubits: [a, b] }, g1('h', [], a), g1('h', [], b)],
  ryy: (p, a, b) => [
    g1('rx', [PI / 2], a),
    g1('rx', [PI / 2], b),
    { op: 'rzz', params: p, qubits: [a, b] },
    g1('rx', [-PI / 2], a),
    g1('rx', [-PI / 2], b),
  ],
  iswap: (_p, a, b) => [g1('s', [], a), g1('s', [], b), g1('h', [], a), cx(a, b), cx(b, a), g1('h', [], b)],
  ms: (p, a, b) => [
    g1('rz', [neg(p[0])], a),
    g1('rz', [neg(p[1])], b),
    { op: 'rxx', params: [p[2]], qubits: [a, b] },
    g1('rz', [p[0]], a),
    g1('rz', [p[1]], b),
  ],
  // ECR is CX up to 1-qubit Cliffords (found by search; the phase is fixed numerically below).
  ecr: (_p, a, b) => [cx(a, b), g1('U', [-PI, PI / 2, 0], a), g1('U', [-PI / 2, PI / 2, -PI / 2], b)],
};

function cx(a: number, b: number): Call {
  return { op: 'cx', params: [], qubits: [a, b] };
}
function g1(op: string, params: readonly Angle[], q: number): Call {
  return { op, params, qubits: [q] };
}

/** Global phase e^{iγ} that makes a constant rule's pieces equal the gate's matrix exactly. */
const rulePhase = new Map<string, number>();
function constantRulePhase(op: string): number {
  const hit = rulePhase.get(op);
  if (hit !== undefined) return hit;
  const want = getGate(op).matrix([]);
  const got = callsMatrix(RULES[op]([], 0, 1), 2);
  const k = largest(want);
  const g = Math.atan2(want[k + 1], want[k]) - Math.atan2(got[k + 1], got[k]);
  rulePhase.set(op, g);
  return g;
}

function largest(m: CMatrix): number {
  let best = -1;
  let k0 = 0;
  for (let k = 0; k < m.length; k += 2) {
    const v = m[k] * m[k] + m[k + 1] * m[k + 1];
    if (v > best + 1e-12) {
      best = v;
      k0 = k;
    }
  }
  return k0;
}

/** Matrix of constant calls on `n` qubits (only 1- and 2-qubit calls), for phase fixing. */
function callsMatrix(calls: readonly Call[], n: number): CMatrix {
  let m = identityN(1 << n);
  for (const c of calls) {
    const gm = c.op === 'unitary' ? Float64Array.from(c.matrix ?? []) : getGate(c.op).matrix(c.params as number[]);
    m = matmul(embed(gm, c.qubits, n), m);
  }
  return m;
}

function identityN(d: number): CMatrix {
  const m = new Float64Array(2 * d * d);
  for (let i = 0; i < d; i++) m[2 * (i * d + i)] = 1;
  return m;
}

/** A 1- or 2-qubit matrix on `qubits` of an n-qubit register (n <= 2 here). */
function embed(m: CMatrix, qubits: readonly number[], n: number): CMatrix {
  if (qubits.length === n && qubits.every((q, i) => q === i)) return m;
  if (n === 2 && qubits.length === 1) return qubits[0] === 0 ? kron(identityN(2), m) : kron(m, identityN(2));
  if (n === 2 && qubits.length === 2) {
    // swapped order: S m S
    const s = getGate('swap').matrix([]);
    return matmul(s, matmul(m, s));
  }
  throw new Error('embed: unsupported shape');
}

/** Unrolls a whole circuit into U, cx and directives. */
export function unroll(c: Circuit, _ctx?: PassContext): Circuit {
  const out: Instruction[] = [];
  c.ops.forEach((ins, index) => unrollInstruction(ins, index, out));
  return { ...c, ops: out };
}

export function unrollInstruction(ins: Instruction, index: number, out: Instruction[]): void {
  if (ins.op === 'measure' || ins.op === 'reset' || ins.op === 'barrier' || ins.op === 'delay') {
    out.push(ins);
    return;
  }
  const k = ins.ctrl ?? 0;
  const state = ins.ctrlState ?? (1 << k) - 1;
  const controls = ins.qubits.slice(0, k);
  const own = ins.qubits.slice(k);
  const where = { index, gate: ins.op, qubits: ins.qubits };
  const emit = new Emitter(out);
  // negctrl: conjugate the control with X so it fires on |1>.
  const flips = controls.filter((_, i) => ((state >> i) & 1) === 0);
  for (const q of flips) emit.u([PI, 0, PI], q);
  try {
    expand({ op: ins.op, params: ins.params, qubits: own, matrix: ins.matrix }, controls, emit);
  } catch (e) {
    if (e instanceof QError && e.code === 'COMPILE') {
      throw new QError('COMPILE', `instruction ${index} (${ins.op} on qubits ${ins.qubits.join(',')}): ${e.message}`, {
        details: { ...e.details, ...where },
      });
    }
    throw e;
  }
  for (const q of flips) emit.u([PI, 0, PI], q);
}

/** Collects output instructions. */
class Emitter {
  constructor(readonly out: Instruction[]) {}
  u(p: readonly Angle[], q: number): void {
    this.out.push({ op: 'U', qubits: [q], params: [p[0], p[1], p[2]] });
  }
  cx(a: number, b: number): void {
    this.out.push({ op: 'cx', qubits: [a, b], params: [] });
  }
}

function expand(call: Call, ctrls: readonly number[], emit: Emitter): void {
  const { op, params, qubits } = call;
  if (op === 'id') return;
  if (op === 'gphase') {
    if (ctrls.length > 0) mcPhase(params[0], ctrls, emit);
    return; // a global phase with no control is unobservable
  }
  // Controlled forms: move their controls into `ctrls`.
  const cf = CONTROLLED[op];
  if (cf) {
    const more = [...ctrls, ...qubits.slice(0, cf.ctrls)];
    const rest = qubits.slice(cf.ctrls);
    if (cf.base === 'cu') {
      const e: Euler = { theta: params[0], phi: params[1], lambda: params[2], alpha: params[3] };
      controlled1q(e, more, rest[0], emit);
      return;
    }
    expand({ op: cf.base, params, qubits: rest }, more, emit);
    return;
  }
  const width = op === 'unitary' ? dimLog2(call.matrix) : getGate(op).numQubits;
  if (width === 0) {
    // a 1x1 'unitary' is a global phase
    const m = call.matrix ?? [1, 0];
    expand({ op: 'gphase', params: [Math.atan2(m[1], m[0])], qubits: [] }, ctrls, emit);
    return;
  }
  if (width === 1) {
    const q = qubits[0];
    if (op === 'x' && ctrls.length > 0) {
      mcx(ctrls, q, emit);
      return;
    }
    const e = eulerOf(op, params, call.matrix);
    if (ctrls.length === 0) emit.u([e.theta, e.phi, e.lambda], q);
    else controlled1q(e, ctrls, q, emit);
    return;
  }
  if (width === 2) {
    const [a, b] = qubits;
    if (op === 'swap' && ctrls.length > 0) {
      // Fredkin: only the middle CX needs the controls.
      emit.cx(b, a);
      mcx([...ctrls, a], b, emit);
      emit.cx(b, a);
      return;
    }
    const rule = RULES[op];
    if (rule) {
      const calls = rule(params, a, b);
      const k = ctrls.length > 0 ? (CONJ[op] ?? 0) : 0;
      calls.forEach((c, i) => expand(c, i < k || i >= calls.length - k ? [] : ctrls, emit));
      if (op === 'ecr' && ctrls.length > 0) mcPhase(constantRulePhase('ecr'), ctrls, emit);
      return;
    }
    // Anything else with constant entries: its matrix, by KAK synthesis into at most 3 CX.
    let m: ArrayLike<number> | undefined = call.matrix;
    if (!m && params.every((x) => typeof x === 'number') && hasGate(op)) m = getGate(op).matrix(params as number[]);
    if (!m) throw new QError('COMPILE', `gate '${op}' has no decomposition to the compiler's basis`, { details: { gate: op } });
    const syn = synthesizeTwoQubit(Float64Array.from(m));
    for (const s of syn.ops) {
      if (s.op === 'cx') expand(cx(s.qubits[0] === 0 ? a : b, s.qubits[1] === 0 ? a : b), ctrls, emit);
      else expand({ op: 'U', params: s.params, qubits: [s.qubits[0] === 0 ? a : b] }, ctrls, emit);
    }
    if (ctrls.length > 0) mcPhase(syn.phase, ctrls, emit);
    return;
  }
  throw new QError(
    'COMPILE',
    `${op === 'unitary' ? `a ${width}-qubit 'unitary' matrix` : `gate '${op}'`} has no decomposition to the compiler's basis (matrices on more than 2 qubits are not synthesised)`,
    {
      details: { gate: op },
    },
  );
}

function dimLog2(m: ArrayLike<number> | undefined): number {
  const d = m ? dimOf(Float64Array.from(m)) : 1;
  return Math.round(Math.log2(d));
}

/** e^{iγ} on the subspace where every control is 1: a phase gate on the last control, controlled by the rest. */
function mcPhase(gamma: Angle, ctrls: readonly number[], emit: Emitter): void {
  if (ctrls.length === 0) return;
  const last = ctrls[ctrls.length - 1];
  const rest = ctrls.slice(0, -1);
  if (rest.length === 0) emit.u([0, 0, gamma], last);
  else controlled1q({ theta: 0, phi: 0, lambda: gamma, alpha: 0 }, rest, last, emit);
}

/**
 * A 1-qubit gate e^{iα}U(θ, φ, λ) under controls: the A·X·B·X·C construction (Nielsen & Chuang
 * 4.3; Barenco et al. lemma 7.9) with the X gates multi-controlled, and the phase as a phase gate on
 * the controls. Every recursive call has fewer controls, so the recursion ends.
 */
function controlled1q(e: Euler, ctrls: readonly number[], t: number, emit: Emitter): void {
  // U(θ, φ, λ) = e^{i(φ+λ)/2} Rz(φ) Ry(θ) Rz(λ)
  const a = sumAngles(e.alpha, half(sumAngles(e.phi, e.lambda)));
  const beta = e.phi;
  const gam = e.theta;
  const delta = e.lambda;
  // A·X·B·X·C = e^{-ia}·U and A·B·C = I, so with any number of controls on the X gates:
  const abc = (x: () => void) => {
    emit.u([0, 0, half(sumAngles(delta, neg(beta)))], t); // C = Rz((δ-β)/2)
    x();
    emit.u([neg(half(gam)), 0, neg(half(sumAngles(delta, beta)))], t); // B = Ry(-γ/2) Rz(-(δ+β)/2)
    x();
    emit.u([half(gam), beta, 0], t); // A = Rz(β) Ry(γ/2)
  };
  abc(() => mcx(ctrls, t, emit));
  mcPhase(a, ctrls, emit);
}

const SX = getGate('sx').matrix([]);
const SXDG = getGate('sxdg').matrix([]);

/** X controlled by any number of qubits, exactly (no ancillas). */
function mcx(ctrls: readonly number[], t: number, emit: Emitter): void {
  const k = ctrls.length;
  if (k === 0) {
    emit.u([PI, 0, PI], t);
    return;
  }
  if (k === 1) {
    emit.cx(ctrls[0], t);
    return;
  }
  if (k === 2) {
    // The standard 6-CX Toffoli (Nielsen & Chuang fig. 4.9), exact including phase.
    const [a, b] = ctrls;
    const H = [PI / 2, 0, PI];
    const T = [0, 0, PI / 4];
    const TDG = [0, 0, -PI / 4];
    emit.u(H, t);
    emit.cx(b, t);
    emit.u(TDG, t);
    emit.cx(a, t);
    emit.u(T, t);
    emit.cx(b, t);
    emit.u(TDG, t);
    emit.cx(a, t);
    emit.u(T, b);
    emit.u(T, t);
    emit.u(H, t);
    emit.cx(a, b);
    emit.u(T, a);
    emit.u(TDG, b);
    emit.cx(a, b);
    return;
  }
  // Barenco et al. 1995, lemma 7.5 with V = sqrt(X) = SX:
  // C^k X = C(V)[c_k, t] · C^{k-1}X[c_<k, c_k] · C(V†)[c_k, t] · C^{k-1}X[c_<k, c_k] · C^{k-1}V[c_<k, t]
  const last = ctrls[k - 1];
  const rest = ctrls.slice(0, -1);
  controlled1q(eulerOf('unitary', [], SX), [last], t, emit);
  mcx(rest, last, emit);
  controlled1q(eulerOf('unitary', [], SXDG), [last], t, emit);
  mcx(rest, last, emit);
  controlled1q(eulerOf('unitary', [], SX), rest, t, emit);
}
