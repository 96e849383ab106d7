import { validationError } from '../errors.js';
import { collectParameters, type Circuit, type Instruction } from '../ir/circuit.js';
import { shiftRule } from '../ir/gates.js';
import { bindAngle, sym, type Angle, type Bindings } from '../ir/params.js';

/**
 * Parameter-shift gradients as a batch transform over bindings. Every symbolic angle of the circuit
 * becomes its own slot symbol, so each shifted evaluation is just another binding of ONE circuit:
 * a whole gradient (and a whole minibatch of them) goes to a backend as one job of many bindings.
 */
export interface ShiftPlan {
  /** The circuit with one symbol per symbolic angle occurrence. */
  readonly circuit: Circuit;
  /** Bindings of `circuit` to evaluate for the gradient at `bindings` of the original circuit. */
  expand(bindings: Bindings): {
    batch: Bindings[];
    /** values[i][k] = <O_k> at batch[i]; returns jacobian[k][j] = d<O_k>/d(parameters[j]) and the unshifted values. */
    combine(values: readonly (readonly number[])[]): { values: number[]; jacobian: Float64Array[] };
  };
  readonly parameters: readonly string[];
}

interface Occurrence {
  slot: string;
  angle: Angle;
  rule: { shifts: readonly number[]; coeffs: readonly number[] };
}

export interface ShiftOptions {
  /**
   * Differentiate with respect to these symbols only (default: all). Angles that depend on none of
   * them (data inputs) are left as they are and never shifted, so a trainer pays for the weights only.
   */
  readonly wrt?: readonly string[];
}

export function parameterShift(c: Circuit, options: ShiftOptions = {}): ShiftPlan {
  const occ: Occurrence[] = [];
  const taken = new Set(c.parameters);
  const wrt = options.wrt ? new Set(options.wrt) : undefined;
  const shifted = (a: Angle): boolean => typeof a !== 'number' && (!wrt || a.terms.some((t) => wrt.has(t.name)));
  const ops: Instruction[] = c.ops.map((ins) => {
    if (!ins.params.some(shifted)) return ins;
    if (ins.op === 'unitary') throw validationError('a unitary op cannot carry symbolic parameters');
    const controlled = (ins.ctrl ?? 0) > 0;
    const params = ins.params.map((a, j) => {
      if (!shifted(a)) return a;
      let slot = `__ps${occ.length}`;
      while (taken.has(slot)) slot += '_';
      occ.push({ slot, angle: a, rule: shiftRule(ins.op, j, controlled) });
      return sym(slot);
    });
    return { ...ins, params };
  });
  const circuit: Circuit = { ...c, ops, parameters: collectParameters(ops) };
  const parameters = options.wrt ? [...options.wrt] : c.parameters;
  // Symbols left in place (inputs) travel in every binding unchanged.
  const slots = new Set(occ.map((o) => o.slot));
  const passThrough = circuit.parameters.filter((p) => !slots.has(p));
  const pIndex = new Map(parameters.map((p, i) => [p, i]));
  return {
    circuit,
    parameters,
    expand(bindings) {
      const base: Record<string, number> = {};
      for (const p of passThrough) base[p] = bindings[p];
      for (const o of occ) base[o.slot] = bindAngle(o.angle, bindings);
      const batch: Bindings[] = [base];
      const plan: { occ: Occurrence; coeff: number; index: number }[] = [];
      for (const o of occ) {
        o.rule.shifts.forEach((sh, r) => {
          batch.push({ ...base, [o.slot]: base[o.slot] + sh });
          plan.push({ occ: o, coeff: o.rule.coeffs[r], index: batch.length - 1 });
        });
      }
      return {
        batch,
        combine(values) {
          const K = values[0]?.length ?? 0;
          const jacobian = Array.from({ length: K }, () => new Float64Array(parameters.length));
          for (const p of plan) {
            if (typeof p.occ.angle === 'number') continue;
            for (const t of p.occ.angle.terms) {
              const j = pIndex.get(t.name);
              if (j === undefined) continue;
              for (let k = 0; k < K; k++) jacobian[k][j] += t.coeff * p.coeff * values[p.index][k];
            }
          }
          return { values: [...(values[0] ?? [])], jacobian };
        },
      };
    },
  };
}
