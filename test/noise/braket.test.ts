/**
 * The model as Braket noise pragmas: one line per channel application, Braket's channel names and
 * argument order, Kraus fallbacks for channels Braket has no pragma for (qubits listed most
 * significant first, as Braket reads matrices), and readout errors reported as not emitted.
 */
import { describe, expect, it } from 'vitest';
import {
  CircuitBuilder,
  amplitudeDamping,
  bitFlip,
  braketNoisePragma,
  braketNoisePragmas,
  depolarizing,
  generalizedAmplitudeDamping,
  noiseModel,
  pauliChannel,
  phaseDamping,
  phaseFlip,
  thermalRelaxation,
} from '../../src/index.js';

describe('Braket noise pragmas', () => {
  it('names each channel as Braket does', () => {
    expect(braketNoisePragma(depolarizing(0.01), ['q[0]'])).toBe('#pragma braket noise depolarizing(0.01) q[0]');
    expect(braketNoisePragma(depolarizing(0.02, 2), ['q[0]', 'q[3]'])).toBe('#pragma braket noise two_qubit_depolarizing(0.02) q[0], q[3]');
    expect(braketNoisePragma(bitFlip(0.5), ['q[1]'])).toBe('#pragma braket noise bit_flip(0.5) q[1]');
    expect(braketNoisePragma(phaseFlip(0.1), ['$2'])).toBe('#pragma braket noise phase_flip(0.1) $2');
    expect(braketNoisePragma(pauliChannel({ X: 0.1, Z: 0.3, Y: 0.2 }), ['q[0]'])).toBe(
      '#pragma braket noise pauli_channel(0.1, 0.2, 0.3) q[0]',
    );
    expect(braketNoisePragma(amplitudeDamping(0.2), ['q[0]'])).toBe('#pragma braket noise amplitude_damping(0.2) q[0]');
    expect(braketNoisePragma(generalizedAmplitudeDamping(0.2, 0.3), ['q[1]'])).toBe(
      '#pragma braket noise generalized_amplitude_damping(0.2, 0.3) q[1]',
    );
    expect(braketNoisePragma(phaseDamping(0.4), ['q[0]'])).toBe('#pragma braket noise phase_damping(0.4) q[0]');
  });

  it('writes channels without a pragma of their own as Kraus operators', () => {
    const line = braketNoisePragma(thermalRelaxation({ t1S: 1e-4, t2S: 1e-4, timeS: 1e-5 }), ['q[0]']);
    expect(line).toMatch(/^#pragma braket noise kraus\(\[\[1, 0\], \[0, 0\.9\d+\]\], .*\) q\[0\]$/);
    // X on channel qubit 0 (= q[0]) is X on the least significant bit: Braket, reading the first
    // listed qubit as most significant, gets the qubits reversed.
    const two = braketNoisePragma(pauliChannel({ IX: 1 }), ['q[0]', 'q[1]']);
    expect(two).toBe('#pragma braket noise kraus([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]) q[1], q[0]');
  });

  it('lists the pragmas after each instruction and reports readout errors as not emitted', () => {
    const c = new CircuitBuilder(2).h(0).cx(0, 1).build();
    const m = noiseModel({
      rules: [
        { gates: ['h'], channel: depolarizing(0.01) },
        { gates: ['cx'], channel: depolarizing(0.02, 2) },
        { gates: ['cx'], channel: amplitudeDamping(0.001) },
      ],
      readout: [{ qubit: 1, p1Given0: 0.01, p0Given1: 0.02 }],
    });
    const out = braketNoisePragmas(c, m);
    expect(out.after).toEqual([
      ['#pragma braket noise depolarizing(0.01) q[0]'],
      [
        '#pragma braket noise two_qubit_depolarizing(0.02) q[0], q[1]',
        '#pragma braket noise amplitude_damping(0.001) q[0]',
        '#pragma braket noise amplitude_damping(0.001) q[1]',
      ],
    ]);
    expect(out.notEmitted).toEqual(['readout error on qubit 1 (p(1|0) = 0.01, p(0|1) = 0.02): Braket has no readout-noise pragma']);
  });
});
