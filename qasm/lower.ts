import { controlled, getGate, makeCircuit, scaleAngle, type Angle, type Circuit, type Instruction, type Register } from '../src/index.js';
import type * as A from './ast.js';
import { parseError, QasmError, unsupported, type Pos } from './errors.js';
import { Evaluator, isBuiltinConstant, num, type Lookup, type Val } from './expr.js';
import { opsUnitary, unitaryPower } from './matpow.js';
import { guard, MAX_DEPTH, parseQasm, Parser, type ParseOptions } from './parser.js';
import {
  BRAKET_ALIASES,
  BUILTIN_DEFS_SOURCE,
  CONTROLLED_FORMS,
  NAMED_CONTROLLED,
  QELIB1,
  QELIB1_DEFS,
  registryGate,
  ROTATION_GATES,
  type Alias,
} from './stdgates.js';

/**
 * Lowering: AST -> IR Circuit. Gate definitions are inlined, loops unrolled, modifiers folded into
 * IR controls (or the registry's named controlled gates), and `input` variables become symbols.
 * Output size is capped so that a small hostile program cannot expand into gigabytes.
 */

export interface LowerOptions extends ParseOptions {
  /** Largest number of IR instructions a program may expand to (default 2,000,000). */
  maxInstructions?: number;
}

export const DEFAULT_MAX_INSTRUCTIONS = 2_000_000;
const MAX_CONTROLS = 24;
const MAX_UNITARY_QUBITS = 6;
const MAX_REGISTER = 1 << 20;

interface QReg {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly single: boolean;
}

/** A call inside a gate body, resolved once when the gate is defined. */
interface BodyCall {
  readonly ast: A.GateCall;
  readonly ref: GateRef;
  readonly nctrl: number;
  readonly ctrlState: number;
  /** Index into the gate's qubit arguments, per operand. */
  readonly operandIdx: readonly number[];
}
interface DefInfo {
  readonly ast: A.GateDef;
  readonly depth: number;
  readonly file: string | undefined;
  readonly calls: readonly (BodyCall | { readonly barrier: readonly number[] })[];
}
type GateRef =
  | { readonly k: 'alias'; readonly name: string; readonly params: number; readonly qubits: number; readonly alias: Alias }
  | { readonly k: 'def'; readonly name: string; readonly params: number; readonly qubits: number; readonly def: DefInfo };

interface Operands {
  readonly qubits: readonly number[];
  readonly scalar: boolean;
}

let builtinDefsAst: A.GateDef[] | undefined;
function builtinDefs(): A.GateDef[] {
  if (!builtinDefsAst) {
    builtinDefsAst = parseQasm(BUILTIN_DEFS_SOURCE, { file: '<builtin>' }).statements.filter((s): s is A.GateDef => s.k === 'gatedef');
  }
  return builtinDefsAst;
}

/** Parses and lowers OpenQASM source to an IR circuit. */
export function qasmToCircuit(source: string, options: LowerOptions = {}): Circuit {
  if (typeof source !== 'string') return lowerProgram(parseQasm(source, options), options);
  return guard(options.file, () => {
    const parser = new Parser(source, options);
    const lowerer = new Lowerer(parser.header(), options);
    for (const s of parser.stream()) lowerer.statement(s);
    return lowerer.finish();
  });
}

/** Lowers an already parsed program. */
export function lowerProgram(program: A.Program, options: LowerOptions = {}): Circuit {
  return guard(options.file, () => {
    const lowerer = new Lowerer(program, options);
    lowerer.statements(program.statements);
    return lowerer.finish();
  });
}

class Lowerer {
  private ops: Instruction[] = [];
  private readonly maxOps: number;
  private readonly ev: Evaluator;
  private file: string | undefined;
  private at: Pos = { line: 1, col: 1 };
  private annotations: readonly string[] | undefined;

  private readonly qregs = new Map<string, QReg>();
  private readonly cregs = new Map<string, QReg>();
  private readonly qregList: Register[] = [];
  private readonly cregList: Register[] = [];
  private virtualQubits = 0;
  private physicalMax = -1;
  private numClbits = 0;
  private usesPhysical: Pos | undefined;
  private readonly scopes: Map<string, Val | undefined>[] = [new Map()];
  private readonly gates = new Map<string, DefInfo>();
  private readonly refCache = new Map<string, GateRef>();
  private builtinDefInfo: Map<string, DefInfo> | undefined;
  private qelib: boolean;
  private stdIncluded = false;
  private readonly pragmas: string[] = [];
  private readonly allQubitBarriers: number[] = [];
  private nesting = 0;
  private readonly lookup: Lookup = (name) => this.lookupName(name);
  private readonly globalLookup: Lookup = (name) => {
    const v = this.scopes[0].get(name);
    return v === undefined && this.scopes[0].has(name) ? this.noValue(name) : v;
  };

  constructor(program: Omit<A.Program, 'statements'>, options: LowerOptions) {
    this.maxOps = options.maxInstructions ?? DEFAULT_MAX_INSTRUCTIONS;
    this.file = program.file ?? options.file;
    this.ev = new Evaluator(this.file);
    this.qelib = program.version === 2;
  }

  finish(): Circuit {
    const numQubits = this.usesPhysical ? this.physicalMax + 1 : this.virtualQubits;
    if (this.allQubitBarriers.length) {
      const all = Array.from({ length: numQubits }, (_, i) => i);
      for (const i of this.allQubitBarriers) this.ops[i] = { ...this.ops[i], qubits: all };
    }
    return makeCircuit(numQubits, this.numClbits, this.ops, {
      ...(this.pragmas.length ? { pragmas: this.pragmas } : {}),
      ...(this.qregList.length && !this.usesPhysical ? { qubitRegisters: this.qregList } : {}),
      ...(this.cregList.length ? { clbitRegisters: this.cregList } : {}),
    });
  }

  // ---- helpers -----------------------------------------------------------------------------

  private err(msg: string, at: Pos = this.at): QasmError {
    return parseError(msg, at, this.file);
  }
  private unsup(what: string, at: Pos = this.at, why?: string): QasmError {
    return unsupported(what, at, this.file, why);
  }
  private noValue(name: string): never {
    throw this.err(`variable '${name}' is used before it has a value`);
  }
  private lookupName(name: string): Val | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = this.scopes[i];
      const v = s.get(name);
      if (v !== undefined) return v;
      if (s.has(name)) this.noValue(name);
    }
    return undefined;
  }
  private push(ins: Instruction): void {
    if (this.ops.length >= this.maxOps) {
      throw this.err(`program expands to more than ${this.maxOps} instructions (loops, pow or nested gates); refusing to unroll it`);
    }
    this.ops.push(this.annotations ? { ...ins, annotations: this.annotations } : ins);
  }
  private evalInt(e: A.Expr, what: string, lookup: Lookup = this.lookup): number {
    const v = this.ev.eval(e, lookup);
    if (v.t === 'sym')
      throw this.err(`${what} must be a constant, but it depends on input ${v.a.terms.map((t) => `'${t.name}'`).join(', ')}`, e);
    if (v.t !== 'num' || !Number.isInteger(v.v)) throw this.err(`${what} must be an integer, got ${v.t === 'num' ? v.v : 'a duration'}`, e);
    return v.v;
  }
  private angle(e: A.Expr, lookup: Lookup): Angle {
    const v = this.ev.eval(e, lookup);
    if (v.t === 'num') {
      if (!Number.isFinite(v.v)) throw this.err(`gate parameter is not a finite number (${v.v})`, e);
      return v.v;
    }
    if (v.t === 'sym') {
      if (!Number.isFinite(v.a.offset) || v.a.terms.some((t) => !Number.isFinite(t.coeff)))
        throw this.err('gate parameter is not a finite expression', e);
      return v.a;
    }
    throw this.err('a duration cannot be used as a gate parameter', e);
  }
  private declareValue(name: string, v: Val | undefined, at: Pos): void {
    const scope = this.scopes[this.scopes.length - 1];
    if (scope.has(name) || (this.scopes.length === 1 && (this.qregs.has(name) || this.cregs.has(name) || this.gates.has(name)))) {
      throw this.err(`'${name}' is already declared`, at);
    }
    if (isBuiltinConstant(name)) throw this.err(`'${name}' is a built-in constant and cannot be redeclared`, at);
    scope.set(name, v);
  }
  private checkGlobalName(name: string, at: Pos): void {
    if (this.qregs.has(name) || this.cregs.has(name) || this.gates.has(name) || this.scopes[0].has(name)) {
      throw this.err(`'${name}' is already declared`, at);
    }
    if (isBuiltinConstant(name)) throw this.err(`'${name}' is a built-in constant and cannot be redeclared`, at);
  }

  // ---- statements --------------------------------------------------------------------------

  statements(list: readonly A.Stmt[]): void {
    for (const s of list) this.statement(s);
  }

  statement(s: A.Stmt): void {
    this.at = s;
    this.annotations = 'annotations' in s && s.annotations && s.annotations.length ? s.annotations : undefined;
    switch (s.k) {
      case 'call':
        return this.call(s);
      case 'qubit':
        return this.qubitDecl(s);
      case 'bit':
        return this.bitDecl(s);
      case 'classical':
        return this.classicalDecl(s);
      case 'gatedef':
        return this.gateDef(s);
      case 'measure':
        return this.measure(s);
      case 'reset':
        for (const o of s.operands) for (const q of this.qubitOperand(o).qubits) this.push({ op: 'reset', qubits: [q], params: [] });
        return;
      case 'barrier': {
        if (s.operands.length === 0) {
          this.allQubitBarriers.push(this.ops.length);
          this.push({ op: 'barrier', qubits: [], params: [] });
          return;
        }
        const qs: number[] = [];
        for (const o of s.operands) for (const q of this.qubitOperand(o).qubits) qs.push(q);
        this.push({ op: 'barrier', qubits: qs, params: [] });
        return;
      }
      case 'delay':
        return this.delay(s);
      case 'for':
        return this.forLoop(s);
      case 'box':
        if (s.duration) this.duration(s.duration);
        return this.scoped(s.body);
      case 'block':
        return this.scoped(s.body);
      case 'pragma':
        this.pragmas.push(s.text);
        return;
      case 'include':
        return this.include(s);
    }
  }

  private scoped(body: readonly A.Stmt[]): void {
    this.scopes.push(new Map());
    this.nesting++;
    this.statements(body);
    this.nesting--;
    this.scopes.pop();
  }

  private include(s: A.Include): void {
    if (s.path === 'stdgates.inc') {
      this.stdIncluded = true;
      return;
    }
    if (s.path === 'qelib1.inc') {
      this.qelib = true;
      return;
    }
    const saved = this.file;
    this.file = s.file;
    this.ev.file = s.file;
    this.statements(s.body ?? []);
    this.file = saved;
    this.ev.file = saved;
  }

  private requireGlobal(what: string, at: Pos): void {
    if (this.nesting > 0) throw this.err(`${what} must be at global scope, not inside a block or loop`, at);
  }

  private registerSize(e: A.Expr | undefined, name: string): number {
    if (!e) return 1;
    const n = this.evalInt(e, `the size of register '${name}'`, this.globalLookup);
    if (n < 1 || n > MAX_REGISTER) throw this.err(`register '${name}' has size ${n}; it must be between 1 and ${MAX_REGISTER}`, e);
    return n;
  }

  private qubitDecl(s: A.QubitDecl): void {
    this.requireGlobal('qubit declarations', s);
    this.checkGlobalName(s.name, s);
    if (this.usesPhysical) throw this.err('cannot declare qubits after using physical qubits ($n); use one or the other', s);
    const size = this.registerSize(s.size, s.name);
    this.qregs.set(s.name, { name: s.name, offset: this.virtualQubits, size, single: !s.size });
    this.qregList.push({ name: s.name, size });
    this.virtualQubits += size;
  }

  private bitDecl(s: A.BitDecl): void {
    this.requireGlobal('bit declarations', s);
    this.checkGlobalName(s.name, s);
    const size = this.registerSize(s.size, s.name);
    const reg = { name: s.name, offset: this.numClbits, size, single: !s.size };
    this.cregs.set(s.name, reg);
    this.cregList.push({ name: s.name, size });
    this.numClbits += size;
    if (s.measure) {
      const qs = this.qubitOperand(s.measure).qubits;
      this.measurePairs(
        qs,
        Array.from({ length: size }, (_, i) => reg.offset + i),
        s,
      );
    }
  }

  private classicalDecl(s: A.ClassicalDecl): void {
    if (s.isInput) {
      this.requireGlobal('input declarations', s);
      if (s.type === 'duration' || s.type === 'stretch' || s.type === 'bool' || s.type === 'complex' || s.type === 'bit') {
        throw this.unsup(`'input ${s.type}' declarations`, s, 'inputs must be float, angle, int or uint parameters');
      }
      this.checkGlobalName(s.name, s);
      // a symbol keeps the OpenQASM name, so bindings use the names the program declares
      this.declareValue(s.name, { t: 'sym', a: { terms: [{ name: s.name, coeff: 1 }], offset: 0 } }, s);
      return;
    }
    if (s.type === 'stretch') {
      this.declareValue(s.name, { t: 'dur', s: NaN }, s);
      return;
    }
    if (!s.init) {
      if (s.type === 'duration') throw this.err(`duration '${s.name}' needs a value`, s);
      this.declareValue(s.name, undefined, s);
      return;
    }
    const v = this.ev.eval(s.init, this.lookup);
    if (s.isConst && v.t === 'sym')
      throw this.err(`constant '${s.name}' cannot depend on input ${v.a.terms.map((t) => `'${t.name}'`).join(', ')}`, s.init);
    let val: Val = v;
    if (s.type === 'duration') {
      if (v.t !== 'dur') throw this.err(`duration '${s.name}' must be initialised with a duration such as 100ns`, s.init);
    } else if (v.t === 'dur') {
      throw this.err(`'${s.name}' of type ${s.type} cannot hold a duration`, s.init);
    } else if (s.type === 'int' || s.type === 'uint') {
      if (v.t === 'sym') throw this.unsup(`integer variables that depend on inputs`, s.init);
      if (!Number.isInteger(v.v)) throw this.err(`cannot initialise ${s.type} '${s.name}' with the non-integer ${v.v}`, s.init);
      if (s.type === 'uint' && v.v < 0) throw this.err(`cannot initialise uint '${s.name}' with the negative ${v.v}`, s.init);
      val = num(v.v, true);
    } else if (s.type === 'bool') {
      if (v.t === 'sym') throw this.unsup(`bool variables that depend on inputs`, s.init);
      val = num(v.v ? 1 : 0, true);
    } else if (v.t === 'num') {
      val = num(v.v, false);
    }
    this.declareValue(s.name, val, s);
  }

  // ---- operands ----------------------------------------------------------------------------

  private indices(spec: A.IndexSpec, size: number, name: string): number[] {
    const fix = (i: number, at: Pos): number => {
      const j = i < 0 ? i + size : i;
      if (j < 0 || j >= size) throw this.err(`index ${i} is out of range for '${name}' of size ${size}`, at);
      return j;
    };
    if (spec.k === 'one') return [fix(this.evalInt(spec.e, 'an index'), spec.e)];
    if (spec.k === 'set') return spec.items.map((e) => fix(this.evalInt(e, 'an index'), e));
    const a = spec.start ? fix(this.evalInt(spec.start, 'a range start'), spec.start) : 0;
    const step = spec.step ? this.evalInt(spec.step, 'a range step') : 1;
    const b = spec.end ? fix(this.evalInt(spec.end, 'a range end'), spec.end) : step > 0 ? size - 1 : 0;
    if (step === 0) throw this.err('range step cannot be 0', spec.step ?? this.at);
    const out: number[] = [];
    for (let i = a; step > 0 ? i <= b : i >= b; i += step) out.push(i);
    return out;
  }

  private qubitOperand(o: A.Operand): Operands {
    if (o.k === 'phys') {
      if (this.virtualQubits > 0) throw this.err(`physical qubit $${o.index} cannot be mixed with declared qubit registers`, o);
      if (o.index > MAX_REGISTER) throw this.err(`physical qubit $${o.index} is out of range`, o);
      if (!this.usesPhysical) this.usesPhysical = o;
      if (o.index > this.physicalMax) this.physicalMax = o.index;
      return { qubits: [o.index], scalar: true };
    }
    const reg = this.qregs.get(o.name);
    if (!reg) {
      if (this.cregs.has(o.name)) throw this.err(`'${o.name}' is a bit register, not a qubit register`, o);
      throw this.err(`undefined qubit register '${o.name}'`, o);
    }
    if (!o.index) {
      if (reg.single) return { qubits: [reg.offset], scalar: true };
      const qs = new Array<number>(reg.size);
      for (let i = 0; i < reg.size; i++) qs[i] = reg.offset + i;
      return { qubits: qs, scalar: false };
    }
    if (reg.single) throw this.err(`'${o.name}' is a single qubit and cannot be indexed`, o);
    // fast path for the common q[k]
    if (o.index.k === 'one') {
      const e = o.index.e;
      let i: number;
      if (e.k === 'num' && e.isInt) i = e.value;
      else i = this.evalInt(e, 'an index');
      const j = i < 0 ? i + reg.size : i;
      if (j < 0 || j >= reg.size) throw this.err(`index ${i} is out of range for '${o.name}' of size ${reg.size}`, e);
      return { qubits: [reg.offset + j], scalar: true };
    }
    return { qubits: this.indices(o.index, reg.size, o.name).map((i) => reg.offset + i), scalar: false };
  }

  private bitOperand(o: A.Operand): Operands {
    if (o.k === 'phys') throw this.err('a physical qubit cannot receive a measurement result', o);
    const reg = this.cregs.get(o.name);
    if (!reg) {
      if (this.qregs.has(o.name)) throw this.err(`'${o.name}' is a qubit register, not a bit register`, o);
      throw this.err(`undefined bit register '${o.name}'`, o);
    }
    if (!o.index) {
      if (reg.single) return { qubits: [reg.offset], scalar: true };
      return { qubits: Array.from({ length: reg.size }, (_, i) => reg.offset + i), scalar: false };
    }
    if (reg.single) throw this.err(`'${o.name}' is a single bit and cannot be indexed`, o);
    const idx = this.indices(o.index, reg.size, o.name);
    return { qubits: idx.map((i) => reg.offset + i), scalar: o.index.k === 'one' };
  }

  private qubitLabel(q: number): string {
    if (this.usesPhysical) return `$${q}`;
    for (const r of this.qregs.values())
      if (q >= r.offset && q < r.offset + r.size) return r.single ? r.name : `${r.name}[${q - r.offset}]`;
    return `qubit ${q}`;
  }

  // ---- measurement, delay, loops -----------------------------------------------------------

  private measure(s: A.Measure): void {
    const qs = this.qubitOperand(s.qubit).qubits;
    if (!s.target) {
      // bare `measure q;`: results go to fresh classical bits
      const bits = qs.map(() => this.numClbits++);
      this.measurePairs(qs, bits, s);
      return;
    }
    this.measurePairs(qs, this.bitOperand(s.target).qubits, s);
  }

  private measurePairs(qs: readonly number[], bits: readonly number[], at: Pos): void {
    if (qs.length !== bits.length) throw this.err(`cannot measure ${qs.length} qubit(s) into ${bits.length} bit(s)`, at);
    for (let i = 0; i < qs.length; i++) this.push({ op: 'measure', qubits: [qs[i]], params: [], clbits: [bits[i]] });
  }

  private duration(e: A.Expr): number | undefined {
    const v = this.ev.eval(e, this.lookup);
    if (v.t !== 'dur') throw this.err('expected a duration such as 100ns', e);
    if (v.s < 0) throw this.err('durations cannot be negative', e);
    return Number.isNaN(v.s) ? undefined : v.s;
  }

  private delay(s: A.Delay): void {
    const d = this.duration(s.duration);
    const qs: number[] = [];
    if (s.operands.length === 0) {
      const n = this.usesPhysical ? this.physicalMax + 1 : this.virtualQubits;
      for (let i = 0; i < n; i++) qs.push(i);
    } else for (const o of s.operands) for (const q of this.qubitOperand(o).qubits) qs.push(q);
    this.push({ op: 'delay', qubits: qs, params: [], ...(d === undefined ? {} : { durationS: d }) });
  }

  private forLoop(s: A.For): void {
    let values: number[];
    const bound = (e: A.Expr | undefined, what: string): number => {
      if (!e) throw this.err(`a loop range needs ${what}`, s);
      const v = this.ev.eval(e, this.lookup);
      if (v.t !== 'num')
        throw this.err(`loop ${what} must be a constant integer (it depends on ${v.t === 'sym' ? 'an input' : 'a duration'})`, e);
      if (!Number.isInteger(v.v)) throw this.err(`loop ${what} must be an integer, got ${v.v}`, e);
      return v.v;
    };
    if (s.iter.k === 'set') values = s.iter.items.map((e) => bound(e, 'value'));
    else if (s.iter.k === 'range') {
      const a = bound(s.iter.start, 'start');
      const step = s.iter.step ? bound(s.iter.step, 'step') : 1;
      const b = bound(s.iter.end, 'end');
      if (step === 0) throw this.err('loop step cannot be 0', s.iter.step ?? s);
      const count = Math.max(0, Math.floor((b - a) / step) + 1);
      if (count > this.maxOps && s.body.length > 0) {
        throw this.err(`loop runs ${count} times, more than the limit of ${this.maxOps} instructions; refusing to unroll it`, s);
      }
      values = new Array<number>(count);
      for (let i = 0; i < count; i++) values[i] = a + i * step;
    } else throw this.err('a loop needs a range or a set', s);
    this.nesting++;
    for (const v of values) {
      this.scopes.push(new Map([[s.variable, num(v, true)]]));
      this.scopes.push(new Map());
      this.statements(s.body);
      this.scopes.pop();
      this.scopes.pop();
    }
    this.nesting--;
  }

  // ---- gates -------------------------------------------------------------------------------

  private resolveGate(name: string, at: Pos): GateRef {
    const user = this.gates.get(name);
    if (user) return { k: 'def', name, params: user.ast.params.length, qubits: user.ast.qubits.length, def: user };
    const hit = this.refCache.get(name);
    if (hit) return hit;
    let alias: Alias | undefined;
    if (this.qelib) alias = QELIB1.get(name);
    alias ??= registryGate(name) ?? BRAKET_ALIASES.get(name);
    let ref: GateRef | undefined;
    if (alias) ref = { k: 'alias', name, params: alias.params, qubits: alias.qubits, alias };
    else {
      const def = this.builtinDef(name);
      if (def) ref = { k: 'def', name, params: def.ast.params.length, qubits: def.ast.qubits.length, def };
    }
    if (!ref) throw this.err(`undefined gate '${name}'`, at);
    this.refCache.set(name, ref);
    return ref;
  }

  private builtinDef(name: string): DefInfo | undefined {
    if (!this.builtinDefInfo) {
      this.builtinDefInfo = new Map();
      const saved = this.file;
      for (const g of builtinDefs()) this.builtinDefInfo.set(g.name, this.compileDef(g, '<builtin>'));
      this.file = saved;
    }
    const d = this.builtinDefInfo.get(name);
    if (d && QELIB1_DEFS.has(name) && !this.qelib) return undefined;
    return d;
  }

  /** Evaluates modifiers: controls (with their fire-on-1 bits) and the net exponent. */
  private modifiers(mods: readonly A.Modifier[], lookup: Lookup): { nctrl: number; state: number; exp: number } {
    let nctrl = 0;
    let state = 0;
    let exp = 1;
    for (const m of mods) {
      if (m.k === 'inv') exp = -exp;
      else if (m.k === 'pow') {
        const v = this.ev.eval(m.e, lookup);
        if (v.t !== 'num') throw this.err("the exponent of 'pow' must be a constant number", m.e);
        if (!Number.isFinite(v.v)) throw this.err("the exponent of 'pow' must be a finite number", m.e);
        exp *= v.v;
      } else {
        const n = m.n ? this.evalInt(m.n, `the control count of '${m.k}'`, lookup) : 1;
        if (n < 1) throw this.err(`'${m.k}(${n})' needs a positive number of controls`, m);
        if (nctrl + n > MAX_CONTROLS) throw this.unsup(`more than ${MAX_CONTROLS} controls on one gate`, m);
        if (m.k === 'ctrl') state |= ((1 << n) - 1) << nctrl;
        nctrl += n;
      }
    }
    return { nctrl, state, exp };
  }

  private call(s: A.GateCall): void {
    const ref = this.resolveGate(s.name, s);
    const { nctrl, state, exp } = s.modifiers.length ? this.modifiers(s.modifiers, this.lookup) : { nctrl: 0, state: 0, exp: 1 };
    if (s.args.length !== ref.params) {
      throw this.err(`gate '${s.name}' takes ${ref.params} parameter(s) but got ${s.args.length}`, s);
    }
    const params = s.args.length ? s.args.map((e) => this.angle(e, this.lookup)) : [];
    const want = nctrl + ref.qubits;
    if (s.operands.length !== want) {
      const extra = nctrl ? ` (${ref.qubits} plus ${nctrl} control${nctrl > 1 ? 's' : ''})` : '';
      throw this.err(`gate '${s.name}' acts on ${want} qubit(s)${extra} but got ${s.operands.length}`, s);
    }
    // resolve operands and broadcast over registers of equal size
    let width = -1;
    const lists = new Array<Operands>(s.operands.length);
    for (let i = 0; i < s.operands.length; i++) {
      const l = this.qubitOperand(s.operands[i]);
      lists[i] = l;
      if (!l.scalar) {
        if (width === -1) width = l.qubits.length;
        else if (width !== l.qubits.length) {
          throw this.err(`cannot broadcast '${s.name}' over registers of different sizes (${width} and ${l.qubits.length})`, s.operands[i]);
        }
      }
    }
    const reps = width === -1 ? 1 : width;
    for (let r = 0; r < reps; r++) {
      const qs = new Array<number>(lists.length);
      for (let i = 0; i < lists.length; i++) {
        const l = lists[i];
        qs[i] = l.scalar ? l.qubits[0] : l.qubits[r];
      }
      for (let i = 1; i < qs.length; i++)
        for (let j = 0; j < i; j++)
          if (qs[i] === qs[j]) throw this.err(`qubit ${this.qubitLabel(qs[i])} is used twice in one call of '${s.name}'`, s.operands[i]);
      this.applyRef(ref, params, qs.slice(0, nctrl), state, qs.slice(nctrl), exp);
    }
  }

  private applyRef(
    ref: GateRef,
    params: readonly Angle[],
    ctrls: readonly number[],
    state: number,
    targets: readonly number[],
    exp: number,
  ): void {
    if (ref.k === 'def') return this.applyDef(ref.def, params, ctrls, state, targets, exp);
    const { op, params: p, ctrls: ac } = ref.alias.to(params);
    if (ac === 0) return this.applyRegistry(op, p, ctrls, state, targets, exp);
    if (ctrls.length + ac > MAX_CONTROLS) throw this.unsup(`more than ${MAX_CONTROLS} controls on one gate`);
    this.applyRegistry(op, p, [...ctrls, ...targets.slice(0, ac)], state | (((1 << ac) - 1) << ctrls.length), targets.slice(ac), exp);
  }

  private applyRegistry(
    op: string,
    params: readonly Angle[],
    ctrls: readonly number[],
    state: number,
    targets: readonly number[],
    exp: number,
  ): void {
    if (exp === 1) return this.plain(op, params, ctrls, state, targets);
    if (Number.isInteger(exp)) {
      if (exp === 0) return;
      const reps = Math.abs(exp);
      if (reps > this.maxOps) throw this.err(`pow(${exp}) repeats the gate more than ${this.maxOps} times`);
      const calls = exp > 0 ? [{ op, params }] : getGate(op).inverse(params);
      for (let r = 0; r < reps; r++) for (const c of calls) this.plain(c.op, c.params, ctrls, state, targets);
      return;
    }
    if (ROTATION_GATES.has(op))
      return this.plain(
        op,
        params.map((a) => scaleAngle(a, exp)),
        ctrls,
        state,
        targets,
      );
    if (params.every((a) => typeof a === 'number')) {
      const m = getGate(op).matrix(params as number[]);
      return this.pushUnitary(unitaryPower(m, exp), ctrls, state, targets);
    }
    throw this.unsup(
      `'pow(${exp})' of '${op}' with input-dependent angles`,
      this.at,
      'non-integer powers need constant angles (or a rotation gate)',
    );
  }

  private pushUnitary(m: Float64Array, ctrls: readonly number[], state: number, targets: readonly number[]): void {
    if (ctrls.length + targets.length > MAX_UNITARY_QUBITS) {
      throw this.unsup(`non-integer 'pow' on gates of more than ${MAX_UNITARY_QUBITS} qubits (controls included)`);
    }
    const full = ctrls.length ? controlled(m, ctrls.length, state) : m;
    this.push({ op: 'unitary', qubits: [...ctrls, ...targets], params: [], matrix: Array.from(full) });
  }

  /** One registry gate, exponent 1, with controls: the named controlled gate when there is one. */
  private plain(op: string, params: readonly Angle[], ctrls: readonly number[], state: number, targets: readonly number[]): void {
    const n0 = ctrls.length;
    if (n0 === 0) {
      this.push({ op, qubits: targets, params });
      return;
    }
    if (op === 'gphase') return this.controlledPhase(params[0], ctrls, state);
    let base = op;
    let all: readonly number[] = ctrls;
    let st = state;
    let tg = targets;
    const cf = CONTROLLED_FORMS[op];
    if (cf) {
      base = cf.base;
      all = [...ctrls, ...targets.slice(0, cf.ctrls)];
      st = state | (((1 << cf.ctrls) - 1) << n0);
      tg = targets.slice(cf.ctrls);
    }
    const n = all.length;
    if (n > MAX_CONTROLS) throw this.unsup(`more than ${MAX_CONTROLS} controls on one gate`);
    const full = n === 32 ? -1 : (1 << n) - 1;
    if (st === full) {
      const named = NAMED_CONTROLLED[base]?.[n];
      if (named) {
        this.push({ op: named, qubits: [...all, ...tg], params });
        return;
      }
    }
    this.push({ op: base, qubits: [...all, ...tg], params, ctrl: n, ...(st === full ? {} : { ctrlState: st }) });
  }

  /** ctrl @ gphase(a): a phase e^{ia} on the subspace where the controls match = p(a) on one control. */
  private controlledPhase(a: Angle, ctrls: readonly number[], state: number): void {
    let j = -1;
    for (let i = ctrls.length - 1; i >= 0; i--)
      if ((state >> i) & 1) {
        j = i;
        break;
      }
    const flip = j === -1;
    if (flip) j = ctrls.length - 1;
    const rest: number[] = [];
    let restState = 0;
    for (let i = 0; i < ctrls.length; i++) {
      if (i === j) continue;
      if ((state >> i) & 1) restState |= 1 << rest.length;
      rest.push(ctrls[i]);
    }
    if (flip) this.push({ op: 'x', qubits: [ctrls[j]], params: [] });
    this.plain('p', [a], rest, restState, [ctrls[j]]);
    if (flip) this.push({ op: 'x', qubits: [ctrls[j]], params: [] });
  }

  private applyDef(
    def: DefInfo,
    params: readonly Angle[],
    ctrls: readonly number[],
    state: number,
    targets: readonly number[],
    exp: number,
  ): void {
    if (exp === 0) return;
    if (!Number.isInteger(exp)) {
      if (!params.every((a) => typeof a === 'number')) {
        throw this.unsup(
          `'pow(${exp})' of gate '${def.ast.name}' with input-dependent angles`,
          this.at,
          'non-integer powers need constant angles',
        );
      }
      const nq = targets.length;
      if (nq + ctrls.length > MAX_UNITARY_QUBITS)
        throw this.unsup(`non-integer 'pow' on gates of more than ${MAX_UNITARY_QUBITS} qubits (controls included)`);
      const saved = this.ops;
      this.ops = [];
      try {
        this.applyDef(
          def,
          params,
          [],
          0,
          targets.map((_, i) => i),
          1,
        );
        const local = this.ops;
        this.ops = saved;
        this.pushUnitary(unitaryPower(opsUnitary(local, nq), exp), ctrls, state, targets);
      } finally {
        this.ops = saved;
      }
      return;
    }
    const ast = def.ast;
    const env = new Map<string, Val>();
    for (let i = 0; i < ast.params.length; i++) {
      const a = params[i];
      env.set(ast.params[i], typeof a === 'number' ? num(a, false) : { t: 'sym', a });
    }
    const lookup: Lookup = (name) => env.get(name) ?? this.globalLookup(name);
    const savedFile = this.file;
    const reps = Math.abs(exp);
    if (reps > this.maxOps) throw this.err(`pow(${exp}) repeats the gate more than ${this.maxOps} times`);
    const sign = exp > 0 ? 1 : -1;
    const calls = def.calls;
    for (let r = 0; r < reps; r++) {
      for (let k = 0; k < calls.length; k++) {
        const c = calls[sign > 0 ? k : calls.length - 1 - k];
        if ('barrier' in c) {
          this.push({ op: 'barrier', qubits: c.barrier.map((i) => targets[i]), params: [] });
          continue;
        }
        const m = c.ast.modifiers.length ? this.modifiers(c.ast.modifiers, lookup) : { nctrl: 0, state: 0, exp: 1 };
        const args = c.ast.args.length ? c.ast.args.map((e) => this.angle(e, lookup)) : [];
        const qs = c.operandIdx.map((i) => targets[i]);
        const allCtrls = ctrls.length ? [...ctrls, ...qs.slice(0, c.nctrl)] : qs.slice(0, c.nctrl);
        if (allCtrls.length > MAX_CONTROLS) throw this.unsup(`more than ${MAX_CONTROLS} controls on one gate`);
        this.applyRef(c.ref, args, allCtrls, state | (c.ctrlState << ctrls.length), qs.slice(c.nctrl), m.exp * sign);
      }
    }
    this.file = savedFile;
  }

  private gateDef(s: A.GateDef): void {
    this.requireGlobal('gate definitions', s);
    if (this.gates.has(s.name)) throw this.err(`gate '${s.name}' is already defined`, s);
    this.checkGlobalName(s.name, s);
    if (this.stdIncluded && registryGate(s.name) && getGate(s.name).stdgates) {
      throw this.err(`gate '${s.name}' is already defined by stdgates.inc`, s);
    }
    if (this.qelib && QELIB1.has(s.name)) throw this.err(`gate '${s.name}' is already defined by qelib1.inc`, s);
    if (s.name === 'U' || s.name === 'gphase') throw this.err(`'${s.name}' is a built-in gate and cannot be redefined`, s);
    this.refCache.delete(s.name);
    this.gates.set(s.name, this.compileDef(s, this.file));
  }

  /** Checks a gate body once and resolves its callees, so each call of the gate is cheap. */
  private compileDef(s: A.GateDef, file: string | undefined): DefInfo {
    const seen = new Set<string>();
    for (const p of s.params) {
      if (seen.has(p)) throw this.err(`parameter '${p}' appears twice in gate '${s.name}'`, s);
      seen.add(p);
    }
    const qIndex = new Map<string, number>();
    s.qubits.forEach((q, i) => {
      if (seen.has(q) || qIndex.has(q)) throw this.err(`argument '${q}' appears twice in gate '${s.name}'`, s);
      qIndex.set(q, i);
    });
    if (s.qubits.length === 0) throw this.err(`gate '${s.name}' needs at least one qubit argument`, s);
    const params = new Set(s.params);
    let depth = 1;
    const calls: DefInfo['calls'][number][] = [];
    const qubitIdx = (o: A.Operand): number => {
      if (o.k === 'phys') throw this.err(`physical qubits cannot be used inside gate '${s.name}'`, o);
      const i = qIndex.get(o.name);
      if (i === undefined) throw this.err(`'${o.name}' is not a qubit argument of gate '${s.name}'`, o);
      return i;
    };
    for (const b of s.body) {
      this.at = b;
      if (b.k === 'barrier') {
        calls.push({ barrier: b.operands.length ? b.operands.map(qubitIdx) : s.qubits.map((_, i) => i) });
        continue;
      }
      if (b.name === s.name) throw this.err(`gate '${s.name}' cannot call itself`, b);
      const ref = this.resolveGate(b.name, b);
      if (ref.k === 'def') depth = Math.max(depth, ref.def.depth + 1);
      if (depth > MAX_DEPTH) throw this.err(`gate definitions nested deeper than ${MAX_DEPTH} levels`, b);
      // control counts must be constants known now; pow may use the gate's parameters
      const ctrlMods = b.modifiers.filter((m) => m.k === 'ctrl' || m.k === 'negctrl');
      const { nctrl, state } = this.modifiers(ctrlMods, (name) => (params.has(name) ? this.badParamUse(name, b) : this.globalLookup(name)));
      if (b.args.length !== ref.params) throw this.err(`gate '${b.name}' takes ${ref.params} parameter(s) but got ${b.args.length}`, b);
      if (b.operands.length !== nctrl + ref.qubits) {
        throw this.err(`gate '${b.name}' acts on ${nctrl + ref.qubits} qubit(s) but got ${b.operands.length}`, b);
      }
      const operandIdx = b.operands.map(qubitIdx);
      if (new Set(operandIdx).size !== operandIdx.length) throw this.err(`a qubit is used twice in one call of '${b.name}'`, b);
      calls.push({ ast: b, ref, nctrl, ctrlState: state, operandIdx });
    }
    return { ast: s, depth, file, calls };
  }

  private badParamUse(name: string, at: Pos): never {
    throw this.err(`control counts must be constants, not the gate parameter '${name}'`, at);
  }
}
