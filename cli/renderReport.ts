import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile as compileVegaLite, type TopLevelSpec } from 'vega-lite';
import {
  atomicWriteFileSync,
  compareTable,
  QError,
  reportCharts,
  reportHtml,
  type ChartSpec,
  type CompareReport,
  type RenderedChart,
  type VegaLiteSpec,
} from '../src/index.js';

/**
 * Rendering lives here, not in src/: it is the only code that needs vega, vega-lite and resvg.
 * Vega-Lite -> Vega -> SVG with the headless renderer ('none': no canvas, no DOM), then SVG -> PNG
 * with resvg, whose text comes from the system's fonts.
 */

/** An SVG document of a Vega-Lite chart. A spec vega rejects is a runtime error naming the chart. */
export async function renderSvg(spec: VegaLiteSpec, name = 'chart'): Promise<string> {
  try {
    const { spec: vg } = compileVegaLite(spec as unknown as TopLevelSpec);
    // No loader access: a report's data is inline; this keeps rendering offline even for a spec that asks for a URL.
    const loader = vega.loader();
    loader.load = () => Promise.reject(new Error('charts render offline: external data is not allowed'));
    const view = new vega.View(vega.parse(vg), { renderer: 'none', loader, logLevel: vega.Warn });
    const svg = await view.toSVG();
    view.finalize();
    return svg;
  } catch (e) {
    throw new QError('VALIDATION', `cannot render chart '${name}': ${(e as Error).message}`, { cause: e });
  }
}

/** A PNG of an SVG at `width` pixels (height follows the aspect ratio). */
export function svgToPng(svg: string, width = 1000): Buffer {
  const r = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'width', value: width },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}

export interface RenderedReport {
  readonly charts: readonly (RenderedChart & { readonly spec: ChartSpec['spec'] })[];
  readonly html: string;
  readonly table: string;
}

/** Renders every chart the report has data for, the HTML page and the terminal table (nothing written). */
export async function renderReport(report: CompareReport, options: { pngDir?: string } = {}): Promise<RenderedReport> {
  const charts: (RenderedChart & { spec: VegaLiteSpec })[] = [];
  for (const c of reportCharts(report)) {
    const svg = await renderSvg(c.spec, c.id);
    charts.push({
      id: c.id,
      title: c.title,
      svg,
      spec: c.spec,
      png: options.pngDir === undefined ? undefined : `${options.pngDir}/${c.id}.png`,
    });
  }
  return { charts, html: reportHtml(report, charts), table: compareTable(report) };
}

export interface WrittenReport {
  readonly dir: string;
  readonly json: string;
  readonly html: string;
  readonly table: string;
  readonly pngs: readonly string[];
  readonly tableText: string;
}

/** Writes compare.json, report.html, compare.txt (the table) and charts/<id>.png into `dir`. */
export async function writeReport(report: CompareReport, dir: string): Promise<WrittenReport> {
  mkdirSync(join(dir, 'charts'), { recursive: true });
  const rendered = await renderReport(report, { pngDir: 'charts' });
  const pngs: string[] = [];
  for (const c of rendered.charts) {
    const p = join(dir, 'charts', `${c.id}.png`);
    writeFileSync(p, svgToPng(c.svg));
    pngs.push(p);
  }
  const json = join(dir, 'compare.json');
  const html = join(dir, 'report.html');
  const table = join(dir, 'compare.txt');
  atomicWriteFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  atomicWriteFileSync(html, rendered.html);
  atomicWriteFileSync(table, `${rendered.table}\n`);
  return { dir, json, html, table, pngs, tableText: rendered.table };
}
