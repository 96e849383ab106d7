import { targetFromIonq, validationError, type Target } from '../../src/index.js';
import type { DeviceInfo } from '../common/deviceInfo.js';
import { IonqBackend, type IonqBackendOptions, type IonqInput } from './adapter.js';
import { IonqClient, type IonqClientOptions } from './client.js';

/**
 * Device discovery and the `--backend ionq:NAME` factory. Devices come from `GET /backends` (no key
 * needed); a QPU's Target from its current characterization (`GET /backends/{b}/characterizations/{id}`)
 * through `targetFromIonq`. The simulator has no characterization (the spec's path enum lists only
 * QPUs): its Target is all-to-all gpi/gpi2/ms over the qubits `GET /backends` reports, without errors.
 */
export async function ionqTarget(client: IonqClient, backend: string, signal?: AbortSignal): Promise<Target> {
  const list = await client.backends(signal);
  const info = list.find((b) => b.backend === backend);
  if (!info) {
    throw validationError(`IonQ: no backend '${backend}' (available: ${list.map((b) => b.backend).join(', ')})`, {
      backend,
      available: list.map((b) => b.backend),
    });
  }
  if (backend === 'simulator') {
    return targetFromIonq(
      { backend, qubits: info.qubits, fidelity: {} },
      { name: 'ionq:simulator', source: 'IonQ simulator (GET /backends)' },
    );
  }
  const ch = await client.characterization(backend, info.characterization_id, signal);
  return targetFromIonq(ch, { name: `ionq:${backend}` });
}

export async function listIonqDevices(options: IonqClientOptions & { signal?: AbortSignal } = {}): Promise<DeviceInfo[]> {
  const client = new IonqClient(options);
  const list = await client.backends(options.signal);
  // average_queue_time is a wait time, not a job count: DeviceInfo.queue (jobs) stays unset.
  return list.map((b) => ({
    provider: 'ionq',
    name: b.backend,
    numQubits: b.qubits,
    status: b.degraded && b.status === 'available' ? 'degraded' : b.status,
    simulator: b.backend === 'simulator',
  }));
}

/**
 * `ionq:NAME[:key=value,...]`: NAME is an IonQ backend (`simulator`, `qpu.forte-1`); keys are
 * `noise=MODEL` (simulator only: ideal, aria-1, forte-1, ...), `input=qis|native|qasm3`,
 * `debias` or `debias=true|false`, `results=probabilities|shots`, `seed=N` (noise seed).
 * Example: `ionq:simulator:noise=forte-1,input=native`.
 */
export function parseIonqSpec(spec: string): Omit<IonqBackendOptions, 'target'> {
  const i = spec.indexOf(':');
  const backend = (i < 0 ? spec : spec.slice(0, i)).trim();
  if (backend === '') throw validationError(`IonQ: empty backend name in '${spec}'`);
  const opts: { -readonly [K in keyof Omit<IonqBackendOptions, 'target'>]?: Omit<IonqBackendOptions, 'target'>[K] } = {};
  let noiseModel: string | undefined;
  let seed: number | undefined;
  for (const item of i < 0 ? [] : spec.slice(i + 1).split(',')) {
    const [k, v] = item.split('=').map((x) => x.trim());
    if (k === 'noise' && v) noiseModel = v;
    else if (k === 'seed' && v && /^\d+$/.test(v)) seed = Number(v);
    else if (k === 'input' && (v === 'qis' || v === 'native' || v === 'qasm3')) opts.input = v as IonqInput;
    else if (k === 'debias' && (v === undefined || v === 'true' || v === 'false')) opts.debiasing = v !== 'false';
    else if (k === 'results' && (v === 'probabilities' || v === 'shots')) opts.results = v;
    else
      throw validationError(
        `IonQ: unknown option '${item}' in '${spec}' (use noise=MODEL, seed=N, input=qis|native|qasm3, debias, results=probabilities|shots)`,
      );
  }
  if (seed !== undefined && noiseModel === undefined) throw validationError(`IonQ: seed=N needs noise=MODEL in '${spec}'`);
  return { ...opts, backend, ...(noiseModel ? { noise: { model: noiseModel, ...(seed !== undefined ? { seed } : {}) } } : {}) };
}

/** What `--backend ionq:NAME` resolves to: the adapter with the device's Target, configured from the environment. */
export async function ionqBackendFor(name: string, options: IonqClientOptions & Partial<IonqBackendOptions> = {}): Promise<IonqBackend> {
  const spec = parseIonqSpec(name);
  const client = options.client ?? new IonqClient(options);
  const target = options.target ?? (await ionqTarget(client, spec.backend));
  return new IonqBackend({ ...options, ...spec, target, client });
}
