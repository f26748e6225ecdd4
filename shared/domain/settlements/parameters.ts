/**
 * A settlement's parameters as stored and fingerprinted, the platform's defaults, and the one
 * spelling of a decimal parameter. Apart from ./compute.ts so that requests and the lifecycle
 * (shared/services/settlements.ts) use them without loading the computation, which a function
 * loads with its first computation (docs/performance.md, "Cold start").
 */
import type { KeyPopulation } from '../contracts.ts';
import { DomainError } from '../errors.ts';
import type { CapitationParameters } from '../money/capitation-incentives.ts';
import type { FundingSource } from '../money/funding-sources.ts';
import type { Fen, SizeMeasure } from '../money/index.ts';
import type { PaidRange } from '../money/subsidy-days.ts';
import type { SubsidyRate } from '../money/subsidy-rates.ts';

export type IncentiveMethodParameters =
  | { kind: 'score-weighted'; sizeMeasure: SizeMeasure; scoreFloor?: string; teamCapFen?: Fen }
  | { kind: 'value-per-point'; fenPerPoint: Fen; sizeMeasure: SizeMeasure | 'none'; scoreFloor?: string; teamCapFen?: Fen }
  | { kind: 'grade-tiers'; tiers: { minScore: string; amountFen: Fen }[]; scoreFloor?: string; teamCapFen?: Fen }
  | ({ kind: 'capitation'; scoreFloor?: undefined; teamCapFen?: undefined } & CapitationParameters);

/** How much a contracted resident weighs in the `weighted-residents` size measure. */
export interface ResidentWeights {
  /** the weight of a resident with any key-population tag (default "2"); one without weighs 1 */
  keyPopulation: string;
  /** per tag, overriding `keyPopulation`; a resident with several tags weighs the highest */
  byPopulation: Partial<Record<KeyPopulation, string>>;
}

export interface SettlementParameters {
  evaluationId: string;
  period: string;
  poolFen: Fen;
  method: IncentiveMethodParameters;
  /** role → share (decimal string); a role without one takes `other` */
  roleShares: Record<string, string>;
  residentWeights: ResidentWeights;
  /** the district's yearly subsidy per insured contracted resident when computed */
  subsidyPerResidentYearFen: Fen;
  /** where the money comes from (absent: one unnamed source); institution lines are split over them */
  fundingSources?: FundingSource[];
  /** the rates over time, when the district keeps them: each day is paid at the rate in force */
  subsidyRates?: SubsidyRate[];
  /** stretches of the period that approved settlements already paid: not paid again */
  subsidyAlreadyPaid?: PaidRange[];
}

export const DEFAULT_ROLE_SHARES: Record<string, string> = { 'general-practitioner': '40', 'community-nurse': '30', other: '10' };
export const DEFAULT_RESIDENT_WEIGHTS: ResidentWeights = { keyPopulation: '2', byPopulation: {} };

/** "40.50" → "40.5", "040" → "40", 7 → "7": one spelling per value, so equal parameters fingerprint equally. */
export function canonicalDecimal(value: string | number): string {
  const text = String(value);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new DomainError('invalid', 'invalid-decimal', `${text} is not a non-negative decimal`);
  const whole = match[1]!.replace(/^0+(?=\d)/, '');
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}
