import { QError, validationError, type Backend } from '../src/index.js';
import { localBackendFor, parseLocalSpec, NOISY_PRESETS } from './local/index.js';
import type { DeviceInfo } from './common/deviceInfo.js';

export type { DeviceInfo };

/**
 * Backend specs, the strings users type after `--backend`:
 *   local | local:noisy=DEVICE | ibm:NAME | ionq:NAME | braket:ARN | rigetti:NAME
 * Vendor modules are loaded on first use, so `qbridge run` on the simulator never pays for (or
 * depends on) provider code.
 */
export const PROVIDERS = ['local', 'ibm', 'ionq', 'braket', 'rigetti'] as const;
export type ProviderName = (typeof PROVIDERS)[number];
export const EMULATED_PROVIDERS = ['ibm', 'ionq', 'braket'] as const;

export interface BackendOptions {
  /** One redacted line per HTTP exchange (`--verbose`). */
  readonly trace?: (line: string) => void;
}

export interface EmulatorHandle {
  readonly url: string;
  readonly env: Readonly<Record<string, string>>;
  readonly server: { readonly stats: unknown; readonly faults: { injected: number } };
  close(): Promise<void>;
}

export interface EmulatorOptions {
  readonly port?: number;
  readonly noiseFrom?: string;
  readonly faults?: string;
  readonly pollsPerStep?: number;
}

const CAP: Record<string, string> = { ibm: 'Ibm', ionq: 'Ionq', braket: 'Braket', rigetti: 'Rigetti' };

/** The vendor module, loaded lazily; its exports follow the names in docs/adding-a-provider.md. */
// Static specifiers (still loaded lazily): bundlers and vitest can resolve them, unlike a template.
const LOADERS: Readonly<Record<string, () => Promise<Record<string, unknown>>>> = {
  ibm: () => import('./ibm/index.js') as Promise<Record<string, unknown>>,
  ionq: () => import('./ionq/index.js') as Promise<Record<string, unknown>>,
  braket: () => import('./braket/index.js') as Promise<Record<string, unknown>>,
  rigetti: () => import('./rigetti/index.js') as Promise<Record<string, unknown>>,
};

async function vendor(provider: string): Promise<Record<string, unknown>> {
  const load = LOADERS[provider];
  if (!load) throw validationError(`unknown provider '${provider}' (one of ${Object.keys(LOADERS).join(', ')})`);
  try {
    return await load();
  } catch (e) {
    throw new QError('UNSUPPORTED', `the ${provider} adapter could not be loaded: ${(e as Error).message}`, { cause: e });
  }
}

function fn<T>(mod: Record<string, unknown>, name: string, provider: string): T {
  const f = mod[name];
  if (typeof f !== 'function') throw new QError('UNSUPPORTED', `the ${provider} adapter does not export ${name}()`);
  return f as T;
}

/** Splits `provider:name` and checks the provider; a VALIDATION error lists the valid forms. */
export function parseBackendSpec(spec: string): { provider: ProviderName; name: string } {
  const s = spec.trim();
  if (s === 'local' || s.startsWith('local:')) {
    parseLocalSpec(s);
    return { provider: 'local', name: s };
  }
  const i = s.indexOf(':');
  const provider = i < 0 ? s : s.slice(0, i);
  const name = i < 0 ? '' : s.slice(i + 1);
  if (!(PROVIDERS as readonly string[]).includes(provider) || name === '') {
    throw validationError(
      `unknown backend '${spec}': use local, local:noisy=DEVICE (${NOISY_PRESETS.join(', ')}), ibm:NAME, ionq:NAME, braket:ARN or rigetti:NAME`,
      { backend: spec },
    );
  }
  return { provider: provider as ProviderName, name };
}

/** The Backend for a spec (provider backends read credentials from the environment or `.env`). */
export async function backendFor(spec: string, options: BackendOptions = {}): Promise<Backend> {
  const { provider, name } = parseBackendSpec(spec);
  if (provider === 'local') return localBackendFor(name);
  const mod = await vendor(provider);
  const make = fn<(n: string, o: BackendOptions) => Promise<Backend>>(mod, `${provider}BackendFor`, provider);
  return make(name, options);
}

/** Devices a provider offers (status, queue where the API gives it). */
export async function listDevices(provider: ProviderName, options: BackendOptions = {}): Promise<DeviceInfo[]> {
  if (provider === 'local') {
    const local: DeviceInfo[] = [{ provider: 'local', name: 'local', numQubits: 30, status: 'online', simulator: true }];
    for (const p of NOISY_PRESETS) {
      const b = localBackendFor(`local:noisy=${p}`);
      local.push({ provider: 'local', name: `local:noisy=${p}`, numQubits: b.numQubits, status: 'online', simulator: true });
    }
    return local;
  }
  const mod = await vendor(provider);
  return fn<(o: BackendOptions) => Promise<DeviceInfo[]>>(mod, `list${CAP[provider]}Devices`, provider)(options);
}

/** Starts a provider emulator on 127.0.0.1. */
export async function startEmulator(provider: string, options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  if (!(EMULATED_PROVIDERS as readonly string[]).includes(provider)) {
    throw validationError(`no emulator for provider '${provider}' (one of ${EMULATED_PROVIDERS.join(', ')})`);
  }
  const mod = await vendor(provider);
  return fn<(o: EmulatorOptions) => Promise<EmulatorHandle>>(mod, `start${CAP[provider]}Emulator`, provider)(options);
}
