import type { CompareReport, PairResult } from './compareReport.js';

/** Plain-text tables (no colour codes, so they survive pipes, logs and CI output). */

export type Align = 'left' | 'right';

export interface Column {
  readonly header: string;
  readonly align?: Align;
}

/** Aligned columns separated by two spaces, a dashed rule under the header; widths count code points. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const width = (s: string) => [...s].length;
  const widths = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => width(r[i] ?? ''))));
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat(widths[i] - width(s));
    return columns[i].align === 'right' ? fill + s : s + fill;
  };
  const line = (cells: readonly string[]) =>
    columns
      .map((_, i) => pad(cells[i] ?? '', i))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const fixed = (v: number | null, digits: number) => (v === null ? '—' : v.toFixed(digits));
const percent = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);

/** The table's columns, shared by the terminal and the HTML page so both say the same. */
export const COMPARE_COLUMNS: readonly Column[] = [
  { header: 'backend' },
  { header: 'mitigation' },
  { header: 'accuracy', align: 'right' },
  { header: 'mean |Δ|', align: 'right' },
  { header: 'max |Δ|', align: 'right' },
  { header: 'TVD', align: 'right' },
  { header: 'shots', align: 'right' },
  { header: 'jobs', align: 'right' },
  { header: 'cost $', align: 'right' },
  { header: 'queue s', align: 'right' },
  { header: 'time s', align: 'right' },
];

export function compareRow(p: PairResult): string[] {
  return [
    p.backend,
    p.mitigation,
    percent(p.accuracy),
    fixed(p.meanAbsDeviation, 4),
    fixed(p.maxAbsDeviation, 4),
    fixed(p.tvd, 4),
    String(p.shots),
    String(p.jobs),
    p.estimatedCostUsd === null ? '—' : p.estimatedCostUsd.toFixed(2),
    fixed(p.queueSeconds, 1),
    p.seconds.toFixed(2),
  ];
}

/** Per backend: how far each mitigation brought the mean deviation down from the unmitigated run. */
export interface MitigationGain {
  readonly backend: string;
  readonly mitigation: string;
  readonly rawDeviation: number;
  readonly mitigatedDeviation: number;
  /** mitigated / raw (below 1 is better); null when the raw deviation is 0. */
  readonly ratio: number | null;
  readonly rawAccuracy: number | null;
  readonly mitigatedAccuracy: number | null;
}

export function mitigationGains(report: CompareReport): MitigationGain[] {
  const out: MitigationGain[] = [];
  for (const raw of report.pairs) {
    if (raw.mitigation !== 'none') continue;
    for (const m of report.pairs) {
      if (m.backend !== raw.backend || m.mitigation === 'none') continue;
      out.push({
        backend: raw.backend,
        mitigation: m.mitigation,
        rawDeviation: raw.meanAbsDeviation,
        mitigatedDeviation: m.meanAbsDeviation,
        ratio: raw.meanAbsDeviation > 0 ? m.meanAbsDeviation / raw.meanAbsDeviation : null,
        rawAccuracy: raw.accuracy,
        mitigatedAccuracy: m.accuracy,
      });
    }
  }
  return out;
}

/** One sentence per mitigated pair, e.g. "local:noisy=ibm_heron: zne takes the mean deviation from 0.1200 to 0.0400 (0.33x raw)". */
export function mitigationSummaryLines(report: CompareReport): string[] {
  return mitigationGains(report).map((g) => {
    const ratio = g.ratio === null ? '' : ` (${g.ratio.toFixed(2)}x raw)`;
    const acc =
      g.rawAccuracy !== null && g.mitigatedAccuracy !== null
        ? `; accuracy ${percent(g.rawAccuracy)} -> ${percent(g.mitigatedAccuracy)}`
        : '';
    return `${g.backend}: ${g.mitigation} takes the mean deviation from ${g.rawDeviation.toFixed(4)} to ${g.mitigatedDeviation.toFixed(4)}${ratio}${acc}`;
  });
}

/** The terminal report: the table, the skipped pairs with their reasons, and the mitigation summary. */
export function compareTable(report: CompareReport): string {
  const parts = [formatTable(COMPARE_COLUMNS, report.pairs.map(compareRow))];
  if (report.skipped.length) {
    parts.push(['skipped:', ...report.skipped.map((s) => `  ${s.backend} / ${s.mitigation}: ${s.reason}`)].join('\n'));
  }
  const gains = mitigationSummaryLines(report);
  if (gains.length) parts.push(['mitigation:', ...gains.map((l) => `  ${l}`)].join('\n'));
  return parts.join('\n\n');
}
