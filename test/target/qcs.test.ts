import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CircuitBuilder,
  compile,
  couplingGraph,
  instructionProps,
  isConnected,
  nativeGates,
  readoutError,
  targetFromJSON,
  targetFromQcsIsa,
  targetToJSONString,
  type QError,
  type QcsInstructionSetArchitecture,
} from '../../src/index.js';
import { equivalenceError } from '../compiler/equivalence.js';

const FIXTURE = resolve(__dirname, '../fixtures/devices/rigetti-ankaa-isa.json');
const load = (): QcsInstructionSetArchitecture => JSON.parse(readFileSync(FIXTURE, 'utf8')) as QcsInstructionSetArchitecture;

function errorOf(fn: () => unknown): QError {
  try {
    fn();
  } catch (e) {
    return e as QError;
  }
  throw new Error('expected an error');
}

describe('targetFromQcsIsa (Ankaa-3-shaped ISA: 7x12 lattice, node 40 dead, coupler 17-29 dead)', () => {
  const t = targetFromQcsIsa(load());

  it('numbers the live nodes and keeps their ids', () => {
    expect(t.name).toBe('ankaa-3');
    expect(t.numQubits).toBe(83); // 84 nodes, one without any operation
    expect(t.qubitLabels?.[39]).toBe('39');
    expect(t.qubitLabels?.[40]).toBe('41');
    expect(t.source).toContain('dead nodes left out: 40');
    expect(nativeGates(t).oneQubit.sort()).toEqual(['rx', 'rz']);
    expect(nativeGates(t).twoQubit.sort()).toEqual(['cz', 'iswap']);
  });

  it('reads fRB, fCZ, fISWAP and fRO from their sites', () => {
    // fixture: RX site of node 0 has fRB 0.999139, MEASURE fRO 0.960939; the 0-1 coupler fISWAP 0.995775, fCZ 0.986383
    expect(instructionProps(t, 'rx', [0])?.error).toBeCloseTo(1 - 0.999139, 9);
    expect(instructionProps(t, 'rz', [0])).toEqual({ error: 0, durationS: 0 });
    expect(instructionProps(t, 'iswap', [0, 1])?.error).toBeCloseTo(1 - 0.995775, 9);
    expect(instructionProps(t, 'iswap', [1, 0])?.error).toBeCloseTo(1 - 0.995775, 9);
    expect(instructionProps(t, 'cz', [0, 1])?.error).toBeCloseTo(1 - 0.986383, 9);
    expect(readoutError(t, 0)).toBeCloseTo(1 - 0.960939, 9);
    const errs = [...(t.instructions.get('iswap')?.values() ?? [])].map((p) => p.error ?? 1).sort((a, b) => a - b);
    expect(errs[Math.floor(errs.length / 2)]).toBeGreaterThan(0.002); // median fISWAP ~99.5%
    expect(errs[Math.floor(errs.length / 2)]).toBeLessThan(0.008);
  });

  it('falls back to the simultaneous-RB benchmark when the RX site has no fRB', () => {
    const isa = load();
    const rx = isa.instructions.find((o) => o.name === 'RX');
    for (const s of rx?.sites ?? []) s.characteristics = [];
    const bench = isa.benchmarks?.[0].sites[0].characteristics.find((c) => c.node_ids?.[0] === 5);
    const t2 = targetFromQcsIsa(isa);
    expect(instructionProps(t2, 'rx', [5])?.error).toBeCloseTo(1 - (bench?.value ?? 0), 12);
  });

  it('couples the lattice, without the dead coupler and the dead node', () => {
    const g = couplingGraph(t);
    const idx = (node: number) => t.qubitLabels?.indexOf(String(node)) ?? node;
    expect(g.edges.length).toBe(149 - 4 - 1); // 149 lattice edges, 4 at node 40, 1 dead coupler
    expect(g.neighbours[idx(17)]).not.toContain(idx(29));
    expect(g.neighbours[idx(0)]).toEqual([idx(1), idx(12)]);
    expect(isConnected(g)).toBe(true);
  });

  it('compiles to it exactly, and round-trips through target JSON', () => {
    const c = new CircuitBuilder(5).h(0).cx(0, 1).cx(1, 2).cp(0.4, 0, 3).swap(2, 4).ry(0.3, 4).build();
    for (const level of [0, 2] as const) {
      const r = compile(c, t, { level });
      expect(equivalenceError(c, r)).toBeLessThan(1e-8);
      expect(r.circuit.ops.every((i) => ['rx', 'rz', 'cz', 'iswap'].includes(i.op))).toBe(true);
    }
    const back = targetFromJSON(targetToJSONString(t));
    expect(back.numQubits).toBe(83);
    expect(instructionProps(back, 'cz', [0, 1])).toEqual(instructionProps(t, 'cz', [0, 1]));
  });

  it('leaves out operations qbridge has no gate for, and says so', () => {
    const isa = load();
    isa.instructions.push({
      name: 'XY',
      node_count: 2,
      parameters: [{ name: 'theta' }],
      sites: [{ node_ids: [0, 1], characteristics: [] }],
    });
    const t2 = targetFromQcsIsa(isa, { name: 'ankaa-xy' });
    expect(t2.name).toBe('ankaa-xy');
    expect(t2.source).toContain('operations without a qbridge gate left out: XY');
    expect(t2.instructions.has('xy')).toBe(false);
  });

  it('bad input: VALIDATION errors naming the field', () => {
    const cases: [(isa: Record<string, unknown>) => void, string][] = [
      [(isa) => delete isa.architecture, 'QCS ISA: architecture is missing (required: {nodes, edges})'],
      [(isa) => delete (isa.architecture as Record<string, unknown>).nodes, 'QCS ISA: architecture.nodes is missing'],
      [(isa) => delete (isa.architecture as Record<string, unknown>).edges, 'QCS ISA: architecture.edges is missing'],
      [(isa) => delete isa.instructions, 'QCS ISA: instructions is missing'],
      [
        (isa) => ((isa.instructions as QcsInstructionSetArchitecture['instructions'])[0].sites[0].node_ids = [999]),
        'QCS ISA: instructions[0].sites[0].node_ids names node 999, which architecture.nodes does not list (operation RX)',
      ],
      [
        (isa) => ((isa.instructions as QcsInstructionSetArchitecture['instructions'])[3].sites[0].node_ids = [0, 13]),
        'QCS ISA: instructions[3].sites[0].node_ids names the pair 0-13, which architecture.edges does not list (operation ISWAP)',
      ],
      [
        (isa) => ((isa.instructions as QcsInstructionSetArchitecture['instructions'])[4].sites[0].characteristics[0].value = 1.5),
        'QCS ISA: instructions[4].sites[0].characteristics[0].value must be a fidelity in [0, 1], got 1.5',
      ],
    ];
    for (const [mutate, message] of cases) {
      const isa = load() as unknown as Record<string, unknown>;
      mutate(isa);
      const e = errorOf(() => targetFromQcsIsa(isa));
      expect(e.code).toBe('VALIDATION');
      expect(e.message).toBe(message);
    }
  });
});
