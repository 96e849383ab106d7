#!/usr/bin/env node
// Launcher: runs the compiled CLI (built by `npm install` through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('qbridge: the CLI is not built yet; run `npm install` (or `npm run build`) in the qbridge folder\n');
  process.exit(1);
}
const { runCli } = await import(main);
process.exitCode = await runCli(process.argv);
