/**
 * NoiseModel as data: JSON round trip, rule matching (gate names, qubit tuples, 'on', one-qubit
 * channels spread over multi-qubit gates), and every kind of bad input as a VALIDATION error.
 */
import { describe, expect, it } from 'vitest';
import {
  CircuitBuilder,
  amplitudeDamping,
  bitFlip,
  channelsAfter,
  densityMatrixCounts,
  depolarizing,
  generalizedAmplitudeDamping,
  krausChannel,
  noiseModel,
  noiseModelFromJSON,
  noiseModelToJSON,
  pauliChannel,
  phaseDamping,
  thermalRelaxation,
  trajectoryCounts,
  type Channel,
  type Instruction,
} from '../../src/index.js';
import { expectValidation } from './helpers.js';

const kraus = krausChannel([
  [1, 0, 0, 0, 0, 0, Math.sqrt(0.9), 0],
  [0, 0, Math.sqrt(0.1), 0, 0, 0, 0, 0],
]);

const full = noiseModel({
  name: 'everything',
  numQubits: 4,
  rules: [
    { gates: ['sx', 'x'], channel: depolarizing(1e-3) },
    {
      gates: ['cz'],
      qubits: [
        [0, 1],
        [2, 3],
      ],
      channel: depolarizing(0.01, 2),
    },
    { gates: ['cz'], qubits: [[0, 1]], on: [1], channel: thermalRelaxation({ t1S: 1e-4, t2S: 9e-5, timeS: 6.8e-8 }) },
    { qubits: [[2]], channel: pauliChannel({ X: 0.01, Z: 0.02 }) },
    { channel: amplitudeDamping(1e-4) },
    { gates: ['rz'], channel: generalizedAmplitudeDamping(0.01, 0.9) },
    { gates: ['h'], channel: phaseDamping(0.02) },
    { gates: ['y'], channel: bitFlip(0.1) },
    { gates: ['u'], channel: kraus },
  ],
  readout: [
    { qubit: 0, p1Given0: 0.01, p0Given1: 0.03 },
    { qubit: 3, p1Given0: 0.02, p0Given1: 0.05 },
  ],
});

const ins = (op: string, qubits: number[]): Instruction => ({ op, qubits, params: [] });

describe('NoiseModel document', () => {
  it('round-trips through JSON unchanged, with its format tag and version', () => {
    const text = noiseModelToJSON(full, 2);
    const back = noiseModelFromJSON(text);
    expect(back).toEqual(full);
    expect(JSON.parse(text)).toMatchObject({ format: 'qbridge.noise-model', version: 1, numQubits: 4 });
    expect(noiseModelFromJSON(JSON.parse(text))).toEqual(full);
  });

  it('is frozen plain data', () => {
    expect(Object.isFrozen(full)).toBe(true);
    expect(Object.isFrozen(full.rules[0])).toBe(true);
  });

  it('refuses other formats and versions', () => {
    const doc = JSON.parse(noiseModelToJSON(full));
    expectValidation(() => noiseModelFromJSON({ ...doc, version: 2 }), /version 2 is not supported/);
    expectValidation(() => noiseModelFromJSON({ ...doc, format: 'aer' }), /format must be 'qbridge.noise-model'/);
    expectValidation(() => noiseModelFromJSON('{not json'), /not valid JSON/);
  });

  it('validates channels read from a document', () => {
    const doc = JSON.parse(noiseModelToJSON(full));
    doc.rules[0].channel.p = 1.5;
    expectValidation(() => noiseModelFromJSON(doc), /noise rule 0 channel \(depolarizing\): p must be a probability in \[0, 1\], got 1.5/);
  });
});

describe('rule matching', () => {
  const kinds = (list: { channel: Channel; qubits: readonly number[] }[]): string[] =>
    list.map((a) => `${a.channel.kind}@${a.qubits.join(',')}`);
  it('matches gate names and applies one-qubit channels to each qubit of the gate', () => {
    expect(kinds(channelsAfter(full, ins('sx', [1]), 0))).toEqual(['depolarizing@1', 'amplitude_damping@1']);
    expect(kinds(channelsAfter(full, ins('cz', [1, 0]), 0))).toEqual(['amplitude_damping@1', 'amplitude_damping@0']);
  });
  it('matches qubit tuples in order and places channels with on', () => {
    expect(kinds(channelsAfter(full, ins('cz', [0, 1]), 0))).toEqual([
      'depolarizing@0,1',
      'thermal_relaxation@1',
      'amplitude_damping@0',
      'amplitude_damping@1',
    ]);
    expect(kinds(channelsAfter(full, ins('x', [2]), 0))).toEqual(['depolarizing@2', 'pauli@2', 'amplitude_damping@2']);
  });
  it('puts no gate noise on measurements, resets, barriers or delays', () => {
    for (const op of ['measure', 'reset', 'barrier', 'delay']) expect(channelsAfter(full, ins(op, [0]), 0)).toEqual([]);
  });
  it('refuses a two-qubit channel after a one-qubit gate', () => {
    const m = noiseModel({ rules: [{ channel: depolarizing(0.1, 2) }] });
    expectValidation(() => channelsAfter(m, ins('h', [0]), 7), /2-qubit channel cannot follow instruction 7 \(h on 1 qubit/);
  });
});

describe('bad input is a VALIDATION error', () => {
  it('probabilities outside [0, 1]', () => {
    expectValidation(() => depolarizing(-0.1), /p must be a probability in \[0, 1\], got -0.1/);
    expectValidation(() => depolarizing(1.01, 2), /got 1.01/);
    expectValidation(() => bitFlip(Number.NaN), /got NaN/);
    expectValidation(() => amplitudeDamping(2), /gamma must be a probability/);
    expectValidation(() => generalizedAmplitudeDamping(0.1, -1), /p must be a probability/);
    expectValidation(() => pauliChannel({ X: 0.6, Z: 0.6 }), /sum to 1.2, more than 1/);
    expectValidation(() => pauliChannel({ X: 0.1, ZZ: 0.1 }), /act on different numbers of qubits/);
    expectValidation(() => pauliChannel({ Q: 0.1 }), /'Q' is not a Pauli label/);
    expectValidation(() => depolarizing(0.1, 5), /numQubits must be an integer from 1 to 3/);
  });
  it('non-physical thermal relaxation times', () => {
    expectValidation(() => thermalRelaxation({ t1S: 0, t2S: 1e-5, timeS: 1e-8 }), /t1S must be a finite positive number/);
    expectValidation(() => thermalRelaxation({ t1S: 1e-4, t2S: 1e-5, timeS: -1 }), /timeS must be a finite non-negative number/);
    expectValidation(() => thermalRelaxation({ t1S: 1e-4, t2S: 1e-5, timeS: 1e-8, excitedPopulation: 1.2 }), /excitedPopulation/);
  });
  it('Kraus operators that are not trace preserving or not square powers of two', () => {
    expectValidation(
      () => krausChannel([[1.01, 0, 0, 0, 0, 0, 1, 0]]),
      /not trace preserving: Σ K†K differs from the identity by 2\.01e-2/,
    );
    expectValidation(() => krausChannel([[1, 0, 0, 0, 0, 0, Math.sqrt(0.5), 0]]), /not trace preserving/);
    // Off by 1e-8 in one entry: beyond the 1e-9 tolerance.
    expectValidation(() => krausChannel([[1 + 5e-9, 0, 0, 0, 0, 0, 1, 0]]), /not trace preserving/);
    expect(() => krausChannel([[1 + 1e-12, 0, 0, 0, 0, 0, 1, 0]])).not.toThrow();
    expectValidation(() => krausChannel([[1, 0, 0, 0, 0, 0]]), /2\^k x 2\^k complex matrix/);
    expectValidation(() => krausChannel([]), /at least one Kraus operator/);
  });
  it('readout errors for qubits the model or circuit does not have', () => {
    expectValidation(
      () => noiseModel({ numQubits: 3, readout: [{ qubit: 5, p1Given0: 0.01, p0Given1: 0.01 }] }),
      /qubit 5 does not exist \(the model describes 3 qubits\)/,
    );
    expectValidation(
      () =>
        noiseModel({
          readout: [
            { qubit: 1, p1Given0: 0.01, p0Given1: 0.01 },
            { qubit: 1, p1Given0: 0.02, p0Given1: 0.01 },
          ],
        }),
      /qubit 1 has two readout errors/,
    );
    expectValidation(
      () => noiseModel({ readout: [{ qubit: 0, p1Given0: 1.5, p0Given1: 0 }] }),
      /p1Given0 of qubit 0 must be a probability/,
    );
    const m = noiseModel({ readout: [{ qubit: 4, p1Given0: 0.01, p0Given1: 0.01 }] });
    const c = new CircuitBuilder(2).h(0).build();
    expectValidation(() => densityMatrixCounts(c, m, { shots: 10 }), /readout error for qubit 4, but the circuit has only 2 qubits/);
    expectValidation(() => trajectoryCounts(c, m, { shots: 10 }), /readout error for qubit 4/);
  });
  it('circuits wider than the model, rules on missing qubits, misfit channels', () => {
    const c = new CircuitBuilder(5).h(0).build();
    expectValidation(() => densityMatrixCounts(c, full, { shots: 1 }), /circuit has 5 qubits but the noise model describes only 4/);
    expectValidation(
      () => noiseModel({ numQubits: 2, rules: [{ qubits: [[0, 2]], channel: depolarizing(0.1, 2) }] }),
      /qubit 2 does not exist/,
    );
    expectValidation(
      () => noiseModel({ rules: [{ qubits: [[0, 1, 2]], channel: depolarizing(0.1, 2) }] }),
      /2-qubit channel does not fit the 3-qubit tuple/,
    );
    expectValidation(() => noiseModel({ rules: [{ on: [0], channel: depolarizing(0.1, 2) }] }), /'on' must list 2 position/);
    expectValidation(() => noiseModel({ rules: [{ gates: [], channel: depolarizing(0.1) }] }), /gates must be a non-empty list/);
  });
  it('dynamic circuits are refused by the noisy engines', () => {
    const c = new CircuitBuilder(1, 1).h(0).measure(0, 0).h(0).build();
    expectValidation(() => densityMatrixCounts(c, noiseModel(), { shots: 1 }), /measurements are final/);
  });
});
