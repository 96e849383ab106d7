import { describe, expect, it } from 'vitest';
import { renderReport, renderSvg, svgToPng } from '../../cli/renderReport.js';
import { escapeHtml, inlineSvg, reportCharts, reportHtml } from '../../src/index.js';
import { syntheticReport } from './synthetic.js';

/** Titles, axis titles and legends as vega writes them into the SVG (aria labels and text). */
describe('charts', () => {
  const report = syntheticReport();
  const charts = reportCharts(report);

  it('builds one chart per kind of data, and leaves out what has no data', () => {
    expect(charts.map((c) => c.id)).toEqual(['expectations', 'accuracy', 'deviations', 'coupling-local-noisy-ibm-heron', 'training']);
    const qasmOnly = { ...report, pairs: report.pairs.map((p) => ({ ...p, accuracy: null })), devices: [], training: undefined };
    expect(reportCharts(qasmOnly).map((c) => c.id)).toEqual(['expectations', 'deviations']);
  });

  it('renders every chart to an SVG with a title, axis titles and a legend, and to a PNG', async () => {
    const expectText: Record<string, string[]> = {
      expectations: [
        'Expectation values: ideal vs measured',
        'ideal expectation value',
        'measured expectation value',
        'backend / mitigation',
        'y = x (ideal)',
      ],
      accuracy: ['Test accuracy by backend and mitigation', 'test accuracy', 'mitigation'],
      deviations: [
        'Absolute deviation from the ideal expectation values',
        '|measured − ideal|',
        'expectation values',
        'backend / mitigation',
      ],
      'coupling-local-noisy-ibm-heron': ['Coupling map of ibm_heron', '2-qubit gate error', 'chosen layout', 'lattice position'],
      training: ['Training curves', 'epoch', 'loss', 'accuracy', 'validation'],
    };
    for (const c of charts) {
      const svg = await renderSvg(c.spec, c.id);
      expect(svg.startsWith('<svg'), c.id).toBe(true);
      expect(svg, c.id).toMatch(/role-legend/);
      expect(svg, c.id).toMatch(/role-axis-title/);
      for (const t of expectText[c.id]) expect(svg, `${c.id}: ${t}`).toContain(escapeHtml(t).replace(/&#39;/g, "'"));
      const png = svgToPng(svg, 400);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(400);
    }
  });

  it('a chart vega cannot render is a clear error naming it', async () => {
    await expect(renderSvg({ $schema: 'x', mark: 'nonsense' }, 'broken')).rejects.toThrow(/cannot render chart 'broken'/);
  });
});

describe('report.html', () => {
  it('is self-contained: inline SVGs with per-chart ids, the table, no script, no external reference', async () => {
    const report = syntheticReport();
    const { html, charts } = await renderReport(report, { pngDir: 'charts' });
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//i);
    expect((html.match(/<svg/g) ?? []).length).toBe(charts.length);
    // vega numbers clip paths and gradients from 1 in each chart; inlined, every id must be unique.
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(m[1]);
    expect((html.match(/<tr>/g) ?? []).length).toBe(report.pairs.length + 1);
    expect(html).toContain('no credentials: set QBRIDGE_IBM_API_KEY and QBRIDGE_IBM_CRN');
    expect(html).toContain('href="charts/expectations.png"');
  });

  it('escapes text from the report and refuses SVGs that carry script', () => {
    const r = syntheticReport();
    const html = reportHtml({ ...r, source: { kind: 'qasm', path: '<img src=x onerror=alert(1)>.qasm', observables: ['Z0'] } }, []);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;.qasm');
    expect(() => inlineSvg('<svg><script>alert(1)</script></svg>', 'c')).toThrow(/refusing/);
    expect(() => inlineSvg('<svg><rect onload="x()"/></svg>', 'c')).toThrow(/refusing/);
  });
});
