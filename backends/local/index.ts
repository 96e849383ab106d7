export { LocalBackend, type LocalBackendOptions } from './adapter.js';
