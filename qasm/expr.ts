import { addAngles, isParamExpr, negAngle, normalize, scaleAngle, type Angle, type ParamExpr } from '../src/index.js';
import type * as A from './ast.js';
import { dict, parseError, unsupported, type Pos } from './errors.js';

/**
 * Compile-time evaluation of OpenQASM expressions. A value is a number (with an "is integer"
 * flag), an affine expression of `input` symbols, or a duration. Inputs stay symbolic, so only
 * affine operations may touch them: `2*theta + pi/2` is fine, `sin(theta)` is UNSUPPORTED.
 */
export type Val =
  | { readonly t: 'num'; readonly v: number; readonly int: boolean }
  | { readonly t: 'sym'; readonly a: ParamExpr }
  | { readonly t: 'dur'; readonly s: number }; // seconds; NaN when not known (dt, stretch)

export type Lookup = (name: string) => Val | undefined;

export const num = (v: number, int = Number.isInteger(v)): Val => ({ t: 'num', v, int });

const CONSTANTS: Record<string, number> = dict({
  pi: Math.PI,
  π: Math.PI,
  tau: 2 * Math.PI,
  τ: 2 * Math.PI,
  euler: Math.E,
  ℯ: Math.E,
});
export function isBuiltinConstant(name: string): boolean {
  return CONSTANTS[name] !== undefined;
}

const FUNCTIONS: Record<string, (x: number) => number> = dict({
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  arcsin: Math.asin,
  arccos: Math.acos,
  arctan: Math.atan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  exp: Math.exp,
  log: Math.log,
  ln: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  floor: Math.floor,
  ceiling: Math.ceil,
  ceil: Math.ceil,
  round: Math.round,
});

function fromAngle(a: Angle): Val {
  if (typeof a === 'number') return num(a, false);
  // -0 offsets (from negation) would make structurally different but equal expressions
  return { t: 'sym', a: Object.is(a.offset, -0) ? { terms: a.terms, offset: 0 } : a };
}

export class Evaluator {
  /** The file named in errors; the lowerer switches it while inside an include. */
  constructor(public file?: string) {}

  private fail(msg: string, at: Pos) {
    return parseError(msg, at, this.file);
  }
  private nonAffine(what: string, e: A.Expr, v: Val) {
    const names = v.t === 'sym' ? v.a.terms.map((x) => `'${x.name}'`).join(', ') : '';
    return unsupported(
      `non-affine use of input ${names} in ${what}`,
      e,
      this.file,
      'angles that depend on inputs must stay affine (a*x + b) so they can be bound later',
    );
  }

  eval(e: A.Expr, lookup: Lookup): Val {
    switch (e.k) {
      case 'num':
        return num(e.value, e.isInt);
      case 'dur':
        return { t: 'dur', s: e.seconds };
      case 'id': {
        const v = lookup(e.name);
        if (v !== undefined) return v;
        const c = CONSTANTS[e.name];
        if (c !== undefined) return num(c, false);
        throw this.fail(`undefined identifier '${e.name}'`, e);
      }
      case 'un': {
        const a = this.eval(e.arg, lookup);
        if (e.op === '+') return a;
        if (e.op === '-') {
          if (a.t === 'num') return num(-a.v, a.int);
          if (a.t === 'sym') return fromAngle(negAngle(a.a));
          return { t: 'dur', s: -a.s };
        }
        const x = this.number(a, e, `'${e.op}'`);
        return e.op === '!' ? num(x ? 0 : 1, true) : num(~x, true);
      }
      case 'bin':
        return this.binary(e, this.eval(e.left, lookup), this.eval(e.right, lookup));
      case 'call': {
        const f = FUNCTIONS[e.name];
        if (f === undefined) {
          if (e.name === 'mod' || e.name === 'pow') {
            if (e.args.length !== 2) throw this.fail(`'${e.name}' takes 2 arguments but got ${e.args.length}`, e);
            const a = this.number(this.eval(e.args[0], lookup), e, `'${e.name}'`);
            const b = this.number(this.eval(e.args[1], lookup), e, `'${e.name}'`);
            return e.name === 'mod' ? num(a - b * Math.floor(a / b)) : num(a ** b);
          }
          throw unsupported(
            `calls to '${e.name}'`,
            e,
            this.file,
            'only the built-in math functions (sin, cos, tan, arcsin, arccos, arctan, exp, log, sqrt) are evaluated',
          );
        }
        if (e.args.length !== 1) throw this.fail(`'${e.name}' takes 1 argument but got ${e.args.length}`, e);
        const a = this.eval(e.args[0], lookup);
        if (a.t === 'sym') throw this.nonAffine(`'${e.name}(...)'`, e, a);
        const r = f(this.number(a, e, `'${e.name}'`));
        if (!Number.isFinite(r)) throw this.fail(`'${e.name}' of this argument is not a finite number`, e);
        return num(r, e.name === 'floor' || e.name === 'ceiling' || e.name === 'ceil' || e.name === 'round');
      }
      case 'cast': {
        const a = this.eval(e.arg, lookup);
        if (e.type === 'float' || e.type === 'angle') return a.t === 'num' ? num(a.v, false) : a;
        if (a.t === 'sym') throw this.nonAffine(`a cast to '${e.type}'`, e, a);
        if (e.type === 'duration') return a;
        const x = this.number(a, e, `a cast to '${e.type}'`);
        if (e.type === 'bool' || e.type === 'bit') return num(x !== 0 ? 1 : 0, true);
        return num(Math.trunc(x), true);
      }
    }
  }

  private number(v: Val, at: Pos, what: string): number {
    if (v.t === 'num') return v.v;
    if (v.t === 'sym')
      throw unsupported(
        `non-affine use of input ${v.a.terms.map((x) => `'${x.name}'`).join(', ')} in ${what}`,
        at,
        this.file,
        'angles that depend on inputs must stay affine (a*x + b)',
      );
    throw this.fail(`a duration cannot be used in ${what}`, at);
  }

  private binary(e: A.Binary, l: Val, r: Val): Val {
    const op = e.op;
    if (l.t === 'num' && r.t === 'num') return this.numeric(e, l, r);
    if (l.t === 'dur' || r.t === 'dur') return this.durations(e, l, r);
    // at least one side is symbolic
    const la: Angle = l.t === 'num' ? l.v : (l as { a: ParamExpr }).a;
    const ra: Angle = r.t === 'num' ? r.v : (r as { a: ParamExpr }).a;
    switch (op) {
      case '+':
        return fromAngle(addAngles(la, ra));
      case '-':
        return fromAngle(addAngles(la, negAngle(ra)));
      case '*':
        if (typeof la === 'number') return fromAngle(scaleAngle(ra, la));
        if (typeof ra === 'number') return fromAngle(scaleAngle(la, ra));
        throw this.nonAffine("a product of inputs '*'", e, l);
      case '/':
        if (typeof ra === 'number') {
          if (ra === 0) throw this.fail('division by zero', e);
          // x/k as x*(1/k) would round differently from the numeric path; divide each part instead
          return fromAngle(divideAngle(la, ra));
        }
        throw this.nonAffine("a division by an input '/'", e, isParamExpr(ra) ? r : l);
      default:
        throw this.nonAffine(`'${op}'`, e, l.t === 'sym' ? l : r);
    }
  }

  private numeric(e: A.Binary, l: { v: number; int: boolean }, r: { v: number; int: boolean }): Val {
    const a = l.v;
    const b = r.v;
    const ints = l.int && r.int;
    switch (e.op) {
      case '+':
        return num(a + b, ints);
      case '-':
        return num(a - b, ints);
      case '*':
        return num(a * b, ints);
      case '/':
        if (b === 0) throw this.fail('division by zero', e);
        return num(a / b, false);
      case '%':
        if (b === 0) throw this.fail('modulo by zero', e);
        return num(a % b, ints);
      case '**': {
        const v = a ** b;
        if (!Number.isFinite(v)) throw this.fail('result of ** is not a finite number', e);
        return num(v, ints && b >= 0);
      }
      case '==':
        return num(a === b ? 1 : 0, true);
      case '!=':
        return num(a !== b ? 1 : 0, true);
      case '<':
        return num(a < b ? 1 : 0, true);
      case '>':
        return num(a > b ? 1 : 0, true);
      case '<=':
        return num(a <= b ? 1 : 0, true);
      case '>=':
        return num(a >= b ? 1 : 0, true);
      case '&&':
        return num(a && b ? 1 : 0, true);
      case '||':
        return num(a || b ? 1 : 0, true);
      case '&':
        return num(a & b, true);
      case '|':
        return num(a | b, true);
      case '^':
        return num(a ^ b, true);
      case '<<':
        return num(a * 2 ** b, true);
      case '>>':
        return num(Math.floor(a / 2 ** b), true);
    }
  }

  private durations(e: A.Binary, l: Val, r: Val): Val {
    if (l.t === 'sym' || r.t === 'sym') throw this.nonAffine(`a duration expression`, e, l.t === 'sym' ? l : r);
    if (l.t === 'dur' && r.t === 'dur') {
      if (e.op === '+') return { t: 'dur', s: l.s + r.s };
      if (e.op === '-') return { t: 'dur', s: l.s - r.s };
      if (e.op === '/') return num(l.s / r.s, false);
    } else if (l.t === 'dur' && r.t === 'num') {
      if (e.op === '*') return { t: 'dur', s: l.s * r.v };
      if (e.op === '/') return { t: 'dur', s: l.s / r.v };
    } else if (l.t === 'num' && r.t === 'dur' && e.op === '*') return { t: 'dur', s: l.v * r.s };
    throw this.fail(`operator '${e.op}' cannot combine these durations and numbers`, e);
  }
}

function divideAngle(a: Angle, k: number): Angle {
  if (typeof a === 'number') return a / k;
  return normalize(
    a.terms.map((t) => ({ name: t.name, coeff: t.coeff / k })),
    a.offset / k,
  );
}
