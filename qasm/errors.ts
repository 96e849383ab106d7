import { QError } from '../src/index.js';

/**
 * Every failure of the OpenQASM front end is a QasmError: code QASM_PARSE for malformed programs
 * (syntax and semantic errors) and UNSUPPORTED for valid OpenQASM that qbridge does not run
 * (classical control flow, calibrations, ...). It always carries a 1-based line and column, so
 * a CLI can print `FILE:LINE:COL: message` without a stack trace.
 */
export class QasmError extends QError {
  readonly line: number;
  readonly column: number;
  readonly file: string | undefined;
  /** The message without its position. */
  readonly reason: string;

  constructor(code: 'QASM_PARSE' | 'UNSUPPORTED', reason: string, line: number, column: number, file?: string) {
    const l = Math.max(1, line | 0);
    const c = Math.max(1, column | 0);
    super(code, `${file === undefined ? '' : `${file}:`}${l}:${c}: ${reason}`, {
      details: { line: l, column: c, ...(file === undefined ? {} : { file }) },
    });
    this.name = 'QasmError';
    this.line = l;
    this.column = c;
    this.file = file;
    this.reason = reason;
  }
}

export function isQasmError(e: unknown): e is QasmError {
  return e instanceof QasmError;
}

/** `FILE:LINE:COL: message` (FILE is `<input>` for in-memory sources), the form compilers print. */
export function formatQasmError(e: QasmError): string {
  return `${e.file ?? '<input>'}:${e.line}:${e.column}: ${e.reason}`;
}

/**
 * A lookup table without a prototype: user-supplied names such as 'constructor' or 'toString'
 * must not find Object.prototype's members.
 */
export function dict<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/** A position in the source, carried by tokens and AST nodes. */
export interface Pos {
  readonly line: number;
  readonly col: number;
}

export function parseError(reason: string, at: Pos, file?: string): QasmError {
  return new QasmError('QASM_PARSE', reason, at.line, at.col, file);
}

/** The standard wording for a construct qbridge does not run, e.g. "'while' loops (line 4, column 1) are not supported". */
export function unsupported(construct: string, at: Pos, file?: string, why = 'qbridge runs circuit-level OpenQASM 3'): QasmError {
  return new QasmError(
    'UNSUPPORTED',
    `UNSUPPORTED: ${construct} (line ${at.line}, column ${at.col}) ${construct.endsWith('s') ? 'are' : 'is'} not supported: ${why}`,
    at.line,
    at.col,
    file,
  );
}
