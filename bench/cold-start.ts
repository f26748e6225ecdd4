/**
 * Section 5, cold start: runs infra/bundle-report.ts (every function's bundle size and the time
 * a fresh Node process takes to import it, beside two baselines bundled the same way and
 * measured in the same run: a hello-world hono bundle and a minimal hono + lib-dynamodb one) and
 * includes its figures from the bench-results/bundle-report.json it writes: each function's
 * import time against the hono + lib-dynamodb baseline (issue 19: at most 1.5× as long).
 * If that file's shape is not the expected one, the script's printed output is kept as a note.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Figure, SectionResult } from './support/report.ts';

const REPORT_SCRIPT = fileURLToPath(new URL('../infra/bundle-report.ts', import.meta.url));
const REPORT_JSON = fileURLToPath(new URL('../bench-results/bundle-report.json', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** issue 19: each function imports in at most 1.5× the minimal hono + lib-dynamodb bundle's time */
const COLD_START_TARGET = 1.5;

interface BundleRow {
  function: string;
  kind: string;
  /** loaded at cold start */
  kb: number;
  /** every chunk, including those loaded on first use; absent in reports from before code splitting */
  totalKb?: number;
  importMs: number;
  processMs: number;
}

interface ParsedReport {
  hello: BundleRow;
  baseline: BundleRow;
  rows: BundleRow[];
}

function bundleRows(json: unknown): ParsedReport | null {
  const bundles = (json as { bundles?: unknown }).bundles;
  if (!Array.isArray(bundles)) return null;
  const rows = bundles.filter((b): b is BundleRow => typeof b?.function === 'string' && typeof b?.importMs === 'number' && typeof b?.kb === 'number');
  const hello = rows.find((r) => r.kind === 'baseline');
  const baseline = rows.find((r) => r.kind === 'dynamodb-baseline');
  return hello && baseline ? { hello, baseline, rows: rows.filter((r) => r !== baseline && r !== hello) } : null;
}

function figuresOf({ hello, baseline, rows }: ParsedReport): Figure[] {
  return [
    ...rows.map((r) => ({
      measure:
        `${r.function}${r.kind === 'task' ? ' (task)' : ''}: import, ${r.kb.toFixed(0)} KB` +
        `${r.totalKb !== undefined && r.totalKb > r.kb ? ` (${r.totalKb.toFixed(0)} KB with lazy chunks)` : ''}`,
      value: r.importMs,
      unit: 'ms',
      baseline: baseline.importMs,
      ratio: baseline.importMs / r.importMs,
      target: `≤ ${COLD_START_TARGET}× baseline time`,
      met: r.importMs <= COLD_START_TARGET * baseline.importMs,
    })),
    {
      measure: `hello-world hono: import, ${hello.kb.toFixed(0)} KB`,
      value: hello.importMs,
      unit: 'ms',
      baseline: baseline.importMs,
      ratio: baseline.importMs / hello.importMs,
      note: 'the smallest hono Lambda, for scale',
    },
  ];
}

export async function runColdStart(): Promise<SectionResult> {
  if (!existsSync(REPORT_SCRIPT))
    return { section: 'cold start', status: 'skipped', note: 'infra/bundle-report.ts does not exist yet', figures: [], durationMs: 0 };
  const started = performance.now();
  const startedAt = Date.now();
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', REPORT_SCRIPT], {
      cwd: ROOT,
      timeout: 300_000,
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    const reason = stderr.split('\n').at(-1) || (error as Error).message;
    return { section: 'cold start', status: 'failed', note: `infra/bundle-report.ts failed: ${reason}`, figures: [], durationMs: performance.now() - started };
  }
  const fresh = existsSync(REPORT_JSON) && statSync(REPORT_JSON).mtimeMs >= startedAt;
  const parsed = fresh ? bundleRows(JSON.parse(readFileSync(REPORT_JSON, 'utf8'))) : null;
  const durationMs = performance.now() - started;
  if (!parsed)
    return { section: 'cold start', status: 'ok', note: `infra/bundle-report.ts printed:\n${stdout.trimEnd()}`, figures: [], durationMs, details: stdout };
  return {
    section: 'cold start',
    status: 'ok',
    note:
      `from infra/bundle-report.ts: median import time of each bundle in a fresh Node process; ` +
      `baseline: a minimal hono + lib-dynamodb bundle (${parsed.baseline.kb.toFixed(0)} KB, process ${parsed.baseline.processMs} ms) ` +
      `built the same way in the same run; details in bench-results/bundle-report.json`,
    figures: figuresOf(parsed),
    durationMs,
    details: parsed,
  };
}
