/**
 * Section 4, report export: RESERVED for the XLSX / CSV report export another engineer is
 * building in shared/services/reports*. Until such a module exists this section is skipped
 * ("not yet available"). When it appears, the section imports it and lists its exports; the
 * measurement itself (e.g. a 5,000-team settlement to XLSX and CSV, against writing the same
 * rows with csv-stringify alone) is to be wired in `measureExport` once its API is settled.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SectionResult } from './support/report.ts';

const SERVICES_DIR = fileURLToPath(new URL('../shared/services/', import.meta.url));

/** Modules named shared/services/reports…ts, or the .ts files of a folder named shared/services/reports…. */
function reportModules(): string[] {
  return readdirSync(SERVICES_DIR, { withFileTypes: true })
    .filter((entry) => entry.name.startsWith('reports'))
    .flatMap((entry) => (entry.isDirectory() ? readdirSync(`${SERVICES_DIR}${entry.name}`).map((file) => `${entry.name}/${file}`) : [entry.name]))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
}

/**
 * TODO(export bench): measure the export here once shared/services/reports settles its API. The
 * entry points seen so far (writeSettlementXlsx / writeSettlementCsv(db, settlementId, …, out))
 * need a computed settlement: settle the evaluation section's completed 5,000-team run, write
 * both formats to a counting Writable, and compare with csv-stringify over the same lines read
 * by plain queries.
 */
async function measureExport(modules: Record<string, string[]>): Promise<SectionResult> {
  const entry = modules['reports/index.ts'] ?? Object.values(modules).flat();
  const writers = entry.filter((name) => name.startsWith('write'));
  return {
    section: 'export',
    status: 'skipped',
    note: `report export found (${Object.keys(modules).length} modules; writers: ${writers.join(', ') || 'none yet'}) but its measurement is not wired yet`,
    figures: [],
    durationMs: 0,
    details: modules,
  };
}

export async function runExport(): Promise<SectionResult> {
  const files = reportModules();
  if (files.length === 0) return { section: 'export', status: 'skipped', note: 'not yet available (no shared/services/reports* module)', figures: [], durationMs: 0 };
  const modules: Record<string, string[]> = {};
  for (const file of files) {
    const url = new URL(`../shared/services/${file}`, import.meta.url).href;
    try {
      modules[file] = Object.keys((await import(url)) as Record<string, unknown>);
    } catch (error) {
      return { section: 'export', status: 'skipped', note: `shared/services/${file} exists but does not load yet: ${(error as Error).message}`, figures: [], durationMs: 0 };
    }
  }
  return measureExport(modules);
}
