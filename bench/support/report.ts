/**
 * What every section hands back, and the table `npm run bench` prints: one line per figure,
 * with its baseline measured in the same run, the ratio to it, and the target if there is one.
 */

export interface Figure {
  measure: string;
  value: number | null;
  unit: string;
  /** the same quantity for the baseline, measured in the same run */
  baseline?: number | null;
  /** value ÷ baseline for throughputs, baseline ÷ value for times: above 1 is faster than the baseline */
  ratio?: number | null;
  target?: string;
  met?: boolean | null;
  note?: string;
}

export interface SectionResult {
  section: string;
  status: 'ok' | 'skipped' | 'failed';
  /** why skipped or failed, or what to know about the figures */
  note?: string;
  figures: Figure[];
  durationMs: number;
  details?: unknown;
}

function formatNumber(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : abs >= 0.01 ? 3 : 5;
  const text = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit ? `${text} ${unit}` : text;
}

const MET = (met: boolean | null | undefined) => (met === true ? 'yes' : met === false ? 'NO' : '');

export function renderTable(sections: readonly SectionResult[]): string {
  const header = ['section', 'measure', 'value', 'baseline', 'ratio', 'target', 'met'];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const s of sections) {
    if (s.status !== 'ok') rows.push([s.section, s.status === 'skipped' ? 'skipped' : 'FAILED', '', '', '', '', '']);
    for (const f of s.figures) {
      rows.push([
        s.section,
        f.measure,
        formatNumber(f.value, f.unit),
        formatNumber(f.baseline, f.unit),
        f.ratio === undefined || f.ratio === null ? '' : `${formatNumber(f.ratio)}×`,
        f.target ?? '',
        MET(f.met),
      ]);
      if (f.note) notes.push(`  ${s.section} / ${f.measure}: ${f.note}`);
    }
    if (s.note) notes.push(`  ${s.section}: ${s.note}`);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
  return [line(header), rule, ...rows.map(line), ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
}
