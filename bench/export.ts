/** Section 4, report export: rows per second and peak memory of the XLSX and CSV writers at two sizes. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SectionResult } from './support/report.ts';

const LINE = /^(\S.*?)\s+(\d+) rows\s+(\d+) rows\/s\s+([\d.]+) MB out\s+peak live heap \+([\d.]+) MB/;

/**
 * Runs the report writers' memory check (shared/services/reports/memory-check.ts) in a child
 * process with --expose-gc: a synthetic settlement per size (4 members per team), written as the
 * workbook and the team and member CSVs into a counting sink. The baseline is the smaller size:
 * peak live heap must stay flat when the size doubles. Sizes: EXPORT_SIZES (default 5,000 and
 * 10,000 teams; the issue's 25,000 and 50,000 take several minutes to seed on DynamoDB Local).
 */
async function measureExport(quick: boolean): Promise<SectionResult> {
  const sizes = (process.env.EXPORT_SIZES ?? (quick ? '1000,2000' : '5000,10000')).split(',').map(Number);
  const started = Date.now();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'shared/services/reports/memory-check.ts', ...sizes.map(String)], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
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
  for (const line of output.split('\n')) {
    const size = /^(\d+) teams:/.exec(line);
    if (size) teams = Number(size[1]);
    const m = LINE.exec(line.trim());
    if (!m) continue;
    figures.push({ measure: `${teams.toLocaleString('en')} teams: ${m[1]}`, value: Number(m[3]), unit: 'rows/s', note: `${m[2]} rows, ${m[4]} MB` });
    peaks.set(teams, Math.max(peaks.get(teams) ?? 0, Number(m[5])));
  }
  const [small, large] = [peaks.get(sizes[0]!), peaks.get(sizes[sizes.length - 1]!)];
  const flat = /flat \(PASS\)/.test(output);
  for (const [size, peak] of peaks) {
    figures.push({
      measure: `${size.toLocaleString('en')} teams: peak live heap`,
      value: peak,
      unit: 'MB',
      ...(size === sizes[sizes.length - 1] && small !== undefined ? { baseline: small, ratio: large ? small / large : null, target: 'flat when the size doubles', met: flat } : {}),
    });
  }
  return { section: 'export', status: figures.length > 0 ? 'ok' : 'failed', note: figures.length > 0 ? undefined : output.slice(-500), figures, durationMs: Date.now() - started };
}

export async function runExport(quick = false): Promise<SectionResult> {
  return measureExport(quick);
}
