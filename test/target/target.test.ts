import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  couplingGraph,
  connectedComponents,
  isConnected,
  instructionProps,
  nativeGates,
  presetTarget,
  PRESET_TARGETS,
  qubitDistance,
  shortestPath,
  supports,
  targetFromBraket,
  targetFromIbm,
  targetFromIonq,
  targetFromJSON,
  targetToJSON,
  targetToJSONString,
  UNREACHABLE,
  IQM_GARNET_CAPABILITIES,
  type QError,
} from '../../src/index.js';

const FIX = resolve(__dirname, '../fixtures/devices');
const SHARED = resolve(__dirname, '../../../shared/devices/ibm');
const load = (f: string) => JSON.parse(readFileSync(resolve(FIX, f), 'utf8'));

function errorOf(fn: () => unknown): QError {
  try {
    fn();
  } catch (e) {
    return e as QError;
  }
  throw new Error('expected an error');
}

describe('targetFromIbm (real ibm_fez / ibm_brisbane calibration, qubits 0-15)', () => {
  const fez = targetFromIbm(load('ibm_fez_q0-15.configuration.json'), load('ibm_fez_q0-15.properties.json'));
  const bris = targetFromIbm(load('ibm_brisbane_q0-15.configuration.json'), load('ibm_brisbane_q0-15.properties.json'));

  it('takes the basis gates with their calibrated error and duration', () => {
    expect(fez.numQubits).toBe(16);
    expect(nativeGates(fez).twoQubit).toEqual(['cz']);
    expect(nativeGates(fez).oneQubit.sort()).toEqual(['id', 'rz', 'sx', 'x']);
    // properties: cz0_1 gate_error 0.0101566715843735, gate_length 84 ns
    expect(instructionProps(fez, 'cz', [0, 1])).toEqual({ error: 0.0101566715843735, durationS: 84e-9 });
    expect(supports(fez, 'cz', [1, 0])).toBe(true); // Heron lists both directions
    expect(supports(fez, 'rzz', [0, 1])).toBe(false); // fractional gates are not basis gates
  });

  it('reads T1/T2 in seconds and readout as p(1|0), p(0|1)', () => {
    expect(fez.t1S?.[3]).toBeCloseTo(219.7204520004499e-6, 15);
    expect(fez.t2S?.[3]).toBeCloseTo(215.54352906307065e-6, 15);
    expect(fez.readout?.[3]).toEqual({ p01: 0.00537109375, p10: 0.0263671875 });
    expect(instructionProps(fez, 'measure', [3])?.durationS).toBeCloseTo(1560e-9, 15);
  });

  it('keeps Eagle ECR directed: one direction per coupler', () => {
    const g = couplingGraph(bris);
    expect(supports(bris, 'ecr', [1, 0])).toBe(true);
    expect(supports(bris, 'ecr', [0, 1])).toBe(false);
    expect(g.directed.has('1,0') && !g.directed.has('0,1')).toBe(true);
    expect(g.neighbours[0]).toEqual([1, 14]);
  });

  it.skipIf(!existsSync(SHARED))('builds the ibm_heron and ibm_eagle presets exactly from the full device files', () => {
    for (const [dev, preset] of [
      ['ibm_fez', 'ibm_heron'],
      ['ibm_brisbane', 'ibm_eagle'],
    ]) {
      const conf = JSON.parse(readFileSync(resolve(SHARED, dev, 'configuration.json'), 'utf8'));
      const props = JSON.parse(readFileSync(resolve(SHARED, dev, 'properties.json'), 'utf8'));
      expect(targetFromIbm(conf, props, { name: preset })).toEqual(presetTarget(preset));
    }
  });
});

describe('presets', () => {
  it('have the documented sizes, gates and couplers', () => {
    const facts = PRESET_TARGETS.map((name) => {
      const t = presetTarget(name);
      const g = couplingGraph(t);
      return {
        name,
        qubits: t.numQubits,
        twoQubit: nativeGates(t).twoQubit,
        edges: g.edges.length,
        components: connectedComponents(g).length,
      };
    });
    expect(facts).toEqual([
      // ibm_fez: 176 heavy-hex couplers (352 directed cz), 7 reported broken (error 1) and skipped; that isolates 2 qubits
      { name: 'ibm_heron', qubits: 156, twoQubit: ['cz'], edges: 169, components: 3 },
      { name: 'ibm_eagle', qubits: 127, twoQubit: ['ecr'], edges: 143, components: 1 },
      { name: 'ionq_forte', qubits: 36, twoQubit: ['ms'], edges: 630, components: 1 },
      { name: 'iqm_garnet', qubits: 20, twoQubit: ['cz'], edges: 30, components: 1 },
      { name: 'rigetti', qubits: 84, twoQubit: ['iswap'], edges: 149, components: 1 },
    ]);
    expect(couplingGraph(presetTarget('ibm_heron'), { maxError: 2 }).edges.length).toBe(176);
  });

  it('heavy-hex degree is at most 3; the square lattices at most 4', () => {
    for (const [name, maxDeg] of [
      ['ibm_heron', 3],
      ['ibm_eagle', 3],
      ['iqm_garnet', 4],
      ['rigetti', 4],
    ] as const) {
      expect(Math.max(...couplingGraph(presetTarget(name)).neighbours.map((n) => n.length)), name).toBe(maxDeg);
    }
  });

  it('IQM keeps Braket qubit names; IonQ is all-to-all with symmetric MS', () => {
    const iqm = presetTarget('iqm_garnet');
    expect(iqm.qubitLabels?.[0]).toBe('1');
    expect(iqm.qubitLabels?.[19]).toBe('20');
    const ionq = presetTarget('ionq_forte');
    expect(supports(ionq, 'ms', [35, 0]) && supports(ionq, 'ms', [0, 35])).toBe(true);
    expect(instructionProps(ionq, 'ms', [3, 4])?.error).toBeCloseTo(0.004, 12);
    expect(presetTarget('ionq_forte')).toBe(ionq); // built once
  });

  it('rejects unknown names', () => {
    const e = errorOf(() => presetTarget('ibm_nowhere'));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain("'ibm_nowhere'");
  });
});

describe('coupling graph', () => {
  const line = targetFromJSON({
    name: 'line',
    numQubits: 5,
    instructions: { cz: { '0,1': {}, '1,2': {}, '2,3': {} }, rz: { '0': {}, '1': {}, '2': {}, '3': {}, '4': {} } },
  });

  it('BFS distances, paths and connectivity', () => {
    const g = couplingGraph(line);
    expect(qubitDistance(g, 0, 3)).toBe(3);
    expect(qubitDistance(g, 3, 0)).toBe(3);
    expect(qubitDistance(g, 0, 4)).toBe(UNREACHABLE);
    expect(shortestPath(g, 0, 3)).toEqual([0, 1, 2, 3]);
    expect(isConnected(g, [0, 1, 2, 3])).toBe(true);
    expect(isConnected(g)).toBe(false);
    expect(connectedComponents(g)).toEqual([[0, 1, 2, 3], [4]]);
  });

  it('heavy-hex distances are symmetric and finite inside a component', () => {
    const g = couplingGraph(presetTarget('ibm_eagle'));
    const N = g.numQubits;
    for (let a = 0; a < N; a += 7) for (let b = 0; b < N; b += 11) expect(g.distance[a * N + b]).toBe(g.distance[b * N + a]);
    expect(Math.max(...g.distance)).toBeLessThan(UNREACHABLE);
  });
});

describe('target JSON', () => {
  it('round-trips every preset', () => {
    for (const name of PRESET_TARGETS) {
      const t = presetTarget(name);
      expect(targetFromJSON(targetToJSONString(t))).toEqual({ ...t });
      expect(targetToJSON(t).format).toBe('qbridge.target');
    }
  });

  const good = { name: 'x', numQubits: 2, instructions: { cz: { '0,1': { error: 0.01 } }, sx: { '0': {}, '1': {} } } };
  const bad: [string, unknown, string][] = [
    ['numQubits missing', { name: 'x', instructions: good.instructions }, 'numQubits'],
    ['name missing', { numQubits: 2, instructions: good.instructions }, 'name'],
    ['instructions missing', { name: 'x', numQubits: 2 }, 'instructions'],
    ['qubit out of range', { ...good, instructions: { cz: { '0,5': {} } } }, "instructions.cz['0,5']"],
    ['wrong arity', { ...good, instructions: { cz: { '0': {} } } }, "instructions.cz['0']"],
    ['unknown gate', { ...good, instructions: { warp: { '0': {} } } }, 'instructions.warp'],
    ['error out of range', { ...good, instructions: { cz: { '0,1': { error: 2 } } } }, "instructions.cz['0,1'].error"],
    ['readout entry missing p10', { ...good, readout: [{ p01: 0.01, p10: 0.02 }, { p01: 0.01 }] }, 'readout[1].p10'],
    ['t1S too short', { ...good, t1S: [1e-4] }, 't1S'],
    ['not JSON', '{"name": ', 'not valid JSON'],
  ];
  it.each(bad)('%s: a VALIDATION error naming the field', (_what, doc, field) => {
    const e = errorOf(() => targetFromJSON(typeof doc === 'string' ? doc : JSON.stringify(doc)));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain(field);
  });
});

describe('other builders', () => {
  it('IonQ characterization: device-wide figures on every qubit and pair', () => {
    const t = targetFromIonq({
      backend: 'qpu.test',
      qubits: 4,
      fidelity: { spam: { median: 0.99 }, '1q': { mean: 0.999 }, '2q': { mean: 0.98 } },
      timing: { t1: 10, t2: 1, '1q': 1e-4, '2q': 6e-4 },
    });
    expect(couplingGraph(t).edges.length).toBe(6);
    expect(instructionProps(t, 'gpi2', [2])?.error).toBeCloseTo(0.001, 12);
    expect(instructionProps(t, 'ms', [3, 1])).toEqual({ error: expect.closeTo(0.02, 12), durationS: 6e-4 });
    expect(t.readout?.[0].p01).toBeCloseTo(0.01, 12);
  });

  it('Braket capabilities: connectivity graph, fidelities, 1-based labels', () => {
    const t = targetFromBraket(IQM_GARNET_CAPABILITIES, { name: 'g' });
    expect(t.numQubits).toBe(20);
    expect(supports(t, 'cz', [0, 1]) && supports(t, 'cz', [1, 0])).toBe(true); // "1"-"2"
    expect(instructionProps(t, 'cz', [0, 1])?.error).toBeCloseTo(0.005, 12);
    expect(instructionProps(t, 'prx', [7])?.error).toBeCloseTo(0.001, 12);
    const e = errorOf(() => targetFromBraket({ paradigm: undefined } as never, { name: 'z' }));
    expect(e.message).toContain('paradigm');
  });
});
