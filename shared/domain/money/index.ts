/** Public API of the money library: integer fen, exact allocations, incentives, member splits, subsidies. */
export {
  allocateByWeights,
  allocateWithCaps,
  exactWeights,
} from './allocate.ts';
export type { FeeStatementLine, InstitutionOwnership } from './fee-statement.ts';
export {
  assertFen,
  type Fen,
  fenFromBigInt,
  formatYuan,
  isFen,
  MAX_FEN,
  parseYuan,
  sumFen,
} from './fen.ts';
export type {
  Eligibility,
  IncentiveExplanation,
  IncentiveOptions,
  IncentiveResult,
  SizeMeasure,
  TeamIncentiveInput,
} from './incentive-types.ts';
export { allocateIncentives } from './incentives.ts';
export { compareCodePoints } from './line-ids.ts';
export {
  type MemberSplit,
  type MemberStint,
  splitTeamAmount,
  type TeamMembership,
} from './member-split.ts';
export {
  daysInYear,
  type SubsidyContract,
  settleSubsidy,
} from './subsidy.ts';
