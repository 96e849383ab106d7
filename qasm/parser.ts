import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type * as A from './ast.js';
import { dict, parseError, QasmError, unsupported, type Pos } from './errors.js';
import { K, kindName, tokenize, type Tokens } from './lexer.js';

/**
 * Recursive-descent parser for circuit-level OpenQASM 3 (and 2.0), with a Pratt loop for
 * expressions. Nesting of any kind (parentheses, blocks, includes) is bounded by MAX_DEPTH so that
 * hostile input gives a QasmError instead of a JavaScript stack overflow.
 */

export interface ParseOptions {
  /** Name used in error messages and to resolve relative includes. */
  file?: string;
  /** Returns the text of an included file, or undefined when it does not exist. */
  includeResolver?: (path: string) => string | undefined;
  /** Directory that relative includes are read from (default: the file's directory, else the cwd). */
  includeDir?: string;
}

export const MAX_DEPTH = 256;
const MAX_INCLUDE_DEPTH = 16;

/** Includes that are built in: never read from disk. */
export const BUILTIN_INCLUDES = new Set(['stdgates.inc', 'qelib1.inc']);

const TYPE_NAMES = new Set<string>(['int', 'uint', 'float', 'angle', 'bool', 'duration', 'stretch', 'complex']);

/** Keywords that start statements qbridge does not run, with the wording of their error. */
const UNSUPPORTED_STATEMENTS: Record<string, string> = dict({
  if: "'if' statements",
  else: "'else' branches",
  while: "'while' loops",
  def: "'def' subroutines",
  defcal: "'defcal' calibrations",
  defcalgrammar: "'defcalgrammar' declarations",
  cal: "'cal' blocks",
  extern: "'extern' declarations",
  switch: "'switch' statements",
  return: "'return' statements",
  break: "'break' statements",
  continue: "'continue' statements",
  end: "'end' statements",
  let: "'let' aliases",
  opaque: "'opaque' gates",
  array: "'array' declarations",
});

export function parseQasm(source: string, options: ParseOptions = {}): A.Program {
  if (typeof source !== 'string') throw parseError('OpenQASM source must be a string', { line: 1, col: 1 }, options.file);
  return guard(options.file, () => new Parser(source, options, 0, new Set()).program());
}

/**
 * Turns any non-QasmError escaping the front end into a QasmError, so callers never see a
 * RangeError or TypeError for a bad program.
 */
export function guard<T>(file: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof QasmError) throw e;
    if (e instanceof RangeError) throw parseError(`program is too large or too deeply nested (${e.message})`, { line: 1, col: 1 }, file);
    const msg = e instanceof Error ? e.message : String(e);
    throw parseError(`internal error: ${msg}`, { line: 1, col: 1 }, file);
  }
}

export class Parser {
  private readonly t: Tokens;
  private p = 0;
  private depth = 0;
  private readonly file?: string;
  private pendingAnnotations: string[] = [];
  private version = 3;
  private inGateBody = false;

  constructor(
    private readonly src: string,
    private readonly options: ParseOptions,
    private readonly includeDepth = 0,
    private readonly includeStack: Set<string> = new Set(),
  ) {
    this.file = options.file;
    this.t = tokenize(src, options.file);
  }

  // ---- token helpers -----------------------------------------------------------------------

  private kind(o = 0): number {
    const i = this.p + o;
    return i < this.t.count ? this.t.kind[i] : K.EOF;
  }
  private text(i = this.p): string {
    return this.src.slice(this.t.start[i], this.t.end[i]);
  }
  private pos(i = this.p): Pos {
    return { line: this.t.line[i], col: this.t.col[i] };
  }
  private isIdent(word: string, o = 0): boolean {
    const i = this.p + o;
    if (this.kind(o) !== K.Ident) return false;
    const s = this.t.start[i];
    return this.t.end[i] - s === word.length && this.src.startsWith(word, s);
  }
  private describe(i = this.p): string {
    const k = this.t.kind[i];
    if (k === K.Ident) return `identifier '${this.text(i)}'`;
    if (k === K.Int || k === K.Float || k === K.Duration) return `${kindName(k)} '${this.text(i)}'`;
    if (k === K.Str) return `string "${this.text(i)}"`;
    if (k === K.Hardware) return `physical qubit '${this.text(i)}'`;
    return kindName(k);
  }
  private error(expected: string, i = this.p): QasmError {
    // A missing ';' is reported where it belongs, just after the statement's last token, rather than
    // at the start of the next line (as clang does).
    const j = i - 1;
    if (expected === "';'" && j >= 0 && i < this.t.count && this.t.line[j] < this.t.line[i]) {
      const at = { line: this.t.line[j], col: this.t.col[j] + (this.t.end[j] - this.t.start[j]) };
      return parseError(`expected ';' at the end of the statement, found ${this.describe(i)} on line ${this.t.line[i]}`, at, this.file);
    }
    return parseError(`expected ${expected} but found ${this.describe(i)}`, this.pos(i), this.file);
  }
  private expect(kind: number, what = kindName(kind)): number {
    if (this.kind() !== kind) throw this.error(what);
    return this.p++;
  }
  private accept(kind: number): boolean {
    if (this.kind() === kind) {
      this.p++;
      return true;
    }
    return false;
  }
  private ident(what = 'an identifier'): { name: string; at: Pos } {
    if (this.kind() !== K.Ident) throw this.error(what);
    const at = this.pos();
    return { name: this.text(this.p++), at };
  }
  private enter(at: Pos): void {
    if (++this.depth > MAX_DEPTH) throw parseError(`nesting deeper than ${MAX_DEPTH} levels`, at, this.file);
  }
  private leave(): void {
    this.depth--;
  }

  // ---- program and statements --------------------------------------------------------------

  program(): A.Program {
    const header = this.header();
    const statements = this.statements(K.EOF);
    return { ...header, statements };
  }

  /** The optional version line; returns what a Program carries besides its statements. */
  header(): Omit<A.Program, 'statements'> {
    let versionText: string | undefined;
    if (this.isIdent('OPENQASM')) {
      const at = this.pos();
      this.p++;
      if (this.kind() !== K.Int && this.kind() !== K.Float) throw this.error('a version number');
      versionText = this.text(this.p++);
      const major = Math.floor(Number(versionText));
      if (major !== 2 && major !== 3)
        throw parseError(`unsupported OpenQASM version ${versionText} (2.0 and 3.x are supported)`, at, this.file);
      this.version = major;
      this.expect(K.Semi, "';'");
    }
    return {
      version: this.version,
      ...(versionText === undefined ? {} : { versionText }),
      ...(this.file === undefined ? {} : { file: this.file }),
    };
  }

  /**
   * Top-level statements one at a time, so a caller can lower each and drop its AST at once:
   * a 100,000-gate program then never holds 100,000 statement trees in memory.
   */
  *stream(): Generator<A.Stmt> {
    while (this.kind() !== K.EOF) {
      const s = this.statement();
      if (s) yield s;
    }
    if (this.pendingAnnotations.length) throw this.error('a statement after the annotation');
  }

  /** Statements up to (not including) a closing token. */
  private statements(close: number): A.Stmt[] {
    const out: A.Stmt[] = [];
    while (this.kind() !== close) {
      if (this.kind() === K.EOF) throw this.error("'}'");
      const s = this.statement();
      if (s) out.push(s);
    }
    if (this.pendingAnnotations.length) {
      // annotations must precede a statement
      throw this.error('a statement after the annotation');
    }
    return out;
  }

  private takeAnnotations(): { annotations?: string[] } {
    if (this.pendingAnnotations.length === 0) return {};
    const annotations = this.pendingAnnotations;
    this.pendingAnnotations = [];
    return { annotations };
  }

  private statement(): A.Stmt | undefined {
    const k = this.kind();
    const at = this.pos();
    switch (k) {
      case K.Pragma: {
        const text = this.text(this.p++);
        return { k: 'pragma', text, ...at };
      }
      case K.Annotation:
        this.pendingAnnotations.push(this.text(this.p++));
        return undefined;
      case K.Semi:
        this.p++;
        return undefined;
      case K.LBrace: {
        this.p++;
        this.enter(at);
        const body = this.statements(K.RBrace);
        this.p++;
        this.leave();
        return { k: 'block', body, ...at };
      }
      case K.Ident:
        break;
      case K.Hardware:
        throw this.error('a statement');
      default:
        throw this.error('a statement');
    }
    const word = this.text();
    if (word === 'OPENQASM') throw parseError("the 'OPENQASM' version line must come first", at, this.file);
    const unsup = UNSUPPORTED_STATEMENTS[word];
    if (unsup !== undefined) throw unsupported(unsup, at, this.file);
    switch (word) {
      case 'include':
        return this.include(at);
      case 'qubit':
        return this.qubitDecl(at);
      case 'qreg':
        return this.oldDecl(at, 'qubit');
      case 'creg':
        return this.oldDecl(at, 'bit');
      case 'bit':
        return this.bitDecl(at);
      case 'const':
        this.p++;
        return this.classicalDecl(at, true, false);
      case 'input':
        this.p++;
        return this.classicalDecl(at, false, true);
      case 'output': {
        this.p++;
        if (this.isIdent('bit')) return this.bitDecl(at);
        throw unsupported("'output' variables other than bit registers", at, this.file);
      }
      case 'gate':
        return this.gateDef(at);
      case 'measure':
        return this.measureArrow(at);
      case 'reset':
        this.p++;
        return { k: 'reset', operands: this.operandList(true), ...at, ...this.endStatement() };
      case 'barrier': {
        this.p++;
        const operands = this.kind() === K.Semi ? [] : this.operandList(true);
        return { k: 'barrier', operands, ...at, ...this.endStatement() };
      }
      case 'delay':
        return this.delay(at);
      case 'for':
        return this.forLoop(at);
      case 'box':
        return this.box(at);
      case 'ctrl':
      case 'negctrl':
      case 'inv':
      case 'pow':
        return this.gateCall(at);
    }
    if (TYPE_NAMES.has(word)) return this.classicalDecl(at, false, false);
    // identifier statement: assignment or gate call
    const next = this.kind(1);
    if (next === K.Assign || next === K.LBracket || next === K.CompoundAssign || next === K.PlusPlus) return this.assignment(at);
    if (next === K.LParen && this.version === 3 && this.looksLikeSubroutineCall()) {
      throw unsupported('subroutine calls', at, this.file);
    }
    return this.gateCall(at);
  }

  /** `f(x);` with no operands is a subroutine call, except for gphase. */
  private looksLikeSubroutineCall(): boolean {
    if (this.isIdent('gphase')) return false;
    // find the matching ')' and see whether ';' follows
    let depth = 0;
    for (let i = this.p + 1; i < this.t.count; i++) {
      const k = this.t.kind[i];
      if (k === K.LParen) depth++;
      else if (k === K.RParen) {
        depth--;
        if (depth === 0) return this.t.kind[i + 1] === K.Semi;
      } else if (k === K.Semi || k === K.EOF) return false;
    }
    return false;
  }

  private endStatement(): { annotations?: string[] } {
    this.expect(K.Semi, "';'");
    return this.takeAnnotations();
  }

  private include(at: Pos): A.Include {
    this.p++;
    const strTok = this.expect(K.Str, 'a file name in quotes');
    const path = this.text(strTok);
    this.expect(K.Semi, "';'");
    if (BUILTIN_INCLUDES.has(path)) return { k: 'include', path, ...at };
    if (this.includeDepth >= MAX_INCLUDE_DEPTH) throw parseError(`includes nested deeper than ${MAX_INCLUDE_DEPTH} levels`, at, this.file);
    const resolved = this.resolveInclude(path);
    if (this.includeStack.has(resolved.key)) throw parseError(`include cycle: "${path}" includes itself`, at, this.file);
    if (resolved.text === undefined) {
      throw parseError(`cannot find include file "${path}"${resolved.key !== path ? ` (looked for ${resolved.key})` : ''}`, at, this.file);
    }
    const stack = new Set(this.includeStack);
    stack.add(resolved.key);
    const sub = new Parser(
      resolved.text,
      { ...this.options, file: resolved.key, includeDir: dirname(resolved.key) },
      this.includeDepth + 1,
      stack,
    );
    const prog = sub.program();
    return { k: 'include', path, file: resolved.key, body: prog.statements, ...at };
  }

  private resolveInclude(path: string): { key: string; text: string | undefined } {
    if (this.options.includeResolver) return { key: path, text: this.options.includeResolver(path) };
    const dir = this.options.includeDir ?? (this.file ? dirname(this.file) : process.cwd());
    const full = resolvePath(dir, path);
    try {
      return { key: full, text: readFileSync(full, 'utf8') };
    } catch {
      return { key: full, text: undefined };
    }
  }

  private designator(): A.Expr {
    this.expect(K.LBracket, "'['");
    const e = this.expr();
    this.expect(K.RBracket, "']'");
    return e;
  }

  private qubitDecl(at: Pos): A.QubitDecl {
    this.p++;
    const size = this.kind() === K.LBracket ? this.designator() : undefined;
    const { name } = this.ident('a register name');
    this.endStatement();
    return { k: 'qubit', name, ...(size ? { size } : {}), ...at };
  }

  /** OpenQASM 2 `qreg q[2];` / `creg c[2];` */
  private oldDecl(at: Pos, k: 'qubit' | 'bit'): A.QubitDecl | A.BitDecl {
    this.p++;
    const { name } = this.ident('a register name');
    const size = this.kind() === K.LBracket ? this.designator() : undefined;
    this.endStatement();
    return { k, name, ...(size ? { size } : {}), ...at };
  }

  private bitDecl(at: Pos): A.BitDecl {
    this.p++;
    const size = this.kind() === K.LBracket ? this.designator() : undefined;
    const { name } = this.ident('a register name');
    let measure: A.Operand | undefined;
    if (this.accept(K.Assign)) {
      if (this.isIdent('measure')) {
        this.p++;
        measure = this.operand();
      } else if (this.kind() === K.Str || this.kind() === K.Int) {
        // an initial value: bits start at 0 in a circuit; only all-zero values make sense
        const lit = this.text(this.p++);
        if (/[^0_"]/.test(lit)) throw unsupported('non-zero initial values of bit registers', at, this.file);
      } else throw this.error("'measure' or a bit string");
    }
    this.endStatement();
    return { k: 'bit', name, ...(size ? { size } : {}), ...(measure ? { measure } : {}), ...at };
  }

  private scalarType(): { type: A.ScalarTypeName; at: Pos } {
    const at = this.pos();
    if (this.kind() !== K.Ident) throw this.error('a type');
    const word = this.text();
    if (word === 'bit') {
      this.p++;
      if (this.kind() === K.LBracket) this.designator();
      return { type: 'bit', at };
    }
    if (word === 'array') throw unsupported("'array' types", at, this.file);
    if (!TYPE_NAMES.has(word)) throw this.error('a type (int, uint, float, angle, bool, duration, stretch)');
    this.p++;
    if (this.kind() === K.LBracket) {
      if (word === 'complex') {
        this.p++;
        this.scalarType();
        this.expect(K.RBracket, "']'");
      } else this.designator();
    }
    return { type: word as A.ScalarTypeName, at };
  }

  private classicalDecl(at: Pos, isConst: boolean, isInput: boolean): A.ClassicalDecl | A.BitDecl {
    if (isInput && this.isIdent('bit')) throw unsupported("'input bit' declarations", at, this.file);
    if (!isConst && !isInput && this.isIdent('bit')) return this.bitDecl(at);
    const { type } = this.scalarType();
    const { name } = this.ident('a variable name');
    let init: A.Expr | undefined;
    if (!isInput && this.accept(K.Assign)) {
      if (this.isIdent('measure')) throw unsupported(`measurement into a '${type}' variable`, this.pos(), this.file);
      init = this.expr();
    }
    if (isConst && !init) throw this.error("'=' and a value for the constant");
    this.endStatement();
    return { k: 'classical', type, name, ...(init ? { init } : {}), isConst, isInput, ...at };
  }

  private gateDef(at: Pos): A.GateDef {
    this.p++;
    const { name } = this.ident('a gate name');
    const params: string[] = [];
    if (this.accept(K.LParen)) {
      if (this.kind() !== K.RParen) {
        do params.push(this.ident('a parameter name').name);
        while (this.accept(K.Comma));
      }
      this.expect(K.RParen, "')'");
    }
    const qubits: string[] = [];
    if (this.kind() !== K.LBrace) {
      do qubits.push(this.ident('a qubit argument name').name);
      while (this.accept(K.Comma));
    }
    this.expect(K.LBrace, "'{'");
    this.enter(at);
    const body: (A.GateCall | A.Barrier)[] = [];
    while (this.kind() !== K.RBrace) {
      const sat = this.pos();
      if (this.kind() === K.EOF) throw this.error("'}'");
      if (this.kind() === K.Semi) {
        this.p++;
        continue;
      }
      if (this.kind() !== K.Ident) throw this.error('a gate call');
      const word = this.text();
      if (UNSUPPORTED_STATEMENTS[word] !== undefined) throw unsupported(UNSUPPORTED_STATEMENTS[word], sat, this.file);
      if (word === 'barrier') {
        this.p++;
        const operands = this.kind() === K.Semi ? [] : this.operandList(false);
        this.expect(K.Semi, "';'");
        body.push({ k: 'barrier', operands, ...sat });
        continue;
      }
      if (word === 'measure' || word === 'reset' || word === 'delay' || word === 'for' || word === 'box' || word === 'gate') {
        throw parseError(`'${word}' is not allowed inside a gate definition`, sat, this.file);
      }
      this.inGateBody = true;
      body.push(this.gateCall(sat));
      this.inGateBody = false;
    }
    this.p++;
    this.leave();
    return { k: 'gatedef', name, params, qubits, body, ...at };
  }

  private gateCall(at: Pos): A.GateCall {
    const modifiers: A.Modifier[] = [];
    for (;;) {
      const mat = this.pos();
      if (this.isIdent('ctrl') || this.isIdent('negctrl')) {
        const k = this.text() as 'ctrl' | 'negctrl';
        this.p++;
        let n: A.Expr | undefined;
        if (this.accept(K.LParen)) {
          n = this.expr();
          this.expect(K.RParen, "')'");
        }
        this.expect(K.At, "'@'");
        modifiers.push({ k, ...(n ? { n } : {}), ...mat });
      } else if (this.isIdent('inv')) {
        this.p++;
        this.expect(K.At, "'@'");
        modifiers.push({ k: 'inv', ...mat });
      } else if (this.isIdent('pow')) {
        this.p++;
        this.expect(K.LParen, "'('");
        const e = this.expr();
        this.expect(K.RParen, "')'");
        this.expect(K.At, "'@'");
        modifiers.push({ k: 'pow', e, ...mat });
      } else break;
    }
    const nameTok = this.p;
    const { name } = this.ident('a gate name');
    const args: A.Expr[] = [];
    if (this.accept(K.LParen)) {
      if (this.kind() !== K.RParen) {
        do args.push(this.expr());
        while (this.accept(K.Comma));
      }
      this.expect(K.RParen, "')'");
    }
    let operands: A.Operand[] = [];
    if (this.kind() !== K.Semi) {
      if (this.kind() !== K.Ident && this.kind() !== K.Hardware) {
        throw this.error(this.p === nameTok + 1 ? "qubit operands or ';'" : "qubit operands or ';'");
      }
      operands = this.operandList(true);
    }
    if (this.kind() !== K.Semi) throw this.error("';'");
    this.p++;
    return { k: 'call', name, modifiers, args, operands, ...at, ...this.takeAnnotations() };
  }

  private operandList(allowIndex: boolean): A.Operand[] {
    const out: A.Operand[] = [];
    do out.push(this.operand(allowIndex));
    while (this.accept(K.Comma));
    return out;
  }

  private operand(allowIndex = true): A.Operand {
    const at = this.pos();
    if (this.kind() === K.Hardware) {
      const v = this.t.value[this.p++];
      if (!Number.isSafeInteger(v)) throw parseError('physical qubit index is too large', at, this.file);
      return { k: 'phys', index: v, ...at };
    }
    if (this.kind() !== K.Ident) throw this.error('a qubit or bit operand');
    const name = this.text(this.p++);
    if (this.kind() === K.LBracket) {
      if (!allowIndex || this.inGateBody)
        throw parseError('gate arguments cannot be indexed inside a gate definition', this.pos(), this.file);
      const index = this.indexSpec();
      if (this.kind() === K.LBracket) throw unsupported('multi-dimensional indexing', this.pos(), this.file);
      return { k: 'reg', name, index, ...at };
    }
    return { k: 'reg', name, ...at };
  }

  /** `[e]`, `[a:b]`, `[a:s:b]`, `[{0, 2}]` */
  private indexSpec(): A.IndexSpec {
    this.expect(K.LBracket, "'['");
    let spec: A.IndexSpec;
    if (this.kind() === K.LBrace) spec = this.setLiteral();
    else spec = this.rangeOrExpr(K.RBracket);
    if (this.kind() === K.Comma) throw unsupported('multi-dimensional indexing', this.pos(), this.file);
    this.expect(K.RBracket, "']'");
    return spec;
  }

  private setLiteral(): A.IndexSpec {
    this.expect(K.LBrace, "'{'");
    const items: A.Expr[] = [];
    if (this.kind() !== K.RBrace) {
      do items.push(this.expr());
      while (this.accept(K.Comma));
    }
    this.expect(K.RBrace, "'}'");
    return { k: 'set', items };
  }

  private rangeOrExpr(close: number): A.IndexSpec {
    const parts: (A.Expr | undefined)[] = [];
    let colons = 0;
    parts.push(this.kind() === K.Colon || this.kind() === close ? undefined : this.expr());
    while (this.accept(K.Colon)) {
      colons++;
      if (colons > 2) throw this.error("']'");
      parts.push(this.kind() === K.Colon || this.kind() === close ? undefined : this.expr());
    }
    if (colons === 0) {
      if (!parts[0]) throw this.error('an index');
      return { k: 'one', e: parts[0] };
    }
    const [start, a, b] = parts;
    const spec: { k: 'range'; start?: A.Expr; step?: A.Expr; end?: A.Expr } = { k: 'range' };
    if (start) spec.start = start;
    if (colons === 1) {
      if (a) spec.end = a;
    } else {
      if (a) spec.step = a;
      if (b) spec.end = b;
    }
    return spec;
  }

  private assignment(at: Pos): A.Measure {
    const target = this.operand();
    if (this.kind() !== K.Assign) throw unsupported('classical assignments', at, this.file);
    this.p++;
    if (!this.isIdent('measure')) throw unsupported('classical assignments', at, this.file);
    this.p++;
    const qubit = this.operand();
    return { k: 'measure', qubit, target, ...at, ...this.endStatement() };
  }

  private measureArrow(at: Pos): A.Measure {
    this.p++;
    const qubit = this.operand();
    let target: A.Operand | undefined;
    if (this.accept(K.Arrow)) target = this.operand();
    return { k: 'measure', qubit, ...(target ? { target } : {}), ...at, ...this.endStatement() };
  }

  private delay(at: Pos): A.Delay {
    this.p++;
    const duration = this.designator();
    const operands = this.kind() === K.Semi ? [] : this.operandList(true);
    return { k: 'delay', duration, operands, ...at, ...this.endStatement() };
  }

  private block(at: Pos): A.Stmt[] {
    this.enter(at);
    let body: A.Stmt[];
    if (this.accept(K.LBrace)) {
      body = this.statements(K.RBrace);
      this.p++;
    } else {
      const s = this.statement();
      body = s ? [s] : [];
    }
    this.leave();
    return body;
  }

  private forLoop(at: Pos): A.For {
    this.p++;
    // optional type: `for int i in ...`, `for uint[8] i in ...`
    if (this.kind() === K.Ident && this.kind(1) === K.Ident && !this.isIdent('in', 1)) this.scalarType();
    else if (this.kind() === K.Ident && this.kind(1) === K.LBracket) this.scalarType();
    const { name } = this.ident('a loop variable');
    if (!this.isIdent('in')) throw this.error("'in'");
    this.p++;
    let iter: A.IndexSpec;
    if (this.kind() === K.LBrace) iter = this.setLiteral();
    else if (this.kind() === K.LBracket) {
      this.p++;
      iter = this.rangeOrExpr(K.RBracket);
      this.expect(K.RBracket, "']'");
      if (iter.k !== 'range') throw parseError('a loop range needs the form [start:end] or [start:step:end]', at, this.file);
    } else if (this.kind() === K.Ident) {
      const e = this.pos();
      throw unsupported('loops over variables', e, this.file, 'loop bounds must be constant ranges [a:b] or sets {a, b}');
    } else throw this.error("a range '[a:b]' or a set '{a, b}'");
    const body = this.block(at);
    return { k: 'for', variable: name, iter, body, ...at };
  }

  private box(at: Pos): A.Box {
    this.p++;
    const duration = this.kind() === K.LBracket ? this.designator() : undefined;
    if (this.kind() !== K.LBrace) throw this.error("'{'");
    const body = this.block(at);
    return { k: 'box', ...(duration ? { duration } : {}), body, ...at };
  }

  // ---- expressions (Pratt) -----------------------------------------------------------------

  expr(minPrec = 0): A.Expr {
    const at = this.pos();
    this.enter(at);
    let left = this.prefix();
    let chain = 0;
    for (;;) {
      const k = this.kind();
      const info = BINARY[k];
      if (info === undefined || info.prec < minPrec) break;
      const opAt = this.pos();
      // a left-leaning chain deepens the tree without recursion here; bound it for the evaluator
      if (++chain > MAX_CHAIN) throw parseError(`expression has more than ${MAX_CHAIN} operators`, opAt, this.file);
      this.p++;
      const right = this.expr(info.right ? info.prec : info.prec + 1);
      left = { k: 'bin', op: info.op, left, right, ...opAt };
    }
    this.leave();
    return left;
  }

  private prefix(): A.Expr {
    const at = this.pos();
    const k = this.kind();
    switch (k) {
      case K.Int:
      case K.Float: {
        const value = this.t.value[this.p];
        this.p++;
        return { k: 'num', value, isInt: k === K.Int, ...at };
      }
      case K.Duration: {
        const seconds = this.t.value[this.p];
        const text = this.text(this.p++);
        return { k: 'dur', seconds, text, ...at };
      }
      case K.Imag:
        throw unsupported('complex numbers', at, this.file);
      case K.Minus:
      case K.Plus:
      case K.Bang:
      case K.Tilde: {
        this.p++;
        this.enter(at);
        // unary minus binds looser than '**' (-2**2 == -4), tighter than '*'
        const arg = this.expr(UNARY_PREC);
        this.leave();
        const op = k === K.Minus ? '-' : k === K.Plus ? '+' : k === K.Bang ? '!' : '~';
        return { k: 'un', op, arg, ...at };
      }
      case K.LParen: {
        this.p++;
        const e = this.expr();
        this.expect(K.RParen, "')'");
        return e;
      }
      case K.Ident: {
        const name = this.text(this.p++);
        if (name === 'measure') throw unsupported("'measure' inside an expression", at, this.file);
        if (name === 'durationof') throw unsupported("'durationof'", at, this.file);
        if (TYPE_NAMES.has(name) || name === 'bit') {
          // cast: float(x), int[32](x)
          if (this.kind() === K.LBracket) this.designator();
          this.expect(K.LParen, `'(' after the type '${name}'`);
          const arg = this.expr();
          this.expect(K.RParen, "')'");
          return { k: 'cast', type: name as A.ScalarTypeName, arg, ...at };
        }
        if (this.kind() === K.LParen) {
          this.p++;
          const args: A.Expr[] = [];
          if (this.kind() !== K.RParen) {
            do args.push(this.expr());
            while (this.accept(K.Comma));
          }
          this.expect(K.RParen, "')'");
          return { k: 'call', name, args, ...at };
        }
        if (this.kind() === K.LBracket) throw unsupported('indexing inside expressions', this.pos(), this.file);
        return { k: 'id', name, ...at };
      }
      default:
        throw this.error('an expression');
    }
  }
}

const UNARY_PREC = 11;
const MAX_CHAIN = 4096;
interface BinInfo {
  op: A.BinaryOp;
  prec: number;
  right?: boolean;
}
const BINARY: Record<number, BinInfo> = {
  [K.OrOr]: { op: '||', prec: 1 },
  [K.AndAnd]: { op: '&&', prec: 2 },
  [K.Pipe]: { op: '|', prec: 3 },
  [K.Caret]: { op: '^', prec: 4 },
  [K.Amp]: { op: '&', prec: 5 },
  [K.Eq]: { op: '==', prec: 6 },
  [K.Ne]: { op: '!=', prec: 6 },
  [K.Lt]: { op: '<', prec: 7 },
  [K.Gt]: { op: '>', prec: 7 },
  [K.Le]: { op: '<=', prec: 7 },
  [K.Ge]: { op: '>=', prec: 7 },
  [K.Shl]: { op: '<<', prec: 8 },
  [K.Shr]: { op: '>>', prec: 8 },
  [K.Plus]: { op: '+', prec: 9 },
  [K.Minus]: { op: '-', prec: 9 },
  [K.Star]: { op: '*', prec: 10 },
  [K.Slash]: { op: '/', prec: 10 },
  [K.Percent]: { op: '%', prec: 10 },
  [K.Pow]: { op: '**', prec: 12, right: true },
};
