import { validationError } from '../errors.js';
import type { Backend, RunResult } from '../exec/backend.js';
import type { Circuit } from '../ir/circuit.js';
import type { Bindings } from '../ir/params.js';
import { checkBindings, checkPositiveInt } from './common.js';

/** One sampler input: a circuit, its bindings (default one empty binding) and, optionally, its own shot count. */
export interface SamplerPub {
  readonly circuit: Circuit;
  readonly bindings?: readonly Bindings[];
  readonly shots?: number;
}

export interface SamplerOptions {
  /** Shots when neither the call nor the pub says (default 1024). */
  readonly defaultShots?: number;
  readonly seed?: number;
}

export interface SamplerRunOptions {
  /** Shots for every pub that does not give its own. */
  readonly shots?: number;
  readonly seed?: number;
  readonly signal?: AbortSignal;
}

export interface SamplerPubResult {
  /** counts[b]: the histogram of binding b (classical bit 0 rightmost). */
  readonly counts: Readonly<Record<string, number>>[];
  readonly shots: number;
}

export interface SamplerResult {
  readonly pubs: SamplerPubResult[];
  readonly metadata: { readonly jobIds: string[]; readonly backend: string; readonly executions: number };
}

/**
 * Qiskit-V2-style Sampler over any Backend: `run(pubs)` gives counts per binding of every pub, in a
 * fixed shape (results.pubs[i].counts[b]). Pubs sharing a shot count travel in one job (all of them
 * when the call fixes `shots`).
 */
export class Sampler {
  constructor(
    readonly backend: Backend,
    readonly options: SamplerOptions = {},
  ) {
    checkPositiveInt(options.defaultShots, 'Sampler defaultShots');
  }

  async run(pubs: readonly SamplerPub[], options: SamplerRunOptions = {}): Promise<SamplerResult> {
    if (!Array.isArray(pubs) || pubs.length === 0) throw validationError('Sampler.run needs at least one pub');
    checkPositiveInt(options.shots, 'Sampler shots');
    const shotsOf = pubs.map((p, i) => {
      checkPositiveInt(p.shots, `Sampler pub ${i} shots`);
      return p.shots ?? options.shots ?? this.options.defaultShots ?? 1024;
    });
    const bindings = pubs.map((p, i) => checkBindings(p.bindings, `Sampler pub ${i}`));
    const byShots = new Map<number, number[]>();
    shotsOf.forEach((s, i) => byShots.set(s, [...(byShots.get(s) ?? []), i]));
    const seed = options.seed ?? this.options.seed;
    const jobs = await Promise.all(
      [...byShots].map(async ([shots, idx]) => {
        const job = await this.backend.submit(
          { runs: idx.map((i) => ({ circuit: pubs[i].circuit, bindings: bindings[i] })), shots, seed, tags: { primitive: 'sampler' } },
          { signal: options.signal },
        );
        return { idx, shots, result: await job.wait({ signal: options.signal }) };
      }),
    );
    const out: SamplerPubResult[] = new Array(pubs.length);
    let executions = 0;
    for (const { idx, shots, result } of jobs) {
      idx.forEach((i, k) => {
        const counts = (result as RunResult).results[k].map((r) => r.counts ?? {});
        executions += counts.length;
        out[i] = { counts, shots };
      });
    }
    return { pubs: out, metadata: { jobIds: jobs.map((j) => j.result.jobId), backend: this.backend.id, executions } };
  }
}
