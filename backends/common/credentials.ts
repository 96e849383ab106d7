import { config as dotenvConfig } from 'dotenv';
import { QError, registerSecret } from '../../src/index.js';

/**
 * Credentials come from the environment or a `.env` file in the working directory (dotenv; real
 * environment variables win). Every value read here is registered with the secret redactor before
 * anything else can see it, so it cannot reach a log line, an error or a journal file.
 */
let loaded = false;

/** Loads `.env` once (quietly; a missing file is fine). */
export function loadEnv(): void {
  if (loaded) return;
  loaded = true;
  dotenvConfig({ quiet: true });
}

/** The named credential, registered as a secret, or undefined when unset or empty. */
export function credential(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env === process.env) loadEnv();
  const v = env[name]?.trim();
  if (v === undefined || v === '') return undefined;
  registerSecret(v);
  return v;
}

/** The named credential or an AUTH error that names the variable (never its value). */
export function requireCredential(name: string, provider: string, env: NodeJS.ProcessEnv = process.env): string {
  const v = credential(name, env);
  if (v === undefined) {
    throw new QError('AUTH', `${provider}: no credential: set ${name} in the environment or in .env`, { details: { variable: name } });
  }
  return v;
}

/** A base URL from `name` (for emulators and regional endpoints) or the documented default. */
export function baseUrl(name: string, fallback: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env === process.env) loadEnv();
  const v = env[name]?.trim();
  return v !== undefined && v !== '' ? v.replace(/\/+$/, '') : fallback;
}
