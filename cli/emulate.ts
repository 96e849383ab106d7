import { InvalidArgumentError, Option, type Command } from 'commander';
import { startEmulator, EMULATED_PROVIDERS } from '../backends/registry.js';
import { printJson } from './output.js';

/**
 * `qbridge emulate --provider ibm|ionq|braket`: serves that provider's REST subset on 127.0.0.1,
 * backed by the local (noisy) simulator. The base URL is the first line of stdout, so scripts can
 * read it; the environment variables that point qbridge's adapters at it follow.
 */
export function registerEmulate(program: Command): void {
  program
    .command('emulate')
    .description("serve a provider's REST API on 127.0.0.1, backed by the local simulator (for tests and dry runs)")
    .addOption(new Option('--provider <name>', 'provider to emulate').choices([...EMULATED_PROVIDERS]).makeOptionMandatory())
    .option(
      '--port <n>',
      'port (default: a free one)',
      (v: string) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('--port must be an integer from 0 to 65535');
        return n;
      },
      0,
    )
    .option('--noise-from <device>', 'simulate QPU devices with the noise of this calibration snapshot')
    .option(
      '--faults <spec>',
      'inject faults: KIND[=ARG][xCOUNT][@ROUTE],... (429, 500, 502, 503, reset, slow, malformed, fail, cancel, ...)',
    )
    .option('--json', 'print {url, env} as JSON on the first line')
    .action(async (o: { provider: string; port: number; noiseFrom?: string; faults?: string; json?: boolean }) => {
      const em = await startEmulator(o.provider, { port: o.port, noiseFrom: o.noiseFrom, faults: o.faults });
      if (o.json) printJson({ url: em.url, env: em.env });
      else {
        process.stdout.write(`${em.url}\n`);
        for (const [k, v] of Object.entries(em.env)) process.stdout.write(`export ${k}=${v}\n`);
        process.stderr.write(`${o.provider} emulator listening; Ctrl-C to stop\n`);
      }
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          void em.close().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
