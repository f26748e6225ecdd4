/**
 * The criteria document a district evaluator configures: indicators (each a value source, a
 * direction, a minimum n, a weight and a scoring method), optional weighted domains, gates,
 * and the insufficient-data rule. `criteria-schema.ts` holds the matching zod schema.
 *
 * Decimal fields accept a number or a decimal string; numbers are read through their shortest
 * decimal form (0.09 is exactly 9/100), so JSON written by hand means what it says.
 */
export type DecimalInput = number | string;

export interface Label {
  en: string;
  zh: string;
}

export type RegistryFigure = 'contracts' | 'insuredContracts' | 'renewalRate' | 'keyPopulationCoverage';
export type SurveyFigure = 'topBoxShare' | 'mean100';

/**
 * Where a team's value comes from. `ratio`, `renewalRate`, `keyPopulationCoverage` and
 * `topBoxShare` are percentages (0–100) whose denominator is the n; `mean100` is a 0–100 score
 * whose n is the number of survey responses; `metric`, `contracts`, `insuredContracts` have no n.
 */
export type ValueSource = { metric: string } | { ratio: { numerator: string; denominator: string } } | { registry: RegistryFigure } | { survey: SurveyFigure };

/** [lower, upper) → points; only the last band omits `upper` (open-ended). */
export interface Band {
  lower: DecimalInput;
  upper?: DecimalInput;
  points: DecimalInput;
}

export interface ThresholdLinearMethod {
  kind: 'threshold-linear';
  lower: DecimalInput;
  upper: DecimalInput;
  maxPoints: DecimalInput;
}

/** CMS VBP. Leave out threshold and benchmark to derive both from the district's baseline. */
export interface AchievementImprovementMethod {
  kind: 'achievement-improvement';
  threshold?: DecimalInput;
  benchmark?: DecimalInput;
  /** Count improvement points against the team's own baseline (default true). */
  improvement?: boolean;
}

export interface BandsMethod {
  kind: 'bands';
  bands: Band[];
}

/** Percentile rank among the district's teams; linear to maxPoints, or through bands over the rank (0–100). */
export interface RelativeStandingMethod {
  kind: 'relative-standing';
  maxPoints: DecimalInput;
  bands?: Band[];
}

export interface PassFailMethod {
  kind: 'pass-fail';
  target: DecimalInput;
  maxPoints: DecimalInput;
}

export type ScoringMethod = ThresholdLinearMethod | AchievementImprovementMethod | BandsMethod | RelativeStandingMethod | PassFailMethod;

export type MethodKind = ScoringMethod['kind'];

export interface Indicator {
  code: string;
  label: Label;
  /** Required when the criteria set has domains, forbidden otherwise. */
  domain?: string;
  weight: DecimalInput;
  source: ValueSource;
  higherIsBetter: boolean;
  /** Minimum denominator or survey responses; below it the indicator is insufficient. Default 0. */
  minN?: number;
  method: ScoringMethod;
}

export interface Domain {
  id: string;
  label: Label;
  weight: DecimalInput;
  /** Fewest sufficient indicators for the domain to be scored (default 1). */
  minIndicators?: number;
}

/** `capPercent`: the share (0–100) of its score-based incentive a capped team may receive. */
export type GateEffect = 'void' | { capPercent: number };

export interface FloorGate {
  kind: 'floor';
  label?: Label;
  source: ValueSource;
  min: DecimalInput;
  minN?: number;
  effect: GateEffect;
}

export interface MissingUploadGate {
  kind: 'missing-upload';
  label?: Label;
  effect: GateEffect;
}

export type Gate = FloorGate | MissingUploadGate;

export type InsufficientDataRule = 'redistribute' | 'zero';

export interface CriteriaSet {
  /** redistribute: drop the indicator and renormalise the others' weights; zero: it scores 0. */
  insufficientData: InsufficientDataRule;
  domains?: Domain[];
  indicators: Indicator[];
  gates?: Gate[];
}
