/**
 * Section 5, cold start: runs infra/bundle-report.ts (another engineer's: every function's
 * bundle size and the time a fresh Node process takes to import it, beside a hello-world hono
 * bundle measured in the same run) when it exists, and includes its figures from the
 * bench-results/bundle-report.json it writes; skipped with a note when the script is missing.
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

function bundleRows(json: unknown): { baseline: BundleRow; rows: BundleRow[] } | null {
  const bundles = (json as { bundles?: unknown }).bundles;
  if (!Array.isArray(bundles)) return null;
  const rows = bundles.filter((b): b is BundleRow => typeof b?.function === 'string' && typeof b?.importMs === 'number' && typeof b?.kb === 'number');
  const baseline = rows.find((r) => r.kind === 'baseline');
  return baseline ? { baseline, rows: rows.filter((r) => r !== baseline) } : null;
}

function figuresOf({ baseline, rows }: { baseline: BundleRow; rows: BundleRow[] }): Figure[] {
  return rows.map((r) => ({
    measure: `${r.function}${r.kind === 'task' ? ' (task)' : ''}: import, ${r.kb.toFixed(0)} KB${r.totalKb !== undefined && r.totalKb > r.kb ? ` (${r.totalKb.toFixed(0)} KB with lazy chunks)` : ''}`,
    value: r.importMs,
    unit: 'ms',
    baseline: baseline.importMs,
    ratio: baseline.importMs / r.importMs,
  }));
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
    note: `from infra/bundle-report.ts: median import time of each bundle in a fresh Node process; baseline: a hello-world hono bundle (${parsed.baseline.kb.toFixed(0)} KB, process ${parsed.baseline.processMs} ms) in the same run; details in bench-results/bundle-report.json`,
    figures: figuresOf(parsed),
    durationMs,
    details: parsed,
  };
}
