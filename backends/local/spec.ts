import { PRESET_TARGETS, noiseFromTarget, presetTarget, validationError, type NoiseModel } from '../../src/index.js';
import { LocalBackend } from './adapter.js';

/**
 * Real device names whose calibration snapshot a preset was built from: `local:noisy=ibm_fez` is the
 * same device as `local:noisy=ibm_heron`, so users can name the machine they will run on.
 */
export const DEVICE_ALIASES: Readonly<Record<string, string>> = { ibm_fez: 'ibm_heron', ibm_brisbane: 'ibm_eagle' };

/** Names accepted after `local:noisy=`: the preset targets and the devices they were measured on. */
export const NOISY_PRESETS: readonly string[] = [...PRESET_TARGETS, ...Object.keys(DEVICE_ALIASES)];

const models = new Map<string, NoiseModel>();

/** Checks a backend spec (`local` or `local:noisy=NAME`) and returns it normalised; a VALIDATION error names the valid forms. */
export function parseLocalSpec(spec: string): { kind: 'ideal' } | { kind: 'noisy'; preset: string; name: string } {
  const s = spec.trim();
  if (s === 'local') return { kind: 'ideal' };
  const m = /^local:noisy=(.*)$/.exec(s);
  if (!m)
    throw validationError(`unknown backend '${spec}': use 'local' or 'local:noisy=NAME' with NAME one of ${NOISY_PRESETS.join(', ')}`);
  if (!NOISY_PRESETS.includes(m[1])) {
    throw validationError(`unknown noisy preset '${m[1]}' in '${spec}': NAME must be one of ${NOISY_PRESETS.join(', ')}`, {
      preset: m[1],
      valid: NOISY_PRESETS,
    });
  }
  return { kind: 'noisy', preset: DEVICE_ALIASES[m[1]] ?? m[1], name: m[1] };
}

/**
 * A local backend from a spec: `local` is the ideal simulator; `local:noisy=NAME` simulates under the
 * noise of preset target NAME (`noiseFromTarget(presetTarget(NAME))`: thermal relaxation + depolarizing
 * sized to the reported gate errors + readout). Because that model's rules name the device's native
 * gates on physical qubits, the backend compiles each circuit to the target (level 1) before
 * simulating, and keeps the caller's bit order.
 */
export function localBackendFor(spec: string): LocalBackend {
  const p = parseLocalSpec(spec);
  if (p.kind === 'ideal') return new LocalBackend();
  const target = presetTarget(p.preset);
  let noise = models.get(p.preset);
  if (!noise) {
    noise = noiseFromTarget(target);
    models.set(p.preset, noise);
  }
  return new LocalBackend({ id: `local:noisy=${p.name}`, noise, target });
}
