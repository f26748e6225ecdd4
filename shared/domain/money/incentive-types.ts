/** Inputs and results of the incentive allocation methods (incentives.ts). */
import type { DecimalInput } from './exact-decimal.ts';
import type { Fen } from './fen.ts';

/** Outcome of the gates for a team: void pays nothing; capped pays at most a percentage. */
export type Eligibility = 'eligible' | 'capped' | 'void';
export type SizeMeasure = 'active-contracts' | 'weighted-residents';
/** 0–100 with at most two decimals, as a number (87.5) or an exact string ("87.50"). */
export type ScoreInput = number | string;

export interface TeamIncentiveInput {
  teamId: string;
  score: ScoreInput;
  eligibility: Eligibility;
  /** required when eligibility is 'capped': 0–100, at most two decimals */
  gateCapPercent?: ScoreInput;
  activeContracts: number;
  /** contracted residents with key populations weighted; an integer or a decimal (up to 6 decimals) */
  weightedResidents: DecimalInput;
}

interface CommonIncentiveOptions {
  pool: Fen;
  /** teams scoring below this get nothing (the bound itself is eligible) */
  scoreFloor?: ScoreInput;
  /** the most any one team may receive */
  teamCapFen?: Fen;
}

/** share ∝ score × size measure; money freed by caps and gates goes to the other teams. */
export interface ScoreWeightedOptions extends CommonIncentiveOptions {
  method: 'score-weighted';
  sizeMeasure: SizeMeasure;
}

/** entitlement = score × fenPerPoint (× size measure); scaled down to the pool if over it. */
export interface ValuePerPointOptions extends CommonIncentiveOptions {
  method: 'value-per-point';
  fenPerPoint: Fen;
  /** pay per point per contract (or per weighted resident); default 'none': per point per team */
  sizeMeasure?: SizeMeasure | 'none';
}

/** lower bound inclusive; a team is in the highest tier whose minScore it reaches */
export interface GradeTier {
  minScore: ScoreInput;
  amountFen: Fen;
}

/** entitlement = the amount of the team's tier; scaled down to the pool if over it. */
export interface GradeTiersOptions extends CommonIncentiveOptions {
  method: 'grade-tiers';
  tiers: readonly GradeTier[];
}

export type IncentiveOptions = ScoreWeightedOptions | ValuePerPointOptions | GradeTiersOptions;
export type IncentiveMethod = IncentiveOptions['method'];

export type GateEffect = 'none' | 'voided' | 'capped';

export interface IncentiveExplanation {
  /** two decimals, "87.50" */
  score: string;
  belowFloor: boolean;
  measure: { kind: SizeMeasure; value: string } | null;
  /** score-weighted: the team's exact share of the pool before caps and gates, a reduced fraction "w/W" */
  rawShare: string | null;
  /** exact fen before gates and caps, a reduced fraction: pool × rawShare, or the entitlement as earned */
  rawAmountFen: string;
  /** value-per-point and grade-tiers: exact fen owed after gates and the team cap, before scaling to the pool */
  entitledFen: string | null;
  /** grade-tiers: the tier reached, null when none */
  tier: { minScore: string; amountFen: Fen } | null;
  gate: {
    eligibility: Eligibility;
    capPercent: string | null;
    /** score-weighted: capPercent of the raw amount, rounded down to the fen */
    limitFen: Fen | null;
    /** whether the gate reduced the amount */
    effect: GateEffect;
  };
  teamCapFen: Fen | null;
  /** whether the team cap reduced the amount */
  capApplied: boolean;
  /** value-per-point and grade-tiers: entitlements exceeded the pool and were scaled down */
  scaledDown: boolean;
  amount: Fen;
}

export interface IncentiveLine {
  teamId: string;
  amount: Fen;
  explanation: IncentiveExplanation;
  text: { en: string; zh: string };
}

export interface IncentiveResult {
  method: IncentiveMethod;
  pool: Fen;
  /** Σ line amounts */
  paid: Fen;
  /** pool − paid: money no team could take, or that entitlements did not claim */
  unallocated: Fen;
  /** value-per-point and grade-tiers: entitlements exceeded the pool */
  scaledDown: boolean;
  /** in input order */
  lines: IncentiveLine[];
}
