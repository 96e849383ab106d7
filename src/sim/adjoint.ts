import { validationError } from '../errors.js';
import type { Circuit } from '../ir/circuit.js';
import { matrixDerivative, type GateDef } from '../ir/gates.js';
import type { Bindings } from '../ir/params.js';
import type { PauliSum } from '../ir/pauli.js';
import { applyPauliSum, expectation } from './expectation.js';
import { checkStateMemory } from './memory.js';
import { KIND, Program, allocState, applyMatrix, daggerOf, evalSlot, kernelsOf, type Block } from './program.js';
import { splitTerminal } from './statevector.js';

export interface GradientResult {
  /** <O_k> at the binding. */
  values: number[];
  /** jacobian[k][j] = d<O_k>/d(parameters[j]). */
  jacobian: Float64Array[];
  parameters: readonly string[];
}

/**
 * R[a][b] = Σ_rest conj(λ[rest ⊕ a]) ψ[rest ⊕ b] over the indices whose control bits fire, for the
 * block's target configurations a, b (targets[0] least significant), written row-major, interleaved
 * re/im, at out[off...].
 */
function targetOverlap(lam: Float64Array, psi: Float64Array, n: number, b: Block, out: Float64Array, off: number): void {
  const nt = b.nt;
  const dd = 1 << nt;
  out.fill(0, off, off + 2 * dd * dd);
  const N = 1 << n;
  let cmask = 0;
  for (const q of b.controls) cmask |= 1 << q;
  const cval = b.cval;
  if (nt === 1) {
    const tb = 1 << b.targets[0];
    let r00 = 0,
      i00 = 0,
      r01 = 0,
      i01 = 0,
      r10 = 0,
      i10 = 0,
      r11 = 0,
      i11 = 0;
    for (let i = 0; i < N; i++) {
      if (i & tb || (i & cmask) !== cval) continue;
      const j = i | tb;
      const l0r = lam[2 * i],
        l0i = lam[2 * i + 1],
        l1r = lam[2 * j],
        l1i = lam[2 * j + 1];
      const p0r = psi[2 * i],
        p0i = psi[2 * i + 1],
        p1r = psi[2 * j],
        p1i = psi[2 * j + 1];
      // conj(l) * p = (lr p r + li pi) + i (lr pi - li pr)
      r00 += l0r * p0r + l0i * p0i;
      i00 += l0r * p0i - l0i * p0r;
      r01 += l0r * p1r + l0i * p1i;
      i01 += l0r * p1i - l0i * p1r;
      r10 += l1r * p0r + l1i * p0i;
      i10 += l1r * p0i - l1i * p0r;
      r11 += l1r * p1r + l1i * p1i;
      i11 += l1r * p1i - l1i * p1r;
    }
    out[off] = r00;
    out[off + 1] = i00;
    out[off + 2] = r01;
    out[off + 3] = i01;
    out[off + 4] = r10;
    out[off + 5] = i10;
    out[off + 6] = r11;
    out[off + 7] = i11;
    return;
  }
  const offs = new Int32Array(dd);
  let tmask = 0;
  for (let a = 0; a < dd; a++) {
    let o = 0;
    for (let k = 0; k < nt; k++) if ((a >> k) & 1) o |= 1 << b.targets[k];
    offs[a] = o;
  }
  for (const q of b.targets) tmask |= 1 << q;
  for (let i = 0; i < N; i++) {
    if (i & tmask || (i & cmask) !== cval) continue;
    for (let a = 0; a < dd; a++) {
      const ia = i | offs[a];
      const lr = lam[2 * ia],
        li = lam[2 * ia + 1];
      for (let c = 0; c < dd; c++) {
        const ib = i | offs[c];
        const pr = psi[2 * ib],
          pi = psi[2 * ib + 1];
        const e = off + 2 * (a * dd + c);
        out[e] += lr * pr + li * pi;
        out[e + 1] += lr * pi - li * pr;
      }
    }
  }
}

export interface AdjointOptions {
  /**
   * Differentiate with respect to these symbols only (default: every symbol of the circuit). Gates
   * that depend on none of them (data encoders) are un-computed but never differentiated, which is
   * what a trainer wants: gradients for the weights, not for the fixed data.
   */
  readonly wrt?: readonly string[];
}

export interface AdjointGradientOptions {
  /** Start from this state instead of |0...0> (e.g. an amplitude-encoded sample); it is not modified. */
  readonly initialState?: Float64Array;
}

/**
 * Adjoint differentiation (Jones & Gacon, arXiv:2009.02823): one forward pass, then one backward
 * sweep that un-computes the state gate by gate and, at each symbolic gate, takes
 * 2 Re <λ| dU/dθ |ψ> from the gate's local overlap matrix R (one pass per gate, shared by all its
 * angles). All observables share the sweep, so the cost is a few forward passes however many
 * parameters there are. Memory: (2 + observables) statevectors.
 */
export class AdjointDifferentiator {
  private readonly prog: Program;
  private readonly n: number;
  /** Buffers reused across calls (wasm-backed where possible): ψ, μ and one λ per observable. */
  private buffers: Float64Array[] = [];
  private readonly wrt: readonly string[];
  /** Jacobian column of each program parameter, or -1 when it is not differentiated. */
  private readonly column: Int32Array;
  private readonly derivatives = new Map<number, { p: Float64Array; d: Float64Array[] }>();
  private dag: Float64Array | undefined;
  private overlaps = new Float64Array(0);

  constructor(
    private readonly circuit: Circuit,
    options: AdjointOptions = {},
  ) {
    const { unitary } = splitTerminal(circuit);
    if (!unitary) throw validationError('adjoint differentiation needs a circuit without mid-circuit measurement or reset');
    this.n = circuit.numQubits;
    this.prog = new Program(circuit.numQubits, unitary, circuit.parameters, 'constant');
    this.wrt = options.wrt ? [...options.wrt] : this.prog.parameters;
    const col = new Map(this.wrt.map((p, j) => [p, j]));
    this.column = Int32Array.from(this.prog.parameters, (p) => col.get(p) ?? -1);
  }

  /**
   * dU/dθ_j of block bi's gate at angles p, cached per block: a weight gate has the same angles for
   * every sample of a minibatch, so across a batch its derivative is computed once, not per sample.
   */
  private derivative(bi: number, fn: (p: ArrayLike<number>) => Float64Array, p: Float64Array, j: number): Float64Array {
    let c = this.derivatives.get(bi);
    if (!c || c.p.length !== p.length) {
      c = { p: new Float64Array(p.length).fill(NaN), d: [] };
      this.derivatives.set(bi, c);
    }
    let same = true;
    for (let k = 0; k < p.length; k++) if (c.p[k] !== p[k]) same = false;
    if (!same) {
      c.p.set(p);
      c.d = [];
    }
    let d = c.d[j];
    if (!d) {
      d = matrixDerivative(fn, p, j);
      c.d[j] = d;
    }
    return d;
  }

  /** The symbols the Jacobian's columns stand for. */
  get parameters(): readonly string[] {
    return this.wrt;
  }

  gradient(observables: readonly PauliSum[], bindings?: Bindings | Float64Array, options: AdjointGradientOptions = {}): GradientResult {
    const n = this.n;
    const K = observables.length;
    // Checked when buffers are allocated; later calls reuse them (and freemem() is not free).
    if (this.buffers.length < 2 + K) checkStateMemory(n, 3 + K, 'adjoint differentiation');
    const values = this.prog.values(bindings);
    while (this.buffers.length < 2 + K) this.buffers.push(allocState(n));
    let psi: Float64Array;
    if (options.initialState) {
      if (options.initialState.length !== 2 << n) {
        throw validationError(`initial state has ${options.initialState.length / 2} amplitudes; the circuit needs ${1 << n}`);
      }
      psi = this.buffers[0];
      psi.set(options.initialState);
      this.prog.bind(values);
      this.prog.apply(psi);
    } else psi = this.prog.run(values, this.buffers[0]);
    const vals = observables.map((o) => expectation(psi, n, o));
    const lambdas = observables.map((o, k) => {
      const l = this.buffers[2 + k];
      applyPauliSum(psi, n, o, l);
      return l;
    });
    const wPsi = kernelsOf(psi);
    const wLambda = lambdas.map(kernelsOf);
    // The k-qubit dense kernel has no wasm twin; those blocks use the TypeScript path on any buffer.
    const via = (b: Block, w: ReturnType<typeof kernelsOf>) => (b.kind === KIND.gk || b.nt >= 3 ? undefined : w);
    const jac = observables.map(() => new Float64Array(this.wrt.length));
    const column = this.column;
    const blocks = this.prog.blocks;
    this.dag ??= new Float64Array(Math.max(2, ...blocks.map((b) => b.mat.length)));
    const dag = this.dag;
    let overlaps = this.overlaps;
    for (let bi = blocks.length - 1; bi >= 0; bi--) {
      const b = blocks[bi];
      if (b.kind === KIND.skip && !b.parametric) continue;
      // The dagger keeps the structure (real, diagonal, anti-diagonal), so the bound kind still applies.
      const d = daggerOf(b, dag);
      applyMatrix(psi, n, b, d, b.kind, via(b, wPsi));
      if (b.parametric) {
        const t = b.terms[0];
        const def = t.def as GateDef;
        const fn = def.ctrlBase ? def.ctrlBase.matrix : def.matrix;
        let wantedAny = false;
        for (let j = 0; j < t.slots.length && !wantedAny; j++) {
          const slot = t.slots[j];
          for (let s = 0; s < slot.idx.length; s++) if (column[slot.idx[s]] >= 0) wantedAny = true;
        }
        if (wantedAny) {
          for (let k = 0; k < t.slots.length; k++) t.p[k] = evalSlot(t.slots[k], values);
          // <λ|dU|ψ> = Σ_ab dM[a][b] R[a][b] with R[a][b] = Σ_rest conj(λ[rest,a]) ψ[rest,b] over the
          // gate's target configurations (controls fixed at their firing values): one pass over the
          // state per observable, then a few multiplications per parameter.
          const dd = 1 << b.nt;
          if (overlaps.length < 2 * dd * dd * K) overlaps = this.overlaps = new Float64Array(2 * dd * dd * K);
          for (let k = 0; k < K; k++) targetOverlap(lambdas[k], psi, n, b, overlaps, 2 * dd * dd * k);
          for (let j = 0; j < t.slots.length; j++) {
            const slot = t.slots[j];
            let wanted = false;
            for (let s = 0; s < slot.idx.length; s++) if (column[slot.idx[s]] >= 0) wanted = true;
            if (!wanted) continue;
            const dm = this.derivative(bi, fn, t.p, j);
            for (let k = 0; k < K; k++) {
              let re = 0;
              const o = 2 * dd * dd * k;
              for (let e = 0; e < dd * dd; e++) re += dm[2 * e] * overlaps[o + 2 * e] - dm[2 * e + 1] * overlaps[o + 2 * e + 1];
              const g = 2 * re;
              for (let s = 0; s < slot.idx.length; s++) {
                const c = column[slot.idx[s]];
                if (c >= 0) jac[k][c] += slot.coeff[s] * g;
              }
            }
          }
        }
      }
      for (let k = 0; k < K; k++) applyMatrix(lambdas[k], n, b, d, b.kind, via(b, wLambda[k]));
    }
    return { values: vals, jacobian: jac, parameters: this.wrt };
  }
}

/** Convenience: exact values and Jacobian of observables at one binding. */
export function adjointGradient(c: Circuit, observables: readonly PauliSum[], bindings?: Bindings): GradientResult {
  return new AdjointDifferentiator(c).gradient(observables, bindings);
}
