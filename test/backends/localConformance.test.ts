import { describeBackendConformance } from '../../backends/conformance.js';
import { LocalBackend, localBackendFor } from '../../backends/local/index.js';

// The shipped suite must pass on the reference backend, ideal and noisy.
describeBackendConformance('local', () => ({ backend: new LocalBackend() }));
describeBackendConformance('local:noisy=ibm_heron', () => ({ backend: localBackendFor('local:noisy=ibm_heron') }), { shots: 300 });
