import { describe, expect, it } from 'vitest';
import { CircuitBuilder, QError, checkStateMemory, prepare, statevector } from '../../src/index.js';

describe('memory limits', () => {
  it('refuses a statevector that cannot fit before allocating anything', () => {
    const c = new CircuitBuilder(40).h(0).build();
    let err: unknown;
    try {
      statevector(c);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QError);
    expect((err as QError).code).toBe('RESOURCE');
    expect((err as QError).message).toMatch(/40 qubits/);
  });

  it('honours QBRIDGE_MAX_MEMORY_MB and names the sizes', () => {
    const before = process.env.QBRIDGE_MAX_MEMORY_MB;
    process.env.QBRIDGE_MAX_MEMORY_MB = '64';
    try {
      expect(() => checkStateMemory(23, 1)).toThrow(/needs 128 MiB but only 64\.0 MiB/);
      expect(() => prepare(new CircuitBuilder(24).h(0).build())).toThrow(/24 qubits needs 512 MiB/);
      expect(() => checkStateMemory(20, 1)).not.toThrow();
    } finally {
      if (before === undefined) delete process.env.QBRIDGE_MAX_MEMORY_MB;
      else process.env.QBRIDGE_MAX_MEMORY_MB = before;
    }
  });
});
