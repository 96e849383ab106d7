import { parseQubitKey, type Target } from '../../src/index.js';
import type { IbmConfigurationDoc } from './client.js';

/**
 * A Target written back as IBM's `configuration` and `properties` documents (the shapes of
 * `GET /backends/{name}/configuration|properties`, research/providers.md §1.6), so the emulator
 * serves a device in IBM's own format and the adapter builds its Target with `targetFromIbm`,
 * exactly as it does against the real service. Round trip: targetFromIbm(ibmDocumentsFromTarget(t))
 * gives t back (same sites, errors, durations, readout, T1/T2).
 */
export interface IbmDocuments {
  readonly configuration: IbmConfigurationDoc & { readonly backend_version: string; readonly coupling_map: number[][] };
  readonly properties: {
    readonly backend_name: string;
    readonly backend_version: string;
    readonly last_update_date: string;
    readonly qubits: { date: string; name: string; unit: string; value: number }[][];
    readonly gates: {
      qubits: number[];
      gate: string;
      name: string;
      parameters: { date: string; name: string; unit: string; value: number }[];
    }[];
    readonly general: unknown[];
  };
}

const QASM_DEFS: Readonly<Record<string, { params: string[]; def: string }>> = {
  id: { params: [], def: 'gate id q { U(0, 0, 0) q; }' },
  rz: { params: ['theta'], def: 'gate rz(theta) q { U(0, 0, theta) q; }' },
  sx: { params: [], def: 'gate sx q { U(pi/2, 3*pi/2, pi/2) q; }' },
  x: { params: [], def: 'gate x q { U(pi, 0, pi) q; }' },
  cz: { params: [], def: 'gate cz q0, q1 { U(pi/2, 0, pi) q1; CX q0, q1; U(pi/2, 0, pi) q1; }' },
  ecr: { params: [], def: 'gate ecr q0, q1 { rzx(pi/4) q0, q1; x q0; rzx(-pi/4) q0, q1; }' },
};

export function ibmDocumentsFromTarget(
  target: Target,
  options: { name?: string; version?: string; date?: string; maxShots?: number; processor?: { family: string; revision: string } } = {},
): IbmDocuments {
  const name = options.name ?? target.name;
  const version = options.version ?? '1.0.0';
  const date = options.date ?? '2025-02-26T15:16:25-05:00';
  const n = target.numQubits;
  const basis = [...target.instructions.keys()].filter((g) => g !== 'measure');
  const coupling = new Map<string, number[]>();
  const gatesConf: { name: string; parameters: string[]; qasm_def?: string; coupling_map: number[][] }[] = [];
  const gatesProps: IbmDocuments['properties']['gates'] = [];
  for (const g of basis) {
    const sites = [...(target.instructions.get(g) ?? new Map()).entries()];
    const map = sites.map(([k]) => parseQubitKey(k));
    for (const qs of map) if (qs.length === 2) coupling.set(qs.join(','), qs);
    gatesConf.push({
      name: g,
      parameters: QASM_DEFS[g]?.params ?? [],
      ...(QASM_DEFS[g] ? { qasm_def: QASM_DEFS[g].def } : {}),
      coupling_map: map,
    });
    for (const [k, p] of sites) {
      const qs = parseQubitKey(k);
      const parameters: { date: string; name: string; unit: string; value: number }[] = [];
      if (p.error !== undefined) parameters.push({ date, name: 'gate_error', unit: '', value: p.error });
      if (p.durationS !== undefined) parameters.push({ date, name: 'gate_length', unit: 'ns', value: p.durationS * 1e9 });
      gatesProps.push({ qubits: qs, gate: g, name: `${g}${qs.join('_')}`, parameters });
    }
  }
  const measure = target.instructions.get('measure');
  const qubits: IbmDocuments['properties']['qubits'] = [];
  for (let q = 0; q < n; q++) {
    const list: { date: string; name: string; unit: string; value: number }[] = [];
    const t1 = target.t1S?.[q];
    const t2 = target.t2S?.[q];
    if (t1 !== undefined && t1 > 0) list.push({ date, name: 'T1', unit: 'us', value: t1 * 1e6 });
    if (t2 !== undefined && t2 > 0) list.push({ date, name: 'T2', unit: 'us', value: t2 * 1e6 });
    const m = measure?.get(String(q));
    const ro = target.readout?.[q];
    const err = m?.error ?? (ro ? (ro.p01 + ro.p10) / 2 : undefined);
    if (err !== undefined) list.push({ date, name: 'readout_error', unit: '', value: err });
    if (ro) {
      list.push({ date, name: 'prob_meas0_prep1', unit: '', value: ro.p10 });
      list.push({ date, name: 'prob_meas1_prep0', unit: '', value: ro.p01 });
    }
    if (m?.durationS !== undefined) list.push({ date, name: 'readout_length', unit: 'ns', value: m.durationS * 1e9 });
    qubits.push(list);
  }
  return {
    configuration: {
      backend_name: name,
      backend_version: version,
      n_qubits: n,
      basis_gates: basis,
      supported_instructions: [...basis, 'delay', 'measure', 'reset', 'if_else'],
      coupling_map: [...coupling.values()],
      gates: gatesConf,
      max_shots: options.maxShots ?? 100_000,
      max_experiments: 300,
      simulator: false,
      local: false,
      conditional: false,
      open_pulse: false,
      memory: true,
      dt: 4,
      processor_type: options.processor ?? { family: 'Heron', revision: '2' },
      supported_features: ['qasm3'],
    },
    properties: { backend_name: name, backend_version: version, last_update_date: date, qubits, gates: gatesProps, general: [] },
  };
}
