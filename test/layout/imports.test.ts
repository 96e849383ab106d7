import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

function files(dir: string): string[] {
  const out: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const re = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  const out: string[] = [];
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('.')) out.push(relative(ROOT, resolve(dirname(file), spec)));
  }
  return out;
}

describe('one-way imports (DESIGN.md)', () => {
  it('src/ imports neither qasm/, backends/ nor cli/', () => {
    for (const f of files(join(ROOT, 'src'))) {
      for (const target of imports(f)) {
        expect(
          target.startsWith('qasm') || target.startsWith('backends') || target.startsWith('cli'),
          `${relative(ROOT, f)} imports ${target}`,
        ).toBe(false);
      }
    }
  });

  it('qasm/ and backends/ reach the core only through src/index.ts (and qasm/index.ts)', () => {
    for (const dir of ['qasm', 'backends']) {
      for (const f of files(join(ROOT, dir))) {
        for (const target of imports(f)) {
          if (target.startsWith(dir)) continue;
          const allowed = target === 'src/index.js' || target === 'qasm/index.js';
          expect(allowed, `${relative(ROOT, f)} imports ${target}`).toBe(true);
        }
      }
    }
  });
});
