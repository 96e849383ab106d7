import {
  pairLabel,
  type CompareReport,
  type DeviceMap,
  type EpochRecord,
  type ExpectationPoint,
  type PairResult,
} from './compareReport.js';

/**
 * Vega-Lite specifications for a comparison's charts, as pure data: the core builds them, and the
 * CLI (which owns vega, vega-lite and resvg) renders them to SVG and PNG. Every chart has a title,
 * axis titles and a legend, so a PNG cut out of the page still says what it shows.
 */

/** A Vega-Lite (v6) top-level specification, kept as plain data. */
export type VegaLiteSpec = { readonly $schema: string } & Readonly<Record<string, unknown>>;

export interface ChartSpec {
  /** File-name-safe id (the PNG is `<id>.png`). */
  readonly id: string;
  readonly title: string;
  readonly spec: VegaLiteSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const SERIES_SCHEME = 'tableau10';
const BASE = { $schema: SCHEMA, background: 'white', padding: 12 } as const;

function title(text: string, subtitle?: string): Record<string, unknown> {
  return subtitle ? { text, subtitle, anchor: 'start', fontSize: 15 } : { text, anchor: 'start', fontSize: 15 };
}

/** Series in the order the pairs were run (so colours match across charts). */
function seriesOrder(report: CompareReport): string[] {
  const seen = new Set<string>();
  for (const p of report.pairs) seen.add(pairLabel(p));
  for (const p of report.points) seen.add(pairLabel(p));
  return [...seen];
}

function paddedDomain(values: readonly number[]): [number, number] {
  let lo = Math.min(-1, ...values);
  let hi = Math.max(1, ...values);
  const pad = 0.05 * (hi - lo);
  lo -= pad;
  hi += pad;
  return [Math.round(lo * 1000) / 1000, Math.round(hi * 1000) / 1000];
}

/** Ideal vs measured expectation values, one colour per backend/mitigation, with the y = x line. */
export function expectationScatterSpec(points: readonly ExpectationPoint[], order?: readonly string[]): VegaLiteSpec {
  const domain = paddedDomain(points.flatMap((p) => [p.ideal, p.measured]));
  const series = order ?? [...new Set(points.map(pairLabel))];
  return {
    ...BASE,
    title: title('Expectation values: ideal vs measured', 'points on the dashed line are exact; distance from it is the error'),
    width: 440,
    height: 440,
    layer: [
      {
        data: {
          values: [
            { ideal: domain[0], measured: domain[0], ref: 'y = x (ideal)' },
            { ideal: domain[1], measured: domain[1], ref: 'y = x (ideal)' },
          ],
        },
        mark: { type: 'line', color: '#777777', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'ideal', type: 'quantitative', scale: { domain, nice: false } },
          y: { field: 'measured', type: 'quantitative', scale: { domain, nice: false } },
          strokeDash: { field: 'ref', type: 'nominal', title: 'reference', scale: { range: [[6, 4]] } },
        },
      },
      {
        data: {
          values: points.map((p) => ({
            series: pairLabel(p),
            ideal: p.ideal,
            measured: p.measured,
            sample: p.sample,
            observable: p.observable,
            deviation: Math.abs(p.measured - p.ideal),
          })),
        },
        mark: { type: 'point', filled: true, size: 45, opacity: 0.75 },
        encoding: {
          x: { field: 'ideal', type: 'quantitative', title: 'ideal expectation value', scale: { domain, nice: false } },
          y: { field: 'measured', type: 'quantitative', title: 'measured expectation value', scale: { domain, nice: false } },
          color: {
            field: 'series',
            type: 'nominal',
            title: 'backend / mitigation',
            sort: series,
            scale: { scheme: SERIES_SCHEME },
            legend: { labelLimit: 360 },
          },
          tooltip: [
            { field: 'series', title: 'pair' },
            { field: 'sample', type: 'quantitative' },
            { field: 'observable', type: 'quantitative' },
            { field: 'ideal', type: 'quantitative', format: '.4f' },
            { field: 'measured', type: 'quantitative', format: '.4f' },
          ],
        },
      },
    ],
  };
}

/** Test accuracy, one horizontal bar per pair coloured by mitigation; pairs without an accuracy are left out. */
export function accuracyBarsSpec(pairs: readonly PairResult[]): VegaLiteSpec {
  const rows = pairs
    .filter((p) => p.accuracy !== null)
    .map((p) => ({ pair: pairLabel(p), backend: p.backend, mitigation: p.mitigation, accuracy: p.accuracy }));
  const mitigations = [...new Set(rows.map((r) => r.mitigation))];
  const encoding = {
    y: { field: 'pair', type: 'nominal', title: 'backend / mitigation', sort: rows.map((r) => r.pair), axis: { labelLimit: 320 } },
    x: { field: 'accuracy', type: 'quantitative', title: 'test accuracy', scale: { domain: [0, 1] }, axis: { format: '%' } },
  };
  return {
    ...BASE,
    title: title('Test accuracy by backend and mitigation', 'same test samples and seeds on every pair'),
    width: 420,
    height: Math.max(120, 28 * rows.length),
    data: { values: rows },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.75 } },
        encoding: {
          ...encoding,
          color: { field: 'mitigation', type: 'nominal', title: 'mitigation', sort: mitigations, scale: { scheme: 'set2' } },
          tooltip: [{ field: 'backend' }, { field: 'mitigation' }, { field: 'accuracy', type: 'quantitative', format: '.2%' }],
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, color: '#333333' },
        encoding: { ...encoding, text: { field: 'accuracy', type: 'quantitative', format: '.1%' } },
      },
    ],
  };
}

/** Histograms of |measured - ideal|, one panel per pair on a shared x axis. */
export function deviationHistogramSpec(points: readonly ExpectationPoint[], order?: readonly string[]): VegaLiteSpec {
  const series = order ?? [...new Set(points.map(pairLabel))];
  const values = points.map((p) => ({ series: pairLabel(p), deviation: Math.abs(p.measured - p.ideal) }));
  const columns = Math.min(3, Math.max(1, series.length));
  return {
    ...BASE,
    title: title('Absolute deviation from the ideal expectation values', 'one panel per backend / mitigation'),
    data: { values },
    facet: { field: 'series', type: 'nominal', title: null, sort: series, header: { labelFontSize: 11, labelLimit: 400 } },
    columns,
    spec: {
      width: 220,
      height: 140,
      mark: { type: 'bar', binSpacing: 1 },
      encoding: {
        x: {
          field: 'deviation',
          type: 'quantitative',
          bin: { maxbins: 24, extent: [0, Math.max(1e-3, ...values.map((v) => v.deviation))] },
          title: '|measured − ideal|',
        },
        y: { aggregate: 'count', type: 'quantitative', title: 'expectation values' },
        color: {
          field: 'series',
          type: 'nominal',
          title: 'backend / mitigation',
          sort: series,
          scale: { scheme: SERIES_SCHEME },
          legend: { labelLimit: 360 },
        },
      },
    },
  };
}

/** The coupling map coloured by 2-qubit gate error, with the qubits of the chosen layout highlighted and labelled. */
export function couplingMapSpec(device: DeviceMap): VegaLiteSpec {
  const pos = new Map(device.nodes.map((n) => [n.qubit, n]));
  const logicalOf = new Map(device.layout.map((p, i) => [p, i]));
  const xs = device.nodes.map((n) => n.x);
  const ys = device.nodes.map((n) => n.y);
  const xDomain = [Math.min(...xs) - 0.8, Math.max(...xs) + 0.8];
  const yDomain = [Math.min(...ys) - 0.8, Math.max(...ys) + 0.8];
  const width = 720;
  // Same units on both axes, so the lattice is not squashed.
  const height = Math.round(Math.min(720, Math.max(160, (width * (yDomain[1] - yDomain[0])) / (xDomain[1] - xDomain[0]))));
  const edges = device.edges.map((e) => {
    const a = pos.get(e.a) as { x: number; y: number };
    const b = pos.get(e.b) as { x: number; y: number };
    return {
      x: a.x,
      y: a.y,
      x2: b.x,
      y2: b.y,
      coupler: `${e.a}–${e.b}`,
      error: e.error,
      used: logicalOf.has(e.a) && logicalOf.has(e.b),
    };
  });
  const nodes = device.nodes.map((n) => ({
    x: n.x,
    y: n.y,
    qubit: n.qubit,
    role: logicalOf.has(n.qubit) ? 'chosen layout' : 'not used',
    label: logicalOf.has(n.qubit) ? `q${logicalOf.get(n.qubit)}` : '',
    readoutError: n.readoutError ?? null,
  }));
  const axis = (t: string) => ({ title: t, labels: false, ticks: false, grid: false, domain: false });
  const x = { field: 'x', type: 'quantitative', scale: { domain: xDomain, nice: false, zero: false }, axis: axis('lattice position →') };
  const y = { field: 'y', type: 'quantitative', scale: { domain: yDomain, nice: false, zero: false }, axis: axis('lattice position ↑') };
  // A coupler with error 1 is broken (IBM's convention); it would swamp the colour scale, so it is dashed grey.
  const known = edges.filter((e) => e.error !== null && e.error < 1);
  const unknown = edges.filter((e) => e.error === null || e.error >= 1);
  const layer: Record<string, unknown>[] = [
    {
      data: { values: known },
      mark: { type: 'rule', strokeCap: 'round' },
      encoding: {
        x,
        y,
        x2: { field: 'x2' },
        y2: { field: 'y2' },
        color: {
          field: 'error',
          type: 'quantitative',
          title: '2-qubit gate error',
          scale: { scheme: 'orangered' },
          legend: { format: '.2%', gradientLength: 160 },
        },
        strokeWidth: { condition: { test: 'datum.used', value: 6 }, value: 3 },
        tooltip: [{ field: 'coupler' }, { field: 'error', type: 'quantitative', format: '.3%' }],
      },
    },
  ];
  if (unknown.length)
    layer.push({
      data: { values: unknown },
      mark: { type: 'rule', color: '#bbbbbb', strokeWidth: 2, strokeDash: [3, 2] },
      encoding: { x, y, x2: { field: 'x2' }, y2: { field: 'y2' } },
    });
  layer.push(
    {
      data: { values: nodes },
      mark: { type: 'circle', stroke: '#333333', strokeWidth: 0.6, opacity: 1 },
      encoding: {
        x,
        y,
        fill: {
          field: 'role',
          type: 'nominal',
          title: 'qubit',
          scale: { domain: ['chosen layout', 'not used'], range: ['#1f77b4', '#e8e8e8'] },
        },
        size: { condition: { test: "datum.role === 'chosen layout'", value: 170 }, value: 60 },
        tooltip: [
          { field: 'qubit', title: 'physical qubit' },
          { field: 'label', title: 'logical qubit' },
          { field: 'readoutError', type: 'quantitative', format: '.2%', title: 'readout error' },
        ],
      },
    },
    {
      data: { values: nodes.filter((n) => n.label) },
      mark: { type: 'text', dy: -13, fontSize: 11, fontWeight: 'bold', color: '#0b3d91' },
      encoding: { x, y, text: { field: 'label' } },
    },
  );
  const layoutText = device.layout.length ? `layout ${device.layout.map((p, i) => `q${i}→${p}`).join(' ')}` : 'no layout recorded';
  return {
    ...BASE,
    title: title(
      `Coupling map of ${device.target} (${device.backend})`,
      `${device.numQubits} qubits, ${device.edges.length} couplers${unknown.length ? ` (${unknown.length} dashed: broken or uncalibrated)` : ''}; ${layoutText}`,
    ),
    width,
    height,
    layer,
    resolve: { scale: { color: 'independent' } },
  };
}

/** Loss and accuracy per epoch (train and, where recorded, validation). */
export function trainingCurvesSpec(epochs: readonly EpochRecord[]): VegaLiteSpec {
  const loss: Record<string, unknown>[] = [];
  const acc: Record<string, unknown>[] = [];
  for (const e of epochs) {
    loss.push({ epoch: e.epoch, split: 'train', value: e.loss });
    if (e.valLoss !== undefined) loss.push({ epoch: e.epoch, split: 'validation', value: e.valLoss });
    if (e.accuracy !== undefined) acc.push({ epoch: e.epoch, split: 'train', value: e.accuracy });
    if (e.valAccuracy !== undefined) acc.push({ epoch: e.epoch, split: 'validation', value: e.valAccuracy });
  }
  const color = {
    field: 'split',
    type: 'nominal',
    title: 'data',
    scale: { domain: ['train', 'validation'], range: ['#1f77b4', '#ff7f0e'] },
  };
  const panel = (values: Record<string, unknown>[], yTitle: string, percent: boolean) => ({
    width: 440,
    height: 200,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
      y: {
        field: 'value',
        type: 'quantitative',
        title: yTitle,
        ...(percent ? { scale: { domain: [0, 1] }, axis: { format: '%' } } : { scale: { zero: false } }),
      },
      color,
      tooltip: [{ field: 'epoch' }, { field: 'split' }, { field: 'value', type: 'quantitative', format: '.4f' }],
    },
  });
  const panels = [panel(loss, 'loss', false)];
  if (acc.length) panels.push(panel(acc, 'accuracy', true));
  return { ...BASE, title: title('Training curves', 'per epoch, from the model directory'), vconcat: panels };
}

/** File-name-safe id for a device chart. */
function slug(s: string): string {
  return s
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

/** Every chart the report has data for, in page order. */
export function reportCharts(report: CompareReport): ChartSpec[] {
  const order = seriesOrder(report);
  const out: ChartSpec[] = [];
  if (report.points.length) {
    out.push({ id: 'expectations', title: 'Expectation values: ideal vs measured', spec: expectationScatterSpec(report.points, order) });
  }
  if (report.pairs.some((p) => p.accuracy !== null)) {
    out.push({ id: 'accuracy', title: 'Test accuracy', spec: accuracyBarsSpec(report.pairs) });
  }
  if (report.points.length) {
    out.push({ id: 'deviations', title: 'Deviation histograms', spec: deviationHistogramSpec(report.points, order) });
  }
  for (const d of report.devices) {
    if (d.nodes.length === 0) continue;
    out.push({ id: `coupling-${slug(d.backend)}`, title: `Coupling map: ${d.target}`, spec: couplingMapSpec(d) });
  }
  if (report.training && report.training.length) {
    out.push({ id: 'training', title: 'Training curves', spec: trainingCurvesSpec(report.training) });
  }
  return out;
}
