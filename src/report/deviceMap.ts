import { bfsDistances, UNREACHABLE } from '../target/coupling.js';
import { parseQubitKey, readoutError, type Target } from '../target/target.js';
import type { DeviceEdge, DeviceMap, DeviceNode } from './compareReport.js';

/**
 * A device's coupling map ready to draw: node positions from the graph alone (no device coordinates
 * are needed, so every Target works, including ones built from a provider's description), each
 * coupler's best 2-qubit gate error, and the layout a run used.
 */

/** Positions of a graph's nodes, deterministic (same graph, same picture), mean edge length ~1. */
export function graphLayout(numQubits: number, edges: readonly (readonly [number, number])[]): { x: number; y: number }[] {
  const n = numQubits;
  if (n === 0) return [];
  if (n === 1) return [{ x: 0, y: 0 }];
  const complete = edges.length >= (n * (n - 1)) / 2;
  // All-to-all (trapped ions) or no couplers: every pair is equally far, so a circle says it honestly.
  if (complete || edges.length === 0) return circle(n);
  const rows = rowLayout(n, edges);
  if (rows) return rows;
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) {
    neighbours[a].push(b);
    neighbours[b].push(a);
  }
  const d = bfsDistances(neighbours);
  let maxD = 1;
  for (const v of d) if (v !== UNREACHABLE && v > maxD) maxD = v;
  // Separate components sit one hop further apart than anything within one.
  const dist = Float64Array.from(d, (v) => (v === UNREACHABLE ? maxD + 1 : v));
  const pos = stressMajorization(n, dist, classicalMds(n, dist));
  return normalise(pos, edges);
}

/**
 * The lattice as its manufacturer numbers it: IBM's heavy-hex and row-major square lattices number
 * qubits along rows (i couples to i+1), with bridge qubits (heavy-hex) or direct couplers between
 * rows. Rows are stacked and shifted so that every inter-row coupler is vertical. Returns null when
 * the numbering does not read that way (some coupler would come out longer than a lattice step), and
 * the caller falls back to the generic layout.
 */
function rowLayout(n: number, edges: readonly (readonly [number, number])[]): { x: number; y: number }[] | null {
  const adj: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (const [a, b] of edges) {
    adj[a].add(b);
    adj[b].add(a);
  }
  // Chains of consecutive indices.
  const rowOf = new Int32Array(n).fill(-1);
  const rows: number[][] = [];
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && adj[j].has(j + 1)) j++;
    if (j - i + 1 >= 3) {
      for (let k = i; k <= j; k++) rowOf[k] = rows.length;
      rows.push(Array.from({ length: j - i + 1 }, (_, k) => i + k));
    }
    i = j + 1;
  }
  if (rows.length < 2) return null;
  const inRows = rows.reduce((s, r) => s + r.length, 0);
  if (inRows < 0.6 * n) return null;
  const x = new Float64Array(n).fill(NaN);
  const y = new Float64Array(n).fill(NaN);
  rows[0].forEach((q, k) => {
    x[q] = k;
    y[q] = 0;
  });
  for (let r = 1; r < rows.length; r++) {
    // Votes for where this row starts, from couplers and bridges to rows already placed.
    const votes = new Map<string, number>();
    const vote = (start: number, yy: number) => {
      const key = `${start},${yy}`;
      votes.set(key, (votes.get(key) ?? 0) + 1);
    };
    rows[r].forEach((v, k) => {
      for (const u of adj[v]) {
        if (rowOf[u] >= 0 && rowOf[u] < r) vote(x[u] - k, y[u] - 1);
        if (rowOf[u] < 0) for (const w of adj[u]) if (w !== v && rowOf[w] >= 0 && rowOf[w] < r) vote(x[w] - k, y[w] - 2);
      }
    });
    let best = '';
    let bestCount = 0;
    for (const [key, c] of votes) if (c > bestCount) [best, bestCount] = [key, c];
    if (!bestCount) return null;
    const [start, yy] = best.split(',').map(Number);
    rows[r].forEach((q, k) => {
      x[q] = start + k;
      y[q] = yy;
    });
  }
  // Bridges sit between the qubits they join.
  for (let q = 0; q < n; q++) {
    if (rowOf[q] >= 0) continue;
    const placed = [...adj[q]].filter((u) => rowOf[u] >= 0);
    if (placed.length === 0) return null;
    x[q] = placed.reduce((s, u) => s + x[u], 0) / placed.length;
    y[q] = placed.length === 1 ? y[placed[0]] - 1 : placed.reduce((s, u) => s + y[u], 0) / placed.length;
  }
  for (const [a, b] of edges) if (Math.hypot(x[a] - x[b], y[a] - y[b]) > 1.01) return null;
  // Two qubits on one spot means the numbering is not row by row after all.
  const spots = new Set<string>();
  for (let q = 0; q < n; q++) {
    const key = `${Math.round(2 * x[q])},${Math.round(2 * y[q])}`;
    if (spots.has(key)) return null;
    spots.add(key);
  }
  const minX = Math.min(...x);
  return Array.from({ length: n }, (_, q) => ({ x: x[q] - minX, y: y[q] }));
}

function circle(n: number): { x: number; y: number }[] {
  // Radius so neighbours on the circle are ~1 apart.
  const r = n / (2 * Math.PI);
  return Array.from({ length: n }, (_, i) => ({
    x: r * Math.cos(Math.PI / 2 - (2 * Math.PI * i) / n),
    y: r * Math.sin(Math.PI / 2 - (2 * Math.PI * i) / n),
  }));
}

/** Classical (Torgerson) MDS: the top two eigenvectors of the double-centred squared distances, by power iteration. */
function classicalMds(n: number, dist: Float64Array): Float64Array {
  const b = new Float64Array(n * n);
  const rowMean = new Float64Array(n);
  let all = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += dist[i * n + j] ** 2;
    rowMean[i] = s / n;
    all += s;
  }
  all /= n * n;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i * n + j] = -0.5 * (dist[i * n + j] ** 2 - rowMean[i] - rowMean[j] + all);
  const out = new Float64Array(2 * n);
  const found: { v: Float64Array; lambda: number }[] = [];
  for (let k = 0; k < 2; k++) {
    // A fixed, non-symmetric start vector: deterministic and unlikely to be orthogonal to the answer.
    let v = Float64Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + 0.3 + k) + 0.01 * i);
    let lambda = 0;
    for (let it = 0; it < 300; it++) {
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += b[i * n + j] * v[j];
        w[i] = s;
      }
      for (const f of found) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += f.v[i] * v[i];
        for (let i = 0; i < n; i++) w[i] -= f.lambda * dot * f.v[i];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += w[i] * w[i];
      norm = Math.sqrt(norm);
      if (norm < 1e-12) break;
      lambda = norm;
      let change = 0;
      for (let i = 0; i < n; i++) {
        const x = w[i] / norm;
        change += Math.abs(x - v[i]);
        w[i] = x;
      }
      v = w;
      if (change < 1e-10) break;
    }
    found.push({ v, lambda });
    const scale = Math.sqrt(Math.max(lambda, 0));
    for (let i = 0; i < n; i++) out[2 * i + k] = v[i] * scale;
  }
  return out;
}

/** SMACOF stress majorization with weights 1/d²: positions whose distances match hop distances. */
function stressMajorization(n: number, dist: Float64Array, start: Float64Array): Float64Array {
  let x = start;
  const w = (i: number, j: number) => 1 / (dist[i * n + j] * dist[i * n + j]);
  const wSum = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) wSum[i] += w(i, j);
  let prevStress = Infinity;
  for (let it = 0; it < 400; it++) {
    const next = new Float64Array(2 * n);
    let stress = 0;
    for (let i = 0; i < n; i++) {
      let sx = 0;
      let sy = 0;
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const dx = x[2 * i] - x[2 * j];
        const dy = x[2 * i + 1] - x[2 * j + 1];
        const len = Math.hypot(dx, dy) || 1e-9;
        const dij = dist[i * n + j];
        const wij = w(i, j);
        // Localised Guttman transform (Gansner, Koren & North 2004).
        sx += wij * (x[2 * j] + (dij * dx) / len);
        sy += wij * (x[2 * j + 1] + (dij * dy) / len);
        if (j > i) stress += wij * (len - dij) ** 2;
      }
      next[2 * i] = sx / wSum[i];
      next[2 * i + 1] = sy / wSum[i];
    }
    x = next;
    if (Math.abs(prevStress - stress) <= 1e-7 * prevStress) break;
    prevStress = stress;
  }
  return x;
}

/** Centres, turns the long axis horizontal, fixes the mirror images (qubit 0 top left) and scales edges to ~1. */
function normalise(p: Float64Array, edges: readonly (readonly [number, number])[]): { x: number; y: number }[] {
  const n = p.length / 2;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < n; i++) {
    cx += p[2 * i];
    cy += p[2 * i + 1];
  }
  cx /= n;
  cy /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = p[2 * i] - cx;
    const dy = p[2 * i + 1] - cy;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const c = Math.cos(-angle);
  const s = Math.sin(-angle);
  const pts = Array.from({ length: n }, (_, i) => {
    const dx = p[2 * i] - cx;
    const dy = p[2 * i + 1] - cy;
    return { x: c * dx - s * dy, y: s * dx + c * dy };
  });
  // Qubit 0 goes left and up (devices number from the top-left corner).
  if (pts[0].x > 0) for (const q of pts) q.x = -q.x;
  if (pts[0].y < 0) for (const q of pts) q.y = -q.y;
  let len = 0;
  for (const [a, b] of edges) len += Math.hypot(pts[a].x - pts[b].x, pts[a].y - pts[b].y);
  const scale = edges.length && len > 0 ? edges.length / len : 1;
  const r = (v: number) => Math.round(v * scale * 1e4) / 1e4;
  return pts.map((q) => ({ x: r(q.x), y: r(q.y) }));
}

/** The coupling map of a target (undirected couplers, each with its lowest 2-qubit gate error) and a layout. */
export function deviceMapFromTarget(target: Target, options: { backend?: string; layout?: readonly number[] } = {}): DeviceMap {
  // Every coupler the device has, broken ones (IBM reports error 1) included, so the lattice reads right;
  // the chart draws a broken one apart from the working ones.
  const best = new Map<string, number>();
  for (const sites of target.instructions.values()) {
    for (const [key, props] of sites) {
      const q = parseQubitKey(key);
      if (q.length !== 2 || props.error === undefined) continue;
      const k = q[0] < q[1] ? `${q[0]},${q[1]}` : `${q[1]},${q[0]}`;
      best.set(k, Math.min(best.get(k) ?? Infinity, props.error));
    }
  }
  const all = new Set<string>();
  for (const sites of target.instructions.values())
    for (const key of sites.keys()) {
      const q = parseQubitKey(key);
      if (q.length === 2 && q[0] !== q[1]) all.add(q[0] < q[1] ? `${q[0]},${q[1]}` : `${q[1]},${q[0]}`);
    }
  const pairs = [...all].map((k) => parseQubitKey(k) as [number, number]).sort((u, v) => u[0] - v[0] || u[1] - v[1]);
  const pos = graphLayout(target.numQubits, pairs);
  const nodes: DeviceNode[] = pos.map((p, qubit) => {
    const r = target.readout?.[qubit] ? readoutError(target, qubit) : undefined;
    return r === undefined ? { qubit, ...p } : { qubit, ...p, readoutError: r };
  });
  const edges: DeviceEdge[] = pairs.map(([a, b]) => ({ a, b, error: best.get(`${a},${b}`) ?? null }));
  return {
    backend: options.backend ?? target.name,
    target: target.name,
    numQubits: target.numQubits,
    nodes,
    edges,
    layout: [...(options.layout ?? [])],
    ...(target.source ? { source: target.source } : {}),
  };
}
