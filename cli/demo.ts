import {
  AdjointDifferentiator,
  CircuitBuilder,
  createRng,
  parsePauliSum,
  pauliMasks,
  runCounts,
  type Circuit,
  type PauliSum,
} from '../src/index.js';

/**
 * The default job until the training issue lands: what the core already does end to end, on the
 * local simulator. (1) sample a GHZ state; (2) find the ground energy of a transverse-field Ising chain
 * with a hardware-efficient ansatz trained by Adam on exact adjoint gradients, against the exact value.
 */
export interface DemoResult {
  ghz: { qubits: number; shots: number; counts: Record<string, number> };
  vqe: {
    qubits: number;
    layers: number;
    parameters: number;
    hamiltonian: string;
    steps: { step: number; energy: number }[];
    energy: number;
    exactEnergy: number;
    relativeError: number;
    seconds: number;
  };
}

function tfim(n: number, h: number): { obs: PauliSum; text: string } {
  const parts: string[] = [];
  for (let q = 0; q + 1 < n; q++) parts.push(`Z${q} Z${q + 1}`);
  for (let q = 0; q < n; q++) parts.push(`${h}*X${q}`);
  const text = `-(${parts.join(' + ')})`;
  const obs = parsePauliSum(parts.join(' + ')).map((t) => ({ coeff: -t.coeff, pauli: t.pauli }));
  return { obs, text };
}

/** Lowest eigenvalue of a real-symmetric Pauli sum, by power iteration on (shift·I - H). */
function exactGroundEnergy(obs: PauliSum, n: number): number {
  const N = 1 << n;
  let shift = 0;
  for (const t of obs) shift += Math.abs(t.coeff);
  let v = new Float64Array(N).fill(1 / Math.sqrt(N));
  let w = new Float64Array(N);
  let lambda = 0;
  const masks = obs.map((t) => ({ c: t.coeff, ...pauliMasks(t.pauli) }));
  for (let it = 0; it < 20000; it++) {
    w.fill(0);
    for (const m of masks) {
      for (let i = 0; i < N; i++) {
        let par = i & m.z;
        par ^= par >>> 16;
        par ^= par >>> 8;
        par ^= par >>> 4;
        par ^= par >>> 2;
        par ^= par >>> 1;
        w[i ^ m.x] -= m.c * (par & 1 ? -v[i] : v[i]);
      }
    }
    for (let i = 0; i < N; i++) w[i] += shift * v[i];
    let norm = 0;
    let dot = 0;
    for (let i = 0; i < N; i++) {
      norm += w[i] * w[i];
      dot += v[i] * w[i];
    }
    norm = Math.sqrt(norm);
    const next = dot;
    for (let i = 0; i < N; i++) w[i] /= norm;
    [v, w] = [w, v];
    if (Math.abs(next - lambda) < 1e-13 * Math.max(1, Math.abs(next))) {
      lambda = next;
      break;
    }
    lambda = next;
  }
  return shift - lambda;
}

function ansatz(n: number, layers: number): Circuit {
  const b = new CircuitBuilder(n, 0, 'hardware-efficient');
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) b.ry(`w${l}_${q}`, q);
    for (let q = 0; q + 1 < n; q++) b.cz(q, q + 1);
  }
  for (let q = 0; q < n; q++) b.ry(`w${layers}_${q}`, q);
  return b.build();
}

export function runDemo(options: { seed: number; steps: number; onStep?: (step: number, energy: number) => void }): DemoResult {
  const ghzQubits = 5;
  const ghz = new CircuitBuilder(ghzQubits).h(0);
  for (let q = 0; q + 1 < ghzQubits; q++) ghz.cx(q, q + 1);
  const ghzCounts = runCounts(ghz.measureAll().build(), { shots: 1000, seed: options.seed });

  const n = 6;
  const layers = 6;
  const { obs, text } = tfim(n, 1.0);
  const circuit = ansatz(n, layers);
  const diff = new AdjointDifferentiator(circuit);
  const P = circuit.parameters.length;
  const rng = createRng(options.seed);
  const theta = new Float64Array(P);
  for (let j = 0; j < P; j++) theta[j] = 0.1 * rng.normal();
  // Adam
  const m = new Float64Array(P);
  const v = new Float64Array(P);
  const lr = 0.05;
  const steps: { step: number; energy: number }[] = [];
  const t0 = performance.now();
  let energy = 0;
  for (let step = 1; step <= options.steps; step++) {
    const g = diff.gradient([obs], theta);
    energy = g.values[0];
    const grad = g.jacobian[0];
    for (let j = 0; j < P; j++) {
      m[j] = 0.9 * m[j] + 0.1 * grad[j];
      v[j] = 0.999 * v[j] + 0.001 * grad[j] * grad[j];
      const mh = m[j] / (1 - 0.9 ** step);
      const vh = v[j] / (1 - 0.999 ** step);
      theta[j] -= (lr * mh) / (Math.sqrt(vh) + 1e-8);
    }
    if (step === 1 || step % 25 === 0 || step === options.steps) steps.push({ step, energy });
    options.onStep?.(step, energy);
  }
  energy = diff.gradient([obs], theta).values[0];
  const exact = exactGroundEnergy(obs, n);
  return {
    ghz: { qubits: ghzQubits, shots: ghzCounts.shots, counts: ghzCounts.counts },
    vqe: {
      qubits: n,
      layers,
      parameters: P,
      hamiltonian: text,
      steps,
      energy,
      exactEnergy: exact,
      relativeError: Math.abs((energy - exact) / exact),
      seconds: (performance.now() - t0) / 1000,
    },
  };
}
