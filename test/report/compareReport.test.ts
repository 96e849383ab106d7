import { describe, expect, it } from 'vitest';
import { compareReportFromJSON, compareTable, formatTable, mitigationGains } from '../../src/index.js';
import { syntheticReport } from './synthetic.js';

describe('compare.json', () => {
  it('round-trips through JSON unchanged', () => {
    const r = syntheticReport();
    const back = compareReportFromJSON(JSON.stringify(r));
    expect(back).toEqual(JSON.parse(JSON.stringify(r)));
  });

  it('names the field that is wrong', () => {
    const r = JSON.parse(JSON.stringify(syntheticReport())) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(() => compareReportFromJSON('{')).toThrow(/not JSON/);
    expect(() => compareReportFromJSON({ ...r, schema: 'x' })).toThrow(/report.schema must be 'qbridge.compare\/1'/);
    const bad = structuredClone(r);
    bad.pairs[1].accuracy = 1.5;
    expect(() => compareReportFromJSON(bad)).toThrow(/pairs\[1\].accuracy must be in \[0, 1\] or null/);
    const bad2 = structuredClone(r);
    bad2.devices[0].edges[3].b = 999;
    expect(() => compareReportFromJSON(bad2)).toThrow(/devices\[0\].edges\[3\].b must be a qubit index below 156/);
    const bad3 = structuredClone(r);
    delete bad3.points[0].measured;
    expect(() => compareReportFromJSON(bad3)).toThrow(/points\[0\].measured must be a finite number/);
  });
});

describe('terminal table', () => {
  it('aligns columns (right for numbers) and counts code points, not bytes', () => {
    const t = formatTable(
      [{ header: 'name' }, { header: 'Δ', align: 'right' }],
      [
        ['a', '1.5'],
        ['long name', '10.25'],
      ],
    ).split('\n');
    expect(t).toEqual(['name           Δ', '---------  -----', 'a            1.5', 'long name  10.25']);
  });

  it('shows every pair, the skipped pairs with reasons, and what mitigation gave back', () => {
    const r = syntheticReport();
    const text = compareTable(r);
    const lines = text.split('\n');
    const header = lines[0];
    // Every data row lines up with the header's right edge for the right-aligned columns.
    for (const row of lines.slice(2, 2 + r.pairs.length)) expect(row.length).toBe(header.length);
    expect(text).toContain('ibm:ibm_fez / none: no credentials: set QBRIDGE_IBM_API_KEY and QBRIDGE_IBM_CRN');
    const gains = mitigationGains(r);
    expect(gains.map((g) => g.mitigation)).toEqual(['readout', 'zne', 'readout+zne']);
    const zne = gains[2];
    expect(zne.ratio).toBeCloseTo(zne.mitigatedDeviation / zne.rawDeviation, 12);
    expect(text).toContain(
      `readout+zne takes the mean deviation from ${zne.rawDeviation.toFixed(4)} to ${zne.mitigatedDeviation.toFixed(4)}`,
    );
  });
});
