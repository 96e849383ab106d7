/**
 * A device as plain data (DESIGN.md lesson 1): which gates run on which qubit tuples, with what error
 * and duration; readout errors; T1/T2. The compiler, capability checks and noise models all derive
 * from this one value, so a provider adapter only has to build it.
 */

/** Calibration of one gate on one qubit tuple. Both fields are optional: a preset may not know them. */
export interface InstructionProps {
  /** Average gate error in [0, 1]; IBM marks a broken coupler with 1. */
  readonly error?: number;
  /** Duration in seconds. */
  readonly durationS?: number;
}

/** Sites of one gate: qubit tuple key ("3" or "0,1", in the gate's own qubit order) -> calibration. */
export type GateSites = ReadonlyMap<string, InstructionProps>;

export interface Target {
  readonly name: string;
  readonly numQubits: number;
  /**
   * gate name -> qubit tuple key ("3" or "0,1", in the gate's own qubit order) -> calibration.
   * A 2-qubit entry is one *direction* of a coupler: `ecr` on "0,1" does not imply "1,0".
   * (Maps, as DESIGN.md sketches it; `targetToJSON` writes them as objects.)
   */
  readonly instructions: ReadonlyMap<string, GateSites>;
  /**
   * Readout error per qubit: `p01` is the probability that a qubit prepared in |0> reads 1, `p10`
   * that a prepared |1> reads 0 (IBM's prob_meas1_prep0 and prob_meas0_prep1).
   */
  readonly readout?: readonly { readonly p01: number; readonly p10: number }[];
  readonly t1S?: readonly number[];
  readonly t2S?: readonly number[];
  /** Provider qubit names when they are not 0..n-1 (IQM's "1".."20" on Braket), by qbridge index. */
  readonly qubitLabels?: readonly string[];
  /** Where the figures come from (device, date, published specification). */
  readonly source?: string;
}

/** Builds the instruction maps from nested records (builders and JSON write records). */
export function instructionMap(rec: Readonly<Record<string, Readonly<Record<string, InstructionProps>>>>): ReadonlyMap<string, GateSites> {
  return new Map(Object.entries(rec).map(([g, sites]) => [g, new Map(Object.entries(sites))]));
}

/** The instruction maps as nested records (for JSON). */
export function instructionRecord(m: ReadonlyMap<string, GateSites>): Record<string, Record<string, InstructionProps>> {
  const out: Record<string, Record<string, InstructionProps>> = {};
  for (const [g, sites] of m) out[g] = Object.fromEntries(sites);
  return out;
}

/** Operations every device accepts on any qubit; they never need a calibration entry. */
export const DIRECTIVES: ReadonlySet<string> = new Set(['measure', 'reset', 'barrier', 'delay']);

/** The key of a qubit tuple in `Target.instructions`. */
export function qubitKey(qubits: readonly number[]): string {
  return qubits.join(',');
}

export function parseQubitKey(key: string): number[] {
  return key.split(',').map(Number);
}

/** The calibration of `gate` on exactly these qubits, or undefined when the device cannot run it there. */
export function instructionProps(t: Target, gate: string, qubits: readonly number[]): InstructionProps | undefined {
  return t.instructions.get(gate)?.get(qubitKey(qubits));
}

/** Whether the device runs `gate` on these qubits (in this order). Directives are always supported. */
export function supports(t: Target, gate: string, qubits: readonly number[]): boolean {
  if (DIRECTIVES.has(gate)) return true;
  return instructionProps(t, gate, qubits) !== undefined;
}

/** Gate names the device runs natively, by arity. */
export function nativeGates(t: Target): { oneQubit: string[]; twoQubit: string[] } {
  const oneQubit: string[] = [];
  const twoQubit: string[] = [];
  for (const [gate, sites] of t.instructions) {
    if (gate === 'measure') continue;
    const first = sites.keys().next().value;
    if (first === undefined) continue;
    (parseQubitKey(first).length === 2 ? twoQubit : oneQubit).push(gate);
  }
  return { oneQubit, twoQubit };
}

/** The error of a gate on a site, 0 when unknown (unknown is not the same as broken). */
export function gateError(t: Target, gate: string, qubits: readonly number[]): number {
  return instructionProps(t, gate, qubits)?.error ?? 0;
}

/** Mean readout error of a qubit, 0 when unknown. */
export function readoutError(t: Target, q: number): number {
  const r = t.readout?.[q];
  return r ? (r.p01 + r.p10) / 2 : 0;
}
