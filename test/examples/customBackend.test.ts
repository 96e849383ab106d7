import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { describeBackendConformance } from '../../backends/conformance.js';
import { ToyBackend, startToyServer } from '../../examples/custom-backend.js';
import type { EmulatorServer } from '../../backends/common/emulatorServer.js';

// The toy provider of the adapter author kit must pass the same suite as the real adapters.
describeBackendConformance('toyq (examples/custom-backend.ts)', async () => {
  const server: EmulatorServer = await startToyServer();
  return {
    backend: new ToyBackend(server.baseUrl, 'toy-key-123456'),
    restart: () => new ToyBackend(server.baseUrl, 'toy-key-123456'),
    badCredential: () => new ToyBackend(server.baseUrl, ''),
    injectFaults: (spec) => server.faults.add(spec),
    submissions: () => server.stats.submissions,
    cleanup: () => server.close(),
  };
});

describe('examples/custom-backend.ts', () => {
  it('runs with npx tsx and prints Bell counts', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'examples/custom-backend.ts'], { encoding: 'utf8', timeout: 60_000 });
    expect(out).toMatch(/Bell counts \{ '(00|11)': \d+, '(00|11)': \d+ \}/);
  });
});
