import { afterAll, describe, expect, it } from 'vitest';
import { backendFor, listDevices, parseBackendSpec, startEmulator, type EmulatorHandle } from '../../backends/registry.js';

describe('backend registry', () => {
  it('parses specs and names the valid forms on a bad one', () => {
    expect(parseBackendSpec('ibm:ibm_fez')).toEqual({ provider: 'ibm', name: 'ibm_fez' });
    expect(parseBackendSpec('local:noisy=ibm_fez')).toEqual({ provider: 'local', name: 'local:noisy=ibm_fez' });
    expect(() => parseBackendSpec('dwave:adv')).toThrow(/use local, local:noisy=DEVICE .* ibm:NAME, ionq:NAME, braket:ARN or rigetti:NAME/);
    expect(() => parseBackendSpec('ibm:')).toThrow(/unknown backend/);
  });

  let em: EmulatorHandle | undefined;
  afterAll(async () => em?.close());

  it('loads vendor modules lazily and reaches a provider emulator through its env', async () => {
    em = await startEmulator('ionq');
    const saved = { ...process.env };
    Object.assign(process.env, em.env, { QBRIDGE_IONQ_API_KEY: 'registry-test-key' });
    try {
      const devices = await listDevices('ionq');
      expect(devices.map((d) => d.name)).toEqual(expect.arrayContaining(['simulator', 'qpu.forte-1']));
      const b = await backendFor('ionq:simulator');
      expect(b.provider).toBe('ionq');
    } finally {
      process.env = saved;
    }
  });

  it('refuses an emulator for a provider that has none', async () => {
    await expect(startEmulator('rigetti')).rejects.toThrow(/no emulator for provider 'rigetti'/);
  });
});
