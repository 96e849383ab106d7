export {
  IonqBackend,
  mapIonqStatus,
  IONQ_MAX_CIRCUITS_PER_JOB,
  IONQ_MAX_GATES_PER_JOB,
  IONQ_MAX_SHOTS,
  IONQ_MIN_DEBIAS_SHOTS,
  type IonqBackendOptions,
  type IonqInput,
} from './adapter.js';
export {
  IonqClient,
  IONQ_DEFAULT_URL,
  IONQ_KEY_ENV,
  IONQ_URL_ENV,
  type IonqClientOptions,
  type IonqJob,
  type IonqJobPayload,
} from './client.js';
export { ionqBackendFor, listIonqDevices, ionqTarget, parseIonqSpec } from './devices.js';
export { startIonqEmulator, characterizationFromTarget, type IonqEmulator, type IonqEmulatorOptions } from './emulator.js';
export { toQis, toNative, toTurns, circuitFromIonq, splitMeasurements, type IonqGate, type MeasureMap } from './translate.js';
export { countsFromProbabilities as ionqCountsFromProbabilities, clbitKey } from './results.js';
