import type { CdpSession } from './cdp.js';

/** What a loaded report page showed: per chart, its drawn marks; plus console errors and network requests. */
export interface PageVerdict {
  readonly charts: readonly {
    readonly id: string;
    /** Data-mark groups (vega's `g.role-mark`) and the drawn items in them with a non-empty box, by mark type. */
    readonly markGroups: number;
    readonly items: number;
    readonly byType: Readonly<Record<string, number>>;
    readonly width: number;
    readonly height: number;
  }[];
  readonly tables: number;
  readonly tableRows: number;
  readonly consoleErrors: readonly string[];
  /** Requests for anything but the page itself (a self-contained page makes none). */
  readonly requests: readonly string[];
}

// Runs inside the page: every figure's SVG, its data-mark groups, and the items in them that have a
// non-empty bounding box (what the browser actually laid out, not just what the markup contains).
const INSPECT = `(() => {
  const charts = [...document.querySelectorAll('figure.chart')].map((f) => {
    const svg = f.querySelector('svg');
    const out = { id: f.dataset.chart, markGroups: 0, items: 0, byType: {}, width: 0, height: 0 };
    if (!svg) return out;
    const r = svg.getBoundingClientRect();
    out.width = r.width;
    out.height = r.height;
    for (const g of svg.querySelectorAll('g.role-mark')) {
      out.markGroups++;
      const type = (g.getAttribute('class') || '').split(/\\s+/).find((c) => c.startsWith('mark-')) || 'mark-?';
      for (const c of g.children) {
        const b = typeof c.getBBox === 'function' ? c.getBBox() : null;
        if (b && (b.width > 0 || b.height > 0)) {
          out.items++;
          out.byType[type] = (out.byType[type] || 0) + 1;
        }
      }
    }
    return out;
  });
  return JSON.stringify({ charts, tables: document.querySelectorAll('table').length, tableRows: document.querySelectorAll('table#pairs tbody tr').length });
})()`;

/** Loads `url` in the session's page and inspects it once the load event has fired. */
export async function checkReportPage(session: CdpSession, url: string): Promise<PageVerdict> {
  await session.send('Runtime.enable');
  await session.send('Log.enable');
  await session.send('Network.enable');
  await session.send('Page.enable');
  const start = session.events.length;
  const loaded = session.waitFor('Page.loadEventFired');
  await session.send('Page.navigate', { url });
  await loaded;
  // Let late console messages (CSP reports are asynchronous) arrive.
  await new Promise((r) => setTimeout(r, 300));
  const res = (await session.send('Runtime.evaluate', { expression: INSPECT, returnByValue: true })) as { result: { value: string } };
  const page = JSON.parse(res.result.value) as Pick<PageVerdict, 'charts' | 'tables' | 'tableRows'>;
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  for (const e of session.events.slice(start)) {
    const p = e.params as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (e.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert'))
      consoleErrors.push(
        `console.${p.type}: ${(p.args ?? []).map((a: { value?: unknown; description?: string }) => String(a.value ?? a.description)).join(' ')}`,
      );
    if (e.method === 'Runtime.exceptionThrown')
      consoleErrors.push(`exception: ${p.exceptionDetails?.exception?.description ?? p.exceptionDetails?.text}`);
    if (e.method === 'Log.entryAdded' && p.entry?.level === 'error') consoleErrors.push(`${p.entry.source}: ${p.entry.text}`);
    if (e.method === 'Network.requestWillBeSent' && p.request?.url !== url) requests.push(String(p.request?.url));
  }
  return { ...page, consoleErrors, requests };
}

/** A full-page PNG of what the session shows, at `width` CSS pixels. */
export async function screenshot(session: CdpSession, width = 1280): Promise<Buffer> {
  const m = (await session.send('Page.getLayoutMetrics')) as { cssContentSize: { height: number } };
  const height = Math.ceil(m.cssContentSize.height);
  await session.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
  const r = (await session.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true })) as { data: string };
  return Buffer.from(r.data, 'base64');
}
