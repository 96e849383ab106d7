import { QError } from '../errors.js';
import type { Circuit, Instruction } from '../ir/circuit.js';
import { addAngles, type Angle } from '../ir/params.js';
import { nativeGates, supports, type Target } from '../target/target.js';
import type { PassContext } from './context.js';
import { half, isZeroMod, neg, sumAngles, wrapAngle } from './euler.js';

/**
 * Translation from the working form (U, cx, swap) to a device's native gates, after routing.
 * 2-qubit: CX becomes the device's entangler sandwiched by 1-qubit Cliffords (found by search and
 * checked in tests), in a direction the device supports. 1-qubit: U(θ, φ, λ) = Rz(φ)Ry(θ)Rz(λ) (up to
 * phase) becomes the device's form: IBM rz·sx·rz·sx·rz, Rigetti rz·rx(±π/2)·rz, IQM prx, IonQ gpi2/gpi.
 * IQM and IonQ have no Z gate: Z rotations are tracked in software and folded into the phase of later
 * pulses (virtual Z), which is also how their hardware does it.
 */
export type OneQubitBasis = 'zsx' | 'zrx' | 'prx' | 'gpi' | 'u';
export type Entangler = 'cx' | 'cz' | 'ecr' | 'ms' | 'iswap';

const PI = Math.PI;
const ENTANGLERS: readonly Entangler[] = ['cx', 'cz', 'ecr', 'ms', 'iswap'];

export interface TargetBasis {
  readonly oneQubit?: OneQubitBasis;
  readonly entanglers: readonly Entangler[];
  /** Native gate names, for messages. */
  readonly names: readonly string[];
}

export function targetBasis(t: Target): TargetBasis {
  const { oneQubit, twoQubit } = nativeGates(t);
  const has = (g: string) => oneQubit.includes(g);
  const one: OneQubitBasis | undefined =
    has('rz') && has('sx')
      ? 'zsx'
      : has('rz') && has('rx')
        ? 'zrx'
        : has('prx')
          ? 'prx'
          : has('gpi') && has('gpi2')
            ? 'gpi'
            : has('U')
              ? 'u'
              : undefined;
  return {
    oneQubit: one,
    entanglers: ENTANGLERS.filter((e) => twoQubit.includes(e)),
    names: [...oneQubit.filter((g) => g !== 'measure'), ...twoQubit],
  };
}

function U(q: number, t: Angle, f: Angle, l: Angle): Instruction {
  return { op: 'U', qubits: [q], params: [t, f, l] };
}
const H = (q: number) => U(q, PI / 2, 0, PI);

/** CX(c, t) in the device's entangler on a pair the device supports (either direction). */
function cxToNative(c: number, t: number, target: Target, basis: TargetBasis, index: number): Instruction[] {
  for (const e of basis.entanglers) {
    const fwd = supports(target, e, [c, t]);
    const rev = supports(target, e, [t, c]);
    if (!fwd && !rev) continue;
    switch (e) {
      case 'cx':
        return fwd ? [{ op: 'cx', qubits: [c, t], params: [] }] : [H(c), H(t), { op: 'cx', qubits: [t, c], params: [] }, H(c), H(t)];
      case 'cz':
        return [H(t), { op: 'cz', qubits: fwd ? [c, t] : [t, c], params: [] }, H(t)];
      case 'ecr': {
        // CX(c,t) = [U(π,0,-π/2) on c, U(π/2,π/2,-π/2) on t] · ECR(c,t); reversed: conjugate by H⊗H.
        const core = (a: number, b: number): Instruction[] => [
          { op: 'ecr', qubits: [a, b], params: [] },
          U(a, PI, 0, -PI / 2),
          U(b, PI / 2, PI / 2, -PI / 2),
        ];
        return fwd ? core(c, t) : [H(c), H(t), ...core(t, c), H(c), H(t)];
      }
      case 'ms':
        // MS(0,0,π/2) = RXX(π/2) is symmetric in its qubits.
        return [
          U(c, PI / 2, 0, 0),
          { op: 'ms', qubits: fwd ? [c, t] : [t, c], params: [0, 0, PI / 2] },
          U(c, PI / 2, PI / 2, PI),
          U(t, PI / 2, PI / 2, -PI / 2),
        ];
      case 'iswap': {
        const pair = fwd ? [c, t] : [t, c]; // iSWAP is symmetric too
        return [
          U(c, PI / 2, 0, 0),
          U(t, PI / 2, 0, 0),
          { op: 'iswap', qubits: pair, params: [] },
          U(t, PI / 2, 0, 0),
          { op: 'iswap', qubits: pair, params: [] },
          U(c, PI / 2, -PI / 2, 0),
          U(t, PI / 2, PI, -PI / 2),
        ];
      }
    }
  }
  const why = basis.entanglers.length
    ? `no native 2-qubit gate (${basis.entanglers.join(', ')}) couples them`
    : `the target has no 2-qubit gate (native: ${basis.names.join(', ')})`;
  throw new QError(
    'COMPILE',
    `instruction ${index}: gate 'cx' on physical qubits ${c},${t} has no decomposition to target '${target.name}': ${why}`,
    {
      details: { gate: 'cx', qubits: [c, t], index },
    },
  );
}

/** Replaces cx and swap with the device's entangler; leaves U for the 1-qubit stage. */
export function translateTwoQubit(c: Circuit, ctx: PassContext): Circuit {
  const basis = targetBasis(ctx.target);
  const out: Instruction[] = [];
  c.ops.forEach((ins, index) => {
    if (ins.op === 'cx') out.push(...cxToNative(ins.qubits[0], ins.qubits[1], ctx.target, basis, index));
    else if (ins.op === 'swap') {
      const [a, b] = ins.qubits;
      // Orient the outer two CX along a native direction when only one exists (ECR): one fix, not two.
      const [x, y] = basis.entanglers.length && !basis.entanglers.some((e) => supports(ctx.target, e, [a, b])) ? [b, a] : [a, b];
      out.push(
        ...cxToNative(x, y, ctx.target, basis, index),
        ...cxToNative(y, x, ctx.target, basis, index),
        ...cxToNative(x, y, ctx.target, basis, index),
      );
    } else out.push(ins);
  });
  return { ...c, ops: out };
}

// ---- 1-qubit synthesis -------------------------------------------------------------------------

const num = (a: Angle): a is number => typeof a === 'number';

/** θ into [0, π] where numeric, using U(θ+2π) = -U(θ) and U(-θ, φ, λ) = U(θ, φ+π, λ+π). */
function normalise(t: Angle, f: Angle, l: Angle): [Angle, Angle, Angle] {
  if (!num(t)) return [t, f, l];
  let th = wrapAngle(t) as number;
  if (th < 0) {
    th = -th;
    f = addAngles(f, PI);
    l = addAngles(l, PI);
  }
  return [th, f, l];
}

const near = (a: number, b: number) => Math.abs(a - b) < 1e-12;

function rz(q: number, a: Angle): Instruction[] {
  if (num(a) && isZeroMod(a)) return [];
  return [{ op: 'rz', qubits: [q], params: [wrapAngle(a)] }];
}

/** U as rz/sx/x (IBM) or rz/rx(±π/2, π) (Rigetti), fewest pulses for special θ. */
function zxForm(q: number, t0: Angle, f0: Angle, l0: Angle, useSx: boolean): Instruction[] {
  const [t, f, l] = normalise(t0, f0, l0);
  const half = (): Instruction => (useSx ? { op: 'sx', qubits: [q], params: [] } : { op: 'rx', qubits: [q], params: [PI / 2] });
  const full = (): Instruction => (useSx ? { op: 'x', qubits: [q], params: [] } : { op: 'rx', qubits: [q], params: [PI] });
  if (num(t)) {
    if (near(t, 0)) return rz(q, sumAngles(f, l));
    if (near(t, PI / 2)) return [...rz(q, addAngles(l, -PI / 2)), half(), ...rz(q, addAngles(f, PI / 2))];
    if (near(t, PI)) return [...rz(q, addAngles(l, PI)), full(), ...rz(q, f)];
  }
  return [...rz(q, l), half(), ...rz(q, addAngles(t, PI)), half(), ...rz(q, addAngles(f, PI))];
}

/** A phase-tracked device: XY-plane rotations are emitted with the pending virtual Z folded into their phase. */
class VirtualZ {
  readonly z: Angle[];
  constructor(
    n: number,
    readonly out: Instruction[],
    readonly kind: 'prx' | 'gpi',
  ) {
    this.z = new Array<Angle>(n).fill(0);
  }
  rz(q: number, a: Angle): void {
    this.z[q] = addAngles(this.z[q], a);
  }
  /** A rotation by θ about the XY-plane axis at angle β, applied now. */
  xy(q: number, theta: Angle, beta: Angle): void {
    // G(β)·Rz(z) = Rz(z)·G(β - z): the pending Z stays pending, the pulse phase shifts.
    const phase = wrapAngle(addAngles(beta, neg(this.z[q])));
    if (this.kind === 'prx') {
      this.out.push({ op: 'prx', qubits: [q], params: [wrapAngle(theta), phase] });
      return;
    }
    if (!num(theta)) throw new QError('COMPILE', 'internal: gpi pulses need constant angles');
    const th = wrapAngle(theta) as number;
    if (near(Math.abs(th), PI)) this.out.push({ op: 'gpi', qubits: [q], params: [phase] });
    else if (near(th, PI / 2)) this.out.push({ op: 'gpi2', qubits: [q], params: [phase] });
    else if (near(th, -PI / 2)) this.out.push({ op: 'gpi2', qubits: [q], params: [wrapAngle(addAngles(phase, PI))] });
    else throw new QError('COMPILE', `internal: no single IonQ pulse rotates by ${th}`);
  }
  /** Entangler: CZ commutes with Z; MS absorbs it into its phases like a 1-qubit pulse. */
  twoQubit(ins: Instruction): void {
    if (ins.op === 'ms') {
      const [a, b] = ins.qubits;
      this.out.push({
        ...ins,
        params: [wrapAngle(addAngles(ins.params[0], neg(this.z[a]))), wrapAngle(addAngles(ins.params[1], neg(this.z[b]))), ins.params[2]],
      });
      return;
    }
    if (ins.op !== 'cz') {
      // any other gate: make the frame explicit first
      for (const q of ins.qubits) this.flush(q);
    }
    this.out.push(ins);
  }
  /** Realises the pending Z on q as two π pulses: P(π, x)·P(π, y) = -Rz(2(x - y)). */
  flush(q: number): void {
    const z = this.z[q];
    if (num(z) && isZeroMod(z)) {
      this.z[q] = 0;
      return;
    }
    const op = this.kind === 'prx' ? 'prx' : 'gpi';
    const pulse = (phase: Angle): Instruction =>
      op === 'prx' ? { op, qubits: [q], params: [PI, wrapAngle(phase)] } : { op, qubits: [q], params: [wrapAngle(phase)] };
    this.out.push(pulse(0), pulse(half(z)));
    this.z[q] = 0;
  }
  /** Measurement and reset ignore a Z rotation just before them. */
  forget(q: number): void {
    this.z[q] = 0;
  }
}

/** U(θ, φ, λ) on a virtual-Z device: Rz(λ), then the XY part, then Rz(φ). */
function virtualU(v: VirtualZ, q: number, t0: Angle, f0: Angle, l0: Angle): void {
  const [t, f, l] = normalise(t0, f0, l0);
  if (num(t) && near(t, 0)) {
    v.rz(q, sumAngles(f, l));
    return;
  }
  if (v.kind === 'prx' || (num(t) && (near(t, PI / 2) || near(t, PI)))) {
    // Rz(φ)Ry(θ)Rz(λ) = Rz(φ+λ)·P(θ, π/2 - λ)
    v.xy(q, t, addAngles(PI / 2, neg(l)));
    v.rz(q, sumAngles(f, l));
    return;
  }
  // IonQ, general θ: Ry(θ) = Rx(-π/2)·Rz(θ)·Rx(π/2), and Rx(±π/2) are GPI2(0) and GPI2(π).
  v.rz(q, l);
  v.xy(q, PI / 2, 0);
  v.rz(q, t);
  v.xy(q, PI / 2, PI);
  v.rz(q, f);
}

/** Replaces every U with the device's 1-qubit gates. */
export function synthesizeSingleQubit(c: Circuit, ctx: PassContext): Circuit {
  const basis = targetBasis(ctx.target);
  const out: Instruction[] = [];
  const hasU = c.ops.some((ins) => ins.op === 'U');
  if (!basis.oneQubit) {
    if (!hasU) return c;
    const i = c.ops.findIndex((ins) => ins.op === 'U');
    throw new QError(
      'COMPILE',
      `instruction ${i}: a 1-qubit gate on qubit ${c.ops[i].qubits[0]} has no decomposition to target '${ctx.target.name}' (native: ${basis.names.join(', ')})`,
      {
        details: { gate: 'U', qubits: c.ops[i].qubits, index: i },
      },
    );
  }
  const kind = basis.oneQubit;
  if (kind === 'prx' || kind === 'gpi') {
    const v = new VirtualZ(c.numQubits, out, kind);
    for (const ins of c.ops) {
      if (ins.op === 'U') virtualU(v, ins.qubits[0], ins.params[0], ins.params[1], ins.params[2]);
      else if (ins.op === 'measure' || ins.op === 'reset') {
        for (const q of ins.qubits) v.forget(q);
        out.push(ins);
      } else if (ins.op === 'barrier' || ins.op === 'delay') out.push(ins);
      else v.twoQubit(ins);
    }
    for (let q = 0; q < c.numQubits; q++) v.flush(q);
    return { ...c, ops: out };
  }
  for (const ins of c.ops) {
    if (ins.op !== 'U') {
      out.push(ins);
      continue;
    }
    const [t, f, l] = ins.params;
    const q = ins.qubits[0];
    if (kind === 'u') out.push(ins);
    else out.push(...zxForm(q, t, f, l, kind === 'zsx'));
  }
  return { ...c, ops: out };
}

/** Adjacent rz on one qubit merge; rz(0) goes. (For rz-native devices, after 1-qubit synthesis.) */
export function mergeRz(c: Circuit, _ctx?: PassContext): Circuit {
  const out: Instruction[] = [];
  const lastIdx = new Int32Array(c.numQubits).fill(-1);
  for (const ins of c.ops) {
    if (ins.op === 'rz') {
      const q = ins.qubits[0];
      const j = lastIdx[q];
      if (j >= 0 && out[j].op === 'rz') {
        out[j] = { ...out[j], params: [wrapAngle(addAngles(out[j].params[0], ins.params[0]))] };
        continue;
      }
    }
    for (const q of ins.qubits) lastIdx[q] = out.length;
    out.push(ins);
  }
  return { ...c, ops: out.filter((ins) => !(ins.op === 'rz' && num(ins.params[0]) && isZeroMod(ins.params[0]))) };
}

/**
 * Peephole for pulse-phase devices: GPI2(φ)·GPI2(φ+π) = I, GPI(φ)·GPI(φ) = I, and PRX rotations about
 * the same axis add (dropped when the sum is a multiple of 2π, a global sign).
 */
export function mergeNativePulses(c: Circuit, _ctx?: PassContext): Circuit {
  const out: (Instruction | undefined)[] = [];
  const last = new Int32Array(c.numQubits).fill(-1);
  const diff = (a: Angle, b: Angle) => addAngles(a, neg(b));
  for (const ins of c.ops) {
    if (ins.qubits.length === 1 && (ins.op === 'gpi' || ins.op === 'gpi2' || ins.op === 'prx')) {
      const q = ins.qubits[0];
      const j = last[q];
      const prev = j >= 0 ? out[j] : undefined;
      if (prev && prev.op === ins.op) {
        if (ins.op === 'gpi2') {
          const d = diff(ins.params[0], prev.params[0]);
          if (num(d) && isZeroMod(d - PI, 2 * PI, 1e-12)) {
            out[j] = undefined;
            last[q] = -1;
            continue;
          }
        } else if (ins.op === 'gpi') {
          const d = diff(ins.params[0], prev.params[0]);
          if (num(d) && isZeroMod(d, 2 * PI, 1e-12)) {
            out[j] = undefined;
            last[q] = -1;
            continue;
          }
        } else {
          const d = diff(ins.params[1], prev.params[1]);
          if (num(d) && isZeroMod(d, 2 * PI, 1e-12)) {
            const theta = addAngles(prev.params[0], ins.params[0]);
            if (num(theta) && isZeroMod(theta, 2 * PI, 1e-12)) {
              out[j] = undefined;
              last[q] = -1;
            } else out[j] = { ...prev, params: [wrapAngle(theta), prev.params[1]] };
            continue;
          }
        }
      }
      last[q] = out.length;
      out.push(ins);
      continue;
    }
    for (const q of ins.qubits) last[q] = -1;
    out.push(ins);
  }
  return { ...c, ops: out.filter((x): x is Instruction => x !== undefined) };
}
