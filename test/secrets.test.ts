import { afterEach, describe, expect, it } from 'vitest';
import { QError, REDACTED, clearSecrets, redact, redactData, registerSecret } from '../src/index.js';

afterEach(() => clearSecrets());

describe('secret redaction', () => {
  it('hides registered values (and their URL-encoded form) everywhere in a text', () => {
    registerSecret('abc/def+ghi=123');
    const t = redact('key=abc/def+ghi=123 and url ?k=abc%2Fdef%2Bghi%3D123');
    expect(t).not.toContain('abc/def+ghi=123');
    expect(t).not.toContain('abc%2Fdef%2Bghi%3D123');
    expect(t).toContain(REDACTED);
  });

  it('hides credential-shaped fields even when never registered', () => {
    const t = redact('Authorization: Bearer eyJhbGciOi.xyz and apiKey 0123456789abcdef; {"refresh_token":"r-1234567"} apikey=zzzzzzzz');
    expect(t).not.toMatch(/eyJhbGciOi|0123456789abcdef|r-1234567|zzzzzzzz/);
  });

  it('redacts QError messages at construction and header values in data', () => {
    registerSecret('sk-live-000111');
    expect(new QError('AUTH', 'bad key sk-live-000111').message).toBe(`bad key ${REDACTED}`);
    expect(redactData({ headers: { Authorization: 'anything', Accept: 'json' }, body: 'sk-live-000111' })).toEqual({
      headers: { Authorization: REDACTED, Accept: 'json' },
      body: REDACTED,
    });
  });

  it('leaves short values and ordinary text alone', () => {
    registerSecret('abc');
    expect(redact('abc is fine')).toBe('abc is fine');
  });
});
