/** Small builders for single-indicator criteria sets and team facts. */
import type { CriteriaSet, DistrictStatistics, Indicator, IndicatorScore, TeamFacts, TeamScore } from '#shared/domain/scoring/index.ts';
import { computeIndicatorValues, scoreDistrict, scoreTeam } from '#shared/domain/scoring/index.ts';

export const NO_STATISTICS: DistrictStatistics = { indicators: {} };

export function indicator(overrides: Partial<Indicator> & Pick<Indicator, 'method'>): Indicator {
  return {
    code: 'followup',
    label: { en: 'follow-up rate', zh: '随访率' },
    weight: 100,
    source: { ratio: { numerator: 'htn-followup-done', denominator: 'htn-followup-due' } },
    higherIsBetter: true,
    ...overrides,
  };
}

export function criteriaOf(indicators: Indicator[], extra: Partial<CriteriaSet> = {}): CriteriaSet {
  return { insufficientData: 'redistribute', indicators, ...extra };
}

export function team(teamId: string, metrics: TeamFacts['metrics'], extra: Partial<TeamFacts> = {}): TeamFacts {
  return { teamId, uploaded: true, metrics, ...extra };
}

/** Follow-up facts giving a rate of done/due. */
export const followUp = (teamId: string, done: number, due = 100): TeamFacts => team(teamId, { 'htn-followup-done': done, 'htn-followup-due': due });

/** A plain metric value. */
export const metricValue = (teamId: string, value: number | string): TeamFacts => team(teamId, { value });

export function scoreAlone(criteria: CriteriaSet, facts: TeamFacts, baseline?: TeamFacts): TeamScore {
  return scoreTeam(criteria, NO_STATISTICS, computeIndicatorValues(criteria, facts, baseline));
}

export function firstIndicator(score: TeamScore): IndicatorScore {
  const first = score.indicators[0];
  if (!first) throw new Error('no indicator');
  return first;
}

export function scoreIn(criteria: CriteriaSet, teams: TeamFacts[], teamId: string, baseline: TeamFacts[] = []): TeamScore {
  const result = scoreDistrict(criteria, teams, baseline).teams.find((t) => t.teamId === teamId);
  if (!result) throw new Error(`no team ${teamId}`);
  return result;
}
