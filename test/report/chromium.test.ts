import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../cli/renderReport.js';
import { reportCharts } from '../../src/index.js';
import { findChromium, launchChromium, type Browser } from './cdp.js';
import { checkReportPage, screenshot } from './pageCheck.js';
import { syntheticReport } from './synthetic.js';

/**
 * report.html in a real browser: headless Chromium (Debian's `chromium`, installed by
 * .ci/install-chromium) loads the page over DevTools; every chart must have drawn its marks, and
 * the page must log no error and request nothing (it is self-contained). Two tampered copies prove
 * the checks can fail.
 */
const chromium = findChromium();
if (!chromium) {
  console.warn(
    "SKIPPED test/report/chromium.test.ts: no Chromium found (set CHROMIUM, or run .ci/install-chromium as root to install Debian's chromium)",
  );
}

describe.skipIf(!chromium)('report.html in headless Chromium', () => {
  const report = syntheticReport();
  const dir = mkdtempSync(join(tmpdir(), 'qbridge-report-'));
  let browser: Browser;
  let html: string;

  beforeAll(async () => {
    const written = await writeReport(report, dir);
    html = written.html;
    browser = await launchChromium(chromium as string);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('draws every chart, with the marks the data calls for, and logs no error', async () => {
    const page = await browser.newPage();
    const v = await checkReportPage(page, pathToFileURL(html).href);
    const expected = reportCharts(report).map((c) => c.id);
    expect(v.charts.map((c) => c.id)).toEqual(expected);
    expect(expected).toHaveLength(5);
    for (const c of v.charts) {
      expect(c.markGroups, c.id).toBeGreaterThan(0);
      expect(c.items, c.id).toBeGreaterThan(0);
      expect(c.width * c.height, c.id).toBeGreaterThan(100 * 100);
    }
    const byId = new Map(v.charts.map((c) => [c.id, c]));
    // One dot per expectation value, one circle per qubit and one line per coupler.
    expect(byId.get('expectations')?.byType['mark-symbol']).toBe(report.points.length);
    const device = report.devices[0];
    const coupling = byId.get('coupling-local-noisy-ibm-heron');
    expect(coupling?.byType['mark-symbol']).toBe(device.numQubits);
    expect(coupling?.byType['mark-rule']).toBe(device.edges.length);
    // One bar per pair with an accuracy; the training chart draws a line per split per panel.
    expect(byId.get('accuracy')?.byType['mark-rect']).toBe(report.pairs.length);
    expect(byId.get('training')?.byType['mark-line']).toBe(4);
    expect(v.tableRows).toBe(report.pairs.length);
    expect(v.consoleErrors).toEqual([]);
    expect(v.requests).toEqual([]);
    const png = await screenshot(page);
    writeFileSync(join(dir, 'screenshot.png'), png);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(50_000);
    page.close();
  }, 60_000);

  it('notices a console error (an inline script the page policy blocks)', async () => {
    const bad = join(dir, 'tampered-script.html');
    writeFileSync(bad, readFileSync(html, 'utf8').replace('</body>', '<script>console.error("boom")</script></body>'));
    const page = await browser.newPage();
    const v = await checkReportPage(page, pathToFileURL(bad).href);
    page.close();
    expect(v.consoleErrors.length).toBeGreaterThan(0);
    expect(v.consoleErrors.join('\n')).toMatch(/Content Security Policy/i);
  }, 60_000);

  it('notices a chart that drew nothing', async () => {
    const bad = join(dir, 'tampered-empty.html');
    const text = readFileSync(html, 'utf8');
    // Empty every data-mark group of the first chart.
    const start = text.indexOf('<figure class="chart"');
    const end = text.indexOf('</figure>', start);
    const emptied = text.slice(start, end).replace(/(<g class="mark-[a-z]+ role-mark[^>]*>)[\s\S]*?(<\/g>)/g, '$1$2');
    writeFileSync(bad, text.slice(0, start) + emptied + text.slice(end));
    const page = await browser.newPage();
    const v = await checkReportPage(page, pathToFileURL(bad).href);
    page.close();
    expect(v.charts[0].items).toBe(0);
    expect(v.charts.slice(1).every((c) => c.items > 0)).toBe(true);
  }, 60_000);
});
