/**
 * Capitation as a settlement's incentive method: the glue between the settlement's facts (teams
 * in institution order, contracts, institutions with their catchment population) and
 * ./capitation.ts, returning what the other methods return (lines, paid, unallocated). Every
 * team of the district takes part, scored or not: capitation pays for the people served, not
 * for the score.
 */
import { allocateCapitation, type CapitationContract, type CapitationInstitution, type CapitationParameters, capitationTeamMeasures } from './capitation.ts';
import type { Fen } from './fen.ts';

export type { CapitationParameters } from './capitation.ts';

export interface CapitationIncentives {
  paid: Fen;
  unallocated: Fen;
  scaledDown: false;
  lines: { teamId: string; amount: Fen; explanation: null; text: { en: string; zh: string } }[];
}

export function capitationIncentives(
  poolFen: Fen,
  parameters: CapitationParameters,
  teams: readonly { teamId: string; institutionId: string }[],
  contracts: Iterable<CapitationContract>,
  institutions: readonly { institutionId: string; catchmentPopulation?: number }[],
  periodEnd: string,
): CapitationIncentives {
  const measures = capitationTeamMeasures(contracts, periodEnd);
  const catchment = new Map(institutions.map((i) => [i.institutionId, i.catchmentPopulation ?? 0]));
  const byInstitution = new Map<string, CapitationInstitution>();
  for (const team of teams) {
    const entry = byInstitution.get(team.institutionId) ?? {
      institutionId: team.institutionId,
      catchmentPopulation: catchment.get(team.institutionId) ?? 0,
      teams: [],
    };
    entry.teams.push({ teamId: team.teamId, ...(measures.get(team.teamId) ?? { activeContracts: 0, insuredContracts: 0, keyPopulationContracts: 0 }) });
    byInstitution.set(team.institutionId, entry);
  }
  const result = allocateCapitation(poolFen, parameters, [...byInstitution.values()]);
  return {
    paid: result.paidFen,
    unallocated: result.unallocatedFen,
    scaledDown: false,
    lines: result.teams.map((t) => ({ teamId: t.teamId, amount: t.amountFen, explanation: null, text: t.text })),
  };
}

export function describeCapitation(method: CapitationParameters): { en: string; zh: string } {
  const w = method.weights;
  return {
    en:
      `Capitation: ${method.poolSharePercent} % of the pool by catchment population ${w.catchmentPopulation}, ` +
      `insured contracts ${w.insuredContracts}, key-population contracts ${w.keyPopulationContracts}`,
    zh: `按人头分配：奖励池的 ${method.poolSharePercent}%，权重 服务人口 ${w.catchmentPopulation}、参保签约 ${w.insuredContracts}、重点人群签约 ${w.keyPopulationContracts}`,
  };
}
