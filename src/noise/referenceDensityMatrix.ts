import type { Circuit } from '../ir/circuit.js';
import { kron, matmul, type CMatrix } from '../ir/matrix.js';
import * as K from '../sim/kernels.js';
import { checkStateMemory } from '../sim/memory.js';
import { allocState, applyMatrix, KIND, kernelsOf, Program, type Block } from '../sim/program.js';
import type { Bindings } from '../ir/params.js';
import type { DensityMatrix } from './densityMatrix.js';
import type { NoiseModel } from './noiseModel.js';
import { applyReadoutToProbabilities, planNoisy, type NoisyPlan } from './noisyPlan.js';
import { applySuperoperator, superoperator, type Superoperator } from './superoperator.js';

/** The block acting on the column bits: same shape, every bit moved up by n. */
function shiftBlock(b: Block, n: number): Block {
  const up = (q: number): number => q + n;
  return {
    ...b,
    targets: b.targets.map(up),
    controls: b.controls.map(up),
    pos: Int32Array.from(b.pos, up),
    cpos: Int32Array.from(b.cpos, up),
    cmask: b.cmask * 2 ** n,
    cval: b.cval * 2 ** n,
    offsets: b.offsets ? Int32Array.from(b.offsets, (o) => o * 2 ** n) : undefined,
    scratch: b.scratch ? new Float64Array(b.scratch.length) : undefined,
    mat: new Float64Array(b.mat.length),
  };
}

/**
 * A one-qubit block run as one pass: U on the row bit and conj(U) on the column bit together are the
 * 4x4 conj(U) ⊗ U on bits (q, q + n), and the one-qubit channels that follow it are folded into the
 * same 4x4. One SIMD 4x4 pass costs about what one 2x2 pass does on a large ρ (both are
 * memory-bound), so a noisy one-qubit gate costs one pass instead of three.
 */
interface OnePass {
  readonly q: number;
  readonly pos: Int32Array;
  /** Dense 4x4 superoperators of the channels folded in, in order. */
  readonly channels: CMatrix[];
  readonly mat: Float64Array;
}

type DmStep = { kind: 'gates'; prog: Program; shifted: Block[]; onePass: (OnePass | undefined)[] } | { kind: 'channel'; op: Superoperator };

/** Σ conj(K) ⊗ K: the dense superoperator on (row bit, column bit). */
function denseSuperop(kraus: readonly CMatrix[]): CMatrix {
  const out = new Float64Array(32);
  for (const k of kraus) {
    const conj = k.map((v, i) => (i % 2 ? -v : v));
    const t = kron(conj, k);
    for (let i = 0; i < 32; i++) out[i] += t[i];
  }
  return out;
}

/**
 * The complex-superoperator density-matrix engine qbridge used before the Pauli-transfer engine
 * (DensityMatrixProgram): ρ as a 2n-qubit vector, U on the row bits and conj(U) on the column bits
 * with the statevector kernels, channels as sparse superoperators. Kept as an independent reference
 * for tests and as the "before" column of the noise benchmark; not part of the public surface.
 * Memory is 16·4^n bytes (13 qubits: 1 GiB); the working buffer is made once and reused by `run`.
 */
export class ReferenceDensityMatrixProgram {
  readonly plan: NoisyPlan;
  readonly numQubits: number;
  private readonly steps: DmStep[];
  private readonly paramsOnly: Program;
  private work: Float64Array | undefined;

  constructor(c: Circuit, model: NoiseModel) {
    const n = c.numQubits;
    checkStateMemory(2 * n, 1, `density matrix (${n} qubits, stored as ${2 * n})`);
    this.numQubits = n;
    this.plan = planNoisy(c, model);
    this.paramsOnly = new Program(n, [], c.parameters);
    this.steps = [];
    let last: Extract<DmStep, { kind: 'gates' }> | undefined;
    // Qubits whose channels can no longer fold into the last gate run (an earlier channel on them did not).
    const blocked = new Set<number>();
    for (const st of this.plan.steps) {
      if (st.kind === 'gates') {
        const onePass = st.prog.blocks.map((b) =>
          b.nt === 1 && b.controls.length === 0 && !b.parts
            ? { q: b.targets[0], pos: Int32Array.of(b.targets[0], b.targets[0] + n), channels: [], mat: new Float64Array(32) }
            : undefined,
        );
        last = { kind: 'gates', prog: st.prog, shifted: st.prog.blocks.map((b) => shiftBlock(b, n)), onePass };
        this.steps.push(last);
        blocked.clear();
        continue;
      }
      const qs = st.app.qubits;
      if (last && qs.length === 1 && !blocked.has(qs[0])) {
        // The last block touching q: later blocks of the run act on other qubits, so the channel commutes past them.
        const blocks = last.prog.blocks;
        let i = blocks.length - 1;
        while (i >= 0 && !blocks[i].targets.includes(qs[0]) && !blocks[i].controls.includes(qs[0])) i--;
        const one = i >= 0 ? last.onePass[i] : undefined;
        if (one) {
          one.channels.push(denseSuperop(st.kraus));
          continue;
        }
      }
      for (const q of qs) blocked.add(q);
      this.steps.push({ kind: 'channel', op: superoperator(st.kraus, qs, n) });
    }
  }

  /** The parameter vector for named bindings (missing symbols are a VALIDATION error). */
  values(bindings?: Bindings | Float64Array): Float64Array {
    return this.paramsOnly.values(bindings);
  }

  /** ρ after the circuit for one binding. The returned buffer is reused by the next `run`. */
  run(values: Float64Array): DensityMatrix {
    const n = this.numQubits;
    const bits = 2 * n;
    this.work ??= allocState(bits);
    const s = this.work;
    const w = kernelsOf(s);
    s.fill(0);
    s[0] = 1;
    let scale = 1;
    for (const st of this.steps) {
      if (st.kind === 'channel') {
        scale *= applySuperoperator(s, bits, st.op, true);
        continue;
      }
      st.prog.bind(values);
      const blocks = st.prog.blocks;
      for (let i = 0; i < blocks.length; i++) {
        const b = blocks[i];
        const one = st.onePass[i];
        if (one) {
          if (b.kind === KIND.skip && one.channels.length === 0) continue;
          let m = kron(
            b.mat.map((v, k) => (k % 2 ? -v : v)),
            b.mat,
          );
          for (const ch of one.channels) m = matmul(ch, m);
          one.mat.set(m);
          if (w) w.apply2(one.q, one.q + n, 0, 0, one.mat);
          else K.apply2(s, bits, one.q, one.q + n, one.mat, one.pos, 0);
          continue;
        }
        if (b.kind === KIND.skip) continue;
        const sb = st.shifted[i];
        const m = b.mat;
        const cm = sb.mat;
        for (let k = 0; k < m.length; k += 2) {
          cm[k] = m[k];
          cm[k + 1] = -m[k + 1];
        }
        const wk = b.kind === KIND.gk ? undefined : w;
        applyMatrix(s, bits, b, m, b.kind, wk);
        applyMatrix(s, bits, sb, cm, b.kind, wk);
      }
    }
    if (scale !== 1) for (let i = 0; i < s.length; i++) s[i] *= scale;
    return { numQubits: n, data: s };
  }

  /** Outcome probabilities over basis states after the circuit, readout error included. */
  probabilities(values: Float64Array, options: { readout?: boolean } = {}): Float64Array {
    const rho = this.run(values);
    const N = 2 ** rho.numQubits;
    const p = new Float64Array(N);
    for (let i = 0; i < N; i++) p[i] = rho.data[2 * (i + i * N)];
    if (options.readout ?? true) applyReadoutToProbabilities(p, this.plan);
    return p;
  }
}
