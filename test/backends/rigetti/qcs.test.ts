/**
 * Rigetti: QCS REST metadata (refresh-token grant against the Okta issuer, processors, ISA -> Target)
 * against nock, and execution resolving to the Braket Rigetti device.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QCS_CLIENT_ID, QcsClient, rigettiBackendFor, rigettiDeviceArn } from '../../../backends/rigetti/index.js';
import { RIGETTI_ANKAA_CAPABILITIES, clearSecrets, redact } from '../../../src/index.js';

const API = 'https://api.qcs.rigetti.com';
const ISSUER = 'https://auth.qcs.rigetti.com/oauth2/aus8jcovzG0gW2TUG355';
const ISA = JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/devices/rigetti-ankaa-isa.json'), 'utf8')) as Record<
  string,
  unknown
>;
const REFRESH = 'refresh-token-0123456789';

function qcs(): QcsClient {
  return new QcsClient({ refreshToken: REFRESH, minDelayMs: 1, maxDelayMs: 5 });
}

/** The OpenID discovery document and a token endpoint that checks the form grant. */
function auth(tokens: string[], forms: URLSearchParams[]): void {
  nock(ISSUER)
    .get('/.well-known/openid-configuration')
    .reply(200, { issuer: ISSUER, token_endpoint: `${ISSUER}/v1/token` });
  const scope = nock(ISSUER);
  for (const t of tokens)
    scope
      .post('/v1/token', (body: string | Record<string, string>) => {
        forms.push(new URLSearchParams(typeof body === 'string' ? body : (body as Record<string, string>)));
        return true;
      })
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .reply(200, { access_token: t, token_type: 'Bearer', expires_in: 3600, scope: 'offline_access' });
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => {
  nock.cleanAll();
  clearSecrets();
});
afterAll(() => nock.enableNetConnect());

describe('Rigetti QCS (nock)', () => {
  it('refreshes a bearer token with the refresh-token grant and lists processors across pages', async () => {
    const forms: URLSearchParams[] = [];
    auth(['jwt-access-1'], forms);
    nock(API, { reqheaders: { authorization: 'Bearer jwt-access-1' } })
      .get('/v1/quantumProcessors')
      .query({ pageSize: '100' })
      .reply(200, { quantumProcessors: [{ id: 'Ankaa-3' }], nextPageToken: 'p2' })
      .get('/v1/quantumProcessors')
      .query({ pageSize: '100', pageToken: 'p2' })
      .reply(200, { quantumProcessors: [{ id: 'Cepheus-1-108Q' }], nextPageToken: '' });
    const list = await qcs().listQuantumProcessors();
    expect(list.map((p) => p.id)).toEqual(['Ankaa-3', 'Cepheus-1-108Q']);
    expect(forms).toHaveLength(1);
    expect(Object.fromEntries(forms[0])).toEqual({ grant_type: 'refresh_token', client_id: QCS_CLIENT_ID, refresh_token: REFRESH });
    // Tokens are secrets: redacted wherever they would be printed.
    expect(redact(`token jwt-access-1 and ${REFRESH}`)).not.toMatch(/jwt-access-1|refresh-token-0123/);
  });

  it('reads an ISA and builds the Target with targetFromQcsIsa', async () => {
    auth(['jwt-a'], []);
    nock(API).get('/v1/quantumProcessors/Ankaa-3/instructionSetArchitecture').reply(200, ISA);
    const t = await qcs().target('Ankaa-3');
    expect(t.numQubits).toBe(83);
    expect([...t.instructions.keys()].sort()).toEqual(expect.arrayContaining(['iswap', 'rx', 'rz']));
  });

  it('a 401 (token revoked) refreshes once and repeats; a second 401 is an AUTH error', async () => {
    const forms: URLSearchParams[] = [];
    auth(['jwt-old', 'jwt-new'], forms);
    nock(API)
      .get('/v1/quantumProcessors/Ankaa-3/instructionSetArchitecture')
      .matchHeader('authorization', 'Bearer jwt-old')
      .reply(401, { code: 'unauthorized', message: 'token expired', requestId: 'r1' })
      .get('/v1/quantumProcessors/Ankaa-3/instructionSetArchitecture')
      .matchHeader('authorization', 'Bearer jwt-new')
      .reply(200, ISA);
    await expect(qcs().instructionSetArchitecture('Ankaa-3')).resolves.toMatchObject({ name: ISA['name'] });
    expect(forms).toHaveLength(2);
  });

  it('maps errors: a refused refresh token is AUTH; 403/404/429/5xx as the shared client does', async () => {
    nock(ISSUER).get('/.well-known/openid-configuration').reply(404, {});
    nock(ISSUER).post('/v1/token').reply(400, { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' });
    // No discovery document: the Okta default token endpoint; its 400 invalid_grant is an AUTH error.
    await expect(qcs().accessToken()).rejects.toMatchObject({ code: 'AUTH', message: expect.stringContaining('invalid_grant') });
    auth(['jwt-b'], []);
    const c = qcs();
    nock(API)
      .get('/v1/quantumProcessors/X/instructionSetArchitecture')
      .reply(403, { code: 'forbidden', message: 'no access', requestId: 'r2' });
    await expect(c.instructionSetArchitecture('X')).rejects.toMatchObject({
      code: 'AUTH',
      message: expect.stringContaining('forbidden: no access (request r2)'),
    });
    nock(API).get('/v1/quantumProcessors/Y/instructionSetArchitecture').reply(404, { code: 'not_found', message: 'no such processor' });
    await expect(c.instructionSetArchitecture('Y')).rejects.toMatchObject({ code: 'PROVIDER', details: { status: 404 } });
    nock(API)
      .get('/v1/quantumProcessors/Z/instructionSetArchitecture')
      .reply(429, { message: 'slow down' }, { 'Retry-After': '0' })
      .get('/v1/quantumProcessors/Z/instructionSetArchitecture')
      .reply(503, { message: 'busy' })
      .get('/v1/quantumProcessors/Z/instructionSetArchitecture')
      .reply(200, ISA);
    await expect(c.instructionSetArchitecture('Z')).resolves.toMatchObject({ name: ISA['name'] });
  });

  it('without QBRIDGE_RIGETTI_REFRESH_TOKEN says which variable to set', async () => {
    const saved = process.env['QBRIDGE_RIGETTI_REFRESH_TOKEN'];
    delete process.env['QBRIDGE_RIGETTI_REFRESH_TOKEN'];
    try {
      await expect(new QcsClient().accessToken()).rejects.toMatchObject({
        code: 'AUTH',
        message: expect.stringContaining('QBRIDGE_RIGETTI_REFRESH_TOKEN'),
      });
    } finally {
      if (saved !== undefined) process.env['QBRIDGE_RIGETTI_REFRESH_TOKEN'] = saved;
    }
  });
});

describe('Rigetti execution through Braket', () => {
  it('rigetti:NAME is the Braket device in us-west-1, with its Target from GetDevice', async () => {
    expect(rigettiDeviceArn('Cepheus-1-108Q')).toBe('arn:aws:braket:us-west-1::device/qpu/rigetti/Cepheus-1-108Q');
    expect(() => rigettiDeviceArn('arn:aws:braket:eu-north-1::device/qpu/iqm/Garnet')).toThrow(/not a Rigetti device/);
    const arn = rigettiDeviceArn('Cepheus-1-108Q');
    nock('https://braket.us-west-1.amazonaws.com')
      .get(`/device/${encodeURIComponent(arn)}`)
      .matchHeader('authorization', /\/us-west-1\/braket\/aws4_request/)
      .reply(200, {
        deviceArn: arn,
        deviceName: 'Cepheus-1-108Q',
        providerName: 'Rigetti',
        deviceType: 'QPU',
        deviceStatus: 'ONLINE',
        deviceCapabilities: JSON.stringify({ service: { shotsRange: [1, 100000] }, action: {}, ...RIGETTI_ANKAA_CAPABILITIES }),
      });
    const b = await rigettiBackendFor('Cepheus-1-108Q', {
      clientOptions: { credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' }, region: 'us-east-1' },
    });
    expect(b.deviceArn).toBe(arn);
    expect([...(b.target?.instructions.keys() ?? [])].sort()).toEqual(['iswap', 'rx', 'rz']);
  });
});
