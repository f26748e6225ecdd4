/**
 * The scoring engine: pure, exact and explainable. Three phases for scale-out:
 *   1. computeIndicatorValues(criteria, facts, baselineFacts?)   per team, independent
 *   2. summariseValues / mergeSummaries / finaliseStatistics      district statistics, in batches
 *   3. scoreTeam(criteria, statistics, values)                    per team, independent
 * then rankTeams(scores); scoreDistrict runs everything in one go.
 */
export type {
  Band,
  CriteriaSet,
  Domain,
  GateEffect,
  Indicator,
  Label,
  MethodKind,
  ScoringMethod,
  ValueSource,
} from './criteria.ts';
export { criteriaSetSchema } from './criteria-schema.ts';
export { validateCriteria } from './validate.ts';
export type { TeamFacts } from './sources.ts';
export { computeIndicatorValues, type TeamValues } from './values.ts';
export {
  type DistrictStatistics,
  finaliseStatistics,
  type IndicatorStatistics,
  mergeSummaries,
  summariseValues,
} from './statistics.ts';
export { type IndicatorScore, scoreTeam, type TeamScore } from './score-team.ts';
export { type RankedTeam, rankTeams } from './rank.ts';
export { type DistrictScores, scoreDistrict } from './fast/district.ts';
export { achievementPoints, improvementPoints } from './methods/achievement-improvement.ts';
export { percentile, topDecileMean } from './percentile.ts';
export { renormalise } from './weights.ts';
export { Ratio, sumRounded } from './ratio.ts';
export { fingerprint } from '../fingerprint.ts';
