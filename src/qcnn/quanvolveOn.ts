import { sliceSamples, type Dataset } from '../data/index.js';
import { QError, validationError } from '../errors.js';
import type { Bindings } from '../ir/params.js';
import type { EstimatorPub } from '../primitives/estimator.js';
import type { EstimatorLike } from '../training/quantum.js';
import { forEachPatch, quanvCircuit, quanvObservables, quanvOutputSize, type QuanvLayer } from './quanv.js';

export interface QuanvolveOnOptions {
  /** Shots per measurement setting (omit for exact values on an exact backend). */
  readonly shots?: number;
  readonly seed?: number;
  /** Images whose patches go into one job (default 50). */
  readonly imagesPerJob?: number;
  readonly signal?: AbortSignal;
  /** Told after every job: images done so far and what the job cost. */
  readonly onJob?: (info: { readonly images: number; readonly patches: number; readonly jobId: string; readonly shots: number }) => void;
}

export interface QuanvolveOnResult {
  /** [rows', cols', channels] maps, as quanvolve() returns them. */
  readonly maps: Dataset;
  readonly jobs: number;
  readonly shots: number;
  /** Distinct patches that were run (each once per filter), summed over jobs. */
  readonly patches: number;
}

/**
 * quanvolve() on a backend: the patch circuits of a group of images are measured by an Estimator
 * (ideal, noisy, mitigated or hardware) instead of computed exactly. Every filter is one pub of the
 * same job, bound to the group's DISTINCT patches only: MNIST is mostly blank background, so a
 * group of 50 images (9,800 patch positions) needs a few thousand circuit executions per filter,
 * not 9,800.
 */
export async function quanvolveOn(
  layer: QuanvLayer,
  ds: Dataset,
  estimator: EstimatorLike,
  o: QuanvolveOnOptions = {},
): Promise<QuanvolveOnResult> {
  if (ds.shape.length !== 2) throw validationError(`quanvolution needs [rows, cols] images, got shape [${ds.shape.join(', ')}]`);
  const per = o.imagesPerJob ?? 50;
  if (!Number.isInteger(per) || per < 1) throw validationError(`imagesPerJob must be a positive integer, got ${per}`);
  const [H, W] = ds.shape;
  const oh = quanvOutputSize(layer, H);
  const ow = quanvOutputSize(layer, W);
  if (oh === 0 || ow === 0) throw validationError(`a ${layer.patch}x${layer.patch} patch does not fit ${H}x${W} images`);
  const C = layer.channels;
  const R = layer.readoutQubits.length;
  const q = layer.qubits;
  const circuits = Array.from({ length: layer.filters }, (_, f) => quanvCircuit(layer, f));
  const observables = quanvObservables(layer);
  const names = Array.from({ length: q }, (_, i) => `x[${i}]`);
  const out = new Float32Array(ds.count * oh * ow * C);
  let jobs = 0;
  let shots = 0;
  let patches = 0;
  const px = new Float64Array(q);
  for (let s0 = 0; s0 < ds.count; s0 += per) {
    if (o.signal?.aborted) throw new QError('CANCELLED', 'quanvolution cancelled');
    const n = Math.min(per, ds.count - s0);
    // Distinct patches of the group (keyed by their exact pixel values) and where each one goes.
    const index = new Map<string, number>();
    const unique: Bindings[] = [];
    const slot = new Int32Array(n * oh * ow);
    forEachPatch(layer, sliceSamples(ds, s0, s0 + n), px, (at) => {
      const key = px.join(',');
      let u = index.get(key);
      if (u === undefined) {
        u = unique.length;
        index.set(key, u);
        const b: Record<string, number> = {};
        for (let i = 0; i < q; i++) b[names[i]] = px[i];
        unique.push(b);
      }
      slot[at] = u;
    });
    const pubs: EstimatorPub[] = circuits.map((circuit) => ({ circuit, observables, bindings: unique }));
    const res = await estimator.run(pubs, {
      ...(o.shots ? { shots: o.shots } : {}),
      seed: ((o.seed ?? 0) + 7919 * (s0 / per + 1)) >>> 0,
      signal: o.signal,
    });
    for (let k = 0; k < n * oh * ow; k++) {
      const at = (s0 * oh * ow + k) * C;
      for (let f = 0; f < layer.filters; f++) {
        const v = res.pubs[f].values[slot[k]];
        for (let r = 0; r < R; r++) out[at + f * R + r] = v[r];
      }
    }
    jobs += res.metadata.jobId ? 1 : 0;
    shots += res.metadata.shots;
    patches += unique.length;
    o.onJob?.({ images: s0 + n, patches: unique.length, jobId: res.metadata.jobId, shots: res.metadata.shots });
  }
  return { maps: { x: out, y: ds.y, count: ds.count, shape: [oh, ow, C] }, jobs, shots, patches };
}
