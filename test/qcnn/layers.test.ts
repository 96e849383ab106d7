import { describe, expect, it } from 'vitest';
import {
  CONV_BLOCKS,
  CircuitBuilder,
  POOL_BLOCKS,
  amplitudeEncoder,
  angleEncoder,
  createRng,
  denseAngleEncoder,
  expectation,
  probabilities,
  probabilityReadout,
  qcnn8,
  qcnnStack,
  reupload,
  statevector,
  sym,
  type Encoder,
} from '../../src/index.js';

function bindRow(enc: Encoder, x: number[]): Record<string, number> {
  const row = new Float64Array(enc.inputs.length);
  enc.inputValues(x, row);
  return Object.fromEntries(enc.inputs.map((s, i) => [s, row[i]]));
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-10): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(tol);
}

describe('convolution and pooling blocks', () => {
  const expected: Record<string, number> = { ttn: 2, u9: 2, u15: 4, so4: 6, u13: 6, u14: 6, u5: 10, u6: 10, su4: 15 };
  it.each(Object.keys(expected))('%s takes its documented number of angles, all used', (name) => {
    const blk = CONV_BLOCKS[name];
    expect(blk.params).toBe(expected[name]);
    const b = new CircuitBuilder(2);
    blk.apply(
      b,
      Array.from({ length: blk.params }, (_, i) => sym(`w${i}`)),
      0,
      1,
    );
    expect(b.build().parameters).toHaveLength(blk.params);
  });

  it('the SU(4) block has the Hur-Kim-Park gate sequence', () => {
    const b = new CircuitBuilder(2);
    CONV_BLOCKS.su4.apply(
      b,
      Array.from({ length: 15 }, (_, i) => sym(`w${i}`)),
      0,
      1,
    );
    expect(b.build().ops.map((o) => o.op)).toEqual(['u3', 'u3', 'cx', 'ry', 'rz', 'cx', 'ry', 'cx', 'u3', 'u3']);
  });

  it('pooling blocks: CRZ-X-CRX (2), CRZ (1), entangling (0)', () => {
    expect(POOL_BLOCKS['crz-x-crx'].params).toBe(2);
    expect(POOL_BLOCKS.crz.params).toBe(1);
    expect(POOL_BLOCKS.entangle.params).toBe(0);
    // Entanglement pooling leaves the parity of the pair on the kept qubit: |11> -> kept qubit |0>.
    const b = new CircuitBuilder(2).x(0).x(1);
    POOL_BLOCKS.entangle.apply(b, [], 1, 0);
    const p = probabilities(statevector(b.build()), 2);
    expect(p[0] + p[2]).toBeCloseTo(1, 12);
  });
});

describe('QCNN stack', () => {
  it('8 -> 4 -> 2 -> 1 with SU(4) blocks: 3x15 + 3x2 = 51 shared weights, 13 conv and 7 pool applications', () => {
    const b = new CircuitBuilder(8);
    const st = qcnnStack(b, { conv: 'su4', pool: 'crz-x-crx' });
    expect(st.weights).toHaveLength(51);
    expect(st.active).toEqual([0]);
    expect(st.convApplications).toBe(8 + 4 + 1);
    expect(st.poolApplications).toBe(4 + 2 + 1);
    expect(b.build().parameters).toHaveLength(51);
  });

  it('the cheapest (U9) stack has 12 weights; stopping at 2 qubits leaves two readouts', () => {
    expect(qcnnStack(new CircuitBuilder(8), { conv: 'u9' }).weights).toHaveLength(12);
    const st = qcnnStack(new CircuitBuilder(8), { until: 2 });
    expect(st.active).toEqual([0, 4]);
    expect(st.weights).toHaveLength(2 * 17);
  });

  it('refuses a width that is not a power of two', () => {
    expect(() => qcnnStack(new CircuitBuilder(6))).toThrow(/power-of-two/);
  });

  it('qcnn8 is 8 qubits with 51 quantum parameters (at most 60) and a 1 -> 2 head', () => {
    const m = qcnn8.create({ classes: [0, 1] }, [], 8);
    expect(m.quantum?.circuit.numQubits).toBe(8);
    expect(m.quantum?.weights).toHaveLength(51);
    expect(m.quantum?.weights.length).toBeLessThanOrEqual(60);
    expect(m.quantum?.observables).toHaveLength(1);
    expect(m.head.layers).toEqual([{ kind: 'dense', units: 2, activation: 'linear' }]);
  });
});

describe('encoders', () => {
  it('angle encoding prepares the product of RY(x_i)|0>', () => {
    const enc = angleEncoder(3);
    const x = [0.3, 1.2, 2.9];
    const b = new CircuitBuilder(3);
    enc.apply(b);
    const s = statevector(b.build(), bindRow(enc, x));
    for (let i = 0; i < 8; i++) {
      let amp = 1;
      for (let q = 0; q < 3; q++) amp *= (i >> q) & 1 ? Math.sin(x[q] / 2) : Math.cos(x[q] / 2);
      expect(s[2 * i]).toBeCloseTo(amp, 12);
      expect(s[2 * i + 1]).toBeCloseTo(0, 12);
    }
  });

  it('dense angle encoding puts two features on each qubit (RX then RY): <Z> = cos a cos b', () => {
    const enc = denseAngleEncoder(2);
    const x = [0.4, 1.1, 2.0, 0.7];
    const b = new CircuitBuilder(2);
    enc.apply(b);
    const s = statevector(b.build(), bindRow(enc, x));
    expect(expectation(s, 2, [{ coeff: 1, pauli: 'IZ' }])).toBeCloseTo(Math.cos(0.4) * Math.cos(1.1), 12);
    expect(expectation(s, 2, [{ coeff: 1, pauli: 'ZI' }])).toBeCloseTo(Math.cos(2.0) * Math.cos(0.7), 12);
  });

  it.each([2, 4, 8])('amplitude encoding of 2^%i signed values prepares x/|x| exactly, and state() agrees', (n) => {
    const rng = createRng(n);
    const N = 1 << n;
    const x = Array.from({ length: N }, () => rng.normal());
    x[1] = 0; // a zero leaf
    const enc = amplitudeEncoder(n);
    const b = new CircuitBuilder(n);
    enc.apply(b);
    const c = b.build();
    expect(c.ops.length).toBe(enc.gateCount);
    const norm = Math.hypot(...x);
    const want = new Float64Array(2 * N);
    x.forEach((v, i) => (want[2 * i] = v / norm));
    const bind = bindRow(enc, x);
    close(statevector(c, bind), want);
    close(
      enc.state?.(
        enc.inputs.map((s) => bind[s]),
        0,
      ) ?? [],
      want,
    );
  });

  it('re-uploading repeats the encoding before each layer, with the same input symbols', () => {
    const enc = angleEncoder(1);
    const b = new CircuitBuilder(1);
    reupload(b, enc, 3, (bb, r) => void bb.rz(sym(`w${r}`), 0));
    const c = b.build();
    expect(c.ops.map((o) => o.op)).toEqual(['ry', 'rz', 'ry', 'rz', 'ry', 'rz']);
    expect(c.parameters).toEqual(['x[0]', 'w0', 'w1', 'w2']);
    // With the layers at zero the rotations add: <Z> = cos(3x).
    const s = statevector(c, { 'x[0]': 0.4, w0: 0, w1: 0, w2: 0 });
    expect(expectation(s, 1, [{ coeff: 1, pauli: 'Z' }])).toBeCloseTo(Math.cos(1.2), 12);
    expect(() => reupload(new CircuitBuilder(2), amplitudeEncoder(1), 2, () => undefined)).toThrow(/cannot be re-uploaded/);
  });

  it('amplitude encoding refuses an all-zero vector', () => {
    expect(() => amplitudeEncoder(2).inputValues([0, 0, 0, 0], new Float64Array(3))).toThrow(/not all zeros/);
  });
});

describe('readouts', () => {
  it('probability readout: projector observables that sum to 1 and match the outcome probabilities', () => {
    const c = new CircuitBuilder(3).ry(0.7, 0).cx(0, 2).ry(1.9, 2).h(1).build();
    const s = statevector(c);
    const obs = probabilityReadout([0, 2]);
    const vals = obs.map((o) => expectation(s, 3, o));
    const full = probabilities(s, 3);
    const probs = [0, 0, 0, 0];
    full.forEach((p, i) => (probs[(i & 1) | (((i >> 2) & 1) << 1)] += p));
    close(vals, probs, 1e-12);
    expect(vals.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
