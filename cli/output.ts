import { isQError, QError } from '../src/index.js';

/** Exit codes: 0 success, 2 bad input or usage, 1 runtime failure. */
export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

const INPUT_CODES = new Set(['VALIDATION', 'QASM_PARSE', 'UNSUPPORTED', 'COMPILE', 'RESOURCE']);

/** The one line a user sees for an error, and the exit code it maps to. Never a stack trace. */
export function describeError(e: unknown): { line: string; code: number } {
  if (isQError(e)) {
    // Positioned errors (QASM) print as FILE:LINE:COL: reason, the form editors and compilers use.
    const p = e as QError & { file?: string; line?: number; column?: number; reason?: string };
    const text = typeof p.line === 'number' ? `${p.file ?? '<input>'}:${p.line}:${p.column ?? 1}: ${p.reason ?? e.message}` : e.message;
    return { line: text, code: INPUT_CODES.has(e.code) ? EXIT_USAGE : EXIT_RUNTIME };
  }
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err === 'object' && (err.code === 'ENOENT' || err.code === 'EISDIR' || err.code === 'EACCES')) {
    const path = (err as { path?: string }).path ?? '';
    const what = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory, not a file' : 'permission denied';
    return { line: `${path}: ${what}`, code: EXIT_USAGE };
  }
  return { line: `internal error: ${(e as Error)?.message ?? String(e)}`, code: EXIT_RUNTIME };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** A progress bar on stderr, drawn only on a TTY (and never in --json mode). */
export function progressBar(total: number, label: string, enabled: boolean): { tick(n?: number, note?: string): void; done(): void } {
  const on = enabled && process.stderr.isTTY === true;
  let cur = 0;
  const start = Date.now();
  const draw = (note = ''): void => {
    if (!on) return;
    const width = 28;
    const frac = total > 0 ? Math.min(1, cur / total) : 1;
    const fill = Math.round(frac * width);
    const elapsed = (Date.now() - start) / 1000;
    const eta = frac > 0 && frac < 1 ? ` eta ${Math.ceil((elapsed / frac) * (1 - frac))}s` : '';
    process.stderr.write(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${cur}/${total}${eta} ${note}\x1b[K`);
  };
  return {
    tick(n = 1, note = '') {
      cur += n;
      draw(note);
    },
    done() {
      if (on) process.stderr.write('\n');
    },
  };
}
