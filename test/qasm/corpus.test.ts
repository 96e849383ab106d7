import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatQasmError, qasmToCircuit, QasmError } from '../../qasm/index.js';
import { prng } from './helpers.js';

/**
 * Malformed and hostile programs: each must give a clean QasmError (line and column >= 1, a
 * message that is not an internal error) quickly, never a crash, a stack overflow or a hang.
 */
const here = dirname(fileURLToPath(import.meta.url));
const badDir = join(here, 'corpus', 'bad');

function expectClean(src: string, options: Parameters<typeof qasmToCircuit>[1] = {}): QasmError {
  const t0 = performance.now();
  let err: unknown;
  try {
    qasmToCircuit(src, options);
  } catch (e) {
    err = e;
  }
  const ms = performance.now() - t0;
  expect(err, 'expected an error').toBeInstanceOf(QasmError);
  const e = err as QasmError;
  expect(e.line).toBeGreaterThanOrEqual(1);
  expect(e.column).toBeGreaterThanOrEqual(1);
  expect(e.message).not.toMatch(/internal error/);
  expect(['QASM_PARSE', 'UNSUPPORTED']).toContain(e.code);
  expect(ms).toBeLessThan(3000);
  return e;
}

/** Either a circuit or a clean QasmError: fuzz inputs may happen to be valid. */
function expectNoCrash(src: string): void {
  try {
    qasmToCircuit(src, { maxInstructions: 10_000 });
  } catch (e) {
    if (!(e instanceof QasmError)) throw new Error(`non-QasmError ${String(e)} for input ${JSON.stringify(src.slice(0, 200))}`);
    expect(e.message).not.toMatch(/internal error/);
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
  }
}

describe('bad input corpus (files)', () => {
  const files = readdirSync(badDir)
    .filter((f) => f.endsWith('.qasm'))
    .sort();
  it('has at least 40 programs', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });
  for (const f of files) {
    it(f, { timeout: 10_000 }, () => {
      const src = readFileSync(join(badDir, f), 'utf8');
      const m = /^\/\/ expect: (.*)$/m.exec(src);
      const e = expectClean(src, { file: f, includeDir: badDir });
      if (m) expect(e.reason).toMatch(new RegExp(m[1]));
      expect(formatQasmError(e)).toMatch(new RegExp(`^${f.replace('.', '\\.')}:\\d+:\\d+: `));
    });
  }
});

describe('hostile input', () => {
  const MB = 1 << 20;
  it('1 MB of nested parentheses', { timeout: 10_000 }, () => {
    const e = expectClean('qubit q;\nrx(' + '('.repeat(MB) + '1' + ')'.repeat(MB) + ') q;');
    expect(e.reason).toMatch(/nesting deeper than 256/);
  });
  it('1 MB of nested braces', { timeout: 10_000 }, () => {
    expect(expectClean('{'.repeat(MB)).reason).toMatch(/nesting deeper than 256/);
    expect(expectClean('qubit q;\nfor int i in [0:1] '.repeat(1) + '{ '.repeat(MB / 2)).reason).toMatch(/nesting/);
  });
  it('1 MB of unary minus and of right-associative powers', { timeout: 10_000 }, () => {
    expectClean('qubit q;\nrx(' + '-'.repeat(MB) + '1) q;');
    expectClean('qubit q;\nrx(' + '2**'.repeat(MB / 3) + '2) q;');
  });
  it('a 1 MB flat expression', { timeout: 10_000 }, () => {
    expect(expectClean('qubit q;\nrx(' + '1+'.repeat(MB / 2) + '1) q;').reason).toMatch(/more than 4096 operators/);
  });
  it('1 MB of modifiers', { timeout: 10_000 }, () => {
    expectClean('qubit q;\n' + 'ctrl @ '.repeat(MB / 7) + 'x q;');
    // an even number of inv modifiers is a valid program: it must simply not crash
    expectNoCrash('qubit q;\n' + 'inv @ '.repeat(MB / 6) + 'x q;');
  });
  it('NUL bytes and binary junk', { timeout: 20_000 }, () => {
    expect(expectClean('OPENQASM 3.0;\nqubit q;\nh q;\0\0\0').reason).toMatch(/U\+0000/);
    const r = prng(99);
    for (let k = 0; k < 300; k++) {
      const n = 1 + Math.floor(r() * 400);
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(r() * 256));
      expectNoCrash(s);
      expectNoCrash('OPENQASM 3.0;\nqubit[2] q;\n' + s);
    }
  });
  it('random token soup', { timeout: 20_000 }, () => {
    const vocab = [
      'qubit',
      'bit',
      'q',
      'c',
      '[',
      ']',
      '(',
      ')',
      '{',
      '}',
      ';',
      ',',
      '=',
      '->',
      '@',
      'ctrl',
      'negctrl',
      'inv',
      'pow',
      'gate',
      'measure',
      'reset',
      'barrier',
      'delay',
      'for',
      'int',
      'in',
      ':',
      'h',
      'cx',
      'rx',
      'U',
      'gphase',
      'pi',
      '1',
      '2',
      '0.5',
      '-',
      '+',
      '*',
      '/',
      '**',
      '$0',
      '$1',
      'input',
      'float',
      'const',
      'box',
      '100ns',
      '#pragma x\n',
      '@ann x\n',
      '"s"',
      'include',
      'OPENQASM',
      '3',
      '\n',
      '//c\n',
      '/*',
      '*/',
      'if',
      'def',
      'theta',
      'sin',
    ];
    const r = prng(1234);
    for (let k = 0; k < 2000; k++) {
      const n = 1 + Math.floor(r() * 30);
      const toks: string[] = [];
      for (let i = 0; i < n; i++) toks.push(vocab[Math.floor(r() * vocab.length)]);
      expectNoCrash(toks.join(' '));
      expectNoCrash('OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\ninput float theta;\n' + toks.join(' '));
    }
  });
  it('huge loops are refused before they allocate', { timeout: 10_000 }, () => {
    const e = expectClean('qubit q;\nfor int i in [0:1000000000] { h q; }');
    expect(e.reason).toMatch(/loop runs 1000000001 times/);
    expect(expectClean('qubit q;\npow(1000000000) @ x q;').reason).toMatch(/repeats the gate/);
  });
  it('nested loops and exponential gate nesting hit the instruction cap', { timeout: 10_000 }, () => {
    const nested = 'qubit q;\nfor int i in [0:999] { for int j in [0:999] { for int k in [0:999] { h q; } } }';
    expect(expectClean(nested, { maxInstructions: 50_000 }).reason).toMatch(/more than 50000 instructions/);
    let defs = 'qubit q;\ngate g0 a { h a; }\n';
    for (let i = 1; i <= 40; i++) defs += `gate g${i} a { g${i - 1} a; g${i - 1} a; }\n`;
    expect(expectClean(defs + 'g40 q;', { maxInstructions: 50_000 }).reason).toMatch(/more than 50000 instructions/);
  });
  it('gate definitions nested 300 deep', { timeout: 10_000 }, () => {
    let defs = 'qubit q;\ngate g0 a { h a; }\n';
    for (let i = 1; i <= 300; i++) defs += `gate g${i} a { g${i - 1} a; }\n`;
    expect(expectClean(defs + 'g300 q;').reason).toMatch(/nested deeper than 256/);
  });
  it('include cycles', () => {
    const e = expectClean('include "a.inc";', { includeResolver: (p) => (p === 'a.inc' ? 'include "b.inc";' : 'include "a.inc";') });
    expect(e.reason).toMatch(/include cycle/);
  });
  it('non-string input', () => {
    expectClean(undefined as unknown as string);
  });
});
