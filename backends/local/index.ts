export { LocalBackend, type LocalBackendOptions } from './adapter.js';
export { localBackendFor, parseLocalSpec, NOISY_PRESETS, DEVICE_ALIASES } from './spec.js';
export { prepareNoisy, restrictModel, remapObservable, type NoisyCircuit } from './noisy.js';
