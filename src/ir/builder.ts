import { validationError } from '../errors.js';
import { makeCircuit, type Circuit, type Instruction, type Register } from './circuit.js';
import { sym, type Angle } from './params.js';

/** An angle as a builder takes it: a number, an expression, or a symbol's name. */
export type AngleLike = Angle | string;

function toAngle(a: AngleLike): Angle {
  return typeof a === 'string' ? sym(a) : a;
}

/**
 * Fluent builder for circuits. The result of `build()` is plain, frozen data; the builder itself is
 * the only mutable thing.
 *
 * ```ts
 * const bell = new CircuitBuilder(2).h(0).cx(0, 1).measureAll().build();
 * const layer = new CircuitBuilder(2).ry('theta', 0).rzz(addAngles(scaleAngle(sym('w'), 2), Math.PI / 2), 0, 1).build();
 * ```
 */
export class CircuitBuilder {
  private readonly ops: Instruction[] = [];
  private clbits: number;
  private readonly qregs: Register[] = [];
  private readonly cregs: Register[] = [];

  constructor(
    readonly numQubits: number,
    numClbits = 0,
    private readonly name?: string,
  ) {
    if (!Number.isInteger(numQubits) || numQubits < 0) throw validationError(`invalid qubit count ${numQubits}`);
    this.clbits = numClbits;
  }

  /** Any registered gate: `gate('crx', [0, 1], ['theta'])`. */
  gate(op: string, qubits: readonly number[], params: readonly AngleLike[] = []): this {
    this.ops.push({ op, qubits: [...qubits], params: params.map(toAngle) });
    return this;
  }

  /** A gate under control: `controlled('ry', [c0, c1], [t], ['theta'])`; `ctrlState` bit i = 0 for a negated control. */
  controlled(
    op: string,
    controls: readonly number[],
    targets: readonly number[],
    params: readonly AngleLike[] = [],
    ctrlState?: number,
  ): this {
    const ins: Instruction = { op, qubits: [...controls, ...targets], params: params.map(toAngle), ctrl: controls.length };
    this.ops.push(ctrlState === undefined ? ins : { ...ins, ctrlState });
    return this;
  }

  /** A constant unitary (interleaved re/im, row-major, qubits[0] least significant). */
  unitary(matrix: ArrayLike<number>, qubits: readonly number[]): this {
    this.ops.push({ op: 'unitary', qubits: [...qubits], params: [], matrix: Array.from(matrix) });
    return this;
  }

  append(ins: Instruction): this {
    this.ops.push(ins);
    return this;
  }

  /** Appends every instruction of another circuit, optionally on other qubits. */
  compose(c: Circuit, qubitMap?: readonly number[]): this {
    for (const ins of c.ops) {
      this.ops.push(qubitMap ? { ...ins, qubits: ins.qubits.map((q) => qubitMap[q]) } : ins);
    }
    this.clbits = Math.max(this.clbits, c.numClbits);
    return this;
  }

  id(q: number): this {
    return this.gate('id', [q]);
  }
  x(q: number): this {
    return this.gate('x', [q]);
  }
  y(q: number): this {
    return this.gate('y', [q]);
  }
  z(q: number): this {
    return this.gate('z', [q]);
  }
  h(q: number): this {
    return this.gate('h', [q]);
  }
  s(q: number): this {
    return this.gate('s', [q]);
  }
  sdg(q: number): this {
    return this.gate('sdg', [q]);
  }
  t(q: number): this {
    return this.gate('t', [q]);
  }
  tdg(q: number): this {
    return this.gate('tdg', [q]);
  }
  sx(q: number): this {
    return this.gate('sx', [q]);
  }
  sxdg(q: number): this {
    return this.gate('sxdg', [q]);
  }
  p(lambda: AngleLike, q: number): this {
    return this.gate('p', [q], [lambda]);
  }
  rx(theta: AngleLike, q: number): this {
    return this.gate('rx', [q], [theta]);
  }
  ry(theta: AngleLike, q: number): this {
    return this.gate('ry', [q], [theta]);
  }
  rz(theta: AngleLike, q: number): this {
    return this.gate('rz', [q], [theta]);
  }
  u(theta: AngleLike, phi: AngleLike, lambda: AngleLike, q: number): this {
    return this.gate('U', [q], [theta, phi, lambda]);
  }
  u3(theta: AngleLike, phi: AngleLike, lambda: AngleLike, q: number): this {
    return this.gate('u3', [q], [theta, phi, lambda]);
  }
  gpi(phi: AngleLike, q: number): this {
    return this.gate('gpi', [q], [phi]);
  }
  gpi2(phi: AngleLike, q: number): this {
    return this.gate('gpi2', [q], [phi]);
  }
  prx(theta: AngleLike, phi: AngleLike, q: number): this {
    return this.gate('prx', [q], [theta, phi]);
  }
  cx(c: number, t: number): this {
    return this.gate('cx', [c, t]);
  }
  cy(c: number, t: number): this {
    return this.gate('cy', [c, t]);
  }
  cz(c: number, t: number): this {
    return this.gate('cz', [c, t]);
  }
  ch(c: number, t: number): this {
    return this.gate('ch', [c, t]);
  }
  cp(lambda: AngleLike, c: number, t: number): this {
    return this.gate('cp', [c, t], [lambda]);
  }
  crx(theta: AngleLike, c: number, t: number): this {
    return this.gate('crx', [c, t], [theta]);
  }
  cry(theta: AngleLike, c: number, t: number): this {
    return this.gate('cry', [c, t], [theta]);
  }
  crz(theta: AngleLike, c: number, t: number): this {
    return this.gate('crz', [c, t], [theta]);
  }
  swap(a: number, b: number): this {
    return this.gate('swap', [a, b]);
  }
  iswap(a: number, b: number): this {
    return this.gate('iswap', [a, b]);
  }
  ecr(a: number, b: number): this {
    return this.gate('ecr', [a, b]);
  }
  rxx(theta: AngleLike, a: number, b: number): this {
    return this.gate('rxx', [a, b], [theta]);
  }
  ryy(theta: AngleLike, a: number, b: number): this {
    return this.gate('ryy', [a, b], [theta]);
  }
  rzz(theta: AngleLike, a: number, b: number): this {
    return this.gate('rzz', [a, b], [theta]);
  }
  ms(phi0: AngleLike, phi1: AngleLike, theta: AngleLike, a: number, b: number): this {
    return this.gate('ms', [a, b], [phi0, phi1, theta]);
  }
  ccx(c0: number, c1: number, t: number): this {
    return this.gate('ccx', [c0, c1, t]);
  }
  cswap(c: number, a: number, b: number): this {
    return this.gate('cswap', [c, a, b]);
  }

  barrier(...qubits: number[]): this {
    const qs = qubits.length ? qubits : Array.from({ length: this.numQubits }, (_, i) => i);
    this.ops.push({ op: 'barrier', qubits: qs, params: [] });
    return this;
  }

  reset(q: number): this {
    this.ops.push({ op: 'reset', qubits: [q], params: [] });
    return this;
  }

  /** Measures `q` into classical bit `c` (default: bit `q`, growing the classical register). */
  measure(q: number, c = q): this {
    this.clbits = Math.max(this.clbits, c + 1);
    this.ops.push({ op: 'measure', qubits: [q], params: [], clbits: [c] });
    return this;
  }

  /** Measures every qubit i into bit i. */
  measureAll(): this {
    for (let q = 0; q < this.numQubits; q++) this.measure(q);
    return this;
  }

  qubitRegister(name: string, size: number): this {
    this.qregs.push({ name, size });
    return this;
  }

  clbitRegister(name: string, size: number): this {
    this.cregs.push({ name, size });
    return this;
  }

  build(): Circuit {
    return makeCircuit(this.numQubits, this.clbits, [...this.ops], {
      ...(this.name === undefined ? {} : { name: this.name }),
      ...(this.qregs.length ? { qubitRegisters: [...this.qregs] } : {}),
      ...(this.cregs.length ? { clbitRegisters: [...this.cregs] } : {}),
    });
  }
}
