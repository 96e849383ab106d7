import { freemem, totalmem } from 'node:os';
import { resourceError } from '../errors.js';

/** Largest register the statevector engine indexes with 32-bit integer arithmetic. */
export const MAX_SIM_QUBITS = 30;

/**
 * Refuses, before anything is allocated, a simulation whose buffers would not fit: `copies` arrays of
 * 2^n complex doubles (16 bytes each). The budget is the memory the OS reports free, or
 * QBRIDGE_MAX_MEMORY_MB when set (useful to keep a shared machine safe).
 */
export function checkStateMemory(numQubits: number, copies: number, what = 'statevector'): void {
  if (numQubits > MAX_SIM_QUBITS) {
    throw resourceError(
      `${what} of ${numQubits} qubits is too large for the local simulator (at most ${MAX_SIM_QUBITS}); use a managed simulator such as Braket SV1`,
      { numQubits },
    );
  }
  const bytes = copies * 16 * 2 ** numQubits;
  const env = Number(process.env.QBRIDGE_MAX_MEMORY_MB);
  const budget = Number.isFinite(env) && env > 0 ? env * 2 ** 20 : Math.max(freemem(), totalmem() * 0.5) * 0.9;
  if (bytes > budget) {
    throw resourceError(
      `${what} of ${numQubits} qubits needs ${formatBytes(bytes)} but only ${formatBytes(budget)} is available; use fewer qubits or a managed simulator`,
      { numQubits, bytes, budget },
    );
  }
}

export function formatBytes(b: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (b >= 1024 && i < units.length - 1) {
    b /= 1024;
    i++;
  }
  return `${b.toFixed(b >= 100 || i === 0 ? 0 : 1)} ${units[i]}`;
}
