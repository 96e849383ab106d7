import { validationError } from '../errors.js';
import type { Dataset } from './dataset.js';

/** Per-channel standardisation of [..., C] samples (the last axis is the channel), fitted on training data. */
export interface ChannelNorm {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

function channelsOf(ds: Pick<Dataset, 'shape'>): number {
  const C = ds.shape[ds.shape.length - 1];
  if (!(C >= 1)) throw validationError(`channel normalisation needs samples with a channel axis, got shape [${ds.shape.join(', ')}]`);
  return C;
}

/**
 * Mean and standard deviation of every channel over all samples and positions (a constant channel
 * gets std 1, so it maps to 0 rather than dividing by zero).
 */
export function fitChannelNorm(train: Dataset): ChannelNorm {
  const C = channelsOf(train);
  const n = train.x.length / C;
  if (n === 0) throw validationError('cannot fit a channel normalisation on an empty set');
  const s = new Float64Array(C);
  const s2 = new Float64Array(C);
  const x = train.x;
  for (let i = 0; i < x.length; i += C) {
    for (let k = 0; k < C; k++) {
      const v = x[i + k];
      s[k] += v;
      s2[k] += v * v;
    }
  }
  const mean = Array.from(s, (v) => v / n);
  const std = Array.from(s2, (v, k) => {
    const sd = Math.sqrt(Math.max(0, v / n - mean[k] * mean[k]));
    return sd > 1e-12 ? sd : 1;
  });
  return { mean, std };
}

/** (x - mean) / std per channel, into a new array (also for a bare channel vector such as a fill value). */
export function applyChannelNormTo(x: ArrayLike<number>, norm: ChannelNorm): Float32Array {
  const C = norm.mean.length;
  if (x.length % C !== 0) throw validationError(`channel normalisation for ${C} channels does not fit ${x.length} values`);
  const out = new Float32Array(x.length);
  const inv = norm.std.map((v) => 1 / v);
  for (let i = 0; i < x.length; i += C) for (let k = 0; k < C; k++) out[i + k] = (x[i + k] - norm.mean[k]) * inv[k];
  return out;
}

export function applyChannelNorm(ds: Dataset, norm: ChannelNorm): Dataset {
  const C = channelsOf(ds);
  if (norm.mean.length !== C || norm.std.length !== C)
    throw validationError(`the channel normalisation has ${norm.mean.length} channels, the data ${C}`);
  return { ...ds, x: applyChannelNormTo(ds.x, norm) };
}

/** A stored normalisation, checked (finite means, positive finite deviations, C of each). */
export function checkChannelNorm(v: unknown, channels: number): ChannelNorm {
  const ok = (a: unknown, pos: boolean): a is number[] =>
    Array.isArray(a) && a.length === channels && a.every((e) => typeof e === 'number' && Number.isFinite(e) && (!pos || e > 0));
  const n = v as { mean?: unknown; std?: unknown } | null;
  if (!n || !ok(n.mean, false) || !ok(n.std, true))
    throw validationError(`channel normalisation must have ${channels} finite means and ${channels} positive deviations`);
  return { mean: n.mean as number[], std: n.std as number[] };
}
