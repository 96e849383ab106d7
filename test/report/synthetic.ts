import {
  absoluteDeviation,
  CircuitBuilder,
  compile,
  COMPARE_REPORT_SCHEMA,
  createRng,
  deviceMapFromTarget,
  presetTarget,
  type CompareReport,
  type EpochRecord,
  type ExpectationPoint,
  type PairResult,
} from '../../src/index.js';

/**
 * A realistic comparison for rendering tests: an 8-qubit classifier on 48 test samples, ideal,
 * noisy (ibm_heron snapshot) raw / readout / zne / readout+zne, a provider pair skipped for want
 * of credentials, the heron coupling map with an 8-qubit layout, and 12 epochs of training curves.
 * Measured values follow the usual noise picture: damped towards 0 plus shot noise, with each
 * mitigation undoing part of the damping.
 */
export function syntheticReport(seed = 7): CompareReport {
  const rng = createRng(seed);
  const rand = () => rng.next();
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const samples = 48;
  const shots = 4000;
  const labels = Array.from({ length: samples }, () => (rand() < 0.5 ? 0 : 1));
  // A classifier that is right on ~90% of the samples ideally, with some margins close to 0.
  const ideal = labels.map((y) => (y === 0 ? 1 : -1) * (rand() < 0.1 ? -0.1 - 0.2 * rand() : 0.02 + 0.8 * rand()));
  const backends = [
    { backend: 'local', mitigation: 'none', damp: 1, sigma: 0 },
    { backend: 'local:noisy=ibm_heron', mitigation: 'none', damp: 0.55, sigma: 0.02 },
    { backend: 'local:noisy=ibm_heron', mitigation: 'readout', damp: 0.72, sigma: 0.03 },
    { backend: 'local:noisy=ibm_heron', mitigation: 'zne', damp: 0.86, sigma: 0.05 },
    { backend: 'local:noisy=ibm_heron', mitigation: 'readout+zne', damp: 0.96, sigma: 0.06 },
  ];
  const points: ExpectationPoint[] = [];
  const pairs: PairResult[] = [];
  for (const b of backends) {
    const measured = ideal.map((v) => b.damp * v + (b.sigma + (b.damp < 1 ? 0.04 : 0)) * gauss());
    measured.forEach((m, sample) =>
      points.push({
        backend: b.backend,
        mitigation: b.mitigation,
        sample,
        observable: 0,
        ideal: ideal[sample],
        measured: m,
        stdError: b.sigma,
      }),
    );
    const dev = absoluteDeviation(ideal, measured);
    const correct = measured.filter((m, i) => (m >= 0 ? 0 : 1) === labels[i]).length;
    const exact = b.backend === 'local';
    pairs.push({
      backend: b.backend,
      mitigation: b.mitigation,
      accuracy: correct / samples,
      meanAbsDeviation: dev.mean,
      maxAbsDeviation: dev.max,
      tvd: exact ? 0 : 0.18 + 0.02 * rand(),
      shots: exact ? 0 : shots * samples * (b.mitigation.includes('zne') ? 3 : 1) + (b.mitigation.includes('readout') ? 2 * shots : 0),
      jobs: exact ? 1 : 1 + (b.mitigation.includes('readout') ? 1 : 0) + (b.mitigation.includes('zne') ? 2 : 0),
      estimatedCostUsd: null,
      queueSeconds: null,
      seconds: 0.5 + 3 * rand(),
    });
  }
  const training: EpochRecord[] = Array.from({ length: 12 }, (_, i) => ({
    epoch: i + 1,
    loss: 0.69 * Math.exp(-i / 5) + 0.2 + 0.01 * gauss(),
    accuracy: Math.min(0.99, 0.55 + 0.4 * (1 - Math.exp(-i / 3))),
    valLoss: 0.7 * Math.exp(-i / 6) + 0.24 + 0.01 * gauss(),
    valAccuracy: Math.min(0.98, 0.52 + 0.38 * (1 - Math.exp(-i / 3.5))),
  }));
  // The layout the compiler really picks for an 8-qubit nearest-neighbour circuit on heron.
  const chain = new CircuitBuilder(8);
  for (let q = 0; q < 7; q++) chain.cx(q, q + 1);
  const heron = presetTarget('ibm_heron');
  const layout = compile(chain.build(), heron, { level: 1, seed: 0 }).initialLayout;
  return {
    schema: COMPARE_REPORT_SCHEMA,
    createdAt: '2025-01-01T00:00:00.000Z',
    source: { kind: 'model', path: 'models/qcnn8', model: 'qcnn8' },
    settings: {
      backends: ['local', 'local:noisy=ibm_heron', 'ibm:ibm_fez'],
      mitigations: ['none', 'readout', 'zne', 'readout+zne'],
      shots,
      samples,
      seed,
    },
    pairs,
    skipped: [
      ...['readout', 'zne', 'readout+zne'].map((m) => ({
        backend: 'local',
        mitigation: m,
        reason: 'ideal simulator: nothing to mitigate',
      })),
      ...['none', 'readout', 'zne', 'readout+zne'].map((m) => ({
        backend: 'ibm:ibm_fez',
        mitigation: m,
        reason: 'no credentials: set QBRIDGE_IBM_API_KEY and QBRIDGE_IBM_CRN',
      })),
    ],
    points,
    devices: [deviceMapFromTarget(heron, { backend: 'local:noisy=ibm_heron', layout })],
    training,
  };
}
