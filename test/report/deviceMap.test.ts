import { describe, expect, it } from 'vitest';
import { deviceMapFromTarget, graphLayout, presetTarget, PRESET_TARGETS, type DeviceMap } from '../../src/index.js';

function edgeLengths(d: DeviceMap): number[] {
  const pos = new Map(d.nodes.map((n) => [n.qubit, n]));
  return d.edges.map((e) => Math.hypot(pos.get(e.a)!.x - pos.get(e.b)!.x, pos.get(e.a)!.y - pos.get(e.b)!.y));
}

function minNodeDistance(d: DeviceMap): number {
  let m = Infinity;
  for (let i = 0; i < d.nodes.length; i++)
    for (let j = i + 1; j < d.nodes.length; j++) m = Math.min(m, Math.hypot(d.nodes[i].x - d.nodes[j].x, d.nodes[i].y - d.nodes[j].y));
  return m;
}

describe('device maps', () => {
  it('draws IBM heavy-hex and the Rigetti square lattice as exact lattices (every coupler one step, no overlaps)', () => {
    for (const name of ['ibm_heron', 'ibm_eagle', 'rigetti']) {
      const d = deviceMapFromTarget(presetTarget(name));
      expect(d.nodes).toHaveLength(d.numQubits);
      for (const l of edgeLengths(d)) expect(l, name).toBeCloseTo(1, 6);
      expect(minNodeDistance(d), name).toBeGreaterThanOrEqual(0.999);
    }
  });

  it('falls back to a stress layout that keeps couplers short and qubits apart (IQM numbering)', () => {
    const d = deviceMapFromTarget(presetTarget('iqm_garnet'));
    const lens = edgeLengths(d);
    expect(Math.max(...lens) / Math.min(...lens)).toBeLessThan(1.6);
    expect(minNodeDistance(d)).toBeGreaterThan(0.5);
  });

  it('puts all-to-all devices on a circle', () => {
    const d = deviceMapFromTarget(presetTarget('ionq_forte'));
    const r = d.nodes.map((n) => Math.hypot(n.x, n.y));
    for (const x of r) expect(x).toBeCloseTo(r[0], 3);
  });

  it('is deterministic and keeps every coupler with its best 2-qubit error and the layout', () => {
    for (const name of PRESET_TARGETS) {
      const t = presetTarget(name);
      expect(deviceMapFromTarget(t, { layout: [3, 1] })).toEqual(deviceMapFromTarget(t, { layout: [3, 1] }));
    }
    const heron = presetTarget('ibm_heron');
    const d = deviceMapFromTarget(heron, { backend: 'local:noisy=ibm_heron', layout: [5, 4] });
    expect(d.backend).toBe('local:noisy=ibm_heron');
    expect(d.layout).toEqual([5, 4]);
    const cz = heron.instructions.get('cz')!;
    for (const e of d.edges.slice(0, 20)) {
      const errors = [cz.get(`${e.a},${e.b}`)?.error, cz.get(`${e.b},${e.a}`)?.error].filter((x): x is number => x !== undefined);
      expect(e.error).toBe(Math.min(...errors));
    }
  });

  it('graphLayout handles disconnected graphs and tiny ones', () => {
    expect(graphLayout(0, [])).toEqual([]);
    expect(graphLayout(1, [])).toEqual([{ x: 0, y: 0 }]);
    const p = graphLayout(6, [
      [0, 1],
      [1, 2],
      [3, 4],
      [4, 5],
    ]);
    for (const q of p) expect(Number.isFinite(q.x) && Number.isFinite(q.y)).toBe(true);
    expect(Math.hypot(p[0].x - p[3].x, p[0].y - p[3].y)).toBeGreaterThan(0.5);
  });
});
