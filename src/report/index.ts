export {
  COMPARE_REPORT_SCHEMA,
  compareReportFromJSON,
  pairLabel,
  type CompareReport,
  type CompareSource,
  type PairResult,
  type SkippedPair,
  type ExpectationPoint,
  type DeviceMap,
  type DeviceNode,
  type DeviceEdge,
  type EpochRecord,
} from './compareReport.js';
export { absoluteDeviation, totalVariationDistance, type Distribution } from './metrics.js';
export { deviceMapFromTarget, graphLayout } from './deviceMap.js';
export {
  expectationScatterSpec,
  accuracyBarsSpec,
  deviationHistogramSpec,
  couplingMapSpec,
  trainingCurvesSpec,
  reportCharts,
  type ChartSpec,
  type VegaLiteSpec,
} from './charts.js';
export {
  formatTable,
  compareTable,
  compareRow,
  mitigationGains,
  mitigationSummaryLines,
  COMPARE_COLUMNS,
  type Column,
  type Align,
  type MitigationGain,
} from './table.js';
export { reportHtml, inlineSvg, escapeHtml, type RenderedChart } from './html.js';
