/**
 * A district ready for an evaluation run on DynamoDB Local: teams and a few contracts each, the
 * service metrics of the period and of its baseline period as version 1 of every institution's
 * upload (writeMetricsVersion), survey aggregates of both periods (aggregateItem), and the demo
 * criteria published. One institution did not upload for the period (the missing-upload gate);
 * teams with gaps come from the synthetic facts (bench/support/synthetic-district.ts).
 */
import type { KeyPopulation } from '#shared/domain/contracts.ts';
import { addDays } from '#shared/domain/dates.ts';
import { parsePeriod } from '#shared/domain/periods.ts';
import type { TeamFacts } from '#shared/domain/scoring/index.ts';
import { addCounters, type AggregateCounters, responseIncrements } from '#shared/domain/surveys/aggregate.ts';
import { batchPut } from '#shared/data/batch.ts';
import type { Contract } from '#shared/data/contracts.ts';
import { createCriteriaDraft, publishCriteria } from '#shared/data/criteria.ts';
import type { Db } from '#shared/data/db.ts';
import { type MetricsRow, writeMetricsVersion } from '#shared/data/metrics.ts';
import { aggregateItem, defaultInstrument } from '#shared/data/surveys.ts';
import { DEMO_CRITERIA } from '../../local/seed/demo-criteria.ts';
import { type Random, seededRandom } from '../../local/seed/random.ts';
import { type BenchRegistry, benchContract, benchRegistry, writeRegistry } from './registry-seed.ts';
import { syntheticDistrict } from './synthetic-district.ts';

export const EVALUATION_PERIOD = '2026Q1';
export const BASELINE_PERIOD = '2025Q4';
const SEEDED_AT = '2026-04-02T00:00:00.000Z';
const KEY_POPULATIONS: KeyPopulation[] = ['hypertension', 'diabetes', 'elderly-65', 'children-0-6'];

export interface SeededDistrict {
  registry: BenchRegistry;
  contracts: number;
  criteriaVersion: number;
  /** milliseconds per seeding step */
  timings: Record<string, number>;
}

/** A few contracts per team: some fall due in the period (and most of those were renewed), a third have a key-population tag. */
function contractsOf(registry: BenchRegistry, perTeam: number, random: Random): Contract[] {
  const period = parsePeriod(EVALUATION_PERIOD)!;
  const contracts: Contract[] = [];
  for (const team of registry.teams) {
    for (let c = 0; c < perTeam; c++) {
      const dueInPeriod = random.chance(0.3);
      const renewedEnd = addDays(period.start, random.int(0, period.days - 1));
      const keyPopulations = random.chance(0.35) ? [random.pick(KEY_POPULATIONS)] : [];
      const startDate = addDays(period.start, -random.int(120, 700));
      const terms = dueInPeriod
        ? random.chance(0.85)
          ? { startDate, endDate: addDays(renewedEnd, 365), renewedEnds: [renewedEnd] }
          : { startDate, endDate: renewedEnd }
        : { startDate, endDate: addDays(period.end, random.int(1, 300)) };
      contracts.push(benchContract(team, contracts.length, `bench-ref-${team.teamId}-${c}`, { ...terms, insured: random.chance(0.88), keyPopulations }));
    }
  }
  return contracts;
}

/** A period's survey counters from synthetic responses, through the same domain code as live answers. */
function surveyCounters(facts: TeamFacts, random: Random): AggregateCounters | null {
  const responses = facts.survey?.responses ?? 0;
  if (responses === 0) return null;
  const instrument = defaultInstrument();
  const quality = 0.45 + random.next() * 0.5;
  const rate = () => Math.max(1, Math.min(5, Math.round(2.6 + quality * 2.6 + (random.next() - 0.5) * 2)));
  const counters: AggregateCounters = {};
  for (let r = 0; r < responses; r++)
    addCounters(counters, responseIncrements(instrument, { overall: rate(), attitude: rate(), communication: rate(), access: rate() }));
  return counters;
}

async function writePeriod(db: Db, registry: BenchRegistry, period: string, seed: number, skipInstitution: string | null): Promise<void> {
  const facts = syntheticDistrict(registry.teams.length, seed).teams;
  const random = seededRandom(seed);
  const rowsByInstitution = new Map<string, MetricsRow[]>();
  const aggregates: Record<string, unknown>[] = [];
  registry.teams.forEach((team, i) => {
    const f = facts[i]!;
    const values = Object.fromEntries(Object.entries(f.metrics).filter((e): e is [string, number] => typeof e[1] === 'number'));
    if (f.uploaded) {
      const rows = rowsByInstitution.get(team.institutionId) ?? [];
      rows.push({ teamId: team.teamId, values });
      rowsByInstitution.set(team.institutionId, rows);
    }
    const counters = surveyCounters(f, random);
    if (counters) aggregates.push(aggregateItem({ districtId: team.districtId, period, teamId: team.teamId, institutionId: team.institutionId }, counters));
  });
  const uploads = [...rowsByInstitution.entries()].filter(([institutionId]) => institutionId !== skipInstitution);
  const worker = async () => {
    for (let next = uploads.shift(); next; next = uploads.shift()) {
      const [institutionId, rows] = next;
      await writeMetricsVersion(db, {
        districtId: registry.district.districtId,
        institutionId,
        period,
        uploadedBy: 'bench-seed',
        uploadedAt: SEEDED_AT,
        codes: Object.keys(rows[0]?.values ?? {}),
        format: 'seed',
        catalogueVersion: 1,
        rows,
      });
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  await batchPut(db, aggregates, 16);
}

export async function seedEvaluationDistrict(
  db: Db,
  options: { districtId: string; institutions: number; teamsPerInstitution: number; contractsPerTeam: number },
): Promise<SeededDistrict> {
  const timings: Record<string, number> = {};
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    timings[name] = performance.now() - started;
    return result;
  };
  const registry = benchRegistry(options.districtId, options.institutions, options.teamsPerInstitution);
  const contracts = contractsOf(registry, options.contractsPerTeam, seededRandom(4242));
  await step('registry and contracts', () => writeRegistry(db, registry, contracts, { residentPointers: false }));
  const lastInstitution = registry.institutions.at(-1)?.institutionId ?? null;
  await step('metrics and surveys, period', () => writePeriod(db, registry, EVALUATION_PERIOD, 1, registry.institutions.length > 1 ? lastInstitution : null));
  await step('metrics and surveys, baseline', () => writePeriod(db, registry, BASELINE_PERIOD, 2, null));
  const criteriaVersion = await step('criteria', async () => {
    const by = 'bench-evaluator';
    const draft = await createCriteriaDraft(db, {
      districtId: options.districtId,
      name: 'bench criteria',
      periodType: 'quarter',
      document: DEMO_CRITERIA,
      createdBy: by,
      createdAt: SEEDED_AT,
      updatedBy: by,
      updatedAt: SEEDED_AT,
    });
    await publishCriteria(db, options.districtId, draft.version, by, SEEDED_AT);
    return draft.version;
  });
  return { registry, contracts: contracts.length, criteriaVersion, timings };
}
