/**
 * Kernel micro-benchmark: the plain-TypeScript statevector kernels (src/sim/kernels.ts) against the
 * WebAssembly SIMD ones (src/sim/wasm), one pass per repetition at 20 and 24 qubits for target
 * qubits 0, 1, n/2 and n-1, plus the memory floors: a JS read-modify-write pass over the same bytes
 * (a[i] = a[i]*s + t, best of a plain and a 4-way unrolled loop) and the wasm f64x2 one.
 *
 *   node --expose-gc --import tsx bench/kernels.ts [--reps=N] [--sizes=20,24] [--only=real,CNOT]
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as K from '../src/sim/kernels.js';
import { createWasmState, wasmAvailable, type WasmState } from '../src/sim/wasm/index.js';
import { fmtRatio, fmtTime, gc, heading, machine, median, table, writeResults } from './util.js';

const REPS = (() => {
  const a = process.argv.find((x) => x.startsWith('--reps='));
  const n = a ? Number(a.slice(7)) : NaN;
  return Number.isInteger(n) && n >= 7 ? n : 7;
})();

const SIZES = (() => {
  const a = process.argv.find((x) => x.startsWith('--sizes='));
  const xs = a
    ? a
        .slice(8)
        .split(',')
        .map(Number)
        .filter((x) => Number.isInteger(x) && x >= 4 && x <= 27)
    : [];
  return xs.length ? xs : [20, 24];
})();

/** `--only=4x4,CNOT`: run only the kernels whose names contain one of these strings. */
const ONLY = (() => {
  const a = process.argv.find((x) => x.startsWith('--only='));
  return a ? a.slice(7).split(',').filter(Boolean) : [];
})();

/**
 * Median wall time (ms) of `REPS` consecutive calls after `warmup` untimed ones. Consecutive, as in
 * a circuit, where each kernel finds the state as warm as the previous kernel left it; and no
 * garbage collection in between (the kernels allocate nothing; on this VM a forced full GC right
 * before a pass makes that pass 2-3x slower).
 */
function time(fn: () => void, warmup = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  const xs: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

/**
 * Fresh memory on this VM is slow for a while after first touch (the host backs it lazily): sweep
 * both states until at least `ms` have passed, so timings measure the kernels and not page warming.
 */
function warmMemory(arrays: Float64Array[], ms: number): void {
  const t0 = performance.now();
  do for (const a of arrays) rmwUnrolled(a, 1, 0);
  while (performance.now() - t0 < ms);
}

interface Case {
  name: string;
  js: (s: Float64Array, n: number, q: number) => void;
  wasm: (w: WasmState, q: number) => void;
}

// Unitary test data, so repeated passes keep the norm (no overflow or denormals).
const H = Math.SQRT1_2;
const [th, ph, la] = [0.7, 0.3, -1.1];
const U3 = Float64Array.from([
  Math.cos(th / 2),
  0,
  -Math.cos(la) * Math.sin(th / 2),
  -Math.sin(la) * Math.sin(th / 2),
  Math.cos(ph) * Math.sin(th / 2),
  Math.sin(ph) * Math.sin(th / 2),
  Math.cos(ph + la) * Math.cos(th / 2),
  Math.sin(ph + la) * Math.cos(th / 2),
]);
const RZ = [Math.cos(0.4), -Math.sin(0.4), Math.cos(0.4), Math.sin(0.4)];
const U4 = (() => {
  // U3 ⊗ U3 as a 4x4 complex matrix (row-major, matrix bit 0 = first target).
  const m = new Float64Array(32);
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++) {
      const a = 2 * ((r & 1) * 2 + (c & 1)),
        b = 2 * ((r >> 1) * 2 + (c >> 1));
      m[8 * r + 2 * c] = U3[a] * U3[b] - U3[a + 1] * U3[b + 1];
      m[8 * r + 2 * c + 1] = U3[a] * U3[b + 1] + U3[a + 1] * U3[b];
    }
  return m;
})();
const D4 = Float64Array.from([RZ[0], RZ[1], RZ[2], RZ[3], RZ[2], RZ[3], RZ[0], RZ[1]]);

/** The partner qubit for controlled and two-target cases: the next one up (0 for n-1). */
const other = (q: number, n: number): number => (q + 1) % n;

const cases: Case[] = [
  { name: 'real 2x2 (H)', js: (s, n, q) => K.apply1Real(s, n, q, H, H, H, -H), wasm: (w, q) => w.k.apply1Real(q, H, H, H, -H) },
  {
    name: 'complex 2x2 (U3)',
    js: (s, n, q) => K.apply1(s, n, q, U3),
    wasm: (w, q) => w.k.apply1(q, U3[0], U3[1], U3[2], U3[3], U3[4], U3[5], U3[6], U3[7]),
  },
  {
    name: 'diag (RZ)',
    js: (s, n, q) => K.apply1Diag(s, n, q, RZ[0], RZ[1], RZ[2], RZ[3]),
    wasm: (w, q) => w.k.apply1Diag(q, RZ[0], RZ[1], RZ[2], RZ[3]),
  },
  { name: 'X', js: (s, n, q) => K.apply1Anti(s, n, q, 1, 0, 1, 0), wasm: (w, q) => w.k.apply1Anti(q, 1, 0, 1, 0) },
  {
    name: 'CNOT (ctrl q+1)',
    js: (s, n, q) => K.apply1CtrlAnti(s, n, q, 1, 0, 1, 0, Int32Array.from([q, other(q, n)].sort((a, b) => a - b)), 1 << other(q, n)),
    wasm: (w, q) => w.k.apply1CtrlAnti(q, 1 << other(q, w.n), 1 << other(q, w.n), 1, 0, 1, 0),
  },
  {
    name: 'CU3 (ctrl q+1)',
    js: (s, n, q) => K.apply1Ctrl(s, n, q, U3, Int32Array.from([q, other(q, n)].sort((a, b) => a - b)), 1 << other(q, n)),
    wasm: (w, q) => {
      const c = 1 << other(q, w.n);
      w.k.apply1Ctrl(q, c, c, U3[0], U3[1], U3[2], U3[3], U3[4], U3[5], U3[6], U3[7]);
    },
  },
  {
    name: 'CP (ctrl q+1)',
    js: (s, n, q) =>
      K.apply1CtrlDiag(s, n, q, 1, 0, RZ[2], RZ[3], Int32Array.from([q, other(q, n)].sort((a, b) => a - b)), 1 << other(q, n)),
    wasm: (w, q) => w.k.apply1CtrlDiag(q, 1 << other(q, w.n), 1 << other(q, w.n), 1, 0, RZ[2], RZ[3]),
  },
  {
    name: '4x4 (q, q+1)',
    js: (s, n, q) => K.apply2(s, n, q, other(q, n), U4, Int32Array.from([q, other(q, n)].sort((a, b) => a - b)), 0),
    wasm: (w, q) => w.k.apply2(q, other(q, w.n), 0, 0, U4),
  },
  {
    name: 'diag 4x4 (RZZ)',
    js: (s, n, q) => K.apply2Diag(s, n, q, other(q, n), D4, Int32Array.from([q, other(q, n)].sort((a, b) => a - b)), 0),
    wasm: (w, q) => w.k.apply2Diag(q, other(q, w.n), 0, 0, D4),
  },
  {
    name: 'SWAP (q, q+1)',
    js: (s, n, q) => K.applySwap(s, n, q, other(q, n), Int32Array.from([q, other(q, n)].sort((a, b) => a - b)), 0),
    wasm: (w, q) => w.k.applySwap(q, other(q, w.n), 0, 0),
  },
];

function rmwPlain(a: Float64Array, s: number, t: number): void {
  for (let i = 0; i < a.length; i++) a[i] = a[i] * s + t;
}

function rmwUnrolled(a: Float64Array, s: number, t: number): void {
  const len = a.length;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    a[i] = a[i] * s + t;
    a[i + 1] = a[i + 1] * s + t;
    a[i + 2] = a[i + 2] * s + t;
    a[i + 3] = a[i + 3] * s + t;
  }
  for (; i < len; i++) a[i] = a[i] * s + t;
}

function fill(s: Float64Array): void {
  const amp = 1 / Math.sqrt(s.length / 2);
  for (let i = 0; i < s.length; i += 2) {
    s[i] = amp * Math.cos(i);
    s[i + 1] = amp * Math.sin(i);
  }
}

export interface KernelRow {
  n: number;
  kernel: string;
  q: number;
  jsMs: number;
  wasmMs: number;
}

export async function benchKernels(): Promise<{ rows: KernelRow[]; floors: { n: number; jsMs: number; wasmMs: number }[] }> {
  heading('statevector kernels: TypeScript vs WebAssembly SIMD (one pass, median of ' + REPS + ')');
  if (!wasmAvailable()) {
    console.log('WebAssembly SIMD is not available here: nothing to compare.');
    return { rows: [], floors: [] };
  }
  // Warm both tiers on a small state so the timed passes run optimised code (V8 shares wasm code
  // across instances of one module).
  {
    const n = 12;
    const w = createWasmState(n)!;
    const s = new Float64Array(2 << n);
    fill(s);
    w.state.set(s);
    for (let it = 0; it < 50; it++)
      for (const c of cases)
        for (const q of [0, 1, n >> 1, n - 1]) {
          c.js(s, n, q);
          c.wasm(w, q);
        }
    for (let it = 0; it < 50; it++) {
      rmwPlain(s, 1, 0);
      rmwUnrolled(s, 1, 0);
      w.k.rmw(1, 0);
    }
  }
  const rows: KernelRow[] = [];
  const floors: { n: number; jsMs: number; wasmMs: number }[] = [];
  for (const n of SIZES) {
    const w = createWasmState(n);
    if (!w) continue;
    const s = new Float64Array(2 << n);
    fill(s);
    w.state.set(s);
    gc();
    warmMemory([s, w.state], n >= 24 ? 6000 : 3000);
    // Floors before and after the kernels (best of the two), so a slow spell of the VM shows.
    let jsPlain = time(() => rmwPlain(s, 0.9999999, 1e-12), 2);
    let jsUnrolled = time(() => rmwUnrolled(s, 0.9999999, 1e-12), 2);
    let wasmFloor = time(() => w.k.rmw(0.9999999, 1e-12), 2);
    fill(s);
    w.state.set(s);
    const out: string[][] = [];
    for (const c of cases) {
      if (ONLY.length && !ONLY.some((o) => c.name.includes(o))) continue;
      for (const q of [0, 1, n >> 1, n - 1]) {
        const jsMs = time(() => c.js(s, n, q));
        const wasmMs = time(() => c.wasm(w, q));
        rows.push({ n, kernel: c.name, q, jsMs, wasmMs });
        out.push([c.name, String(q), fmtTime(jsMs), fmtTime(wasmMs), fmtRatio(jsMs / wasmMs), String(wasmMs)]);
      }
    }
    jsPlain = Math.min(
      jsPlain,
      time(() => rmwPlain(s, 0.9999999, 1e-12), 2),
    );
    jsUnrolled = Math.min(
      jsUnrolled,
      time(() => rmwUnrolled(s, 0.9999999, 1e-12), 2),
    );
    wasmFloor = Math.min(
      wasmFloor,
      time(() => w.k.rmw(0.9999999, 1e-12), 2),
    );
    const jsFloor = Math.min(jsPlain, jsUnrolled);
    floors.push({ n, jsMs: jsFloor, wasmMs: wasmFloor });
    for (const r of out) {
      const wasmMs = Number(r.pop());
      r.push(fmtRatio(wasmMs / jsFloor), fmtRatio(wasmMs / wasmFloor));
    }
    console.log(`\n${n} qubits (${(16 * 2 ** n) / 2 ** 20} MiB state)`);
    console.log(
      `floor: JS RMW ${fmtTime(jsFloor)} (plain ${fmtTime(jsPlain)}, unrolled x4 ${fmtTime(jsUnrolled)}), ` +
        `wasm f64x2 RMW ${fmtTime(wasmFloor)}`,
    );
    console.log(table(['kernel', 'q', 'JS', 'wasm', 'JS/wasm', 'wasm/JS-floor', 'wasm/wasm-floor'], out));
  }
  writeResults('kernels', { machine: machine(), reps: REPS, rows, floors });
  return { rows, floors };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await benchKernels();
}
