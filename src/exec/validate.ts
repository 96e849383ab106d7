import { validationError } from '../errors.js';
import type { Bindings } from '../ir/params.js';
import type { Capabilities, RunRequest } from './backend.js';

/** Executions a request asks for: Σ over circuits of max(1, bindings). */
export function executionCount(r: RunRequest): number {
  return r.runs.reduce((acc, run) => acc + Math.max(1, run.bindings?.length ?? 1), 0);
}

/**
 * Checks a request against a backend before anything is sent or allocated: shots, sizes, bindings,
 * exact mode. Each error says what is wrong and by how much.
 */
export function validateRequest(r: RunRequest, caps: Capabilities, numQubits: number, backend: string): void {
  if (!Array.isArray(r.runs) || r.runs.length === 0) throw validationError(`${backend}: a request needs at least one circuit`);
  if (!Number.isInteger(r.shots) || r.shots < 0) throw validationError(`${backend}: shots must be a non-negative integer, got ${r.shots}`);
  if (r.shots === 0 && !caps.exact)
    throw validationError(`${backend}: exact results (shots 0) are not available on this backend; ask for shots`);
  if (r.shots > caps.maxShots)
    throw validationError(`${backend}: ${r.shots} shots exceed the backend's limit of ${caps.maxShots}`, {
      shots: r.shots,
      maxShots: caps.maxShots,
    });
  const ex = executionCount(r);
  if (ex > caps.maxExecutions) {
    throw validationError(`${backend}: ${ex} circuit executions exceed the limit of ${caps.maxExecutions} per job; split the request`, {
      executions: ex,
      max: caps.maxExecutions,
    });
  }
  r.runs.forEach((run, i) => {
    if (run.circuit.numQubits > numQubits) {
      throw validationError(`${backend}: circuit ${i} needs ${run.circuit.numQubits} qubits but the backend has ${numQubits}`, {
        circuit: i,
      });
    }
    const params = run.circuit.parameters;
    const bindings: readonly Bindings[] = run.bindings ?? [{}];
    bindings.forEach((b, k) => {
      const missing = params.filter((p: string) => typeof b[p] !== 'number');
      if (missing.length)
        throw validationError(`${backend}: circuit ${i}, binding ${k} has no value for ${missing.join(', ')}`, { circuit: i, binding: k });
    });
  });
}
