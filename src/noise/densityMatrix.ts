import { validationError } from '../errors.js';
import type { Circuit, Instruction } from '../ir/circuit.js';
import type { Bindings } from '../ir/params.js';
import { pauliMasks, pauliSupport, type PauliSum } from '../ir/pauli.js';
import type { CMatrix } from '../ir/matrix.js';
import { checkStateMemory } from '../sim/memory.js';
import { parity } from '../sim/expectation.js';
import { Program } from '../sim/program.js';
import { programUnitary } from '../sim/unitary.js';
import { createWasmPauliState, type WasmPauliState } from '../sim/wasm/index.js';
import { createRng } from '../sim/rng.js';
import { krausOf } from './channels.js';
import { channelsAfter, type NoiseModel } from './noiseModel.js';
import { applyReadoutToProbabilities, checkShots, countsFromProbabilities, planNoisy, type NoisyPlan } from './noisyPlan.js';
import {
  applyPtm,
  initPauliZero,
  pauliDiagonal,
  pauliIndex,
  pauliToDensityData,
  pauliTransferMatrix,
  ptmOp,
  realMatmul,
  setPtm,
  type PtmOp,
} from './pauliTransfer.js';

/**
 * A density matrix of n qubits, vectorised as a 2n-qubit state: element (r, c) is the complex number
 * at index r + c·2^n (re at 2·index, im at 2·index + 1), row bits low, column bits high.
 *
 * The engine computes ρ in the Pauli basis (`pauli`: c_P = Tr(P ρ), index Σ_q d_q·4^q with
 * d ∈ {I, X, Y, Z} = 0..3), which is what expectation values and outcome probabilities read;
 * `data` is built from it on first access (n passes over 16·4^n bytes), so callers that only want
 * numbers never pay for the complex matrix.
 */
export interface DensityMatrix {
  readonly numQubits: number;
  readonly data: Float64Array;
  readonly pauli?: Float64Array;
}

/** ρ[r][c] as [re, im]. */
export function densityElement(rho: DensityMatrix, r: number, c: number): [number, number] {
  const i = 2 * (r + c * 2 ** rho.numQubits);
  return [rho.data[i], rho.data[i + 1]];
}

/** A DensityMatrix over Pauli coefficients whose complex `data` is made when first read. */
function pauliDensity(numQubits: number, pauli: Float64Array): DensityMatrix {
  let data: Float64Array | undefined;
  return {
    numQubits,
    pauli,
    get data(): Float64Array {
      data ??= pauliToDensityData(pauli, numQubits);
      return data;
    },
  };
}

// ---- the engine --------------------------------------------------------------------------------

/**
 * One pass of the engine: a run of gates and channels on the same few qubits, composed into one
 * Pauli transfer matrix. Factors are in time order; gate factors are recomputed per binding when
 * they hold symbols.
 */
interface Unit {
  readonly qubits: number[];
  readonly factors: ({ kind: 'gate'; prog: Program; ptm: Float64Array } | { kind: 'channel'; ptm: Float64Array })[];
  /** Whether the unit started as a gate (1-qubit gates join only 1-qubit units, to keep 2-qubit PTMs sparse). */
  parametric: boolean;
  op: PtmOp;
  /** Scratch for composing the factors. */
  readonly acc: Float64Array;
  readonly tmp: Float64Array;
}

/** Cache blocking: ops are applied chunk by chunk, a chunk being every coefficient with fixed values of the non-local bits. */
interface Phase {
  readonly units: Unit[];
  /** The chunk's local bits, and per unit the local bits outside it. */
  readonly local: number;
  readonly free: Int32Array;
}

/**
 * Qubits held in one chunk: 4^8 coefficients = 512 KiB, which stays in a core's L2 cache while
 * every op of a phase sweeps it, so a phase costs about one trip to memory however many ops it has.
 */
const CHUNK_QUBITS = 8;

/**
 * A circuit under a noise model prepared for exact density-matrix simulation, for repeated bindings.
 *
 * ρ lives in the Pauli basis (see pauliTransfer.ts): 8·4^n bytes (13 qubits: 512 MiB), real
 * arithmetic. Each gate is fused with the channels that follow it, and consecutive 1-qubit gates and
 * channels on a qubit into one 4x4 PTM; a 2-qubit gate and its noise become one sparse 16x16 (a
 * scaled signed permutation for CZ/CX/ECR under Pauli noise). The fused ops are then grouped into
 * phases that touch at most CHUNK_QUBITS qubits (commuting ops may move past each other) and each
 * phase runs chunk by chunk in cache.
 */
export class DensityMatrixProgram {
  readonly plan: NoisyPlan;
  readonly numQubits: number;
  private readonly units: Unit[] = [];
  private readonly phases: Phase[] = [];
  private readonly paramsOnly: Program;
  /** Per gate width k: a 2^k column and a 2^k x 2^k matrix to read unitaries into. */
  private readonly scratch = new Map<number, { col: Float64Array; mat: Float64Array }>();
  private work: Float64Array | undefined;
  private wasm: WasmPauliState | undefined;

  constructor(c: Circuit, model: NoiseModel) {
    const n = c.numQubits;
    // 8·4^n bytes = 16·2^(2n-1): the statevector check of 2n-1 qubits.
    checkStateMemory(Math.max(0, 2 * n - 1), 1, `density matrix (${n} qubits, 8·4^${n} bytes)`);
    this.numQubits = n;
    this.plan = planNoisy(c, model);
    this.paramsOnly = new Program(n, [], c.parameters);
    const none = new Float64Array(c.parameters.length);
    const last: (Unit | undefined)[] = new Array<Unit | undefined>(n).fill(undefined);

    const newUnit = (qubits: number[]): Unit => {
      const D = 4 ** qubits.length;
      const u: Unit = {
        qubits,
        factors: [],
        parametric: false,
        op: ptmOp(qubits),
        acc: new Float64Array(D * D),
        tmp: new Float64Array(D * D),
      };
      this.units.push(u);
      for (const q of qubits) last[q] = u;
      return u;
    };
    /** The unit an op on `qs` may join: the last unit on all of them, when it holds them (and, when `same`, exactly them). */
    const joinable = (qs: readonly number[], same: boolean): Unit | undefined => {
      const u = last[qs[0]];
      if (!u) return undefined;
      for (const q of qs) if (last[q] !== u) return undefined;
      if (same && u.qubits.length !== qs.length) return undefined;
      return u;
    };
    const localOf = (u: Unit, qs: readonly number[]): number[] => qs.map((q) => u.qubits.indexOf(q));

    c.ops.forEach((ins, index) => {
      if (ins.op === 'measure' || ins.op === 'reset' || ins.op === 'barrier' || ins.op === 'delay') return;
      const qs = ins.qubits;
      const u = joinable(qs, true) ?? newUnit([...qs]);
      const k = u.qubits.length;
      const local: Instruction = { ...ins, qubits: localOf(u, qs) };
      const prog = new Program(k, [local], c.parameters, 'none');
      const parametric = prog.blocks.some((b) => b.parametric);
      const D = 4 ** k;
      const ptm = new Float64Array(D * D);
      if (!parametric) pauliTransferMatrix([this.unitary(prog, none)], k, ptm);
      u.factors.push({ kind: 'gate', prog, ptm });
      u.parametric ||= parametric;
      for (const app of channelsAfter(model, ins, index)) {
        const aq = app.qubits;
        // Same-width joins only: a 1-qubit channel after a CZ starts (or joins) the qubit's 1-qubit
        // unit, which the next 1-qubit gates join too, and the CZ with its 2-qubit Pauli noise stays a
        // signed permutation.
        const w = joinable(aq, true) ?? newUnit([...aq]);
        const kw = w.qubits.length;
        // The channel's Kraus operators act on its own qubit order; embed them in the unit's.
        const kraus = krausOf(app.channel);
        const cptm = pauliTransferMatrix(kraus, aq.length);
        w.factors.push({ kind: 'channel', ptm: embedPtm(cptm, localOf(w, aq), kw) });
      }
    });
    for (const u of this.units) if (!u.parametric) this.compose(u);
    this.schedule();
  }

  private unitary(prog: Program, values: Float64Array): CMatrix {
    const k = prog.numQubits;
    let b = this.scratch.get(k);
    if (!b) {
      b = { col: new Float64Array(2 << k), mat: new Float64Array(2 * 4 ** k) };
      this.scratch.set(k, b);
    }
    return programUnitary(prog, values, b.col, b.mat);
  }

  /** Multiplies a unit's factors (latest on the left) into its op. */
  private compose(u: Unit): void {
    const D = 4 ** u.qubits.length;
    let acc = u.acc;
    let tmp = u.tmp;
    acc.set(u.factors[0].ptm);
    for (let f = 1; f < u.factors.length; f++) {
      realMatmul(u.factors[f].ptm, acc, D, tmp);
      [acc, tmp] = [tmp, acc];
    }
    setPtm(u.op, acc);
  }

  /**
   * Groups units into phases of at most CHUNK_QUBITS qubits. A unit may be taken out of order when
   * none of its qubits is held by an earlier unit left for a later phase: it then commutes with every
   * unit it overtakes. Qubits 0-2 (the low 6 bits) are always local, so a chunk is made of runs of 64
   * consecutive coefficients (512 B) rather than scattered words: with only qubits 0-1 local the
   * runs were 128 B and 13 qubits ran about 25% slower (a chunk then spans four times as many pages).
   */
  private schedule(): void {
    const n = this.numQubits;
    const maxK = Math.max(0, ...this.units.map((u) => u.qubits.length));
    const cap = Math.min(n, Math.max(CHUNK_QUBITS, maxK + 2));
    const base = Math.min(n, 3);
    let remaining = this.units.slice();
    while (remaining.length) {
      const inS = new Uint8Array(n);
      let size = 0;
      for (let q = 0; q < base; q++) {
        inS[q] = 1;
        size++;
      }
      const blocked = new Uint8Array(n);
      const taken: Unit[] = [];
      const left: Unit[] = [];
      for (const u of remaining) {
        let ok = true;
        let grow = 0;
        for (const q of u.qubits) {
          if (blocked[q]) ok = false;
          if (!inS[q]) grow++;
        }
        if (ok && size + grow <= cap) {
          for (const q of u.qubits)
            if (!inS[q]) {
              inS[q] = 1;
              size++;
            }
          taken.push(u);
        } else {
          for (const q of u.qubits) blocked[q] = 1;
          left.push(u);
        }
      }
      // Fill the chunk up with the lowest other qubits: bigger chunks, fewer of them.
      for (let q = 0; q < n && size < cap; q++)
        if (!inS[q]) {
          inS[q] = 1;
          size++;
        }
      let local = 0;
      for (let q = 0; q < n; q++) if (inS[q]) local |= 3 << (2 * q);
      this.phases.push({ units: taken, local, free: Int32Array.from(taken, (u) => local & ~u.op.mask) });
      remaining = left;
    }
  }

  /** The parameter vector for named bindings (missing symbols are a VALIDATION error). */
  values(bindings?: Bindings | Float64Array): Float64Array {
    return this.paramsOnly.values(bindings);
  }

  /** Number of fused ops and of cache phases (for benchmarks and tests). */
  get stats(): { units: number; phases: number } {
    return { units: this.units.length, phases: this.phases.length };
  }

  /**
   * The Pauli coefficients c_P = Tr(P ρ) after the circuit for one binding (index Σ_q d_q·4^q,
   * d ∈ {I, X, Y, Z} = 0..3). The returned buffer is reused by the next run.
   */
  runPauli(values: Float64Array): Float64Array {
    const n = this.numQubits;
    for (const u of this.units) {
      if (!u.parametric) continue;
      const k = u.qubits.length;
      for (const f of u.factors) {
        if (f.kind === 'gate' && f.prog.blocks.some((b) => b.parametric)) {
          pauliTransferMatrix([this.unitary(f.prog, values)], k, f.ptm);
        }
      }
      this.compose(u);
    }
    if (!this.work) {
      // The SIMD kernels where wasm runs (QBRIDGE_KERNELS=js forces the TypeScript ones).
      this.wasm = process.env.QBRIDGE_KERNELS === 'js' || n === 0 ? undefined : createWasmPauliState(n);
      this.work = this.wasm?.coeffs ?? new Float64Array(4 ** n);
    }
    const s = this.work;
    const w = this.wasm;
    initPauliZero(s, n);
    const full = 4 ** n - 1;
    for (const ph of this.phases) {
      const nonLocal = full & ~ph.local;
      const units = ph.units;
      const free = ph.free;
      let y = 0;
      do {
        for (let i = 0; i < units.length; i++) {
          const op = units[i].op;
          if (w && op.k <= 2) applyWasm(w, op, y, free[i]);
          else applyPtm(s, op, y, free[i]);
        }
        y = (y - nonLocal) & nonLocal;
      } while (y !== 0);
    }
    return s;
  }

  /** ρ after the circuit for one binding. Its Pauli coefficients are the buffer reused by the next `run`. */
  run(values: Float64Array): DensityMatrix {
    return pauliDensity(this.numQubits, this.runPauli(values));
  }

  /** Outcome probabilities over basis states after the circuit, readout error included. */
  probabilities(values: Float64Array, options: { readout?: boolean } = {}): Float64Array {
    const p = pauliDiagonal(this.runPauli(values), this.numQubits);
    // Rounding can leave -1e-17 where a probability is zero; sampling wants non-negative weights.
    for (let i = 0; i < p.length; i++) if (p[i] < 0) p[i] = 0;
    if (options.readout ?? true) applyReadoutToProbabilities(p, this.plan);
    return p;
  }
}

/** One op on one chunk with the SIMD kernels: its tables are copied to the instance's table area first. */
function applyWasm(w: WasmPauliState, op: PtmOp, y: number, free: number): void {
  const t = w.tables;
  const o = op.offsets;
  if (op.k === 1) {
    const m = op.dense;
    const tm = t.m;
    for (let i = 0; i < 16; i++) tm[i] = m[i];
    w.k.ptm1(o[1], o[2], o[3], y, free, op.skipRow0 ? 1 : 0);
    return;
  }
  const nr = op.rows.length;
  if (nr === 0) return;
  if (op.perm) {
    const v = op.permVal;
    const c = op.permSrc;
    // prettier-ignore
    w.k.ptmPerm(o[1], o[4], y, free,
      v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15],
      c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13], c[14], c[15]);
    return;
  }
  t.offsets.set(o);
  t.rows.set(op.rows);
  t.rowStart.set(op.rowStart);
  t.col.set(op.col);
  t.val.set(op.val);
  w.k.ptm2(nr, y, free);
}

/**
 * A k-qubit PTM on qubits `at` (positions within a kw-qubit unit) as a kw-qubit PTM: identity on the
 * unit's other qubits, digits moved to their positions.
 */
function embedPtm(R: Float64Array, at: readonly number[], kw: number): Float64Array {
  const k = at.length;
  const D = 4 ** k;
  const W = 4 ** kw;
  const out = new Float64Array(W * W);
  const others: number[] = [];
  for (let q = 0; q < kw; q++) if (!at.includes(q)) others.push(q);
  const spread = (I: number): number => {
    let o = 0;
    for (let j = 0; j < k; j++) o += ((I >> (2 * j)) & 3) * 4 ** at[j];
    return o;
  };
  for (let rest = 0; rest < 4 ** others.length; rest++) {
    let ro = 0;
    for (let j = 0; j < others.length; j++) ro += ((rest >> (2 * j)) & 3) * 4 ** others[j];
    for (let r = 0; r < D; r++)
      for (let c = 0; c < D; c++) {
        const v = R[r * D + c];
        if (v !== 0) out[(ro + spread(r)) * W + ro + spread(c)] = v;
      }
  }
  return out;
}

/** The diagonal of ρ: outcome probabilities without readout error. */
export function diagonal(rho: DensityMatrix): Float64Array {
  if (rho.pauli) return pauliDiagonal(rho.pauli, rho.numQubits);
  const N = 2 ** rho.numQubits;
  const p = new Float64Array(N);
  for (let i = 0; i < N; i++) p[i] = rho.data[2 * (i + i * N)];
  return p;
}

/**
 * Tr(O ρ) for a PauliSum. From Pauli coefficients each term is one entry. From the complex matrix,
 * for one string P (masks x, z and y Y-factors) P|j> = i^y (-1)^{|j&z|} |j^x>, so
 * Tr(Pρ) = Σ_j i^y (-1)^{|j&z|} ρ[j][j^x]: one pass over 2^n entries per term.
 */
export function densityExpectation(rho: DensityMatrix, obs: PauliSum): number {
  const n = rho.numQubits;
  if (pauliSupport(obs) >= n) throw validationError(`observable acts on qubit ${pauliSupport(obs)} but the density matrix has ${n} qubits`);
  const c = rho.pauli;
  if (c) {
    let sum = 0;
    for (const t of obs) {
      pauliMasks(t.pauli); // validates the label
      sum += t.coeff * c[pauliIndex(t.pauli)];
    }
    return sum;
  }
  const N = 2 ** n;
  const d = rho.data;
  let total = 0;
  for (const t of obs) {
    const { x, z, y } = pauliMasks(t.pauli);
    let re = 0;
    let im = 0;
    for (let j = 0; j < N; j++) {
      const k = 2 * (j + (j ^ x) * N);
      if (parity(j & z)) {
        re -= d[k];
        im -= d[k + 1];
      } else {
        re += d[k];
        im += d[k + 1];
      }
    }
    const y4 = y & 3; // multiply by i^y and keep the real part
    total += t.coeff * (y4 === 0 ? re : y4 === 1 ? -im : y4 === 2 ? -re : im);
  }
  return total;
}

// ---- one-call helpers --------------------------------------------------------------------------

/** The final density matrix of a circuit under a noise model (terminal measurements are ignored). */
export function densityMatrix(c: Circuit, model: NoiseModel, bindings?: Bindings): DensityMatrix {
  const prog = new DensityMatrixProgram(c, model);
  return prog.run(prog.values(bindings));
}

/** Exact Tr(O ρ) for each observable under the noise (readout error does not enter: no measurement is made). */
export function densityMatrixExpectations(c: Circuit, model: NoiseModel, observables: readonly PauliSum[], bindings?: Bindings): number[] {
  const rho = densityMatrix(c, model, bindings);
  return observables.map((o) => densityExpectation(rho, o));
}

export interface NoisyCountsOptions {
  shots: number;
  seed?: number;
  bindings?: Bindings;
}

export interface NoisyCountsResult {
  /** Bitstring over the classical bits (bit 0 rightmost) to number of shots. */
  counts: Record<string, number>;
  shots: number;
  implicitMeasurement: boolean;
}

/** Samples shots from the exact noisy outcome distribution (gate noise and readout error). */
export function densityMatrixCounts(c: Circuit, model: NoiseModel, options: NoisyCountsOptions): NoisyCountsResult {
  checkShots(options.shots);
  const prog = new DensityMatrixProgram(c, model);
  const p = prog.probabilities(prog.values(options.bindings));
  const rng = createRng(options.seed ?? 0);
  return {
    counts: countsFromProbabilities(p, prog.plan, options.shots, rng.next),
    shots: options.shots,
    implicitMeasurement: prog.plan.implicitMeasurement,
  };
}
