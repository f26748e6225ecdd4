/**
 * Survey responses for the demo district's completed previous period: most teams reach the
 * district's minimum number of responses, some deliberately fall short (their results are
 * suppressed). Team quality varies so that scores spread. Written in bulk with the surveys
 * repository's item builders; the aggregates are computed with the same domain code as live
 * responses, so `reconcile` finds no drift.
 */
import { addCounters, type AggregateCounters, responseIncrements } from '#shared/domain/surveys/aggregate.ts';
import { addDays } from '#shared/domain/dates.ts';
import { parsePeriod } from '#shared/domain/periods.ts';
import { batchPut } from '#shared/data/batch.ts';
import type { Db } from '#shared/data/db.ts';
import { aggregateItem, defaultInstrument, responseImportItems } from '#shared/data/surveys.ts';
import type { DemoDistrict } from './demo-district.ts';
import { seededRandom } from './random.ts';

const COMMENTS = ['医生很耐心', '随访很及时', '希望能延长服务时间', '电话有时打不通', '护士服务周到', ''];

export async function seedDemoSurveys(db: Db, demo: DemoDistrict, options: { period: string; log?: (line: string) => void }): Promise<void> {
  const random = seededRandom(11643);
  const instrument = defaultInstrument();
  const period = parsePeriod(options.period)!;
  const minimum = demo.district.settings.surveyMinResponses;
  const byTeam = new Map<string, DemoDistrict['contracts']>();
  for (const contract of demo.contracts) {
    const list = byTeam.get(contract.teamId) ?? [];
    list.push(contract);
    byTeam.set(contract.teamId, list);
  }
  const items: Record<string, unknown>[] = [];
  let responses = 0;
  for (const team of demo.teams) {
    const contracts = (byTeam.get(team.teamId) ?? []).filter((c) => c.startDate <= period.end && c.endDate >= period.start);
    const shortfall = random.chance(0.08);
    const count = Math.min(contracts.length, shortfall ? random.int(2, minimum - 1) : random.int(minimum, contracts.length));
    const quality = 0.45 + random.next() * 0.5;
    const counters: AggregateCounters = {};
    for (const contract of contracts.slice(0, count)) {
      const rate = () => Math.max(1, Math.min(5, Math.round(2.6 + quality * 2.6 + (random.next() - 0.5) * 2)));
      const answers: Record<string, number | string> = { overall: rate(), attitude: rate(), communication: rate(), access: rate() };
      if (contract.keyPopulations.includes('hypertension') || contract.keyPopulations.includes('diabetes')) answers['chronic-followup'] = rate();
      if (random.chance(0.7)) answers.recommend = Math.max(0, Math.min(10, Math.round(quality * 10 + (random.next() - 0.5) * 4)));
      const comment = random.pick(COMMENTS);
      if (comment && random.chance(0.3)) answers.comment = comment;
      items.push(
        ...responseImportItems({
          teamId: team.teamId,
          period: options.period,
          residentRef: contract.residentRef,
          instrumentVersion: instrument.version,
          answers,
          channel: random.chance(0.5) ? 'app' : 'invitation',
          submittedOn: addDays(period.end, -random.int(0, 40)),
        }),
      );
      addCounters(counters, responseIncrements(instrument, answers));
      responses++;
    }
    if (count > 0)
      items.push(
        aggregateItem({ districtId: demo.district.districtId, period: options.period, teamId: team.teamId, institutionId: team.institutionId }, counters),
      );
  }
  await batchPut(db, items, 8);
  options.log?.(`  ${responses} survey responses for ${options.period} written`);
}
