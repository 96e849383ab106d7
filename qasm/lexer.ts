import { dict, parseError } from './errors.js';

/**
 * The OpenQASM lexer. It scans char codes in one pass and stores tokens as parallel typed arrays
 * (kind, start, end, line, column, numeric value): a 100,000-gate program has about a million
 * tokens, and this layout keeps them out of the garbage collector's way. Token text is sliced
 * from the source only when the parser asks for it.
 */

/** Token kinds. Punctuation kinds double as their own identity, so the parser compares numbers. */
export const K = {
  EOF: 0,
  Ident: 1,
  Int: 2,
  Float: 3,
  Duration: 4, // value = seconds, NaN for `dt`
  Str: 5, // start/end exclude the quotes
  Hardware: 6, // $n, value = n
  Pragma: 7, // start/end cover the text after `#pragma` / `pragma`
  Annotation: 8, // start/end cover `name rest-of-line` after '@'
  Imag: 9,
  // punctuation
  Semi: 20,
  Comma: 21,
  LParen: 22,
  RParen: 23,
  LBracket: 24,
  RBracket: 25,
  LBrace: 26,
  RBrace: 27,
  Colon: 28,
  Assign: 29,
  Arrow: 30,
  At: 31,
  Plus: 32,
  Minus: 33,
  Star: 34,
  Slash: 35,
  Percent: 36,
  Pow: 37,
  Caret: 38,
  Amp: 39,
  Pipe: 40,
  Tilde: 41,
  Bang: 42,
  Lt: 43,
  Gt: 44,
  Le: 45,
  Ge: 46,
  Eq: 47,
  Ne: 48,
  AndAnd: 49,
  OrOr: 50,
  Shl: 51,
  Shr: 52,
  CompoundAssign: 53, // += -= *= /= ...
  PlusPlus: 54,
  Dot: 55,
} as const;

const PUNCT_TEXT: Record<number, string> = {
  [K.Semi]: ';',
  [K.Comma]: ',',
  [K.LParen]: '(',
  [K.RParen]: ')',
  [K.LBracket]: '[',
  [K.RBracket]: ']',
  [K.LBrace]: '{',
  [K.RBrace]: '}',
  [K.Colon]: ':',
  [K.Assign]: '=',
  [K.Arrow]: '->',
  [K.At]: '@',
  [K.Plus]: '+',
  [K.Minus]: '-',
  [K.Star]: '*',
  [K.Slash]: '/',
  [K.Percent]: '%',
  [K.Pow]: '**',
  [K.Caret]: '^',
  [K.Amp]: '&',
  [K.Pipe]: '|',
  [K.Tilde]: '~',
  [K.Bang]: '!',
  [K.Lt]: '<',
  [K.Gt]: '>',
  [K.Le]: '<=',
  [K.Ge]: '>=',
  [K.Eq]: '==',
  [K.Ne]: '!=',
  [K.AndAnd]: '&&',
  [K.OrOr]: '||',
  [K.Shl]: '<<',
  [K.Shr]: '>>',
  [K.CompoundAssign]: 'compound assignment',
  [K.PlusPlus]: '++',
  [K.Dot]: '.',
};

/** How a token kind is named in "expected X but found Y" messages. */
export function kindName(kind: number): string {
  switch (kind) {
    case K.EOF:
      return 'end of input';
    case K.Ident:
      return 'identifier';
    case K.Int:
      return 'integer';
    case K.Float:
      return 'number';
    case K.Duration:
      return 'duration';
    case K.Str:
      return 'string';
    case K.Hardware:
      return 'physical qubit';
    case K.Pragma:
      return 'pragma';
    case K.Annotation:
      return 'annotation';
    case K.Imag:
      return 'imaginary number';
    default:
      return `'${PUNCT_TEXT[kind] ?? '?'}'`;
  }
}

export interface Tokens {
  readonly source: string;
  readonly count: number;
  readonly kind: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly line: Int32Array;
  readonly col: Int32Array;
  readonly value: Float64Array;
}

// Character classes for ASCII, built once.
const IDENT_START = new Uint8Array(128);
const IDENT_PART = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  IDENT_START[c] = letter ? 1 : 0;
  IDENT_PART[c] = letter || (c >= 48 && c <= 57) ? 1 : 0;
}
const UNICODE_LETTER = /[\p{L}\p{Nl}]/u;

function isIdentStart(c: number): boolean {
  return c < 128 ? IDENT_START[c] === 1 : UNICODE_LETTER.test(String.fromCharCode(c));
}
function isIdentPart(c: number): boolean {
  return c < 128 ? IDENT_PART[c] === 1 : UNICODE_LETTER.test(String.fromCharCode(c));
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Divisors from a unit to seconds (dividing by 1e9 rounds better than multiplying by 1e-9). */
const TIME_UNITS: Record<string, number> = dict({ ns: 1e9, us: 1e6, µs: 1e6, μs: 1e6, ms: 1e3, s: 1, dt: NaN });

/** Tokens after which a new statement starts (so `@name` is an annotation and `pragma` a pragma). */
function startsStatement(prev: number): boolean {
  return prev === -1 || prev === K.Semi || prev === K.LBrace || prev === K.RBrace || prev === K.Pragma || prev === K.Annotation;
}

export function tokenize(source: string, file?: string): Tokens {
  // about one token per two characters in typical programs; grown by doubling past that
  let cap = Math.max(16, source.length >> 1);
  let kind = new Uint8Array(cap);
  let start = new Int32Array(cap);
  let end = new Int32Array(cap);
  let line = new Int32Array(cap);
  let col = new Int32Array(cap);
  let value = new Float64Array(cap);
  let n = 0;
  let prevKind = -1;

  const grow = (): void => {
    cap *= 2;
    const k2 = new Uint8Array(cap);
    k2.set(kind);
    kind = k2;
    const s2 = new Int32Array(cap);
    s2.set(start);
    start = s2;
    const e2 = new Int32Array(cap);
    e2.set(end);
    end = e2;
    const l2 = new Int32Array(cap);
    l2.set(line);
    line = l2;
    const c2 = new Int32Array(cap);
    c2.set(col);
    col = c2;
    const v2 = new Float64Array(cap);
    v2.set(value);
    value = v2;
  };
  const push = (k: number, s: number, e: number, ln: number, cl: number, v: number): void => {
    if (n === cap) grow();
    kind[n] = k;
    start[n] = s;
    end[n] = e;
    line[n] = ln;
    col[n] = cl;
    value[n] = v;
    n++;
    prevKind = k;
  };

  const len = source.length;
  let i = 0;
  let ln = 1;
  let lineStart = 0;

  const restOfLine = (from: number): number => {
    let j = from;
    while (j < len) {
      const c = source.charCodeAt(j);
      if (c === 10 || c === 13) break;
      j++;
    }
    return j;
  };
  const trimSpan = (s: number, e: number): [number, number] => {
    while (s < e && (source.charCodeAt(s) === 32 || source.charCodeAt(s) === 9)) s++;
    while (e > s && (source.charCodeAt(e - 1) === 32 || source.charCodeAt(e - 1) === 9)) e--;
    return [s, e];
  };

  while (i < len) {
    const c = source.charCodeAt(i);
    // whitespace and newlines
    if (c === 10) {
      i++;
      ln++;
      lineStart = i;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xfeff) {
      i++;
      continue;
    }
    const tokCol = i - lineStart + 1;
    // comments
    if (c === 47 /* / */) {
      const d = source.charCodeAt(i + 1);
      if (d === 47) {
        i = restOfLine(i + 2);
        continue;
      }
      if (d === 42) {
        const startLine = ln;
        let j = i + 2;
        let closed = false;
        while (j < len) {
          const e = source.charCodeAt(j);
          if (e === 42 && source.charCodeAt(j + 1) === 47) {
            j += 2;
            closed = true;
            break;
          }
          if (e === 10) {
            ln++;
            lineStart = j + 1;
          }
          j++;
        }
        if (!closed) throw parseError("unterminated block comment: '/*' has no closing '*/'", { line: startLine, col: tokCol }, file);
        i = j;
        continue;
      }
      if (d === 61) {
        push(K.CompoundAssign, i, i + 2, ln, tokCol, 0);
        i += 2;
        continue;
      }
      push(K.Slash, i, i + 1, ln, tokCol, 0);
      i++;
      continue;
    }
    // identifiers and keywords
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < len && isIdentPart(source.charCodeAt(j))) j++;
      // `pragma ...` (OpenQASM 3.1 spelling) swallows the rest of the line
      if (j - i === 6 && startsStatement(prevKind) && source.startsWith('pragma', i)) {
        const [s, e] = trimSpan(j, restOfLine(j));
        push(K.Pragma, s, e, ln, tokCol, 0);
        i = e;
        continue;
      }
      push(K.Ident, i, j, ln, tokCol, 0);
      i = j;
      continue;
    }
    // numbers (with optional time unit or imaginary suffix)
    if (isDigit(c) || (c === 46 && isDigit(source.charCodeAt(i + 1)))) {
      i = lexNumber(i, tokCol);
      continue;
    }
    switch (c) {
      case 34: // "
      case 39: {
        // '
        let j = i + 1;
        while (j < len && source.charCodeAt(j) !== c && source.charCodeAt(j) !== 10) j++;
        if (j >= len || source.charCodeAt(j) !== c) throw parseError('unterminated string literal', { line: ln, col: tokCol }, file);
        push(K.Str, i + 1, j, ln, tokCol, 0);
        i = j + 1;
        continue;
      }
      case 36: {
        // $n
        let j = i + 1;
        while (j < len && isDigit(source.charCodeAt(j))) j++;
        if (j === i + 1) throw parseError("expected digits after '$' (physical qubit)", { line: ln, col: tokCol }, file);
        push(K.Hardware, i, j, ln, tokCol, Number(source.slice(i + 1, j)));
        i = j;
        continue;
      }
      case 35: {
        // #pragma
        if (source.startsWith('#pragma', i)) {
          const [s, e] = trimSpan(i + 7, restOfLine(i + 7));
          push(K.Pragma, s, e, ln, tokCol, 0);
          i = restOfLine(i + 7);
          continue;
        }
        // #dim and other directives are not part of the circuit subset
        throw parseError("unexpected '#': only '#pragma' directives are allowed", { line: ln, col: tokCol }, file);
      }
      case 64: {
        // @: an annotation at the start of a statement, else the modifier separator
        if (startsStatement(prevKind) && i + 1 < len && isIdentStart(source.charCodeAt(i + 1))) {
          const e = restOfLine(i + 1);
          const [s, t] = trimSpan(i + 1, e);
          push(K.Annotation, s, t, ln, tokCol, 0);
          i = e;
          continue;
        }
        push(K.At, i, i + 1, ln, tokCol, 0);
        i++;
        continue;
      }
    }
    i = lexPunct(c, i, tokCol);
  }
  push(K.EOF, len, len, ln, len - lineStart + 1, 0);
  return { source, count: n, kind, start, end, line, col, value };

  function lexNumber(s: number, tokCol: number): number {
    let j = s;
    let isFloat = false;
    const c0 = source.charCodeAt(j);
    const c1 = source.charCodeAt(j + 1) | 0x20;
    if (c0 === 48 && (c1 === 120 || c1 === 98 || c1 === 111)) {
      // 0x.., 0b.., 0o..
      j += 2;
      while (j < len && isIdentPart(source.charCodeAt(j)) && source.charCodeAt(j) < 128) j++;
    } else {
      while (j < len && (isDigit(source.charCodeAt(j)) || source.charCodeAt(j) === 95)) j++;
      if (source.charCodeAt(j) === 46 && !(source.charCodeAt(j + 1) === 46)) {
        isFloat = true;
        j++;
        while (j < len && (isDigit(source.charCodeAt(j)) || source.charCodeAt(j) === 95)) j++;
      }
      const e = source.charCodeAt(j) | 0x20;
      if (e === 101) {
        const sign = source.charCodeAt(j + 1);
        const k = sign === 43 || sign === 45 ? j + 2 : j + 1;
        if (isDigit(source.charCodeAt(k))) {
          isFloat = true;
          j = k;
          while (j < len && isDigit(source.charCodeAt(j))) j++;
        }
      }
    }
    let text = source.slice(s, j);
    if (text.indexOf('_') >= 0) {
      if (text.endsWith('_') || text.indexOf('__') >= 0) throw parseError(`malformed number '${text}'`, { line: ln, col: tokCol }, file);
      text = text.replace(/_/g, '');
    }
    const v = Number(text);
    if (!Number.isFinite(v)) throw parseError(`malformed number '${source.slice(s, j)}'`, { line: ln, col: tokCol }, file);
    // a suffix glued to the number: time unit or `im`
    if (j < len && isIdentStart(source.charCodeAt(j))) {
      let k = j + 1;
      while (k < len && isIdentPart(source.charCodeAt(k))) k++;
      const unit = source.slice(j, k);
      const scale = TIME_UNITS[unit];
      if (scale !== undefined) {
        push(K.Duration, s, k, ln, tokCol, Number.isNaN(scale) ? NaN : v / scale);
        return k;
      }
      if (unit === 'im') {
        push(K.Imag, s, k, ln, tokCol, v);
        return k;
      }
      throw parseError(`malformed number '${source.slice(s, k)}'`, { line: ln, col: tokCol }, file);
    }
    push(isFloat ? K.Float : K.Int, s, j, ln, tokCol, v);
    return j;
  }

  function lexPunct(c: number, s: number, tokCol: number): number {
    const d = source.charCodeAt(s + 1);
    let k: number;
    let w = 1;
    switch (c) {
      case 59:
        k = K.Semi;
        break;
      case 44:
        k = K.Comma;
        break;
      case 40:
        k = K.LParen;
        break;
      case 41:
        k = K.RParen;
        break;
      case 91:
        k = K.LBracket;
        break;
      case 93:
        k = K.RBracket;
        break;
      case 123:
        k = K.LBrace;
        break;
      case 125:
        k = K.RBrace;
        break;
      case 58:
        k = K.Colon;
        break;
      case 46:
        k = K.Dot;
        break;
      case 126:
        k = K.Tilde;
        break;
      case 61: // =
        if (d === 61) {
          k = K.Eq;
          w = 2;
        } else k = K.Assign;
        break;
      case 45: // -
        if (d === 62) {
          k = K.Arrow;
          w = 2;
        } else if (d === 61) {
          k = K.CompoundAssign;
          w = 2;
        } else k = K.Minus;
        break;
      case 43: // +
        if (d === 43) {
          k = K.PlusPlus;
          w = 2;
        } else if (d === 61) {
          k = K.CompoundAssign;
          w = 2;
        } else k = K.Plus;
        break;
      case 42: // *
        if (d === 42) {
          if (source.charCodeAt(s + 2) === 61) {
            k = K.CompoundAssign;
            w = 3;
          } else {
            k = K.Pow;
            w = 2;
          }
        } else if (d === 61) {
          k = K.CompoundAssign;
          w = 2;
        } else k = K.Star;
        break;
      case 37:
        if (d === 61) {
          k = K.CompoundAssign;
          w = 2;
        } else k = K.Percent;
        break;
      case 94:
        if (d === 61) {
          k = K.CompoundAssign;
          w = 2;
        } else k = K.Caret;
        break;
      case 38:
        if (d === 38) {
          k = K.AndAnd;
          w = 2;
        } else if (d === 61) {
          k = K.CompoundAssign;
          w = 2;
        } else k = K.Amp;
        break;
      case 124:
        if (d === 124) {
          k = K.OrOr;
          w = 2;
        } else if (d === 61) {
          k = K.CompoundAssign;
          w = 2;
        } else k = K.Pipe;
        break;
      case 33:
        if (d === 61) {
          k = K.Ne;
          w = 2;
        } else k = K.Bang;
        break;
      case 60:
        if (d === 61) {
          k = K.Le;
          w = 2;
        } else if (d === 60) {
          k = K.Shl;
          w = 2;
          if (source.charCodeAt(s + 2) === 61) {
            k = K.CompoundAssign;
            w = 3;
          }
        } else k = K.Lt;
        break;
      case 62:
        if (d === 61) {
          k = K.Ge;
          w = 2;
        } else if (d === 62) {
          k = K.Shr;
          w = 2;
          if (source.charCodeAt(s + 2) === 61) {
            k = K.CompoundAssign;
            w = 3;
          }
        } else k = K.Gt;
        break;
      default:
        throw parseError(`unexpected character ${describeChar(c)}`, { line: ln, col: tokCol }, file);
    }
    push(k, s, s + w, ln, tokCol, 0);
    return s + w;
  }
}

function describeChar(c: number): string {
  if (c >= 33 && c < 127) return `'${String.fromCharCode(c)}'`;
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}
