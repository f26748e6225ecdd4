/** Section 4, report export: rows per second and peak memory of the XLSX and CSV writers at two sizes. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SectionResult } from './support/report.ts';

const BASELINE_LABEL = 'plain dump (baseline)';
const LINE = /^(\S.*?)\s+(\d+) rows\s+(\d+) rows\/s\s+([\d.]+) MB out\s+peak live heap \+([\d.]+) MB/;

/**
 * Runs the report writers' memory check (bench/support/report-memory-check.ts) in a child
 * process with --expose-gc: a synthetic settlement per size (4 members per team), written as the
 * workbook and the team and member CSVs into a counting sink by the real report code (exceljs's
 * streaming writer, csv-stringify). Baselines: for rows/s, a plain dump of the same team and
 * member lines from the same source (values joined by commas); for memory, the smaller size:
 * peak live heap must stay flat when the size doubles. Sizes: EXPORT_SIZES (default the issue's 25,000 and 50,000 teams).
 *
 * What is measured depends on EXPORT_SOURCE: `memory` (default) generates the lines page by page
 * in the child through the Db interface the report reads DynamoDB with, so rows/s is the report
 * code and writers without DynamoDB's reads; `dynamodb` stores the settlement in DynamoDB Local
 * first and reads it back (reads included, but seeding 50,000 teams takes several minutes and
 * DynamoDB Local, not the writers, then bounds rows/s).
 */
async function measureExport(quick: boolean): Promise<SectionResult> {
  const sizes = (process.env.EXPORT_SIZES ?? (quick ? '1000,2000' : '25000,50000')).split(',').map(Number);
  const source = process.env.EXPORT_SOURCE ?? 'memory';
  const started = Date.now();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'bench/support/report-memory-check.ts', `--source=${source}`, ...sizes.map(String)],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === null ? reject(new Error('memory check killed')) : resolve(text)));
  });
  const figures: SectionResult['figures'] = [];
  const peaks = new Map<number, number>();
  let teams = 0;
  let baseline: number | undefined;
  for (const line of output.split('\n')) {
    const size = /^(\d+) teams:/.exec(line);
    if (size) teams = Number(size[1]);
    const m = LINE.exec(line.trim());
    if (!m) continue;
    const rowsPerSecond = Number(m[3]);
    if (m[1] === BASELINE_LABEL) {
      baseline = rowsPerSecond;
      continue;
    }
    figures.push({
      measure: `${teams.toLocaleString('en')} teams: ${m[1]}`,
      value: rowsPerSecond,
      unit: 'rows/s',
      ...(baseline ? { baseline, ratio: rowsPerSecond / baseline } : {}),
      note: `${m[2]} rows, ${m[4]} MB`,
    });
    peaks.set(teams, Math.max(peaks.get(teams) ?? 0, Number(m[5])));
  }
  const [small, large] = [peaks.get(sizes[0]!), peaks.get(sizes[sizes.length - 1]!)];
  const flat = /flat \(PASS\)/.test(output);
  for (const [size, peak] of peaks) {
    figures.push({
      measure: `${size.toLocaleString('en')} teams: peak live heap`,
      value: peak,
      unit: 'MB',
      ...(size === sizes[sizes.length - 1] && small !== undefined
        ? { baseline: small, ratio: large ? small / large : null, target: 'flat when the size doubles', met: flat }
        : {}),
    });
  }
  const measured = source === 'memory' ? 'lines generated in-process page by page (no DynamoDB reads)' : 'lines read from DynamoDB Local';
  return {
    section: 'export',
    status: figures.length > 0 ? 'ok' : 'failed',
    note: figures.length > 0 ? `report writers (exceljs streaming, csv-stringify) into a counting sink; ${measured}` : output.slice(-500),
    figures,
    durationMs: Date.now() - started,
  };
}

export async function runExport(quick = false): Promise<SectionResult> {
  return measureExport(quick);
}
