import { validationError } from '../errors.js';
import { depolarizing, krausOf, processFidelity, thermalRelaxation, type Channel } from './channels.js';
import { noiseModel, type NoiseModel, type NoiseRule, type ReadoutError } from './noiseModel.js';

/**
 * What noiseFromTarget reads from a device description. It is the structural subset of the project's
 * `Target` (src/target/), declared here so the noise module does not depend on it: any object with
 * these fields works. Instruction keys are qubit tuples written "q0,q1"; `readout[q]` holds
 * p01 = p(read 1 | prepared 0) and p10 = p(read 0 | prepared 1).
 */
export interface NoiseTarget {
  readonly name?: string;
  readonly numQubits: number;
  readonly instructions: ReadonlyMap<
    string,
    ReadonlyMap<string, { readonly error?: number; readonly durationS?: number } | null | undefined>
  >;
  readonly readout?: readonly ({ readonly p01: number; readonly p10: number } | null | undefined)[];
  readonly t1S?: readonly (number | null | undefined)[];
  readonly t2S?: readonly (number | null | undefined)[];
}

export interface NoiseFromTargetOptions {
  /** Include thermal relaxation from T1/T2 and gate durations (default true). */
  thermalRelaxation?: boolean;
  /** Include depolarizing noise sized from the reported gate errors (default true). */
  gateErrors?: boolean;
  /** Include readout errors (default true). */
  readoutErrors?: boolean;
}

/** Operations that never get a gate error (a measurement's error is its readout error). */
const NOT_GATES = new Set(['measure', 'reset', 'barrier', 'delay']);

function parseTuple(key: string, gate: string, numQubits: number): number[] {
  const qs = key.split(',').map((s) => Number(s.trim()));
  if (qs.length === 0 || qs.some((q) => !Number.isInteger(q) || q < 0 || q >= numQubits)) {
    throw validationError(`target: instruction '${gate}' has qubit tuple '${key}' outside the device's ${numQubits} qubits`);
  }
  return qs;
}

function finitePositive(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0;
}

/**
 * The depolarizing probability (Pauli form, p in [0, 1]) that brings a gate whose other noise has
 * average fidelity `fRelax` up to a total average infidelity `error`, on a d-dimensional gate.
 *
 * A depolarizing channel of strength λ (ρ -> (1-λ)ρ + λ·I/d) composed with any channel R has process
 * fidelity (1-λ)·F_pro(R) + λ/d², and F_avg = (d·F_pro + 1)/(d + 1). Solving F_avg = 1 - error:
 *   λ = d·(error - (1 - fRelax)) / (d·fRelax - 1),
 * capped at λ_max = d²/(d² - 1), the fully depolarizing channel; then p = λ·(d² - 1)/d².
 * Returns 0 when the relaxation alone already reaches the reported error.
 */
export function depolarizingForError(error: number, fRelax: number, d: number): number {
  const infidRelax = 1 - fRelax;
  const e = Math.min(error, d / (d + 1)); // a reported error beyond the fully depolarizing value is unphysical
  if (!(e > infidRelax)) return 0;
  const lambda = (d * (e - infidRelax)) / (d * fRelax - 1);
  const d2 = d * d;
  const p = (Math.min(lambda, d2 / (d2 - 1)) * (d2 - 1)) / d2;
  return Math.min(1, Math.max(0, p));
}

/**
 * A noise model from a device's calibration, as Qiskit Aer's `NoiseModel.from_backend` builds one:
 * for every calibrated gate on every qubit tuple, thermal relaxation on each of its qubits from T1, T2
 * (capped at 2·T1) and the gate's duration, composed with a depolarizing error sized so that the total
 * average gate infidelity equals the reported gate error (no depolarizing when relaxation alone
 * exceeds it); readout errors from the measured assignment errors; no gate error on measurements.
 * The depolarizing part comes first, then the relaxation, as in Aer (the fidelity is the same either way).
 */
export function noiseFromTarget(target: NoiseTarget, options: NoiseFromTargetOptions = {}): NoiseModel {
  const n = target.numQubits;
  if (!Number.isInteger(n) || n < 1) throw validationError(`target: numQubits must be a positive integer, got ${String(n)}`);
  const useRelax = options.thermalRelaxation ?? true;
  const useGate = options.gateErrors ?? true;
  const useReadout = options.readoutErrors ?? true;
  const relaxFor = (q: number, durationS: number | undefined): Channel | undefined => {
    if (!useRelax || !finitePositive(durationS)) return undefined;
    const t1 = target.t1S?.[q];
    const t2 = target.t2S?.[q];
    if (!finitePositive(t1) || !finitePositive(t2)) return undefined;
    return thermalRelaxation({ t1S: t1, t2S: Math.min(t2, 2 * t1), timeS: durationS });
  };
  const rules: NoiseRule[] = [];
  for (const [gate, byQubits] of target.instructions) {
    if (NOT_GATES.has(gate)) continue;
    for (const [key, props] of byQubits) {
      if (!props) continue;
      const qubits = parseTuple(key, gate, n);
      const relax = qubits.map((q) => relaxFor(q, props.durationS));
      let depol: Channel | undefined;
      if (useGate && props.error !== undefined) {
        if (!Number.isFinite(props.error) || props.error < 0 || props.error > 1) {
          throw validationError(`target: gate error of '${gate}' on (${key}) must be in [0, 1], got ${props.error}`);
        }
        // Relaxation on each qubit acts side by side, so process fidelities multiply.
        const fPro = relax.reduce((f, c) => f * (c ? processFidelity(krausOf(c)) : 1), 1);
        const d = 2 ** qubits.length;
        const fRelax = (d * fPro + 1) / (d + 1);
        const p = depolarizingForError(props.error, fRelax, d);
        if (p > 0) depol = depolarizing(p, qubits.length);
      }
      if (depol) rules.push({ gates: [gate], qubits: [qubits], channel: depol });
      relax.forEach((c, pos) => {
        if (c) rules.push({ gates: [gate], qubits: [qubits], on: [pos], channel: c });
      });
    }
  }
  const readout: ReadoutError[] = [];
  if (useReadout && target.readout) {
    target.readout.forEach((r, q) => {
      if (!r || (r.p01 === 0 && r.p10 === 0)) return;
      readout.push({ qubit: q, p1Given0: r.p01, p0Given1: r.p10 });
    });
  }
  return noiseModel({ name: target.name, numQubits: n, rules, readout });
}
