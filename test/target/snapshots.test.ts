import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nativeGates, presetTarget, QError } from '../../src/index.js';
import { braketCapabilitiesOf, targetFromBraketDevice } from '../../src/target/braket.js';

const snapshot = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../src/target/snapshots/${name}`, import.meta.url), 'utf8'));

describe('provider-format calibration snapshots', () => {
  it('ionq_forte comes from an IonQ v0.4 characterization: 36 all-to-all qubits, published fidelities', () => {
    const t = presetTarget('ionq_forte');
    expect(t.numQubits).toBe(36);
    expect(t.instructions.get('ms')?.size).toBe(36 * 35);
    expect(t.instructions.get('ms')?.get('3,17')?.error).toBeCloseTo(0.004, 12);
    expect(t.instructions.get('gpi2')?.get('0')?.error).toBeCloseTo(0.0002, 12);
    expect(t.readout?.[5].p01).toBeCloseTo(0.005, 12);
    expect(t.t1S?.[0]).toBe(100);
  });

  it('iqm_garnet and rigetti come from Braket GetDevice responses with the capabilities as a JSON string', () => {
    const raw = snapshot('iqm_garnet.json') as { deviceCapabilities: unknown };
    expect(typeof raw.deviceCapabilities).toBe('string');
    const g = presetTarget('iqm_garnet');
    expect(g.numQubits).toBe(20);
    expect(nativeGates(g)).toEqual({ oneQubit: ['prx'], twoQubit: ['cz'] });
    expect(g.instructions.get('cz')?.size).toBe(60);
    expect(g.qubitLabels?.[0]).toBe('1');
    expect(g.t1S?.[3]).toBeCloseTo(45e-6, 15);
    const r = presetTarget('rigetti');
    expect(r.numQubits).toBe(84);
    expect(r.instructions.get('iswap')?.size).toBe(2 * (7 * 11 + 6 * 12));
    expect(r.readout?.[0].p10).toBeCloseTo(0.04, 12);
    // The generic reader gives the same device from the response alone.
    const direct = targetFromBraketDevice(snapshot('rigetti.json'));
    expect(direct.name).toBe('Ankaa-3');
    expect([...direct.instructions.keys()]).toEqual([...r.instructions.keys()]);
  });

  it('refuses responses without capabilities or with broken JSON in them', () => {
    expect(() => braketCapabilitiesOf({})).toThrow(/deviceCapabilities/);
    expect(() => braketCapabilitiesOf({ deviceCapabilities: '{not json' })).toThrow(QError);
    expect(() => braketCapabilitiesOf({ deviceCapabilities: '{}' })).toThrow(/paradigm/);
  });
});
