/**
 * The secret registry. Credentials are registered the moment they are read (from the environment or
 * `.env`), and every text that leaves qbridge — error messages, log lines, HTTP traces, journal files,
 * reports — passes through `redact`, so a key cannot leak even through a provider that echoes it back
 * in an error body. Values shorter than 6 characters are not registered: replacing them would mangle
 * ordinary text and they are not real credentials.
 */
const secrets = new Set<string>();
const MIN_SECRET_LENGTH = 6;
export const REDACTED = '[REDACTED]';

/** Remembers a credential (and its URL-encoded form) so `redact` hides it everywhere. */
export function registerSecret(value: string | undefined): void {
  if (value === undefined) return;
  const v = value.trim();
  if (v.length < MIN_SECRET_LENGTH) return;
  secrets.add(v);
  const encoded = encodeURIComponent(v);
  if (encoded !== v) secrets.add(encoded);
}

/** Forgets every registered secret (tests). */
export function clearSecrets(): void {
  secrets.clear();
}

/** Header names whose values are credentials whatever they contain. */
const SECRET_HEADERS = /^(authorization|x-amz-security-token|x-api-key|apikey|cookie|set-cookie)$/i;
/** `Bearer xxx`, `apiKey xxx`, AWS signature fields, token fields: hidden even when never registered. */
const SECRET_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/\b(Bearer|apiKey|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g, `$1 ${REDACTED}`],
  [/\b(Signature|Credential)=[A-Za-z0-9/_+=-]{6,}/g, `$1=${REDACTED}`],
  [
    /("(?:apikey|api_key|apiKey|refresh_token|refreshToken|access_token|accessToken|token|password|secretAccessKey)"\s*:\s*")[^"]+"/g,
    `$1${REDACTED}"`,
  ],
  [/\b(apikey|refresh_token|access_token|client_secret)=[^&\s"]+/g, `$1=${REDACTED}`],
];

/** Replaces every registered secret and every credential-looking field in `text`. */
export function redact(text: string): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (out.includes(s)) out = out.split(s).join(REDACTED);
  }
  for (const [re, replacement] of SECRET_PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** A deep copy of plain data with secret-named headers/fields blanked and every string redacted. */
export function redactData<T>(value: T): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key !== undefined && SECRET_HEADERS.test(key) ? REDACTED : redact(v);
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, k);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
