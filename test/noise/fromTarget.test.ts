/**
 * noiseFromTarget against Qiskit Aer's from_backend recipe. The check is end to end: the process
 * fidelity of the noise a model attaches to a gate is measured through the density-matrix engine
 * (gate on half of maximally entangled pairs, then the exact inverse as a noiseless 'unitary', then
 * the overlap with the pairs), converted with F_avg = (d·F_pro + 1)/(d + 1), and compared with the
 * reported gate error.
 */
import { describe, expect, it } from 'vitest';
import {
  CircuitBuilder,
  dagger,
  densityMatrix,
  densityElement,
  depolarizingForError,
  getGate,
  noiseFromTarget,
  type NoiseModel,
  type NoiseTarget,
} from '../../src/index.js';
import { expectValidation } from './helpers.js';

const US = 1e-6;
const NS = 1e-9;

// Figures of IBM Heron size (ibm_fez calibration in /work/shared/devices, rounded); qubits 4..7 are
// ancillas for the fidelity measurement and carry no calibration.
const target: NoiseTarget = {
  name: 'heron-like',
  numQubits: 8,
  instructions: new Map([
    [
      'sx',
      new Map([
        ['0', { error: 2.4e-4, durationS: 24 * NS }],
        ['1', { error: 3.1e-4, durationS: 24 * NS }],
        ['2', { error: 1e-5, durationS: 24 * NS }],
      ]),
    ],
    ['x', new Map([['0', { error: 2.4e-4, durationS: 24 * NS }]])],
    [
      'rz',
      new Map([
        ['0', { error: 0, durationS: 0 }],
        ['1', null],
      ]),
    ],
    [
      'cz',
      new Map([
        ['0,1', { error: 2.8e-3, durationS: 68 * NS }],
        ['1,2', { error: 4e-3, durationS: 68 * NS }],
      ]),
    ],
    ['measure', new Map([['0', { error: 1e-2, durationS: 1.56e-6 }]])],
  ]),
  t1S: [145 * US, 98 * US, 40 * US, 200 * US],
  t2S: [110 * US, 240 * US, 12 * US, 150 * US], // qubit 1: T2 > 2·T1, capped
  readout: [{ p01: 0.008, p10: 0.021 }, { p01: 0.012, p10: 0.03 }, null, { p01: 0, p10: 0 }],
};

/** 1 - average gate fidelity of the noise `model` attaches to `gate` on `qubits`, measured with the DM engine. */
function measuredInfidelity(model: NoiseModel, gate: string, qubits: number[]): number {
  const k = qubits.length;
  const anc = qubits.map((_, i) => 4 + i);
  const u = getGate(gate).matrix([]);
  const b = new CircuitBuilder(8);
  qubits.forEach((q, i) => b.h(anc[i]).cx(anc[i], q));
  b.gate(gate, qubits);
  b.unitary(dagger(u), qubits);
  qubits.forEach((q, i) => b.cx(anc[i], q).h(anc[i]));
  const rho = densityMatrix(b.build(), model);
  const fPro = densityElement(rho, 0, 0)[0];
  const d = 2 ** k;
  return 1 - (d * fPro + 1) / (d + 1);
}

describe('noiseFromTarget', () => {
  const model = noiseFromTarget(target);

  it('sizes depolarizing so the total average gate infidelity equals the reported error', () => {
    expect(measuredInfidelity(model, 'sx', [0])).toBeCloseTo(2.4e-4, 12);
    expect(measuredInfidelity(model, 'sx', [1])).toBeCloseTo(3.1e-4, 12);
    expect(measuredInfidelity(model, 'cz', [0, 1])).toBeCloseTo(2.8e-3, 12);
    expect(measuredInfidelity(model, 'cz', [1, 2])).toBeCloseTo(4e-3, 12);
  });

  it('adds no depolarizing when relaxation alone exceeds the reported error', () => {
    // Qubit 2 (T2 = 12 us over 24 ns) relaxes more than its reported 1e-5.
    const rules = model.rules.filter((r) => r.gates?.[0] === 'sx' && r.qubits?.[0][0] === 2);
    expect(rules.map((r) => r.channel.kind)).toEqual(['thermal_relaxation']);
    expect(measuredInfidelity(model, 'sx', [2])).toBeGreaterThan(1e-5);
  });

  it('builds Aer-shaped rules: depolarizing then relaxation per qubit with T2 capped at 2·T1', () => {
    const cz = model.rules.filter((r) => r.gates?.[0] === 'cz' && r.qubits?.[0].join(',') === '0,1');
    expect(cz.map((r) => `${r.channel.kind}${r.on ? `@${r.on}` : ''}`)).toEqual([
      'depolarizing',
      'thermal_relaxation@0',
      'thermal_relaxation@1',
    ]);
    const relax1 = cz[2].channel;
    expect(relax1).toMatchObject({ kind: 'thermal_relaxation', t1S: 98 * US, t2S: 196 * US, timeS: 68 * NS });
  });

  it('skips measurements, zero-error zero-duration gates and uncalibrated entries', () => {
    expect(model.rules.some((r) => r.gates?.includes('measure') || r.gates?.includes('rz'))).toBe(false);
  });

  it('takes readout from the assignment errors: p01 = p(1|0), p10 = p(0|1)', () => {
    expect(model.readout).toEqual([
      { qubit: 0, p1Given0: 0.008, p0Given1: 0.021 },
      { qubit: 1, p1Given0: 0.012, p0Given1: 0.03 },
    ]);
    expect(model.numQubits).toBe(8);
  });

  it('with relaxation switched off, depolarizing alone carries the error (λ = d·r/(d - 1))', () => {
    const m = noiseFromTarget(target, { thermalRelaxation: false });
    expect(measuredInfidelity(m, 'cz', [0, 1])).toBeCloseTo(2.8e-3, 13);
    const dep = m.rules.find((r) => r.gates?.[0] === 'cz')!.channel as { p: number };
    // p = λ·(d²-1)/d² with λ = 4·r/3 on d = 4
    expect(dep.p).toBeCloseTo(((4 * 2.8e-3) / 3) * (15 / 16), 15);
  });

  it('caps unphysical errors at the fully depolarizing channel', () => {
    expect(depolarizingForError(0.9, 1, 2)).toBe(1);
    expect(depolarizingForError(0.5, 1, 2)).toBeCloseTo(0.75, 14); // λ = 1: p = 3/4
  });

  it('refuses qubit tuples outside the device', () => {
    const bad: NoiseTarget = { numQubits: 2, instructions: new Map([['cz', new Map([['1,2', { error: 0.01 }]])]]) };
    expectValidation(() => noiseFromTarget(bad), /qubit tuple '1,2' outside the device's 2 qubits/);
  });
});
