import { validationError } from '../errors.js';
import { instructionMap, type InstructionProps, type Target } from './target.js';

/**
 * A Target from a Rigetti QCS instruction-set architecture (`GET /v1/quantumProcessors/{id}/
 * instructionSetArchitecture`; research/providers.md §4.1). The ISA lists the lattice
 * (`architecture.nodes`, `architecture.edges`), the native operations with the sites they run on
 * (`instructions`) and benchmark results (`benchmarks`). Figures are read the way pyQuil and qcs-sdk
 * read them: 2-qubit fidelity from the site characteristic `f<OP>` (fCZ, fISWAP, fCPHASE), readout
 * fidelity from `fRO` on MEASURE sites, 1-qubit fidelity from `fRB` on the RX site or else the
 * per-node characteristic of the `randomized_benchmark_simultaneous_1q` benchmark. A characteristic's
 * `error` field is the uncertainty of its value, not an infidelity, and is ignored.
 *
 * Node ids need not be 0..n-1 (Aspen numbered 0-7, 10-17, ...), and a node with no operation is dead:
 * qbridge numbers the live nodes in ascending order and keeps their ids in `qubitLabels`. Operations
 * qbridge has no gate for (XY, the "_" wildcard, I, RESET) are left out and named in `source`.
 * The ISA gives no durations and no T1/T2; `durationsS` supplies durations when known.
 */

export interface QcsCharacteristic {
  name: string;
  value: number;
  error?: number | null;
  node_ids?: number[] | null;
  timestamp?: string;
  parameter_values?: number[] | null;
}

export interface QcsOperationSite {
  node_ids: number[];
  characteristics: QcsCharacteristic[];
}

export interface QcsOperation {
  name: string;
  node_count?: number | null;
  parameters?: { name: string }[];
  sites: QcsOperationSite[];
  characteristics?: QcsCharacteristic[];
}

export interface QcsInstructionSetArchitecture {
  name: string;
  architecture: {
    family?: string;
    nodes: { node_id: number }[];
    edges: { node_ids: number[] }[];
  };
  instructions: QcsOperation[];
  benchmarks?: QcsOperation[];
}

export interface QcsTargetOptions {
  /** Defaults to the ISA's name in lower case ("ankaa-3"). */
  name?: string;
  /** Gate durations in seconds by (IR) gate name; the ISA does not state them. */
  durationsS?: Readonly<Record<string, number>>;
  source?: string;
}

/** QCS operation names -> IR gate names, with the characteristic that holds their fidelity. */
const GATES: Readonly<Record<string, { gate: string; fidelity?: string }>> = {
  RX: { gate: 'rx', fidelity: 'fRB' },
  RZ: { gate: 'rz' },
  CZ: { gate: 'cz', fidelity: 'fCZ' },
  ISWAP: { gate: 'iswap', fidelity: 'fISWAP' },
  CPHASE: { gate: 'cp', fidelity: 'fCPHASE' },
  MEASURE: { gate: 'measure', fidelity: 'fRO' },
};
const SIM_RB = 'randomized_benchmark_simultaneous_1q';

function fail(path: string, what: string): never {
  throw validationError(`QCS ISA: ${path} ${what}`, { field: path });
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function list(x: unknown, path: string): unknown[] {
  if (x === undefined || x === null) fail(path, 'is missing');
  if (!Array.isArray(x)) fail(path, 'must be an array');
  return x;
}

function nodeIds(x: unknown, path: string, want?: number): number[] {
  const ids = list(x, path);
  if (!ids.every((v) => Number.isInteger(v) && (v as number) >= 0)) fail(path, 'must list non-negative integer node ids');
  if (want !== undefined && ids.length !== want) fail(path, `must list ${want} node id(s), got ${ids.length}`);
  return ids as number[];
}

function fidelityOf(chars: unknown, name: string, path: string, node?: number): number | undefined {
  if (chars === undefined || chars === null) return undefined;
  for (const [i, c] of list(chars, path).entries()) {
    if (!isRecord(c) || c.name !== name) continue;
    if (node !== undefined && !(Array.isArray(c.node_ids) && c.node_ids.length === 1 && c.node_ids[0] === node)) continue;
    if (typeof c.value !== 'number' || !Number.isFinite(c.value) || c.value < 0 || c.value > 1)
      fail(`${path}[${i}].value`, `must be a fidelity in [0, 1], got ${JSON.stringify(c.value)}`);
    return c.value;
  }
  return undefined;
}

export function targetFromQcsIsa(isa: QcsInstructionSetArchitecture | unknown, options: QcsTargetOptions = {}): Target {
  if (!isRecord(isa)) fail('(document)', 'must be an object');
  const arch = isa.architecture;
  if (!isRecord(arch)) fail('architecture', 'is missing (required: {nodes, edges})');
  const declared = new Set<number>();
  list(arch.nodes, 'architecture.nodes').forEach((n, i) => {
    if (!isRecord(n) || !Number.isInteger(n.node_id) || (n.node_id as number) < 0)
      fail(`architecture.nodes[${i}].node_id`, 'is missing or not a non-negative integer');
    declared.add(n.node_id as number);
  });
  const edgeKey = (a: number, b: number) => `${Math.min(a, b)}-${Math.max(a, b)}`;
  const declaredEdges = new Set<string>();
  list(arch.edges, 'architecture.edges').forEach((e, i) => {
    if (!isRecord(e)) fail(`architecture.edges[${i}]`, 'must be an object {node_ids: [a, b]}');
    const [a, b] = nodeIds(e.node_ids, `architecture.edges[${i}].node_ids`, 2);
    for (const q of [a, b])
      if (!declared.has(q)) fail(`architecture.edges[${i}].node_ids`, `names node ${q}, which architecture.nodes does not list`);
    declaredEdges.add(edgeKey(a, b));
  });

  // Collect every usable site first, so dead nodes (no operation at all) can be left out.
  interface Site {
    gate: string;
    nodes: number[];
    fidelity?: number;
  }
  const sites: Site[] = [];
  const skipped = new Set<string>();
  list(isa.instructions, 'instructions').forEach((op, i) => {
    const path = `instructions[${i}]`;
    if (!isRecord(op)) fail(path, 'must be an object {name, sites}');
    if (typeof op.name !== 'string') fail(`${path}.name`, 'is missing');
    const known = GATES[op.name];
    if (!known) {
      skipped.add(op.name);
      return;
    }
    const arity = op.name === 'RX' || op.name === 'RZ' || op.name === 'MEASURE' ? 1 : 2;
    list(op.sites, `${path}.sites`).forEach((s, j) => {
      const spath = `${path}.sites[${j}]`;
      if (!isRecord(s)) fail(spath, 'must be an object {node_ids, characteristics}');
      const ns = nodeIds(s.node_ids, `${spath}.node_ids`, arity);
      for (const q of ns)
        if (!declared.has(q)) fail(`${spath}.node_ids`, `names node ${q}, which architecture.nodes does not list (operation ${op.name})`);
      if (arity === 2 && !declaredEdges.has(edgeKey(ns[0], ns[1])))
        fail(`${spath}.node_ids`, `names the pair ${ns[0]}-${ns[1]}, which architecture.edges does not list (operation ${op.name})`);
      const f = known.fidelity ? fidelityOf(s.characteristics, known.fidelity, `${spath}.characteristics`) : undefined;
      sites.push({ gate: known.gate, nodes: ns, ...(f === undefined ? {} : { fidelity: f }) });
    });
  });
  if (isa.benchmarks !== undefined && isa.benchmarks !== null) list(isa.benchmarks, 'benchmarks');
  const simRb = (Array.isArray(isa.benchmarks) ? isa.benchmarks : []).find((b) => isRecord(b) && b.name === SIM_RB) as
    Record<string, unknown> | undefined;
  const simRbSite = simRb ? (list(simRb.sites, `benchmarks['${SIM_RB}'].sites`)[0] as Record<string, unknown> | undefined) : undefined;

  const live = [...new Set(sites.flatMap((s) => s.nodes))].sort((a, b) => a - b);
  if (live.length === 0) fail('instructions', 'list no operation qbridge can use (RX, RZ, CZ, ISWAP, CPHASE, MEASURE)');
  const index = new Map(live.map((q, i) => [q, i]));
  const n = live.length;

  const instructions: Record<string, Record<string, InstructionProps>> = {};
  const readout: { p01: number; p10: number }[] = Array.from({ length: n }, () => ({ p01: 0, p10: 0 }));
  let haveReadout = false;
  const dur = (g: string): InstructionProps => (options.durationsS?.[g] === undefined ? {} : { durationS: options.durationsS[g] });
  for (const s of sites) {
    const qs = s.nodes.map((q) => index.get(q) as number);
    let f = s.fidelity;
    if (s.gate === 'rx' && f === undefined && simRbSite)
      f = fidelityOf(simRbSite.characteristics, 'fRB', `benchmarks['${SIM_RB}'].sites[0].characteristics`, s.nodes[0]);
    if (s.gate === 'measure' && f !== undefined) {
      // fRO is the mean assignment fidelity; QCS does not split it by prepared state.
      readout[qs[0]] = { p01: 1 - f, p10: 1 - f };
      haveReadout = true;
    }
    const props: InstructionProps =
      s.gate === 'rz' ? { error: 0, durationS: 0 } : { ...(f === undefined ? {} : { error: 1 - f }), ...dur(s.gate) };
    const keys = qs.length === 2 ? [`${qs[0]},${qs[1]}`, `${qs[1]},${qs[0]}`] : [String(qs[0])]; // CZ, ISWAP, CPHASE are symmetric
    const rec = (instructions[s.gate] ??= {});
    for (const k of keys) rec[k] = props;
  }
  const name = options.name ?? (typeof isa.name === 'string' && isa.name ? isa.name.toLowerCase() : 'rigetti-qcs');
  const dead = [...declared].filter((q) => !index.has(q)).sort((a, b) => a - b);
  const notes = [
    dead.length ? `dead nodes left out: ${dead.join(', ')}` : '',
    skipped.size ? `operations without a qbridge gate left out: ${[...skipped].join(', ')}` : '',
  ].filter(Boolean);
  return {
    name,
    numQubits: n,
    instructions: instructionMap(instructions),
    ...(haveReadout ? { readout } : {}),
    ...(live.every((q, i) => q === i) ? {} : { qubitLabels: live.map(String) }),
    source: options.source ?? [`Rigetti QCS instruction-set architecture of ${String(isa.name)}`, ...notes].join('; '),
  };
}
