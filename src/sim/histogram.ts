/**
 * Draws `shots` basis-state indices from a probability vector (small negative entries, rounding
 * residue on a density matrix's diagonal, count as zero) and returns how often each index came up.
 * One CDF pass, then a binary search per shot; counting into a typed array avoids per-shot strings.
 */
export function sampleHistogram(probs: Float64Array, shots: number, next: () => number): Uint32Array {
  const N = probs.length;
  const cdf = new Float64Array(N);
  let acc = 0;
  for (let i = 0; i < N; i++) {
    acc += Math.max(0, probs[i]);
    cdf[i] = acc;
  }
  const hits = new Uint32Array(N);
  for (let k = 0; k < shots; k++) {
    const u = next() * acc;
    let lo = 0;
    let hi = N - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    hits[lo]++;
  }
  return hits;
}
