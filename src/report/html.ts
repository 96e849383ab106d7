import { pairLabel, type CompareReport } from './compareReport.js';
import { COMPARE_COLUMNS, compareRow, mitigationSummaryLines } from './table.js';

/**
 * `report.html`: one self-contained page (inline SVG charts, inline CSS, no scripts, no network),
 * so it opens from a mail attachment or a CI artefact exactly as it was written.
 */

export interface RenderedChart {
  readonly id: string;
  readonly title: string;
  /** The chart as an SVG document (what vega's `toSVG` returns). */
  readonly svg: string;
  /** Relative path of the PNG next to the page, linked under the chart when given. */
  readonly png?: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * Makes an SVG safe to inline next to others: ids (vega's clip paths and legend gradients are
 * numbered from 1 in every chart) get a per-chart prefix, else one chart would clip or fill with
 * another's definitions; the XML declaration goes; anything scriptable is refused.
 */
export function inlineSvg(svg: string, prefix: string): string {
  let s = svg.replace(/^\s*<\?xml[^>]*>\s*/, '');
  if (/<script|\son\w+\s*=|javascript:/i.test(s))
    throw new Error(`chart '${prefix}': refusing to inline an SVG with scripts or event handlers`);
  const ids = new Set<string>();
  for (const m of s.matchAll(/\sid="([^"]+)"/g)) ids.add(m[1]);
  if (ids.size) {
    s = s.replace(/(\sid=")([^"]+)(")/g, (_m, a: string, id: string, b: string) => `${a}${prefix}-${id}${b}`);
    s = s.replace(/url\(#([^)]+)\)/g, (m, id: string) => (ids.has(id) ? `url(#${prefix}-${id})` : m));
    s = s.replace(/((?:xlink:)?href=")#([^"]+)(")/g, (m, a: string, id: string, b: string) =>
      ids.has(id) ? `${a}#${prefix}-${id}${b}` : m,
    );
  }
  return s;
}

const CSS = `
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; margin: 24px auto; max-width: 1200px; color: #222; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 17px; margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.meta, .note { color: #555; font-size: 13px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e4e4e4; white-space: nowrap; }
th { background: #f4f4f4; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 16px 0 28px; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 12px; color: #555; }
ul { font-size: 13px; }
`;

/** The page: title, settings, the table (same columns as the terminal), skipped pairs, mitigation summary, charts. */
export function reportHtml(report: CompareReport, charts: readonly RenderedChart[]): string {
  const e = escapeHtml;
  const src = report.source;
  const what =
    src.kind === 'model'
      ? `model ${src.model ? `${src.model} ` : ''}from ${src.path}`
      : `${src.path} with observables ${src.observables.join('; ')}`;
  const s = report.settings;
  const head = COMPARE_COLUMNS.map((c) => `<th${c.align === 'right' ? ' class="num"' : ''}>${e(c.header)}</th>`).join('');
  const rows = report.pairs
    .map(
      (p) =>
        `<tr>${compareRow(p)
          .map((cell, i) => `<td${COMPARE_COLUMNS[i].align === 'right' ? ' class="num"' : ''}>${e(cell)}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  const skipped = report.skipped.length
    ? `<h2>Skipped pairs</h2>\n<ul id="skipped">${report.skipped.map((k) => `<li>${e(pairLabel(k))}: ${e(k.reason)}</li>`).join('')}</ul>`
    : '';
  const gains = mitigationSummaryLines(report);
  const gainHtml = gains.length ? `<h2>Mitigation</h2>\n<ul id="mitigation">${gains.map((l) => `<li>${e(l)}</li>`).join('')}</ul>` : '';
  const figures = charts
    .map(
      (c) =>
        `<figure class="chart" id="chart-${e(c.id)}" data-chart="${e(c.id)}">\n${inlineSvg(c.svg, `c-${c.id}`)}\n<figcaption>${e(c.title)}${
          c.png ? ` · <a href="${e(c.png)}">PNG</a>` : ''
        }</figcaption>\n</figure>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>qbridge compare: ${e(what)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>qbridge compare</h1>
<p class="meta">${e(what)} · ${s.samples} samples · ${s.shots} shots per circuit · seed ${s.seed} · ${e(report.createdAt)}</p>
<table id="pairs">
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="note">|Δ|: absolute deviation of measured from ideal expectation values; TVD: total variation distance of the output distribution from the ideal one (raw counts, before mitigation).</p>
${skipped}
${gainHtml}
<h2>Charts</h2>
${figures}
</body>
</html>
`;
}
