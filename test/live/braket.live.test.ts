/**
 * Live Amazon Braket test: runs only with AWS credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * optionally AWS_SESSION_TOKEN / AWS_REGION) and QBRIDGE_LIVE_BRAKET=1, because SV1 is billed by the
 * minute. Results go to QBRIDGE_BRAKET_BUCKET or the SDK's default bucket amazon-braket-REGION-ACCOUNT.
 */
import { describe, expect, it } from 'vitest';
import { braketBackendFor, hasAwsCredentials, listBraketDevices } from '../../backends/braket/index.js';
import { CircuitBuilder } from '../../src/index.js';

const enabled = hasAwsCredentials() && process.env['QBRIDGE_LIVE_BRAKET'] === '1';

describe.skipIf(!enabled)('Amazon Braket (live)', () => {
  it('lists devices', { timeout: 60_000 }, async () => {
    const devices = await listBraketDevices();
    expect(devices.some((d) => d.name.endsWith('/sv1'))).toBe(true);
  });

  it('runs an asymmetric state and two bindings on SV1 in one task, bit 0 rightmost', { timeout: 600_000 }, async () => {
    const b = await braketBackendFor('sv1');
    const c = new CircuitBuilder(3).x(0).ry('t', 2).measureAll().build();
    const job = await b.submit({ runs: [{ circuit: c, bindings: [{ t: 0 }, { t: Math.PI }] }], shots: 100 });
    const res = await job.wait({ pollMs: 2000, timeoutMs: 540_000 });
    expect(res.results[0]![0]!.counts).toEqual({ '001': 100 });
    expect(res.results[0]![1]!.counts).toEqual({ '101': 100 });
  });
});
