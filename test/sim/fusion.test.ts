import { describe, expect, it } from 'vitest';
import { CircuitBuilder, createRng, prepare } from '../../src/index.js';

/** A 15-parameter SU(4) block (three CNOTs) on (a, b), as QCNN convolutions use. */
function su4(b: CircuitBuilder, a: number, c: number, w: string): void {
  b.u3(`${w}0`, `${w}1`, `${w}2`, a).u3(`${w}3`, `${w}4`, `${w}5`, c);
  b.cx(c, a).rz(`${w}6`, a).ry(`${w}7`, c).cx(a, c).ry(`${w}8`, c).cx(c, a);
  b.u3(`${w}9`, `${w}10`, `${w}11`, a).u3(`${w}12`, `${w}13`, `${w}14`, c);
}

describe('gate fusion', () => {
  it('fuses a whole SU(4) block on a pair into one pass, exactly', () => {
    const b = new CircuitBuilder(6);
    for (let q = 0; q < 6; q++) b.h(q);
    su4(b, 0, 1, 'a');
    b.cz(2, 3); // disjoint: the block's later gates move before it
    su4(b, 2, 3, 'b');
    su4(b, 4, 5, 'c');
    su4(b, 1, 2, 'd');
    const c = b.build();
    const fused = prepare(c, { fuse: 'all' });
    const plain = prepare(c, { fuse: 'none' });
    expect(fused.blocks.length).toBeLessThan(12);
    expect(plain.blocks.length).toBe(c.ops.length);
    const rng = createRng(4);
    for (let trial = 0; trial < 5; trial++) {
      const v = new Float64Array(c.parameters.length).map(() => (rng.next() * 2 - 1) * Math.PI);
      const x = fused.run(v);
      const y = plain.run(v);
      for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThan(1e-12);
    }
  });

  it('keeps a cheap 1-qubit pass and a CNOT apart (one 4x4 pass would cost more)', () => {
    const b = new CircuitBuilder(3).h(0).ry(0.3, 1).cx(0, 1).cx(1, 2);
    expect(prepare(b.build()).blocks.length).toBe(4);
  });

  it('does not move a gate past one it does not commute with', () => {
    // rz on 1, then cx(1,2) touches qubit 2 which the later cx(0,2)... must stay ordered.
    const b = new CircuitBuilder(3).h(0).h(1).cx(0, 1).t(1).cx(1, 2).cx(0, 1).s(0).cx(0, 1).h(2);
    const c = b.build();
    const x = prepare(c, { fuse: 'all' }).run(new Float64Array(0));
    const y = prepare(c, { fuse: 'none' }).run(new Float64Array(0));
    for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThan(1e-13);
  });
});
