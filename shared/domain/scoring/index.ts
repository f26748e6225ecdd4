/**
 * The scoring engine: pure, exact and explainable. Three phases for scale-out:
 *   1. computeIndicatorValues(criteria, facts, baselineFacts?)   per team, independent
 *   2. computeDistrictStatistics(criteria, values, baselineValues?)  (or summarise/merge/finalise in batches)
 *   3. scoreTeam(criteria, statistics, values)                    per team, independent
 * then rankTeams(scores); scoreDistrict runs everything in one go.
 */
export type {
  AchievementImprovementMethod,
  Band,
  BandsMethod,
  CriteriaSet,
  DecimalInput,
  Domain,
  FloorGate,
  Gate,
  GateEffect,
  Indicator,
  InsufficientDataRule,
  Label,
  MethodKind,
  MissingUploadGate,
  PassFailMethod,
  RegistryFigure,
  RelativeStandingMethod,
  ScoringMethod,
  SurveyFigure,
  ThresholdLinearMethod,
  ValueSource,
} from './criteria.ts';
export {
  bandSchema,
  criteriaSetSchema,
  decimalInputSchema,
  domainSchema,
  gateSchema,
  indicatorSchema,
  labelSchema,
  scoringMethodSchema,
  valueSourceSchema,
} from './criteria-schema.ts';
export { type CriteriaProblem, validateCriteria } from './validate.ts';
export type { InsufficientReason, RegistryFacts, SurveyFacts, TeamFacts } from './sources.ts';
export { computeIndicatorValues, type IndicatorValue, type TeamValues } from './values.ts';
export {
  computeDistrictStatistics,
  type DistrictStatistics,
  finaliseStatistics,
  type IndicatorStatistics,
  mergeSummaries,
  summariseValues,
  type ValueSummary,
} from './statistics.ts';
export { type DomainScore, type IndicatorScore, scoreTeam, type TeamScore } from './score-team.ts';
export type { Eligibility, GateOutcome } from './gates.ts';
export type { MethodDetail } from './methods/outcome.ts';
export type { Explanation } from './explain.ts';
export { type RankedTeam, rankTeams } from './rank.ts';
export { type DistrictScores, scoreDistrict } from './district.ts';
export { achievementPoints, improvementPoints } from './methods/achievement-improvement.ts';
export { Distribution, percentile, percentileRank, type Standing, topDecileMean } from './percentile.ts';
export { renormalise } from './weights.ts';
export { Ratio, sumRounded } from './ratio.ts';
export { canonicalJson, fingerprint } from '../fingerprint.ts';
