import { validationError } from '../errors.js';
import { instructionMap, qubitKey, type InstructionProps, type Target } from './target.js';

/**
 * A Target from IBM's `GET /backends/{name}/configuration` and `/properties` documents (shapes in
 * research/providers.md §1.6). Only the basis gates become instructions: `properties` also lists
 * fractional gates (rx, rzz) that the service accepts only on request, and `reset` is a directive.
 */

interface IbmNamedValue {
  name: string;
  value: number;
  unit?: string;
}

export interface IbmConfiguration {
  backend_name: string;
  n_qubits: number;
  basis_gates: string[];
  coupling_map?: number[][];
  gates?: { name: string; coupling_map?: number[][] }[];
}

export interface IbmProperties {
  backend_name?: string;
  last_update_date?: string;
  qubits: IbmNamedValue[][];
  gates: { gate: string; qubits: number[]; parameters: IbmNamedValue[] }[];
}

function need<T>(x: T | undefined, what: string): T {
  if (x === undefined || x === null) throw validationError(`IBM backend description: missing field '${what}'`, { field: what });
  return x;
}

/** Seconds from a value IBM states in `unit` (us for T1/T2, ns for gate and readout lengths). */
function seconds(v: IbmNamedValue, defaultUnit: string): number {
  // Divide by per-second counts: 84 / 1e9 is the double nearest 84 ns, 84 * 1e-9 is not.
  const perSecond: Record<string, number> = { s: 1, ms: 1e3, us: 1e6, µs: 1e6, ns: 1e9 };
  const k = perSecond[v.unit || defaultUnit] ?? NaN;
  if (!Number.isFinite(k)) throw validationError(`IBM backend description: unit '${v.unit}' of '${v.name}' is not a time unit`);
  return v.value / k;
}

export function targetFromIbm(configuration: IbmConfiguration, properties: IbmProperties, options: { name?: string } = {}): Target {
  const n = need(configuration.n_qubits, 'configuration.n_qubits');
  const basis = need(configuration.basis_gates, 'configuration.basis_gates').filter(
    (g) => g !== 'reset' && g !== 'delay' && g !== 'measure',
  );
  const qubits = need(properties.qubits, 'properties.qubits');
  const gates = need(properties.gates, 'properties.gates');
  if (qubits.length !== n)
    throw validationError(`IBM backend description: properties list ${qubits.length} qubits, configuration says ${n}`);

  const instructions: Record<string, Record<string, InstructionProps>> = {};
  for (const g of basis) instructions[g] = {};
  // Sites: the configuration's per-gate coupling map is the authority on where a gate may run.
  for (const g of configuration.gates ?? []) {
    if (!instructions[g.name]) continue;
    for (const qs of g.coupling_map ?? []) instructions[g.name][qubitKey(qs)] = {};
  }
  for (const g of gates) {
    const sites = instructions[g.gate];
    if (!sites) continue;
    const p: { error?: number; durationS?: number } = {};
    for (const par of g.parameters) {
      if (par.name === 'gate_error') p.error = Math.min(1, Math.max(0, par.value));
      else if (par.name === 'gate_length') p.durationS = seconds(par, 'ns');
    }
    sites[qubitKey(g.qubits)] = p;
  }
  // A basis gate with no sites at all (old configurations omit gates[].coupling_map): 1-qubit gates
  // run everywhere, 2-qubit gates on the top-level coupling map.
  for (const g of basis) {
    if (Object.keys(instructions[g]).length > 0) continue;
    const twoQ = ['cx', 'cz', 'ecr', 'rzz'].includes(g);
    if (twoQ) for (const qs of configuration.coupling_map ?? []) instructions[g][qubitKey(qs)] = {};
    else for (let q = 0; q < n; q++) instructions[g][String(q)] = {};
  }

  const readout: { p01: number; p10: number }[] = [];
  const t1S: number[] = [];
  const t2S: number[] = [];
  const measure: Record<string, InstructionProps> = {};
  qubits.forEach((list, q) => {
    const by = new Map(list.map((v) => [v.name, v]));
    const r = by.get('readout_error')?.value ?? 0;
    readout.push({ p01: by.get('prob_meas1_prep0')?.value ?? r, p10: by.get('prob_meas0_prep1')?.value ?? r });
    const t1 = by.get('T1');
    const t2 = by.get('T2');
    t1S.push(t1 ? seconds(t1, 'us') : 0);
    t2S.push(t2 ? seconds(t2, 'us') : 0);
    const len = by.get('readout_length');
    measure[String(q)] = { error: r, ...(len ? { durationS: seconds(len, 'ns') } : {}) };
  });
  instructions.measure = measure;

  return {
    name: options.name ?? configuration.backend_name,
    numQubits: n,
    instructions: instructionMap(instructions),
    readout,
    t1S,
    t2S,
    source: `IBM ${configuration.backend_name} configuration and properties${properties.last_update_date ? ` (calibrated ${properties.last_update_date})` : ''}`,
  };
}
