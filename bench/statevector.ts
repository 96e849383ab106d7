/**
 * Statevector suite: qbridge's simulator side by side with the npm simulators quantum-circuit and
 * jsqubits on the circuits of /work/shared/research/perf-anchors.md, plus the memory-bandwidth
 * floor measured in the same process.
 *
 * Circuit: L layers of [H on every qubit, RY(θ) on every qubit, CNOT chain q → q+1] (3n-1 gates per
 * layer). "Per gate" always divides by these logical gates, whatever our fusion does with them.
 *   (a) 20 qubits, 10 layers (590 gates), one run
 *   (b) 10 qubits, 10 layers, 1,000 runs with new angles (ours: prepare once, run per binding)
 *   (c) 12 qubits, 10 layers, then 10,000 shots
 *   (d) 24 qubits, 1 layer
 * Peers that would take minutes run on fewer layers / runs / qubits; their time per gate is scaled by
 * 2^(n - n_reduced) (a gate touches every amplitude of a dense state), and the table says so.
 */
import {
  CircuitBuilder,
  createRng,
  expectation,
  parsePauliSum,
  prepare,
  runCounts,
  statevector,
  sym,
  type Circuit,
  type Program,
  type Rng,
} from '../src/index.js';
import { flags, fmtRatio, fmtTime, gc, heading, loadNow, machine, mark, table, timeIt, writeResults, type Timing } from './util.js';
import { allocState, kernelsOf } from '../src/sim/program.js';

// ---- targets (from the issue) --------------------------------------------------------------------

const TARGET_A_MS_PER_GATE = 0.5;
const TARGET_B_US_PER_GATE = 0.3;
const TARGET_FLOOR_MULTIPLE = 1.5;
const TARGET_VS_QC = 1000;
const TARGET_VS_JSQ = 400;

// ---- reduced sizes for the peers (each takes seconds, not minutes) ---------------------------------

const PEER = {
  a: { n: 14 }, // full: 20 qubits x 10 layers (timed at 1 and 3 layers)
  b: { qcRuns: 10, jsqRuns: 40 }, // full: 1000 runs
  d: { n: 16, layers: 1 }, // full: 24 qubits x 1 layer
};

// ---- circuits ---------------------------------------------------------------------------------------

const gatesOf = (n: number, layers: number): number => layers * (3 * n - 1);

/** The layered circuit with one symbol per RY, named t<layer>_<qubit> (first-use order = layer-major). */
function layered(n: number, layers: number): Circuit {
  const b = new CircuitBuilder(n);
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) b.h(q);
    for (let q = 0; q < n; q++) b.ry(sym(`t${l}_${q}`), q);
    for (let q = 0; q + 1 < n; q++) b.cx(q, q + 1);
  }
  return b.build();
}

function randomAngles(rng: Rng, count: number): Float64Array {
  const a = new Float64Array(count);
  for (let i = 0; i < count; i++) a[i] = (rng.next() * 2 - 1) * Math.PI;
  return a;
}

function bindingsOf(c: Circuit, values: Float64Array): Record<string, number> {
  const r: Record<string, number> = {};
  c.parameters.forEach((p, i) => (r[p] = values[i]));
  return r;
}

const Z0 = parsePauliSum('Z0');

interface Observed {
  z0: number;
  p0: number;
}

function observe(s: Float64Array, n: number): Observed {
  return { z0: expectation(s, n, Z0), p0: s[0] * s[0] + s[1] * s[1] };
}

// ---- peers: thin typed views of the two npm packages (they ship no types) ------------------------------

interface QCState {
  re: number;
  im: number;
}
interface QCInstance {
  addGate(name: string, column: number, wires: number | number[], options?: { params?: Record<string, number> }): string;
  run(): void;
  measureAllMultishot(shots: number): Record<string, number>;
  state: Record<string, QCState>;
}
type QCCtor = new (n: number) => QCInstance;

interface JsqComplex {
  real: number;
  imaginary: number;
}
interface JsqState {
  hadamard(bits: number): JsqState;
  rotateY(bits: number, angle: number): JsqState;
  cnot(control: number, target: number): JsqState;
  measure(bits: unknown): { result: number };
  each(cb: (c: { index: string; amplitude: JsqComplex }) => unknown): void;
  random: () => number;
}
interface JsqModule {
  (bits: string): JsqState;
  ALL: unknown;
}

interface Peers {
  qc?: QCCtor;
  jsq?: JsqModule;
  notes: string[];
}

async function loadPeers(): Promise<Peers> {
  const notes: string[] = [];
  const peers: Peers = { notes };
  if (flags.noPeers) {
    notes.push('peers skipped (--no-peers)');
    return peers;
  }
  // Variable specifiers: neither package ships type declarations.
  const qcName: string = 'quantum-circuit';
  const jsqName: string = 'jsqubits';
  // quantum-circuit's bundled antlr4 prints "Accessing non-existent property" warnings on load; silence them.
  const emit = process.emitWarning;
  process.emitWarning = (() => undefined) as typeof process.emitWarning;
  try {
    const m = (await import(qcName)) as { default: QCCtor };
    peers.qc = m.default;
  } catch (e) {
    notes.push(`quantum-circuit not available: ${(e as Error).message}`);
  } finally {
    process.emitWarning = emit;
  }
  try {
    const m = (await import(jsqName)) as { default: JsqModule };
    peers.jsq = m.default;
  } catch (e) {
    notes.push(`jsqubits not available: ${(e as Error).message}`);
  }
  return peers;
}

function qcLayered(QC: QCCtor, n: number, layers: number, theta: ArrayLike<number>): QCInstance {
  const c = new QC(n);
  let col = 0;
  let k = 0;
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) c.addGate('h', col, q);
    col++;
    for (let q = 0; q < n; q++) c.addGate('ry', col, q, { params: { theta: theta[k++] } });
    col++;
    for (let q = 0; q + 1 < n; q++) c.addGate('cx', col++, [q, q + 1]);
  }
  return c;
}

function qcObserve(c: QCInstance): Observed {
  let z0 = 0;
  for (const key in c.state) {
    const a = c.state[key];
    const p = a.re * a.re + a.im * a.im;
    z0 += Number(key) & 1 ? -p : p;
  }
  const a0 = c.state['0'];
  return { z0, p0: a0 ? a0.re * a0.re + a0.im * a0.im : 0 };
}

function jsqLayered(Q: JsqModule, n: number, layers: number, theta: ArrayLike<number>): JsqState {
  let s = Q('0'.repeat(n));
  let k = 0;
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) s = s.hadamard(q);
    for (let q = 0; q < n; q++) s = s.rotateY(q, theta[k++]);
    for (let q = 0; q + 1 < n; q++) s = s.cnot(q, q + 1);
  }
  return s;
}

function jsqObserve(s: JsqState): Observed {
  let z0 = 0;
  let p0 = 0;
  s.each((c) => {
    const a = c.amplitude;
    const p = a.real * a.real + a.imaginary * a.imaginary;
    const i = Number(c.index);
    z0 += i & 1 ? -p : p;
    if (i === 0) p0 = p;
  });
  return { z0, p0 };
}

// ---- a naive reference written here: separate re/im arrays, general complex 2x2, no fusion -----------
// It calibrates the machine: perf-anchors.md measured the same kind of loop at 1.13 ms/gate for (a).

function naiveRun(n: number, layers: number, theta: ArrayLike<number>, re: Float64Array, im: Float64Array): void {
  re.fill(0);
  im.fill(0);
  re[0] = 1;
  const N = 1 << n;
  const g1 = (q: number, m: readonly number[]): void => {
    const bit = 1 << q;
    for (let base = 0; base < N; base += 2 * bit) {
      for (let i = base; i < base + bit; i++) {
        const j = i + bit;
        const ar = re[i],
          ai = im[i],
          br = re[j],
          bi = im[j];
        re[i] = m[0] * ar - m[1] * ai + m[2] * br - m[3] * bi;
        im[i] = m[0] * ai + m[1] * ar + m[2] * bi + m[3] * br;
        re[j] = m[4] * ar - m[5] * ai + m[6] * br - m[7] * bi;
        im[j] = m[4] * ai + m[5] * ar + m[6] * bi + m[7] * br;
      }
    }
  };
  const cx = (c: number, t: number): void => {
    const lo = Math.min(c, t);
    const hi = Math.max(c, t);
    for (let k = 0; k < N >> 2; k++) {
      let i = ((k >> lo) << (lo + 1)) | (k & ((1 << lo) - 1));
      i = ((i >> hi) << (hi + 1)) | (i & ((1 << hi) - 1));
      i |= 1 << c;
      const j = i | (1 << t);
      const r = re[i],
        m = im[i];
      re[i] = re[j];
      im[i] = im[j];
      re[j] = r;
      im[j] = m;
    }
  };
  const r2 = Math.SQRT1_2;
  const H = [r2, 0, r2, 0, r2, 0, -r2, 0];
  let k = 0;
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) g1(q, H);
    for (let q = 0; q < n; q++) {
      const c = Math.cos(theta[k] / 2),
        s = Math.sin(theta[k] / 2);
      k++;
      g1(q, [c, 0, -s, 0, s, 0, c, 0]);
    }
    for (let q = 0; q + 1 < n; q++) cx(q, q + 1);
  }
}

// ---- the floor ----------------------------------------------------------------------------------------

function rmwPlain(a: Float64Array, s: number, t: number): void {
  for (let i = 0; i < a.length; i++) a[i] = a[i] * s + t;
}

/** The same pass unrolled by four: V8 runs the plain loop well below memory speed on some machines. */
function rmwUnrolled(a: Float64Array, s: number, t: number): void {
  const n = a.length;
  for (let i = 0; i < n; i += 4) {
    const x0 = a[i],
      x1 = a[i + 1],
      x2 = a[i + 2],
      x3 = a[i + 3];
    a[i] = x0 * s + t;
    a[i + 1] = x1 * s + t;
    a[i + 2] = x2 * s + t;
    a[i + 3] = x3 * s + t;
  }
}

// ---- helpers ------------------------------------------------------------------------------------------

/** A program of one gate on an n-qubit register, bound and ready for apply(). */
function singleGate(n: number, build: (b: CircuitBuilder) => void): Program {
  const b = new CircuitBuilder(n);
  build(b);
  const p = prepare(b.build(), { fuse: 'none' });
  p.bind(new Float64Array(0));
  return p;
}

/** Brings every kernel the suite times to optimised code on small states (V8 tiers up on use). */
function warmUp(): void {
  const n = 12;
  const s = allocState(n);
  s.fill(1 / Math.sqrt(1 << n));
  const progs: Program[] = [];
  for (const q of [0, 1, 6, n - 1]) {
    progs.push(singleGate(n, (b) => b.h(q)));
    progs.push(singleGate(n, (b) => b.ry(0.3, q)));
    progs.push(singleGate(n, (b) => b.u(0.3, 0.2, 0.1, q)));
  }
  for (const [c, t] of [
    [0, 1],
    [5, 6],
    [n - 2, n - 1],
  ])
    progs.push(singleGate(n, (b) => b.cx(c, t)));
  for (let r = 0; r < 300; r++) for (const p of progs) p.apply(s);
  const c = layered(10, 10);
  const prog = prepare(c);
  const v = randomAngles(createRng(99), c.parameters.length);
  const out = allocState(10);
  for (let r = 0; r < 300; r++) prog.run(v, out);
  const a = new Float64Array(1 << 16);
  for (let r = 0; r < 300; r++) {
    rmwPlain(a, 0.5, 0.25);
    rmwUnrolled(a, 0.5, 0.25);
  }
}

function perGate(ms: number, gates: number): number {
  return ms / gates;
}

const fmtNum = (x: number, digits = 6): string =>
  !Number.isFinite(x) ? '-' : x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(digits - 1) : x.toPrecision(digits);

// ---- the suite ----------------------------------------------------------------------------------------

interface PeerResult {
  name: string;
  what: string;
  /** Measured time of the reduced workload (ms) and how many gates it had. */
  measuredMs: number;
  measuredGates: number;
  /** Per gate at the full size, after scaling. */
  perGateMs: number;
  scale: string;
  reps: number;
}

export async function benchStatevector(): Promise<void> {
  const started = Date.now();
  const results: Record<string, unknown> = { suite: 'statevector', date: new Date().toISOString(), machine: machine() };
  const checks: { circuit: string; impl: string; size: string; z0: number; p0: number; dz: number; tol: number; ok: boolean }[] = [];
  const targets: { what: string; value: string; target: string; ok: boolean }[] = [];
  const peers = await loadPeers();
  for (const n of peers.notes) console.log(`note: ${n}`);
  console.log(`warming up kernels (load ${loadNow()})`);
  warmUp();

  const addCheck = (circuit: string, impl: string, size: string, o: Observed, ref: Observed, tol: number): void => {
    const dz = Math.abs(o.z0 - ref.z0);
    checks.push({ circuit, impl, size, z0: o.z0, p0: o.p0, dz, tol, ok: dz <= tol && Math.abs(o.p0 - ref.p0) <= tol });
  };
  const peerTimes: Record<string, PeerResult[]> = { a: [], b: [], c: [], d: [] };

  // ---- (a) 20 qubits, 10 layers --------------------------------------------------------------------
  heading(`(a) 20 qubits, 10 layers, ${gatesOf(20, 10)} gates (load ${loadNow()})`);
  const rows: string[][] = [];
  {
    const n = 20;
    const L = 10;
    const G = gatesOf(n, L);
    const c = layered(n, L);
    const theta = randomAngles(createRng(1), c.parameters.length);
    let prog: Program | undefined;
    const tPrep = timeIt(() => void (prog = prepare(c)), { reps: 5, warmup: 1 });
    const p = prog as Program;
    const out = allocState(n);
    const t = timeIt(() => void p.run(theta, out), { reps: 5, warmup: 1 });
    const ours = observe(out, n);
    const pNone = prepare(c, { fuse: 'none' });
    const tNone = timeIt(() => void pNone.run(theta, out), { reps: 3, warmup: 1 });
    const re = new Float64Array(1 << n);
    const im = new Float64Array(1 << n);
    const tNaive = timeIt(() => naiveRun(n, L, theta, re, im), { reps: 3, warmup: 1 });
    rows.push([
      'ours (fuse all)',
      `${p.blocks.length} passes`,
      fmtTime(t.median),
      fmtTime(perGate(t.median, G)),
      `${t.reps}`,
      `prepare ${fmtTime(tPrep.median)}`,
    ]);
    rows.push([
      'ours (fuse none)',
      `${pNone.blocks.length} passes`,
      fmtTime(tNone.median),
      fmtTime(perGate(tNone.median, G)),
      `${tNone.reps}`,
      '',
    ]);
    rows.push([
      'naive JS reference',
      `${G} passes`,
      fmtTime(tNaive.median),
      fmtTime(perGate(tNaive.median, G)),
      `${tNaive.reps}`,
      'SoA, complex 2x2, written in this file',
    ]);
    results.a = {
      n,
      layers: L,
      gates: G,
      ours: t,
      oursPrepare: tPrep,
      oursFuseNone: tNone,
      naive: tNaive,
      passes: p.blocks.length,
      z0: ours.z0,
      p0: ours.p0,
    };
    targets.push({
      what: '(a) ours per gate, 20 qubits',
      value: fmtTime(perGate(t.median, G)),
      target: `<= ${TARGET_A_MS_PER_GATE} ms`,
      ok: perGate(t.median, G) <= TARGET_A_MS_PER_GATE,
    });
    checks.push({ circuit: '(a)', impl: 'ours', size: '20q x 10', z0: ours.z0, p0: ours.p0, dz: 0, tol: 0, ok: true });

    // Peers on fewer qubits. Their sparse maps make the first layer (H on |0...0>) cheaper than the
    // dense ones, so (a) is modelled as its first layer plus 9 dense layers: time 1 and 3 layers at
    // PEER.a.n qubits, take the dense-layer time from the difference, scale by 2^(20 - n).
    const rn = PEER.a.n;
    const lg = gatesOf(rn, 1);
    const scale = 2 ** (n - rn);
    const c3 = layered(rn, 3);
    const theta3 = theta.subarray(0, c3.parameters.length);
    const refObs = observe(statevector(c3, bindingsOf(c3, theta3)), rn);
    checks.push({ circuit: '(a) reduced', impl: 'ours', size: `${rn}q x 3`, z0: refObs.z0, p0: refObs.p0, dz: 0, tol: 0, ok: true });
    const how = `1 and 3 layers at ${rn} qubits; first layer + ${L - 1} x dense layer, x${scale} (2^${n - rn})`;
    const model = (name: string, t1: Timing, t3: Timing): void => {
      const dense = Math.max(0, (t3.median - t1.median) / 2);
      const est = (t1.median + (L - 1) * dense) * scale;
      peerTimes.a.push({
        name,
        what: `${how}: 1 layer ${fmtTime(t1.median)}, 3 layers ${fmtTime(t3.median)}`,
        measuredMs: t1.median + t3.median,
        measuredGates: 4 * lg,
        perGateMs: est / G,
        scale: `x${scale}`,
        reps: Math.min(t1.reps, t3.reps),
      });
    };
    if (peers.qc) {
      const QC = peers.qc;
      qcLayered(QC, 4, 1, [0.1, 0.2, 0.3, 0.4]).run();
      let last: QCInstance | undefined;
      const t1 = timeIt(() => qcLayered(QC, rn, 1, theta3).run(), { reps: 2, minReps: 1, warmup: 0, budgetMs: 3000 });
      const t3 = timeIt(
        () => {
          last = qcLayered(QC, rn, 3, theta3);
          last.run();
        },
        { reps: 2, minReps: 1, warmup: 0, budgetMs: 5000 },
      );
      addCheck('(a) reduced', 'quantum-circuit', `${rn}q x 3`, qcObserve(last as QCInstance), refObs, 1e-9);
      model('quantum-circuit', t1, t3);
    }
    if (peers.jsq) {
      const Q = peers.jsq;
      jsqLayered(Q, 4, 1, [0.1, 0.2, 0.3, 0.4]);
      let last: JsqState | undefined;
      const t1 = timeIt(() => void jsqLayered(Q, rn, 1, theta3), { reps: 2, minReps: 1, warmup: 0, budgetMs: 3000 });
      const t3 = timeIt(() => void (last = jsqLayered(Q, rn, 3, theta3)), { reps: 2, minReps: 1, warmup: 0, budgetMs: 5000 });
      addCheck('(a) reduced', 'jsqubits', `${rn}q x 3`, jsqObserve(last as JsqState), refObs, 1e-5);
      model('jsqubits', t1, t3);
    }
    printPeers(rows, peerTimes.a, perGate(t.median, G), G, 'a', targets);
    console.log(table(['implementation', 'work', 'time / run', 'per gate', 'reps', 'notes'], rows));
    for (const r of peerTimes.a) console.log(`  ${r.name}: ${r.what}`);
  }
  gc();

  // ---- (b) 10 qubits, 1000 runs with new angles ---------------------------------------------------------
  {
    const n = 10;
    const L = 10;
    const G = gatesOf(n, L);
    const RUNS = 1000;
    heading(`(b) 10 qubits, 10 layers (${G} gates), ${RUNS} runs with new angles (load ${loadNow()})`);
    const c = layered(n, L);
    const rng = createRng(2);
    const thetas = Array.from({ length: RUNS }, () => randomAngles(rng, c.parameters.length));
    const prog = prepare(c);
    const out = allocState(n);
    const t = timeIt(
      () => {
        for (let r = 0; r < RUNS; r++) prog.run(thetas[r], out);
      },
      { reps: 7, warmup: 1 },
    );
    const records = thetas.map((th) => bindingsOf(c, th));
    const SV_RUNS = 200;
    const tSv = timeIt(
      () => {
        for (let r = 0; r < SV_RUNS; r++) statevector(c, records[r]);
      },
      { reps: 3, warmup: 1 },
    );
    const svPerRun = tSv.median / SV_RUNS;
    const rows2: string[][] = [
      [
        'ours: prepare once, run per binding',
        `${RUNS} runs`,
        fmtTime(t.median),
        fmtTime(t.median / RUNS),
        fmtTime(perGate(t.median, RUNS * G)),
        `${t.reps}`,
      ],
      [
        'ours: statevector() per binding',
        `${SV_RUNS} runs, x${RUNS / SV_RUNS}`,
        fmtTime(svPerRun * RUNS),
        fmtTime(svPerRun),
        fmtTime(perGate(svPerRun, G)),
        `${tSv.reps}`,
      ],
    ];
    const usPerGate = perGate(t.median, RUNS * G) * 1000;
    targets.push({
      what: '(b) ours per gate, 10 qubits x 1000 runs',
      value: `${usPerGate.toPrecision(3)} µs`,
      target: `<= ${TARGET_B_US_PER_GATE} µs`,
      ok: usPerGate <= TARGET_B_US_PER_GATE,
    });
    results.b = { n, layers: L, gates: G, runs: RUNS, ours: t, oursStatevectorPerRunMs: svPerRun };
    const ourObs = thetas.map((th) => observe(prog.run(th, out), n));
    if (peers.qc) {
      const QC = peers.qc;
      const R = PEER.b.qcRuns;
      const obs: Observed[] = [];
      const tq = timeIt(
        () => {
          obs.length = 0;
          for (let r = 0; r < R; r++) {
            const q = qcLayered(QC, n, L, thetas[r]);
            q.run();
            obs.push(qcObserve(q));
          }
        },
        { reps: 1, minReps: 1, warmup: 0 },
      );
      let worst = 0;
      obs.forEach((o, r) => (worst = Math.max(worst, Math.abs(o.z0 - ourObs[r].z0), Math.abs(o.p0 - ourObs[r].p0))));
      checks.push({
        circuit: '(b)',
        impl: 'quantum-circuit',
        size: `10q x 10, ${R} bindings`,
        z0: obs[0].z0,
        p0: obs[0].p0,
        dz: worst,
        tol: 1e-9,
        ok: worst <= 1e-9,
      });
      peerTimes.b.push({
        name: 'quantum-circuit',
        what: `${R} runs (build + run each), x${RUNS / R}`,
        measuredMs: tq.median,
        measuredGates: R * G,
        perGateMs: tq.median / (R * G),
        scale: `x${RUNS / R}`,
        reps: tq.reps,
      });
    }
    if (peers.jsq) {
      const Q = peers.jsq;
      const R = PEER.b.jsqRuns;
      const obs: Observed[] = [];
      const tj = timeIt(
        () => {
          obs.length = 0;
          for (let r = 0; r < R; r++) obs.push(jsqObserve(jsqLayered(Q, n, L, thetas[r])));
        },
        { reps: 1, minReps: 1, warmup: 0 },
      );
      let worst = 0;
      obs.forEach((o, r) => (worst = Math.max(worst, Math.abs(o.z0 - ourObs[r].z0), Math.abs(o.p0 - ourObs[r].p0))));
      checks.push({
        circuit: '(b)',
        impl: 'jsqubits',
        size: `10q x 10, ${R} bindings`,
        z0: obs[0].z0,
        p0: obs[0].p0,
        dz: worst,
        tol: 1e-5,
        ok: worst <= 1e-5,
      });
      peerTimes.b.push({
        name: 'jsqubits',
        what: `${R} runs, x${RUNS / R}`,
        measuredMs: tj.median,
        measuredGates: R * G,
        perGateMs: tj.median / (R * G),
        scale: `x${RUNS / R}`,
        reps: tj.reps,
      });
    }
    checks.push({ circuit: '(b)', impl: 'ours', size: '10q x 10, binding 0', z0: ourObs[0].z0, p0: ourObs[0].p0, dz: 0, tol: 0, ok: true });
    for (const r of peerTimes.b) {
      const ratio = r.perGateMs / perGate(t.median, RUNS * G);
      const target = r.name === 'quantum-circuit' ? TARGET_VS_QC : TARGET_VS_JSQ;
      rows2.push([
        r.name,
        r.what,
        fmtTime(r.perGateMs * RUNS * G),
        fmtTime(r.perGateMs * G),
        fmtTime(r.perGateMs),
        `${r.reps}`,
        `${fmtRatio(ratio)} slower ${mark(ratio >= target)}`,
      ]);
      targets.push({
        what: `(b) ${r.name} / ours per gate`,
        value: fmtRatio(ratio),
        target: `>= ${TARGET_VS_QC === target ? '1,000' : '400'}x`,
        ok: ratio >= target,
      });
    }
    console.log(table(['implementation', 'work', `time / ${RUNS} runs`, 'per run', 'per gate', 'reps', 'peer / ours'], rows2));
  }
  gc();

  // ---- (c) 12 qubits, 10 layers, 10,000 shots --------------------------------------------------------------
  {
    const n = 12;
    const L = 10;
    const G = gatesOf(n, L);
    const SHOTS = 10_000;
    heading(`(c) 12 qubits, 10 layers (${G} gates), then ${SHOTS.toLocaleString('en-US')} shots (load ${loadNow()})`);
    const c = layered(n, L);
    const theta = randomAngles(createRng(3), c.parameters.length);
    const bind = bindingsOf(c, theta);
    let counts: Record<string, number> = {};
    const t = timeIt(() => void (counts = runCounts(c, { shots: SHOTS, seed: 7, bindings: bind }).counts), { reps: 9, warmup: 5 });
    const prog = prepare(c);
    const out = allocState(n);
    const tRun = timeIt(() => void prog.run(theta, out), { reps: 21, warmup: 3 });
    const ours = observe(out, n);
    const shotZ0 = (cs: Record<string, number>): number => {
      let z = 0;
      let total = 0;
      for (const [k, v] of Object.entries(cs)) {
        z += k.endsWith('1') ? -v : v;
        total += v;
      }
      return z / total;
    };
    // 5 sigma of a mean of ±1 outcomes over SHOTS shots.
    const shotTol = 5 * Math.sqrt(Math.max(1e-12, 1 - ours.z0 * ours.z0) / SHOTS);
    const rows3: string[][] = [
      [
        'ours: runCounts (prepare, run, sample)',
        fmtTime(t.median),
        fmtTime(tRun.median),
        fmtTime(perGate(tRun.median, G)),
        `${t.reps}`,
        '',
        '',
      ],
    ];
    checks.push({ circuit: '(c)', impl: 'ours', size: '12q x 10', z0: ours.z0, p0: ours.p0, dz: 0, tol: 0, ok: true });
    const zOurs = shotZ0(counts);
    checks.push({
      circuit: '(c) shots',
      impl: 'ours',
      size: `${SHOTS} shots`,
      z0: zOurs,
      p0: (counts['0'.repeat(n)] ?? 0) / SHOTS,
      dz: Math.abs(zOurs - ours.z0),
      tol: shotTol,
      ok: Math.abs(zOurs - ours.z0) <= shotTol,
    });
    const cRes: Record<string, unknown> = { n, layers: L, gates: G, shots: SHOTS, oursRunCounts: t, oursRun: tRun };
    if (peers.qc) {
      const QC = peers.qc;
      let q: QCInstance | undefined;
      const tq = timeIt(
        () => {
          q = qcLayered(QC, n, L, theta);
          q.run();
        },
        { reps: 1, minReps: 1, warmup: 0 },
      );
      let qcCounts: Record<string, number> = {};
      const tqs = timeIt(() => void (qcCounts = (q as QCInstance).measureAllMultishot(SHOTS)), { reps: 1, minReps: 1, warmup: 0 });
      addCheck('(c)', 'quantum-circuit', '12q x 10', qcObserve(q as QCInstance), ours, 1e-9);
      const z = shotZ0(qcCounts);
      checks.push({
        circuit: '(c) shots',
        impl: 'quantum-circuit',
        size: `${SHOTS} shots`,
        z0: z,
        p0: (qcCounts['0'.repeat(n)] ?? 0) / SHOTS,
        dz: Math.abs(z - ours.z0),
        tol: shotTol,
        ok: Math.abs(z - ours.z0) <= shotTol,
      });
      const total = tq.median + tqs.median;
      const ratio = tq.median / tRun.median;
      rows3.push([
        'quantum-circuit: run + measureAllMultishot',
        fmtTime(total),
        fmtTime(tq.median),
        fmtTime(perGate(tq.median, G)),
        '1',
        `${fmtRatio(ratio)} ${mark(ratio >= TARGET_VS_QC)}`,
        fmtRatio(total / t.median),
      ]);
      targets.push({
        what: '(c) quantum-circuit / ours per gate (run)',
        value: fmtRatio(ratio),
        target: '>= 1,000x',
        ok: ratio >= TARGET_VS_QC,
      });
      cRes.qc = { runMs: tq.median, shotsMs: tqs.median };
    }
    if (peers.jsq) {
      const Q = peers.jsq;
      let s: JsqState | undefined;
      const tj = timeIt(() => void (s = jsqLayered(Q, n, L, theta)), { reps: 1, minReps: 1, warmup: 0 });
      const st = s as JsqState;
      const rng = createRng(8);
      st.random = () => rng.next();
      const jc: Record<string, number> = {};
      const tjs = timeIt(
        () => {
          for (let k = 0; k < SHOTS; k++) {
            const key = st.measure(Q.ALL).result.toString(2).padStart(n, '0');
            jc[key] = (jc[key] ?? 0) + 1;
          }
        },
        { reps: 1, minReps: 1, warmup: 0 },
      );
      addCheck('(c)', 'jsqubits', '12q x 10', jsqObserve(st), ours, 1e-5);
      const z = shotZ0(jc);
      checks.push({
        circuit: '(c) shots',
        impl: 'jsqubits',
        size: `${SHOTS} shots`,
        z0: z,
        p0: (jc['0'.repeat(n)] ?? 0) / SHOTS,
        dz: Math.abs(z - ours.z0),
        tol: shotTol,
        ok: Math.abs(z - ours.z0) <= shotTol,
      });
      const total = tj.median + tjs.median;
      const ratio = tj.median / tRun.median;
      rows3.push([
        `jsqubits: run + ${SHOTS} measure()`,
        fmtTime(total),
        fmtTime(tj.median),
        fmtTime(perGate(tj.median, G)),
        '1',
        `${fmtRatio(ratio)} ${mark(ratio >= TARGET_VS_JSQ)}`,
        fmtRatio(total / t.median),
      ]);
      targets.push({ what: '(c) jsqubits / ours per gate (run)', value: fmtRatio(ratio), target: '>= 400x', ok: ratio >= TARGET_VS_JSQ });
      cRes.jsq = { runMs: tj.median, shotsMs: tjs.median };
    }
    results.c = cRes;
    console.log(
      table(
        ['implementation', 'run + shots', 'run only', 'per gate (run)', 'reps', 'peer / ours per gate', 'peer / ours run + shots'],
        rows3,
      ),
    );
    console.log(
      `  ours: sampling ${SHOTS.toLocaleString('en-US')} shots costs ~${fmtTime(Math.max(0, t.median - tRun.median))} of the runCounts time (prepare included)`,
    );
  }
  gc();

  // ---- the floor and single gates at 24 and 20 qubits ---------------------------------------------------------
  // One 256 MiB buffer serves the floor, the single-gate timings and (d).
  // The state lives in wasm memory (allocState), as every simulation's state does, so the SIMD kernels run.
  const big = allocState(24);
  const floor: Record<number, { plain: Timing; unrolled: Timing; wasm?: Timing; ms: number }> = {};
  const single: { n: number; gate: string; q: string; t: Timing; multiple: number }[] = [];
  for (const n of [24, 20]) {
    heading(`floor and single gates, ${n} qubits (${n === 24 ? '256 MiB' : '16 MiB'} state; load ${loadNow()})`);
    const a = n === 24 ? big : allocState(n);
    a.fill(0.3);
    const reps = n === 24 ? 7 : 21;
    const plain = timeIt(() => rmwPlain(a, 0.5, 0.25), { reps, warmup: 2 });
    const unrolled = timeIt(() => rmwUnrolled(a, 0.5, 0.25), { reps, warmup: 2 });
    // The same pass in wasm SIMD over the same bytes: the strictest floor a TypeScript program can reach.
    const wk = kernelsOf(a);
    const wasm = wk ? timeIt(() => wk.rmw(0.5, 0.25), { reps, warmup: 2 }) : undefined;
    const f = Math.min(plain.median, unrolled.median, wasm?.median ?? Infinity);
    floor[n] = { plain, unrolled, ...(wasm ? { wasm } : {}), ms: f };
    const gbs = (ms: number): string => `${((2 * a.byteLength) / (ms * 1e6)).toFixed(1)} GB/s`;
    const rowsF: string[][] = [
      ['floor: a[i] = a[i]*s + t', fmtTime(plain.median), gbs(plain.median), '', `${plain.reps}`, ''],
      ['floor: same, unrolled x4', fmtTime(unrolled.median), gbs(unrolled.median), '', `${unrolled.reps}`, ''],
      ...(wasm ? [['floor: same in wasm f64x2', fmtTime(wasm.median), gbs(wasm.median), '', `${wasm.reps}`, '']] : []),
    ];
    // A valid normalised state (uniform superposition) so no value drifts into denormals.
    a.fill(0);
    for (let i = 0; i < a.length; i += 2) a[i] = 1 / Math.sqrt(1 << n);
    const qs = [0, n >> 1, n - 1];
    const cases: { gate: string; q: string; prog: Program; bytesFactor: number }[] = [];
    for (const q of qs) cases.push({ gate: 'h', q: `${q}`, prog: singleGate(n, (b) => b.h(q)), bytesFactor: 1 });
    for (const q of qs) cases.push({ gate: 'ry(0.7)', q: `${q}`, prog: singleGate(n, (b) => b.ry(0.7, q)), bytesFactor: 1 });
    for (const q of qs)
      cases.push({ gate: 'U(0.7,0.3,0.2) complex', q: `${q}`, prog: singleGate(n, (b) => b.u(0.7, 0.3, 0.2, q)), bytesFactor: 1 });
    for (const [c, t] of [
      [0, 1],
      [(n >> 1) - 1, n >> 1],
      [n - 2, n - 1],
    ]) {
      cases.push({ gate: 'cx (half the traffic)', q: `${c}->${t}`, prog: singleGate(n, (b) => b.cx(c, t)), bytesFactor: 0.5 });
    }
    for (const cs of cases) {
      const t = timeIt(() => cs.prog.apply(a), { reps, warmup: 2 });
      const multiple = t.median / (f * cs.bytesFactor);
      single.push({ n, gate: cs.gate, q: cs.q, t, multiple });
      const targeted = n === 24 && (cs.gate === 'h' || cs.gate.startsWith('ry'));
      rowsF.push([
        `ours: ${cs.gate}, q ${cs.q}`,
        fmtTime(t.median),
        gbs(t.median / cs.bytesFactor),
        `${multiple.toFixed(2)}x floor`,
        `${t.reps}`,
        targeted ? `${mark(multiple <= TARGET_FLOOR_MULTIPLE)} (<= ${TARGET_FLOOR_MULTIPLE}x)` : '',
      ]);
      if (targeted) {
        targets.push({
          what: `24q single ${cs.gate} on q${cs.q} / floor`,
          value: `${multiple.toFixed(2)}x (${fmtTime(t.median)})`,
          target: `<= ${TARGET_FLOOR_MULTIPLE}x`,
          ok: multiple <= TARGET_FLOOR_MULTIPLE,
        });
      }
    }
    console.log(table(['pass', 'time', 'effective (RMW bytes)', 'vs floor', 'reps', 'target'], rowsF));
    console.log(`  floor = the fastest RMW pass = ${fmtTime(f)}; a cx is compared with half of it (it moves half the amplitudes)`);
  }
  results.floor = floor;
  results.singleGate = single;
  gc();

  // ---- (d) 24 qubits, 1 layer --------------------------------------------------------------------------------
  {
    const n = 24;
    const L = 1;
    const G = gatesOf(n, L);
    heading(`(d) 24 qubits, 1 layer, ${G} gates (load ${loadNow()})`);
    const c = layered(n, L);
    const theta = randomAngles(createRng(4), c.parameters.length);
    const prog = prepare(c);
    const t = timeIt(() => void prog.run(theta, big), { reps: 3, warmup: 1 });
    const ours = observe(big, n);
    checks.push({ circuit: '(d)', impl: 'ours', size: '24q x 1', z0: ours.z0, p0: ours.p0, dz: 0, tol: 0, ok: true });
    const rows4: string[][] = [
      [
        'ours (fuse all)',
        `${prog.blocks.length} passes`,
        fmtTime(t.median),
        fmtTime(perGate(t.median, G)),
        `${t.reps}`,
        `${(t.median / prog.blocks.length / floor[24].ms).toFixed(2)}x floor per pass`,
      ],
    ];
    const rn = PEER.d.n;
    const rl = PEER.d.layers;
    const rg = gatesOf(rn, rl);
    const rc = layered(rn, rl);
    const rtheta = theta.subarray(0, rc.parameters.length);
    const refObs = observe(statevector(rc, bindingsOf(rc, rtheta)), rn);
    checks.push({ circuit: '(d) reduced', impl: 'ours', size: `${rn}q x ${rl}`, z0: refObs.z0, p0: refObs.p0, dz: 0, tol: 0, ok: true });
    const scale = 2 ** (n - rn);
    const how = `${rl} layer at ${rn} qubits (${rg} gates), per gate x${scale} (2^${n - rn})`;
    if (peers.qc) {
      const QC = peers.qc;
      let last: QCInstance | undefined;
      const tq = timeIt(
        () => {
          last = qcLayered(QC, rn, rl, rtheta);
          last.run();
        },
        { reps: 2, minReps: 1, warmup: 0, budgetMs: 5000 },
      );
      addCheck('(d) reduced', 'quantum-circuit', `${rn}q x ${rl}`, qcObserve(last as QCInstance), refObs, 1e-9);
      peerTimes.d.push({
        name: 'quantum-circuit',
        what: how,
        measuredMs: tq.median,
        measuredGates: rg,
        perGateMs: (tq.median / rg) * scale,
        scale: `x${scale}`,
        reps: tq.reps,
      });
    }
    if (peers.jsq) {
      const Q = peers.jsq;
      let last: JsqState | undefined;
      const tj = timeIt(() => void (last = jsqLayered(Q, rn, rl, rtheta)), { reps: 2, minReps: 1, warmup: 0, budgetMs: 5000 });
      addCheck('(d) reduced', 'jsqubits', `${rn}q x ${rl}`, jsqObserve(last as JsqState), refObs, 1e-5);
      peerTimes.d.push({
        name: 'jsqubits',
        what: how,
        measuredMs: tj.median,
        measuredGates: rg,
        perGateMs: (tj.median / rg) * scale,
        scale: `x${scale}`,
        reps: tj.reps,
      });
    }
    printPeers(rows4, peerTimes.d, perGate(t.median, G), G, 'd', targets);
    console.log(table(['implementation', 'work', 'time / run', 'per gate', 'reps', 'notes'], rows4));
    for (const r of peerTimes.d) console.log(`  ${r.name}: measured ${fmtTime(r.measuredMs)} for ${r.what}`);
    results.d = { n, layers: L, gates: G, ours: t, passes: prog.blocks.length, z0: ours.z0, p0: ours.p0 };
  }
  results.peers = peerTimes;

  // ---- agreement and targets ----------------------------------------------------------------------------------
  heading('agreement check: <Z0> and P(0...0) (peers compared with ours on the same circuit and angles)');
  console.log(
    table(
      ['circuit', 'implementation', 'size', '<Z0>', 'P(0...0)', '|diff| vs ours', 'tolerance', ''],
      checks.map((k) => [
        k.circuit,
        k.impl,
        k.size,
        fmtNum(k.z0, 9),
        fmtNum(k.p0, 6),
        k.impl === 'ours' && k.tol === 0 ? '' : k.dz.toExponential(1),
        k.tol ? k.tol.toExponential(0) : '',
        k.impl === 'ours' && k.tol === 0 ? '' : mark(k.ok),
      ]),
    ),
  );
  console.log('  tolerances: quantum-circuit 1e-9; jsqubits 1e-5 (it drops amplitudes below 1e-7); shot estimates 5 sigma');
  results.checks = checks;

  heading('targets');
  console.log(
    table(
      ['target', 'measured', 'goal', ''],
      targets.map((t) => [t.what, t.value, t.target, mark(t.ok)]),
    ),
  );
  results.targets = targets;
  const secs = (Date.now() - started) / 1000;
  console.log(
    `\nload at end ${loadNow()}; suite took ${secs.toFixed(0)} s. The machine is shared: compare ratios and floor multiples, not absolute times, across runs.`,
  );
  results.seconds = secs;
  results.loadAtEnd = machine().load;
  console.log(`results: ${writeResults('statevector', results)}`);
}

/** Adds the peers' rows (scaled per gate) with ratios and their targets. */
function printPeers(
  rows: string[][],
  list: PeerResult[],
  oursPerGate: number,
  gates: number,
  label: string,
  targets: { what: string; value: string; target: string; ok: boolean }[],
): void {
  for (const r of list) {
    const ratio = r.perGateMs / oursPerGate;
    const goal = r.name === 'quantum-circuit' ? TARGET_VS_QC : TARGET_VS_JSQ;
    rows.push([
      `${r.name} (scaled)`,
      `${r.measuredGates} gates measured`,
      `~${fmtTime(r.perGateMs * gates)}`,
      `~${fmtTime(r.perGateMs)}`,
      `${r.reps}`,
      `${fmtRatio(ratio)} slower ${mark(ratio >= goal)} (scaled ${r.scale})`,
    ]);
    targets.push({
      what: `(${label}) ${r.name} / ours per gate`,
      value: fmtRatio(ratio),
      target: `>= ${goal === TARGET_VS_QC ? '1,000' : '400'}x`,
      ok: ratio >= goal,
    });
  }
}
