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

function generalKind(b: Block): number {
  if (b.nt === 0) return KIND.phase;
  if (b.nt === 1) return b.controls.length ? KIND.c1 : KIND.g1;
  if (b.nt === 2) return KIND.g2;
  return KIND.gk;
}

/** Re Σ conj(a_i) b_i over the indices whose control bits equal cval. */
function realInner(a: Float64Array, b: Float64Array, n: number, cmask: number, cval: number): number {
  const N = 1 << n;
  let re = 0;
  if (cmask === 0) {
    for (let k = 0; k < 2 * N; k++) re += a[k] * b[k];
    return re;
  }
  for (let i = 0; i < N; i++) if ((i & cmask) === cval) re += a[2 * i] * b[2 * i] + a[2 * i + 1] * b[2 * i + 1];
  return re;
}

/**
 * Adjoint differentiation (Jones & Gacon, arXiv:2009.02823): one forward pass, then one backward
 * sweep that un-computes the state gate by gate and, at each symbolic gate, takes
 * 2 Re <λ| dU/dθ |ψ>. All observables share the sweep, so the cost is a few forward passes however
 * many parameters there are. Memory: (2 + observables) statevectors.
 */
export class AdjointDifferentiator {
  private readonly prog: Program;
  private readonly n: number;
  /** Buffers reused across calls (wasm-backed where possible): ψ, μ and one λ per observable. */
  private buffers: Float64Array[] = [];

  constructor(private readonly circuit: Circuit) {
    const { unitary } = splitTerminal(circuit);
    if (!unitary) throw validationError('adjoint differentiation needs a circuit without mid-circuit measurement or reset');
    this.n = circuit.numQubits;
    this.prog = new Program(circuit.numQubits, unitary, circuit.parameters, 'constant');
  }

  get parameters(): readonly string[] {
    return this.prog.parameters;
  }

  gradient(observables: readonly PauliSum[], bindings?: Bindings | Float64Array): GradientResult {
    const n = this.n;
    const K = observables.length;
    checkStateMemory(n, 3 + K, 'adjoint differentiation');
    const values = this.prog.values(bindings);
    while (this.buffers.length < 2 + K) this.buffers.push(allocState(n));
    const psi = this.prog.run(values, this.buffers[0]);
    const vals = observables.map((o) => expectation(psi, n, o));
    const lambdas = observables.map((o, k) => {
      const l = this.buffers[2 + k];
      applyPauliSum(psi, n, o, l);
      return l;
    });
    const mu = this.buffers[1];
    const wPsi = kernelsOf(psi);
    const wMu = kernelsOf(mu);
    const wLambda = lambdas.map(kernelsOf);
    // The k-qubit dense kernel has no wasm twin; those blocks use the TypeScript path on any buffer.
    const via = (b: Block, w: ReturnType<typeof kernelsOf>) => (b.kind === KIND.gk || b.nt >= 3 ? undefined : w);
    const jac = observables.map(() => new Float64Array(values.length));
    const blocks = this.prog.blocks;
    const dag = new Float64Array(Math.max(2, ...blocks.map((b) => b.mat.length)));
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
        let cmask = 0;
        for (const q of b.controls) cmask |= 1 << q;
        for (let j = 0; j < t.slots.length; j++) {
          const slot = t.slots[j];
          if (slot.idx.length === 0) continue;
          for (let k = 0; k < t.slots.length; k++) t.p[k] = evalSlot(t.slots[k], values);
          const dm = matrixDerivative(fn, t.p, j);
          mu.set(psi);
          applyMatrix(mu, n, b, dm, generalKind(b), via(b, wMu));
          for (let k = 0; k < K; k++) {
            const g = 2 * realInner(lambdas[k], mu, n, cmask, b.cval);
            for (let s = 0; s < slot.idx.length; s++) jac[k][slot.idx[s]] += slot.coeff[s] * g;
          }
        }
      }
      for (let k = 0; k < K; k++) applyMatrix(lambdas[k], n, b, d, b.kind, via(b, wLambda[k]));
    }
    return { values: vals, jacobian: jac, parameters: this.prog.parameters };
  }
}

/** Convenience: exact values and Jacobian of observables at one binding. */
export function adjointGradient(c: Circuit, observables: readonly PauliSum[], bindings?: Bindings): GradientResult {
  return new AdjointDifferentiator(c).gradient(observables, bindings);
}
