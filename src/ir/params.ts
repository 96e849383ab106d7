import { validationError } from '../errors.js';

/**
 * Gate angles are affine expressions of named symbols: `offset + sum(coeff_i * name_i)`.
 * Affine is enough for every QCNN layer (weights, data inputs, `2*theta + pi/2`), keeps the chain
 * rule exact (d angle / d symbol = coeff), and maps one-to-one onto OpenQASM 3 `input float[64]`.
 */
export interface ParamTerm {
  readonly name: string;
  readonly coeff: number;
}

export interface ParamExpr {
  readonly terms: readonly ParamTerm[];
  readonly offset: number;
}

export type Angle = number | ParamExpr;

/** Values for symbols, by name. */
export type Bindings = Readonly<Record<string, number>>;

// Letters in any script (OpenQASM identifiers may be θ or φ), digits, and the separators weight names use.
const SYMBOL_RE = /^[\p{L}_][\p{L}\p{N}_.\-[\]]*$/u;

export function isParamExpr(a: unknown): a is ParamExpr {
  return typeof a === 'object' && a !== null && Array.isArray((a as ParamExpr).terms);
}

/** A bare symbol, e.g. `sym('theta')`. */
export function sym(name: string): ParamExpr {
  if (!SYMBOL_RE.test(name)) {
    throw validationError(`invalid parameter name '${name}': start with a letter or '_', then letters, digits, '_', '.', '-' or '[]'`);
  }
  return { terms: [{ name, coeff: 1 }], offset: 0 };
}

/** Normal form: one term per name in first-seen order, no zero coefficients; a constant collapses to a number. */
export function normalize(terms: readonly ParamTerm[], offset: number): Angle {
  const merged = new Map<string, number>();
  for (const t of terms) merged.set(t.name, (merged.get(t.name) ?? 0) + t.coeff);
  const out: ParamTerm[] = [];
  for (const [name, coeff] of merged) if (coeff !== 0) out.push({ name, coeff });
  return out.length === 0 ? offset : { terms: out, offset };
}

function parts(a: Angle): { terms: readonly ParamTerm[]; offset: number } {
  return typeof a === 'number' ? { terms: [], offset: a } : a;
}

export function addAngles(a: Angle, b: Angle): Angle {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  const pa = parts(a);
  const pb = parts(b);
  return normalize([...pa.terms, ...pb.terms], pa.offset + pb.offset);
}

export function scaleAngle(a: Angle, k: number): Angle {
  if (typeof a === 'number') return a * k;
  return normalize(
    a.terms.map((t) => ({ name: t.name, coeff: t.coeff * k })),
    a.offset * k,
  );
}

export function negAngle(a: Angle): Angle {
  return scaleAngle(a, -1);
}

export function isConstant(a: Angle): a is number {
  return typeof a === 'number';
}

/** Symbols an angle depends on. */
export function angleSymbols(a: Angle): string[] {
  return typeof a === 'number' ? [] : a.terms.map((t) => t.name);
}

/** Evaluates an angle; a missing symbol is a VALIDATION error naming it. */
export function bindAngle(a: Angle, bindings: Bindings): number {
  if (typeof a === 'number') return a;
  let v = a.offset;
  for (const t of a.terms) {
    const x = bindings[t.name];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw validationError(x === undefined ? `no value bound for parameter '${t.name}'` : `parameter '${t.name}' is not a finite number`, {
        parameter: t.name,
      });
    }
    v += t.coeff * x;
  }
  return v;
}

/** Substitutes some symbols with other angles (partial binding, renaming). */
export function substituteAngle(a: Angle, map: Readonly<Record<string, Angle>>): Angle {
  if (typeof a === 'number') return a;
  let out: Angle = a.offset;
  for (const t of a.terms) {
    const r = map[t.name];
    out = addAngles(out, r === undefined ? { terms: [t], offset: 0 } : scaleAngle(r, t.coeff));
  }
  return out;
}

export function anglesEqual(a: Angle, b: Angle, tol = 0): boolean {
  const pa = parts(a);
  const pb = parts(b);
  if (Math.abs(pa.offset - pb.offset) > tol) return false;
  const diff = normalize([...pa.terms, ...pb.terms.map((t) => ({ name: t.name, coeff: -t.coeff }))], 0);
  if (typeof diff === 'number') return true;
  return diff.terms.every((t) => Math.abs(t.coeff) <= tol);
}

function fmtNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(x);
}

/** Human and QASM-friendly text: `2*theta + 1.5707963267948966`. */
export function angleToString(a: Angle, format: (x: number) => string = fmtNumber): string {
  if (typeof a === 'number') return format(a);
  const pieces: string[] = [];
  for (const t of a.terms) {
    const mag = Math.abs(t.coeff);
    const body = mag === 1 ? t.name : `${format(mag)}*${t.name}`;
    if (pieces.length === 0) pieces.push(t.coeff < 0 ? `-${body}` : body);
    else pieces.push(t.coeff < 0 ? `- ${body}` : `+ ${body}`);
  }
  if (a.offset !== 0) pieces.push(a.offset < 0 ? `- ${format(-a.offset)}` : `+ ${format(a.offset)}`);
  return pieces.join(' ');
}
