import { Option, type Command } from 'commander';
import { isQError } from '../src/index.js';
import { listDevices, PROVIDERS, type DeviceInfo, type ProviderName } from '../backends/registry.js';
import { printJson } from './output.js';

/** `qbridge backends [--provider P]`: devices, status and queue per provider; providers without credentials are listed as skipped. */
export function registerBackends(program: Command): void {
  program
    .command('backends')
    .description('list the devices of each provider (status, qubits, queue where the API gives it)')
    .addOption(new Option('--provider <name>', 'only this provider').choices([...PROVIDERS]))
    .option('--json', 'machine-readable output')
    .action(async (o: { provider?: ProviderName; json?: boolean }) => {
      const providers = o.provider ? [o.provider] : [...PROVIDERS];
      const devices: DeviceInfo[] = [];
      const skipped: { provider: string; reason: string }[] = [];
      for (const p of providers) {
        try {
          devices.push(...(await listDevices(p)));
        } catch (e) {
          // One provider without credentials must not hide the others; an explicit --provider fails loudly.
          if (o.provider) throw e;
          skipped.push({ provider: p, reason: isQError(e) ? e.message : String(e) });
        }
      }
      if (o.json) {
        printJson({ devices, skipped });
        return;
      }
      const rows = devices.map((d) => [
        d.provider,
        d.name,
        String(d.numQubits),
        d.status,
        d.queue === undefined ? '-' : String(d.queue),
        d.simulator ? 'simulator' : 'QPU',
      ]);
      const head = ['provider', 'device', 'qubits', 'status', 'queue', 'kind'];
      const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      const line = (r: string[]): string =>
        r
          .map((c, i) => c.padEnd(w[i]!))
          .join('  ')
          .trimEnd();
      process.stdout.write(`${[line(head), ...rows.map(line)].join('\n')}\n`);
      for (const s of skipped) process.stdout.write(`skipped ${s.provider}: ${s.reason}\n`);
    });
}
