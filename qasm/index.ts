import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Circuit } from '../src/index.js';
import { parseError } from './errors.js';
import { qasmToCircuit, type LowerOptions } from './lower.js';

/**
 * qbridge's OpenQASM front and back end: parse OpenQASM 3 (and 2.0) into the IR, and print the IR
 * as OpenQASM 3 in the dialect a provider accepts.
 */
export { parseQasm, type ParseOptions } from './parser.js';
export { qasmToCircuit, lowerProgram, DEFAULT_MAX_INSTRUCTIONS, type LowerOptions } from './lower.js';
export { QasmError, formatQasmError, isQasmError } from './errors.js';
export { emitQasm, emitQasmDetailed, type EmitOptions, type EmitResult, type Dialect } from './emit.js';
export type * as QasmAst from './ast.js';

/** Reads an OpenQASM file and lowers it; includes resolve relative to the file. */
export function loadQasmFile(path: string, options: Omit<LowerOptions, 'file'> = {}): Circuit {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw parseError(`cannot read OpenQASM file: ${why}`, { line: 1, col: 1 }, path);
  }
  return qasmToCircuit(text, { includeDir: dirname(resolve(path)), ...options, file: path });
}
