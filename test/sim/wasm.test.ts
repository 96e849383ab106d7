import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as K from '../../src/sim/kernels.js';
import { WASM_MAX_QUBITS, createWasmState, wasmAvailable, type WasmState } from '../../src/sim/wasm/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TOL = 1e-13;

/** mulberry32: a small deterministic generator for the test data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomArray(r: () => number, len: number): Float64Array {
  const a = new Float64Array(len);
  for (let i = 0; i < len; i++) a[i] = r() * 2 - 1;
  return a;
}

/** Control sets (positions and the cval bits they fire on) for targets `targets` in n qubits. */
function controlSets(n: number, targets: readonly number[], r: () => number): { ctrls: number[]; cval: number }[] {
  const free = Array.from({ length: n }, (_, i) => i).filter((i) => !targets.includes(i));
  const out: { ctrls: number[]; cval: number }[] = [{ ctrls: [], cval: 0 }];
  for (const c of free) {
    out.push({ ctrls: [c], cval: 1 << c });
    out.push({ ctrls: [c], cval: 0 }); // negated control
  }
  const pairs: [number, number][] = [];
  for (let i = 0; i < free.length; i++) for (let j = i + 1; j < free.length; j++) pairs.push([free[i], free[j]]);
  // Every pair for small registers; the extremes plus a random sample for larger ones.
  const chosen =
    free.length <= 6
      ? pairs
      : [pairs[0], pairs[pairs.length - 1], ...Array.from({ length: 6 }, () => pairs[Math.floor(r() * pairs.length)])];
  chosen.forEach(([a, b], k) => {
    const pat = k % 4; // both fire on 1, one negated, the other negated, both negated
    out.push({ ctrls: [a, b], cval: (pat & 1 ? 0 : 1 << a) | (pat & 2 ? 0 : 1 << b) });
  });
  return out;
}

function sortedPos(xs: number[]): Int32Array {
  return Int32Array.from([...xs].sort((a, b) => a - b));
}

function maskOf(xs: number[]): number {
  return xs.reduce((m, c) => m | (1 << c), 0);
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** Runs one case: the same random state through the JS kernel and the wasm kernel. */
function check(ws: WasmState, init: Float64Array, js: (s: Float64Array) => void, wasm: (w: WasmState) => void, what: string): void {
  const ref = init.slice();
  js(ref);
  ws.state.set(init);
  wasm(ws);
  const d = maxDiff(ref, ws.state);
  if (!(d <= TOL)) expect.fail(`${what}: max |js - wasm| = ${d}`);
}

const available = wasmAvailable();

describe.skipIf(!available)('wasm SIMD kernels equal the JS kernels', () => {
  it('reports availability and sizes', () => {
    expect(available).toBe(true);
    expect(createWasmState(WASM_MAX_QUBITS + 1)).toBeUndefined();
    const w = createWasmState(3)!;
    expect(w.n).toBe(3);
    expect(w.state.length).toBe(16);
    expect(w.state.every((x) => x === 0)).toBe(true);
    expect(() => createWasmState(-1)).toThrow(RangeError);
  });

  for (let n = 1; n <= 12; n++) {
    it(`one-target kernels, n = ${n}`, () => {
      const r = rng(1000 + n);
      const ws = createWasmState(n)!;
      const init = randomArray(r, 2 << n);
      const m = randomArray(r, 8);
      const [a, b, c, d] = [r() - 0.5, r() - 0.5, r() - 0.5, r() - 0.5];
      const [d0r, d0i, d1r, d1i] = [r() - 0.5, r() - 0.5, r() - 0.5, r() - 0.5];
      const mReal = Float64Array.from([a, 0, b, 0, c, 0, d, 0]);
      for (let q = 0; q < n; q++) {
        check(
          ws,
          init,
          (s) => K.apply1(s, n, q, m),
          (w) => w.k.apply1(q, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]),
          `apply1 q=${q}`,
        );
        check(
          ws,
          init,
          (s) => K.apply1Real(s, n, q, a, b, c, d),
          (w) => w.k.apply1Real(q, a, b, c, d),
          `apply1Real q=${q}`,
        );
        check(
          ws,
          init,
          (s) => K.apply1Diag(s, n, q, d0r, d0i, d1r, d1i),
          (w) => w.k.apply1Diag(q, d0r, d0i, d1r, d1i),
          `apply1Diag q=${q}`,
        );
        check(
          ws,
          init,
          (s) => K.apply1Diag(s, n, q, 1, 0, d1r, d1i),
          (w) => w.k.apply1Diag(q, 1, 0, d1r, d1i),
          `apply1Diag(1, d1) q=${q}`,
        );
        check(
          ws,
          init,
          (s) => K.apply1Anti(s, n, q, d0r, d0i, d1r, d1i),
          (w) => w.k.apply1Anti(q, d0r, d0i, d1r, d1i),
          `apply1Anti q=${q}`,
        );
        check(
          ws,
          init,
          (s) => K.apply1Anti(s, n, q, 1, 0, 1, 0),
          (w) => w.k.apply1Anti(q, 1, 0, 1, 0),
          `apply1Anti X q=${q}`,
        );
        for (const { ctrls, cval } of controlSets(n, [q], r)) {
          const pos = sortedPos([...ctrls, q]);
          const cm = maskOf(ctrls);
          const tag = `q=${q} ctrls=[${ctrls}] cval=${cval}`;
          check(
            ws,
            init,
            (s) => K.apply1Ctrl(s, n, q, m, pos, cval),
            (w) => w.k.apply1Ctrl(q, cm, cval, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]),
            `apply1Ctrl ${tag}`,
          );
          check(
            ws,
            init,
            (s) => K.apply1Ctrl(s, n, q, mReal, pos, cval),
            (w) => w.k.apply1Ctrl(q, cm, cval, a, 0, b, 0, c, 0, d, 0),
            `apply1Ctrl real ${tag}`,
          );
          check(
            ws,
            init,
            (s) => K.apply1CtrlDiag(s, n, q, d0r, d0i, d1r, d1i, pos, cval),
            (w) => w.k.apply1CtrlDiag(q, cm, cval, d0r, d0i, d1r, d1i),
            `apply1CtrlDiag ${tag}`,
          );
          check(
            ws,
            init,
            (s) => K.apply1CtrlDiag(s, n, q, 1, 0, d1r, d1i, pos, cval),
            (w) => w.k.apply1CtrlDiag(q, cm, cval, 1, 0, d1r, d1i),
            `apply1CtrlDiag(1, d1) ${tag}`,
          );
          check(
            ws,
            init,
            (s) => K.apply1CtrlAnti(s, n, q, d0r, d0i, d1r, d1i, pos, cval),
            (w) => w.k.apply1CtrlAnti(q, cm, cval, d0r, d0i, d1r, d1i),
            `apply1CtrlAnti ${tag}`,
          );
          check(
            ws,
            init,
            (s) => K.apply1CtrlAnti(s, n, q, 1, 0, 1, 0, pos, cval),
            (w) => w.k.apply1CtrlAnti(q, cm, cval, 1, 0, 1, 0),
            `apply1CtrlAnti X ${tag}`,
          );
        }
      }
      // Phases: no target; controls anywhere (including none: a global phase).
      for (const { ctrls, cval } of controlSets(n, [], r)) {
        const cpos = sortedPos(ctrls);
        check(
          ws,
          init,
          (s) => K.applyPhase(s, n, d0r, d0i, cpos, cval),
          (w) => w.k.applyPhase(maskOf(ctrls), cval, d0r, d0i),
          `applyPhase ctrls=[${ctrls}] cval=${cval}`,
        );
      }
    });
  }

  for (let n = 2; n <= 12; n++) {
    it(`two-target kernels, n = ${n}`, () => {
      const r = rng(2000 + n);
      const ws = createWasmState(n)!;
      const init = randomArray(r, 2 << n);
      const m = randomArray(r, 32);
      const dg = randomArray(r, 8);
      for (let qa = 0; qa < n; qa++) {
        for (let qb = 0; qb < n; qb++) {
          if (qa === qb) continue;
          const sets = controlSets(n, [qa, qb], r);
          // Larger registers: every target pair uncontrolled and singly controlled, a sample of the rest.
          const use = n <= 6 ? sets : sets.filter((s, k) => s.ctrls.length < 2 || k % 3 === (qa + qb) % 3);
          for (const { ctrls, cval } of use) {
            const pos = sortedPos([...ctrls, qa, qb]);
            const cm = maskOf(ctrls);
            const tag = `qa=${qa} qb=${qb} ctrls=[${ctrls}] cval=${cval}`;
            check(
              ws,
              init,
              (s) => K.apply2(s, n, qa, qb, m, pos, cval),
              (w) => w.k.apply2(qa, qb, cm, cval, m),
              `apply2 ${tag}`,
            );
            check(
              ws,
              init,
              (s) => K.apply2Diag(s, n, qa, qb, dg, pos, cval),
              (w) => w.k.apply2Diag(qa, qb, cm, cval, dg),
              `apply2Diag ${tag}`,
            );
            check(
              ws,
              init,
              (s) => K.applySwap(s, n, qa, qb, pos, cval),
              (w) => w.k.applySwap(qa, qb, cm, cval),
              `applySwap ${tag}`,
            );
          }
        }
      }
    });
  }

  it('keeps the state view attached and the kernels allocation-free across many calls', () => {
    const ws = createWasmState(10)!;
    const view = ws.state;
    view[0] = 1;
    for (let k = 0; k < 2000; k++) ws.k.apply1Real(k % 10, Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2, -Math.SQRT1_2);
    expect(view.byteLength).toBe(16 << 10);
    expect(ws.state).toBe(view);
    let norm = 0;
    for (let i = 0; i < view.length; i++) norm += view[i] * view[i];
    expect(norm).toBeCloseTo(1, 12);
  });

  it('gives each state its own memory', () => {
    const a = createWasmState(4)!;
    const b = createWasmState(4)!;
    a.state[0] = 1;
    b.state[0] = 1;
    a.k.apply1Anti(0, 1, 0, 1, 0);
    expect(a.state[2]).toBe(1);
    expect(b.state[0]).toBe(1);
    expect(b.state[2]).toBe(0);
  });
});

describe('committed wasm binary', () => {
  it('matches a fresh build of the AssemblyScript source', (ctx) => {
    if (!existsSync(resolve(root, 'node_modules/assemblyscript/package.json'))) {
      ctx.skip('assemblyscript is not installed: cannot rebuild the wasm kernels to compare');
      return;
    }
    const res = spawnSync(process.execPath, [resolve(root, 'scripts/build-wasm.mjs'), '--check'], { cwd: root, encoding: 'utf8' });
    expect(res.stderr + res.stdout).toContain('up to date');
    expect(res.status).toBe(0);
  });
});
