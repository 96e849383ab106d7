/**
 * Shared helpers for the benchmark suites: timing with medians, plain aligned tables, PASS/FAIL
 * marks, and the JSON results file. No dependencies beyond Node.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';

const gcFn = (globalThis as { gc?: () => void }).gc;

/** Collects garbage when Node runs with --expose-gc (npm run bench does); a no-op otherwise. */
export function gc(): void {
  if (gcFn) gcFn();
}

export const hasGc = gcFn !== undefined;

/** Command-line flags after the suite names: `--no-peers`, `--reps=N`. */
export const flags = {
  noPeers: process.argv.includes('--no-peers'),
  reps: (() => {
    const a = process.argv.find((x) => x.startsWith('--reps='));
    const n = a ? Number(a.slice(7)) : NaN;
    return Number.isInteger(n) && n > 0 ? n : undefined;
  })(),
};

export interface Timing {
  /** Median wall time of one repetition, in ms. */
  median: number;
  min: number;
  max: number;
  reps: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Times `fn`: `warmup` untimed calls, then repetitions until `reps` are done or (after at least
 * `minReps`) `budgetMs` of timed work has passed. Garbage is collected once before the timed calls.
 */
export function timeIt(fn: () => void, opts: { reps?: number; minReps?: number; warmup?: number; budgetMs?: number } = {}): Timing {
  const reps = flags.reps ?? opts.reps ?? 7;
  const minReps = Math.min(opts.minReps ?? 3, reps);
  const budget = opts.budgetMs ?? Infinity;
  for (let i = 0; i < (opts.warmup ?? 1); i++) fn();
  // One collection before the series, not before each call: a forced full GC just before a pass was
  // measured to make that pass 2-3x slower here (caches and pages go cold).
  gc();
  const samples: number[] = [];
  let spent = 0;
  while (samples.length < reps && (samples.length < minReps || spent < budget)) {
    const t0 = performance.now();
    fn();
    const dt = performance.now() - t0;
    samples.push(dt);
    spent += dt;
  }
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), reps: samples.length };
}

/** Human time from milliseconds: "812 ns", "3.42 µs", "1.23 ms", "4.56 s". */
export function fmtTime(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  const a = Math.abs(ms);
  if (a >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  if (a >= 1) return `${ms.toPrecision(3)} ms`;
  if (a >= 1e-3) return `${(ms * 1e3).toPrecision(3)} µs`;
  return `${(ms * 1e6).toPrecision(3)} ns`;
}

export function fmtRatio(x: number): string {
  if (!Number.isFinite(x)) return '-';
  if (x >= 100) return `${Math.round(x).toLocaleString('en-US')}x`;
  return `${x.toPrecision(3)}x`;
}

const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;

/** PASS / FAIL, coloured only on a terminal. */
export function mark(ok: boolean): string {
  const s = ok ? 'PASS' : 'FAIL';
  if (!colour) return s;
  return ok ? `\x1b[32m${s}\x1b[0m` : `\x1b[31m${s}\x1b[0m`;
}

function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}

/**
 * A plain aligned table. Columns whose cells look numeric (start with a digit, '-', '+' or '~') are
 * right-aligned, the others left-aligned.
 */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const w = headers.map((h, c) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[c] ?? ''))));
  const numeric = headers.map((_, c) => rows.length > 0 && rows.every((r) => /^[-+~\d]/.test(r[c] ?? '') || (r[c] ?? '') === ''));
  const pad = (s: string, c: number): string => {
    const gap = ' '.repeat(Math.max(0, w[c] - visibleLength(s)));
    return numeric[c] ? gap + s : s + gap;
  };
  const line = (cells: readonly string[]): string =>
    cells
      .map((s, c) => pad(s, c))
      .join('  ')
      .trimEnd();
  return [line(headers), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map((r) => line(r))].join('\n');
}

export function heading(title: string): void {
  console.log(`\n== ${title} ==`);
}

/** One-line description of the machine and its current load (the VM is shared; say so in results). */
export function machine(): { node: string; cpu: string; cores: number; memGiB: number; load: number[]; gc: boolean } {
  const c = cpus();
  return {
    node: process.version,
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    load: loadavg().map((x) => Math.round(x * 100) / 100),
    gc: hasGc,
  };
}

export function loadNow(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
}

/** Writes bench/results/<suite>.json (the directory is created when missing). */
export function writeResults(suite: string, data: unknown): string {
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${suite}.json`, dir);
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file.pathname;
}
