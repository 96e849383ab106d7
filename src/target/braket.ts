import { validationError } from '../errors.js';
import { instructionMap, type InstructionProps, type Target } from './target.js';

/**
 * A Target from Amazon Braket `GetDevice` capabilities (research/providers.md §3.5): the paradigm
 * gives the qubit count, native gate set and connectivity; the `standardized` properties (v2) give
 * T1/T2 and randomized-benchmarking, readout and 2-qubit gate fidelities. Braket names qubits with
 * strings that need not be 0..n-1 (IQM counts from 1): qbridge numbers them in ascending order and
 * keeps the provider's names in `qubitLabels`.
 */

interface Quantity {
  value: number;
  unit?: string;
}

export interface BraketCapabilities {
  paradigm: {
    qubitCount: number;
    nativeGateSet: string[];
    connectivity: { fullyConnected: boolean; connectivityGraph?: Record<string, string[]> };
  };
  standardized?: {
    oneQubitProperties?: Record<
      string,
      { T1?: Quantity; T2?: Quantity; oneQubitFidelity?: { fidelityType: { name: string }; fidelity: number }[] }
    >;
    twoQubitProperties?: Record<
      string,
      { twoQubitGateFidelity?: { gateName: string; fidelity: number; fidelityType?: { name: string } }[] }
    >;
  };
}

export interface BraketTargetOptions {
  name: string;
  /** Gate durations in seconds by (IR) gate name; Braket capabilities do not state them. */
  durationsS?: Readonly<Record<string, number>>;
  source?: string;
}

/** Braket native gate names -> IR gate names (where they differ). */
const IR_NAME: Readonly<Record<string, string>> = {
  cnot: 'cx',
  i: 'id',
  v: 'sx',
  vi: 'sxdg',
  phaseshift: 'p',
  cphaseshift: 'cp',
  xx: 'rxx',
  yy: 'ryy',
  zz: 'rzz',
};
const TWO_QUBIT = new Set(['cx', 'cz', 'iswap', 'ecr', 'ms', 'rxx', 'ryy', 'rzz', 'cp', 'swap', 'xy']);

function seconds(q: Quantity): number {
  // Braket writes the unit as "S" in live device data and "s" in some SDK fixtures.
  const perSecond: Record<string, number> = { s: 1, ms: 1e3, us: 1e6, ns: 1e9 };
  return q.value / (perSecond[(q.unit ?? 's').toLowerCase()] ?? 1);
}

/** The parts of a Braket `GetDevice` response a Target needs; `deviceCapabilities` is a JSON string on the wire. */
export interface BraketDeviceResponse {
  deviceArn?: string;
  deviceName?: string;
  providerName?: string;
  deviceStatus?: string;
  deviceCapabilities: string | BraketCapabilities;
}

/** The capabilities document of a GetDevice response, parsed from its JSON string and checked for the fields a Target uses. */
export function braketCapabilitiesOf(response: unknown): BraketCapabilities {
  const r = response as Partial<BraketDeviceResponse> | null;
  if (!r || typeof r !== 'object' || r.deviceCapabilities === undefined)
    throw validationError(`Braket GetDevice response: missing field 'deviceCapabilities'`, { field: 'deviceCapabilities' });
  let caps: unknown = r.deviceCapabilities;
  if (typeof caps === 'string') {
    try {
      caps = JSON.parse(caps);
    } catch (e) {
      throw validationError(`Braket GetDevice response: 'deviceCapabilities' is not valid JSON (${(e as Error).message})`, {
        field: 'deviceCapabilities',
      });
    }
  }
  const c = caps as Partial<BraketCapabilities> | null;
  if (!c || typeof c !== 'object' || !c.paradigm || typeof c.paradigm !== 'object')
    throw validationError(`Braket capabilities: missing field 'paradigm' (is this a QPU?)`, { field: 'paradigm' });
  return c as BraketCapabilities;
}

/**
 * A Target straight from a Braket `GetDevice` response (as the API returns it: the capabilities are
 * a JSON string). The name defaults to the device name; durations are not in the response.
 */
export function targetFromBraketDevice(response: unknown, options: Partial<BraketTargetOptions> = {}): Target {
  const caps = braketCapabilitiesOf(response);
  const r = response as BraketDeviceResponse;
  const name = options.name ?? r.deviceName ?? 'braket-device';
  return targetFromBraket(caps, {
    ...options,
    name,
    source: options.source ?? `Braket GetDevice capabilities of ${r.deviceArn ?? name}`,
  });
}

export function targetFromBraket(caps: BraketCapabilities, options: BraketTargetOptions): Target {
  const p = caps.paradigm;
  if (!p) throw validationError(`Braket capabilities: missing field 'paradigm'`, { field: 'paradigm' });
  if (!Number.isInteger(p.qubitCount) || p.qubitCount < 1)
    throw validationError(`Braket capabilities: missing or invalid field 'paradigm.qubitCount'`, { field: 'paradigm.qubitCount' });
  if (!Array.isArray(p.nativeGateSet))
    throw validationError(`Braket capabilities: missing field 'paradigm.nativeGateSet'`, { field: 'paradigm.nativeGateSet' });
  const n = p.qubitCount;
  const one = caps.standardized?.oneQubitProperties ?? {};
  const graph = p.connectivity?.connectivityGraph ?? {};
  // Qubit names: those the device describes, else 0..n-1.
  const named = new Set<string>([...Object.keys(one), ...Object.keys(graph), ...Object.values(graph).flat()]);
  const labels =
    named.size === n
      ? [...named].sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : 1))
      : Array.from({ length: n }, (_, i) => String(i));
  const index = new Map(labels.map((l, i) => [l, i]));
  const idx = (label: string, where: string): number => {
    const i = index.get(label);
    if (i === undefined)
      throw validationError(`Braket capabilities: ${where} names qubit '${label}', which the device does not list`, { field: where });
    return i;
  };

  const gates = p.nativeGateSet.map((g) => IR_NAME[g.toLowerCase()] ?? g.toLowerCase());
  const pairs: [number, number][] = [];
  if (p.connectivity?.fullyConnected) {
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (a !== b) pairs.push([a, b]);
  } else {
    for (const [a, list] of Object.entries(graph))
      for (const b of list) {
        const ia = idx(a, 'paradigm.connectivity.connectivityGraph');
        const ib = idx(b, 'paradigm.connectivity.connectivityGraph');
        pairs.push([ia, ib], [ib, ia]); // couplers on these devices are symmetric (cz, iswap)
      }
  }
  // 2-qubit fidelities by "a-b" (either order) and gate.
  const twoF = new Map<string, number>();
  for (const [key, v] of Object.entries(caps.standardized?.twoQubitProperties ?? {})) {
    const [a, b] = key.split('-');
    for (const f of v.twoQubitGateFidelity ?? []) {
      const g = IR_NAME[f.gateName.toLowerCase()] ?? f.gateName.toLowerCase();
      const ia = idx(a, `standardized.twoQubitProperties['${key}']`);
      const ib = idx(b, `standardized.twoQubitProperties['${key}']`);
      twoF.set(`${g}:${ia},${ib}`, f.fidelity);
      twoF.set(`${g}:${ib},${ia}`, f.fidelity);
    }
  }
  const rb = new Array<number | undefined>(n).fill(undefined);
  const readout: { p01: number; p10: number }[] = [];
  const t1S: number[] = [];
  const t2S: number[] = [];
  let haveReadout = false;
  let haveT = false;
  for (let q = 0; q < n; q++) {
    const props = one[labels[q]];
    const fid = (name: string) => props?.oneQubitFidelity?.find((f) => f.fidelityType.name === name)?.fidelity;
    rb[q] = fid('RANDOMIZED_BENCHMARKING') ?? fid('SIMULTANEOUS_RANDOMIZED_BENCHMARKING');
    const ro = fid('READOUT');
    if (ro !== undefined) haveReadout = true;
    readout.push({ p01: ro === undefined ? 0 : 1 - ro, p10: ro === undefined ? 0 : 1 - ro });
    if (props?.T1 || props?.T2) haveT = true;
    t1S.push(props?.T1 ? seconds(props.T1) : 0);
    t2S.push(props?.T2 ? seconds(props.T2) : 0);
  }

  const instructions: Record<string, Record<string, InstructionProps>> = {};
  const dur = (g: string): InstructionProps => (options.durationsS?.[g] === undefined ? {} : { durationS: options.durationsS[g] });
  for (const g of gates) {
    const sites: Record<string, InstructionProps> = {};
    if (TWO_QUBIT.has(g)) {
      for (const [a, b] of pairs) {
        const f = twoF.get(`${g}:${a},${b}`);
        sites[`${a},${b}`] = { ...(f === undefined ? {} : { error: 1 - f }), ...dur(g) };
      }
    } else {
      // rz is virtual (a frame change) on every superconducting device here: no error, no time.
      for (let q = 0; q < n; q++)
        sites[String(q)] =
          g === 'rz' ? { error: 0, durationS: 0 } : { ...(rb[q] === undefined ? {} : { error: 1 - (rb[q] as number) }), ...dur(g) };
    }
    instructions[g] = sites;
  }
  const isIdentityLabels = labels.every((l, i) => l === String(i));
  return {
    name: options.name,
    numQubits: n,
    instructions: instructionMap(instructions),
    ...(haveReadout ? { readout } : {}),
    ...(haveT ? { t1S, t2S } : {}),
    ...(isIdentityLabels ? {} : { qubitLabels: labels }),
    source: options.source ?? `Braket device capabilities of ${options.name}`,
  };
}
