/**
 * Each channel against its closed form, through the exact density-matrix engine: a qubit prepared at
 * a generic point of the Bloch sphere, one 'id' gate, the channel, then the Bloch vector and the |1>
 * population compared with the analytic map. Also: every channel's Kraus set is trace preserving, the
 * Pauli-mixture forms equal the Kraus forms, fidelity formulas, and two-qubit channels on Bell states.
 */
import { describe, expect, it } from 'vitest';
import {
  CircuitBuilder,
  amplitudeDamping,
  applySuperoperator,
  averageGateFidelity,
  bitFlip,
  completenessDeviation,
  densityElement,
  densityExpectation,
  densityMatrix,
  depolarizing,
  generalizedAmplitudeDamping,
  krausChannel,
  krausOf,
  noiseModel,
  pauliChannel,
  pauliMatrix,
  pauliMixtureOf,
  phaseDamping,
  phaseFlip,
  processFidelity,
  superoperator,
  thermalRelaxation,
  type Channel,
} from '../../src/index.js';
import { blochAfter } from './helpers.js';

const THETA = 1.1;
const PHI = 0.7;
const ideal = blochAfter(undefined, THETA, PHI);
const p1 = (b: readonly number[]): number => (1 - b[2]) / 2;
const close = (a: readonly number[], b: readonly number[], tol = 1e-12): void => {
  a.forEach((x, i) => expect(x).toBeCloseTo(b[i], -Math.log10(tol)));
};

describe('one-qubit channels match their analytic action', () => {
  it('the ideal Bloch vector is the prepared one', () => {
    close(ideal, [Math.sin(THETA) * Math.cos(PHI), Math.sin(THETA) * Math.sin(PHI), Math.cos(THETA)]);
  });

  it('depolarizing p shrinks the Bloch vector by 1 - 4p/3', () => {
    for (const p of [0, 0.05, 0.3, 0.75, 1])
      close(
        blochAfter(depolarizing(p), THETA, PHI),
        ideal.map((x) => x * (1 - (4 * p) / 3)),
      );
  });

  it('bit flip keeps X and scales Y, Z by 1 - 2p; phase flip keeps Z and scales X, Y', () => {
    const p = 0.2;
    const [x, y, z] = ideal;
    close(blochAfter(bitFlip(p), THETA, PHI), [x, y * (1 - 2 * p), z * (1 - 2 * p)]);
    close(blochAfter(phaseFlip(p), THETA, PHI), [x * (1 - 2 * p), y * (1 - 2 * p), z]);
  });

  it('a Pauli channel scales each axis by 1 - 2·(the other two probabilities)', () => {
    const px = 0.05,
      py = 0.1,
      pz = 0.15;
    const [x, y, z] = ideal;
    close(blochAfter(pauliChannel({ X: px, Y: py, Z: pz }), THETA, PHI), [
      x * (1 - 2 * (py + pz)),
      y * (1 - 2 * (px + pz)),
      z * (1 - 2 * (px + py)),
    ]);
  });

  it('amplitude damping maps the |1> population by (1 - γ) and coherences by sqrt(1 - γ)', () => {
    const g = 0.3;
    const b = blochAfter(amplitudeDamping(g), THETA, PHI);
    expect(p1(b)).toBeCloseTo(p1(ideal) * (1 - g), 12);
    close(
      b.slice(0, 2),
      ideal.slice(0, 2).map((v) => v * Math.sqrt(1 - g)),
    );
  });

  it('generalized amplitude damping relaxes towards |0> population p', () => {
    const g = 0.4,
      p = 0.8;
    const b = blochAfter(generalizedAmplitudeDamping(g, p), THETA, PHI);
    expect(p1(b)).toBeCloseTo((1 - g) * p1(ideal) + g * (1 - p), 12);
    close(
      b.slice(0, 2),
      ideal.slice(0, 2).map((v) => v * Math.sqrt(1 - g)),
    );
  });

  it('phase damping keeps populations and scales coherences by sqrt(1 - γ)', () => {
    const g = 0.35;
    const b = blochAfter(phaseDamping(g), THETA, PHI);
    close(b, [ideal[0] * Math.sqrt(1 - g), ideal[1] * Math.sqrt(1 - g), ideal[2]]);
  });

  it('thermal relaxation: populations decay as e^{-t/T1}, coherences as e^{-t/T2}', () => {
    const t1 = 80e-6,
      t2 = 60e-6,
      t = 25e-6;
    const b = blochAfter(thermalRelaxation({ t1S: t1, t2S: t2, timeS: t }), THETA, PHI);
    expect(p1(b)).toBeCloseTo(p1(ideal) * Math.exp(-t / t1), 12);
    close(
      b.slice(0, 2),
      ideal.slice(0, 2).map((v) => v * Math.exp(-t / t2)),
    );
  });

  it('thermal relaxation caps T2 at 2·T1 and relaxes towards the excited population', () => {
    const t1 = 50e-6,
      t = 20e-6,
      pe = 0.05;
    const capped = blochAfter(thermalRelaxation({ t1S: t1, t2S: 400e-6, timeS: t, excitedPopulation: pe }), THETA, PHI);
    close(
      capped.slice(0, 2),
      ideal.slice(0, 2).map((v) => v * Math.exp(-t / (2 * t1))),
    );
    expect(p1(capped)).toBeCloseTo(pe + (p1(ideal) - pe) * Math.exp(-t / t1), 12);
  });

  it('a general Kraus channel acts as Σ K ρ K†', () => {
    // Amplitude damping followed by a rotation, written out by hand as Kraus operators.
    const g = 0.25,
      c = Math.cos(0.4),
      s = Math.sin(0.4);
    const ch = krausChannel([
      [c, 0, -s * Math.sqrt(1 - g), 0, s, 0, c * Math.sqrt(1 - g), 0],
      [0, 0, c * Math.sqrt(g), 0, 0, 0, s * Math.sqrt(g), 0],
    ]);
    const rho = densityMatrix(
      new CircuitBuilder(1).ry(THETA, 0).rz(PHI, 0).id(0).build(),
      noiseModel({ rules: [{ gates: ['id'], channel: ch }] }),
    );
    const ref = densityMatrix(
      new CircuitBuilder(1).ry(THETA, 0).rz(PHI, 0).id(0).ry(0.8, 0).build(),
      noiseModel({ rules: [{ gates: ['id'], channel: amplitudeDamping(g) }] }),
    );
    for (let r = 0; r < 2; r++) for (let k = 0; k < 2; k++) close(densityElement(rho, r, k), densityElement(ref, r, k));
  });
});

describe('two-qubit channels', () => {
  const bell = new CircuitBuilder(2).h(0).cx(0, 1).build();
  const obs = ['ZZ', 'XX', 'YY', 'ZI', 'IX'].map((pauli) => [{ coeff: 1, pauli }]);
  const after = (channel: Channel): number[] => {
    const rho = densityMatrix(bell, noiseModel({ rules: [{ gates: ['cx'], channel }] }));
    return obs.map((o) => densityExpectation(rho, o));
  };
  it('two-qubit depolarizing p scales every non-identity Pauli expectation by 1 - 16p/15', () => {
    const p = 0.12;
    close(
      after(depolarizing(p, 2)),
      [1, 1, -1, 0, 0].map((v) => v * (1 - (16 * p) / 15)),
    );
  });
  it('a two-qubit Pauli channel flips the signs the Paulis anticommute with', () => {
    // XI anticommutes with ZZ and YY, commutes with XX.
    const q = 0.1;
    close(after(pauliChannel({ IX: q })), [1 - 2 * q, 1, -(1 - 2 * q), 0, 0]);
  });
  it('a one-qubit channel on a two-qubit gate acts on each qubit', () => {
    const p = 0.1;
    const f = 1 - (4 * p) / 3;
    close(after(depolarizing(p)), [f * f, f * f, -f * f, 0, 0]);
  });
});

describe('channel forms', () => {
  const all: Channel[] = [
    depolarizing(0.1),
    depolarizing(0.2, 2),
    depolarizing(0.05, 3),
    bitFlip(0.3),
    phaseFlip(0.2),
    pauliChannel({ X: 0.1, Y: 0.05 }),
    pauliChannel({ XZ: 0.1, YY: 0.02, IZ: 0.3 }),
    amplitudeDamping(0.4),
    generalizedAmplitudeDamping(0.3, 0.7),
    phaseDamping(0.5),
    thermalRelaxation({ t1S: 1e-4, t2S: 1.5e-4, timeS: 3e-7, excitedPopulation: 0.02 }),
  ];
  it('every channel is trace preserving (Σ K†K = I within 1e-12)', () => {
    for (const c of all) expect(completenessDeviation(krausOf(c))).toBeLessThan(1e-12);
  });
  it('the Pauli-mixture form has the same superoperator as the Kraus form', () => {
    for (const c of all) {
      const mix = pauliMixtureOf(c);
      if (!mix) continue;
      const fromMix = mix.labels.map((l, i) => pauliMatrix(l).map((v) => v * Math.sqrt(mix.probs[i])));
      const k = mix.labels[0].length;
      const qs = Array.from({ length: k }, (_, i) => i);
      // Apply both superoperators to the same arbitrary vector of 2k bits.
      const x = Float64Array.from({ length: 2 * 4 ** k }, (_, i) => Math.sin(1.7 * i + 0.3));
      const y = Float64Array.from(x);
      applySuperoperator(x, 2 * k, superoperator(krausOf(c), qs, k));
      applySuperoperator(y, 2 * k, superoperator(fromMix, qs, k));
      x.forEach((v, i) => expect(v).toBeCloseTo(y[i], 12));
    }
  });
  it('average gate fidelity: depolarizing p on d = 2^k has infidelity p·(d² - 1)/d² · d/(d + 1)', () => {
    for (const [p, k] of [
      [0.03, 1],
      [0.1, 2],
    ] as const) {
      const d = 2 ** k;
      const lambda = (p * d * d) / (d * d - 1);
      const ops = krausOf(depolarizing(p, k));
      expect(processFidelity(ops)).toBeCloseTo(1 - p, 14);
      expect(1 - averageGateFidelity(ops)).toBeCloseTo((lambda * (d - 1)) / d, 14);
    }
  });
});
