/**
 * Survey aggregates per team and period: count, and per rated question the sum, the number
 * of answers, the top-box count and the distribution. A response contributes increments
 * that are added in the same transaction as the response is stored, so scoring reads
 * aggregates only. Attribute names are flat (q.<code>.sum …) so DynamoDB's ADD can create
 * them.
 */
import { type Answers, type Instrument, SCALE_RANGE } from './instrument.ts';

/** Flat numeric counters, e.g. { n: 1, 'q.overall.sum': 5, 'q.overall.count': 1, 'q.overall.top': 1, 'q.overall.d5': 1 } */
export type AggregateCounters = Record<string, number>;

export function responseIncrements(instrument: Pick<Instrument, 'questions'>, answers: Answers): AggregateCounters {
  const increments: AggregateCounters = { n: 1 };
  for (const question of instrument.questions) {
    if (question.type === 'text') continue;
    const value = answers[question.code];
    if (typeof value !== 'number') continue;
    const prefix = `q.${question.code}`;
    increments[`${prefix}.sum`] = value;
    increments[`${prefix}.count`] = 1;
    increments[`${prefix}.top`] = value >= SCALE_RANGE[question.type].topBoxFrom ? 1 : 0;
    increments[`${prefix}.d${value}`] = 1;
  }
  return increments;
}

export function addCounters(into: AggregateCounters, increments: AggregateCounters): AggregateCounters {
  for (const [key, value] of Object.entries(increments)) into[key] = (into[key] ?? 0) + value;
  return into;
}

export interface QuestionResult {
  code: string;
  count: number;
  /** share of answers in the top box, 0–100, one decimal */
  topBoxShare: number | null;
  /** mean linearised to 0–100, one decimal */
  mean100: number | null;
  distribution: Record<string, number> | null;
}

export interface SurveyResults {
  n: number;
  suppressed: boolean;
  minResponses: number;
  /** the headline question's figures (the first 5-point question): what scoring reads */
  headline: { topBoxShare: number | null; mean100: number | null };
  questions: QuestionResult[];
}

function oneDecimal(numerator: number, denominator: number): number {
  // integers in, so the only rounding is this one, half away from zero at one decimal
  return Math.round((numerator * 1000) / denominator) / 10;
}

/**
 * Results as published: below minResponses every figure is withheld (GP Patient Survey rule),
 * only n and the suppression flag are shown.
 */
export function surveyResults(instrument: Pick<Instrument, 'questions'>, counters: AggregateCounters, minResponses: number): SurveyResults {
  const n = counters.n ?? 0;
  const suppressed = n < minResponses;
  const questions = instrument.questions
    .filter((q) => q.type !== 'text')
    .map((q) => {
      const count = counters[`q.${q.code}.count`] ?? 0;
      if (suppressed || count === 0) return { code: q.code, count: suppressed ? 0 : count, topBoxShare: null, mean100: null, distribution: null };
      const range = SCALE_RANGE[q.type as 'scale5' | 'scale10'];
      const sum = counters[`q.${q.code}.sum`] ?? 0;
      const distribution: Record<string, number> = {};
      for (let v = range.min; v <= range.max; v++) distribution[String(v)] = counters[`q.${q.code}.d${v}`] ?? 0;
      return {
        code: q.code,
        count,
        topBoxShare: oneDecimal(counters[`q.${q.code}.top`] ?? 0, count),
        // mean100 = (mean − min) / (max − min) × 100 = (sum − count·min) × 100 / (count·(max − min))
        mean100: oneDecimal(sum - count * range.min, count * (range.max - range.min)),
        distribution,
      };
    });
  return { n, suppressed, minResponses, headline: suppressed ? { topBoxShare: null, mean100: null } : headlineFigures(instrument, counters), questions };
}

/** The headline question: the instrument's first 5-point question ("overall" by default). */
export function headlineQuestion(instrument: Pick<Instrument, 'questions'>): string | null {
  return instrument.questions.find((q) => q.type === 'scale5')?.code ?? null;
}

/** Top-box share and 0–100 mean of the headline question; null when it has no answers. */
export function headlineFigures(
  instrument: Pick<Instrument, 'questions'>,
  counters: AggregateCounters,
): { topBoxShare: number | null; mean100: number | null } {
  const code = headlineQuestion(instrument);
  const count = code ? (counters[`q.${code}.count`] ?? 0) : 0;
  if (count === 0) return { topBoxShare: null, mean100: null };
  const sum = counters[`q.${code}.sum`] ?? 0;
  return { topBoxShare: oneDecimal(counters[`q.${code}.top`] ?? 0, count), mean100: oneDecimal(sum - count, count * 4) };
}

/**
 * What scoring reads from a team's aggregate: respondents to the headline question, how many
 * gave the top box, and the 0–100 mean as an exact decimal string (6 places, half up).
 */
export function scoringFacts(instrument: Pick<Instrument, 'questions'>, counters: AggregateCounters): { responses: number; topBox: number; mean100?: string } {
  const code = headlineQuestion(instrument);
  const count = code ? (counters[`q.${code}.count`] ?? 0) : 0;
  const top = code ? (counters[`q.${code}.top`] ?? 0) : 0;
  if (count === 0) return { responses: 0, topBox: 0 };
  const sum = counters[`q.${code}.sum`] ?? 0;
  // (sum − count) / (4 · count) × 100, to 6 decimals: scale by 10^6 and round half up in integers
  const scaled = (BigInt(sum - count) * 100_000_000n * 2n + BigInt(4 * count)) / (BigInt(4 * count) * 2n);
  const whole = scaled / 1_000_000n;
  const fraction = String(scaled % 1_000_000n).padStart(6, '0');
  return { responses: count, topBox: top, mean100: `${whole}.${fraction}` };
}

/** Differences between stored and recomputed counters, for reconciliation. */
export function counterDrift(stored: AggregateCounters, recomputed: AggregateCounters): { key: string; stored: number; recomputed: number }[] {
  const keys = new Set([...Object.keys(stored), ...Object.keys(recomputed)]);
  return [...keys]
    .sort()
    .map((key) => ({ key, stored: stored[key] ?? 0, recomputed: recomputed[key] ?? 0 }))
    .filter((d) => d.stored !== d.recomputed);
}
