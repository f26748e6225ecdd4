/** Public API of the money library: integer fen, exact allocations, incentives, member splits, subsidies. */
export {
  type Allocation,
  type AllocationLine,
  allocateByWeights,
  allocateWithCaps,
  type CappedAllocationLine,
  type CappedLineInput,
  exactWeights,
  MAX_WEIGHT_DECIMALS,
  type WeightedLineInput,
  type WeightInput,
} from './allocate.ts';
export type { DecimalInput } from './exact-decimal.ts';
export { type FeeStatementLine, feeStatement, type InstitutionOwnership, type ServicePackageFee } from './fee-statement.ts';
export {
  assertFen,
  FEN_PER_YUAN,
  type Fen,
  type FenOptions,
  fenFromBigInt,
  formatYuan,
  isFen,
  MAX_FEN,
  parseYuan,
  sumFen,
} from './fen.ts';
export type {
  Eligibility,
  GateEffect,
  GradeTier,
  GradeTiersOptions,
  IncentiveExplanation,
  IncentiveLine,
  IncentiveMethod,
  IncentiveOptions,
  IncentiveResult,
  ScoreInput,
  ScoreWeightedOptions,
  SizeMeasure,
  TeamIncentiveInput,
  ValuePerPointOptions,
} from './incentive-types.ts';
export { allocateGradeTiers, allocateIncentives, allocateScoreWeighted, allocateValuePerPoint } from './incentives.ts';
export { compareCodePoints } from './line-ids.ts';
export {
  FALLBACK_ROLE,
  type MemberSplit,
  type MemberSplitInput,
  type MemberSplitLine,
  type MemberStint,
  type RoleShares,
  type ShareSource,
  splitTeamAmount,
  type TeamMembership,
} from './member-split.ts';
export {
  DEFAULT_YEARLY_SUBSIDY_FEN,
  daysInYear,
  type InstitutionSubsidy,
  type SubsidyContract,
  type SubsidyInstitution,
  type SubsidySettlement,
  type SubsidySettlementInput,
  settleSubsidy,
  type TeamSubsidyLine,
} from './subsidy.ts';
