/**
 * Service metrics of the demo district for its previous completed quarter (or a given period):
 * version 1 of every institution's upload, written through the metrics repository (not HTTP).
 *
 * Values are plausible rather than real. Due counts follow from each team's contracts in force
 * during the period (pro-rated by days) and their key populations, at the national basic
 * public-health rhythm: hypertension and diabetes follow-ups four a year, one check-up a year for
 * residents 65+, about three vaccine doses a year per child 0-6. The demo seeds only a handful of
 * residents per team, so each contract stands for `scale` residents (by default enough for an
 * average team to represent about 1,200). Done counts are the due counts times the team's
 * performance: most teams do 85-99 %, about one in eight clearly less. Every institution's rows
 * pass the same validation as a clerk's upload before they are written.
 */
import { overlapDays } from '#shared/domain/dates.ts';
import { previousQuarter, parsePeriod, quarterOf } from '#shared/domain/periods.ts';
import { validateUpload } from '#shared/domain/metrics/validate-upload.ts';
import type { Contract } from '#shared/data/contracts.ts';
import type { Db } from '#shared/data/db.ts';
import { ensureCatalogue } from '#shared/data/metric-catalogue.ts';
import { getCurrentMetricsVersion, type MetricsRow, writeMetricsVersion } from '#shared/data/metrics.ts';
import type { DemoDistrict } from './demo-district.ts';
import { type Random, seededRandom } from './random.ts';

/** Residents an average demo team stands for. */
export const REPRESENTED_RESIDENTS_PER_TEAM = 1200;

export interface DemoMetricsOptions {
  /** the seed's "today" (YYYY-MM-DD); the period defaults to the quarter before today's */
  today: string;
  period?: string;
  /** residents each demo contract stands for */
  scale?: number;
  log?: (line: string) => void;
}

export interface DemoMetricsResult {
  period: string;
  institutions: number;
  rows: number;
}

interface TeamCounts {
  all: number;
  hypertension: number;
  diabetes: number;
  elderly: number;
  pregnant: number;
  children: number;
}

function teamCounts(contracts: readonly Contract[], start: string, end: string, days: number): TeamCounts {
  const counts: TeamCounts = { all: 0, hypertension: 0, diabetes: 0, elderly: 0, pregnant: 0, children: 0 };
  for (const c of contracts) {
    const share = overlapDays(c.startDate, c.endDate, start, end) / days;
    if (share <= 0) continue;
    counts.all += share;
    if (c.keyPopulations.includes('hypertension')) counts.hypertension += share;
    if (c.keyPopulations.includes('diabetes')) counts.diabetes += share;
    if (c.keyPopulations.includes('elderly-65')) counts.elderly += share;
    if (c.keyPopulations.includes('pregnant')) counts.pregnant += share;
    if (c.keyPopulations.includes('children-0-6')) counts.children += share;
  }
  return counts;
}

function teamValues(counts: TeamCounts, scale: number, yearShare: number, performance: number, random: Random): Record<string, number> {
  const per = (n: number, perYear: number) => Math.round(n * scale * perYear * yearShare);
  const done = (due: number) => Math.min(due, Math.round(due * Math.min(1, Math.max(0, performance + (random.next() - 0.5) * 0.08))));
  const htnDue = per(counts.hypertension, 4);
  const dmDue = per(counts.diabetes, 4);
  const checkupDue = per(counts.elderly, 1);
  const vaccinationsDue = per(counts.children, 3);
  const referralsUp = Math.round(per(counts.all, 0.05) * (0.7 + random.next() * 0.6));
  return {
    'htn-followup-due': htnDue,
    'htn-followup-done': done(htnDue),
    'dm-followup-due': dmDue,
    'dm-followup-done': done(dmDue),
    'elderly-checkup-due': checkupDue,
    'elderly-checkup-done': done(checkupDue),
    'maternal-visits': Math.round(per(counts.pregnant, 5) * performance),
    'newborn-visits': Math.round(per(counts.children, 2 / 7) * performance),
    'child-vaccinations-due': vaccinationsDue,
    'child-vaccinations-done': done(vaccinationsDue),
    // about a quarter of residents 65+ are over 80, and a third of those live with difficulties
    'home-visits-80plus': Math.round(per(counts.elderly * 0.25 * 0.3, 4) * performance),
    'referrals-up': referralsUp,
    'referrals-down': Math.round(referralsUp * (0.4 + random.next() * 0.3)),
    'remote-consultations': Math.round(per(counts.all, 0.02) * performance * (0.5 + random.next())),
  };
}

export async function seedDemoMetrics(db: Db, demo: DemoDistrict, options: DemoMetricsOptions): Promise<DemoMetricsResult> {
  const random = seededRandom(20_260_701);
  const periodId = options.period ?? previousQuarter(quarterOf(options.today));
  const period = parsePeriod(periodId);
  if (!period) throw new Error(`Not a period: ${periodId}`);
  const districtId = demo.district.districtId;
  const at = `${options.today}T00:00:00.000Z`;
  const catalogue = await ensureCatalogue(db, districtId, at);

  const contractsByTeam = new Map<string, Contract[]>();
  for (const contract of demo.contracts) {
    const list = contractsByTeam.get(contract.teamId) ?? [];
    list.push(contract);
    contractsByTeam.set(contract.teamId, list);
  }
  const scale = options.scale ?? Math.max(1, Math.round(REPRESENTED_RESIDENTS_PER_TEAM / Math.max(1, demo.contracts.length / Math.max(1, demo.teams.length))));
  const yearShare = period.days / 365;

  const rowsByInstitution = new Map<string, MetricsRow[]>();
  for (const team of demo.teams) {
    const performance = random.chance(0.12) ? 0.45 + random.next() * 0.25 : 0.85 + random.next() * 0.14;
    const counts = teamCounts(contractsByTeam.get(team.teamId) ?? [], period.start, period.end, period.days);
    const rows = rowsByInstitution.get(team.institutionId) ?? [];
    rows.push({ teamId: team.teamId, values: teamValues(counts, scale, yearShare, performance, random) });
    rowsByInstitution.set(team.institutionId, rows);
  }

  let institutions = 0;
  let written = 0;
  const queue = demo.institutions.filter((i) => rowsByInstitution.has(i.institutionId));
  const worker = async () => {
    for (let institution = queue.shift(); institution; institution = queue.shift()) {
      const rows = rowsByInstitution.get(institution.institutionId)!;
      if (await getCurrentMetricsVersion(db, districtId, institution.institutionId, periodId)) continue;
      const validation = validateUpload(
        { columns: null, rows: rows.map((r, i) => ({ row: i + 1, teamId: r.teamId, values: r.values })) },
        catalogue,
        new Set(rows.map((r) => r.teamId)),
      );
      if (!validation.ok) throw new Error(`Demo metrics of ${institution.institutionId} are invalid: ${JSON.stringify(validation.problems.slice(0, 3))}`);
      await writeMetricsVersion(db, {
        districtId,
        institutionId: institution.institutionId,
        period: periodId,
        uploadedBy: 'demo-seed',
        uploadedAt: at,
        codes: validation.codes,
        format: 'seed',
        catalogueVersion: catalogue.version,
        rows: validation.rows,
      });
      institutions++;
      written += rows.length;
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  options.log?.(`  service metrics for ${periodId}: version 1 of ${institutions} institutions, ${written} team rows`);
  return { period: periodId, institutions, rows: written };
}
