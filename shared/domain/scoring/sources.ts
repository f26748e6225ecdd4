/**
 * Reading a team's value for one value source out of the facts the caller supplies, and deciding
 * whether there is enough data (n at or above the minimum) to score it.
 */
import { DomainError } from '../errors.ts';
import type { DecimalInput, ValueSource } from './criteria.ts';
import { HUNDRED, Ratio } from './ratio.ts';

/** What phase 1 needs to know about one team for one period. */
export interface TeamFacts {
  teamId: string;
  /** Whether the team's institution uploaded its service metrics for the period. */
  uploaded: boolean;
  /** Service metric values by metric code (counts, or decimals as numbers or strings). */
  metrics: Readonly<Record<string, DecimalInput | null | undefined>>;
  /** Figures derived from the contract registry. */
  registry?: RegistryFacts;
  survey?: SurveyFacts;
}

export interface RegistryFacts {
  contracts?: number;
  insuredContracts?: number;
  /** Contracts that expired in the period (due) and those renewed. */
  renewals?: { renewed: number; due: number };
  /** Key-population residents in the team's care (eligible) and those under contract (covered). */
  keyPopulation?: { covered: number; eligible: number };
}

export interface SurveyFacts {
  responses: number;
  /** Responses in the most positive category. */
  topBox: number;
  /** Mean response linearised to 0–100. */
  mean100?: DecimalInput;
}

export type InsufficientReason = 'missing' | 'below-minimum' | 'zero-denominator' | 'no-statistics';

/** A team's value for one source: exact, as text ("82", "82.5", "100/3"), or why there is none. */
export type IndicatorValue = { status: 'ok'; value: string; n: number | null } | { status: 'insufficient'; reason: InsufficientReason; n: number | null };

export type Unit = 'percent' | 'plain';

export function unitOf(source: ValueSource): Unit {
  if ('ratio' in source) return 'percent';
  if ('registry' in source) return source.registry === 'renewalRate' || source.registry === 'keyPopulationCoverage' ? 'percent' : 'plain';
  if ('survey' in source) return source.survey === 'topBoxShare' ? 'percent' : 'plain';
  return 'plain';
}

/** Whether the source has an n (a denominator or a number of responses) to check a minimum against. */
export function hasN(source: ValueSource): boolean {
  if ('metric' in source) return false;
  if ('registry' in source) return source.registry === 'renewalRate' || source.registry === 'keyPopulationCoverage';
  return true;
}

function exact(input: DecimalInput, teamId: string, what: string): Ratio {
  try {
    return Ratio.decimal(input);
  } catch (error) {
    throw new DomainError('invalid', 'facts-invalid', `Team ${teamId}: ${what} is not a number (${String(input)})`, {
      teamId,
      field: what,
      cause: (error as Error).message,
    });
  }
}

const isPresent = <T>(x: T | null | undefined): x is T => x !== null && x !== undefined;

const MISSING: IndicatorValue = Object.freeze({ status: 'insufficient', reason: 'missing', n: null });

const ok = (value: Ratio, n: number | null): IndicatorValue => ({ status: 'ok', value: value.toString(), n });

function checkedN(n: number, minN: number): IndicatorValue | null {
  if (n < minN) return { status: 'insufficient', reason: 'below-minimum', n };
  if (n === 0) return { status: 'insufficient', reason: 'zero-denominator', n };
  return null;
}

/** 100 × top / bottom, with bottom as n. */
function percent(top: DecimalInput, bottom: DecimalInput, minN: number, id: string, what: [string, string]): IndicatorValue {
  const counts = typeof top === 'number' && typeof bottom === 'number' && Number.isSafeInteger(top) && Number.isSafeInteger(bottom);
  if (counts && Number.isSafeInteger(100 * top)) {
    // the usual case, two counts: straight to one reduced fraction
    return checkedN(bottom, minN) ?? ok(Ratio.of(100 * top, bottom), bottom);
  }
  const numerator = exact(top, id, what[0]);
  const denominator = exact(bottom, id, what[1]);
  const n = denominator.toNumber();
  return checkedN(n, minN) ?? ok(HUNDRED.mul(numerator).div(denominator), n);
}

function plain(raw: DecimalInput | null | undefined, id: string, what: string): IndicatorValue {
  return isPresent(raw) ? ok(exact(raw, id, what), null) : MISSING;
}

export function readSource(source: ValueSource, facts: TeamFacts, minN: number): IndicatorValue {
  const id = facts.teamId;
  if ('metric' in source) return plain(facts.metrics[source.metric], id, `metric ${source.metric}`);
  if ('ratio' in source) {
    const { numerator, denominator } = source.ratio;
    const top = facts.metrics[numerator];
    const bottom = facts.metrics[denominator];
    if (!isPresent(top) || !isPresent(bottom)) return MISSING;
    return percent(top, bottom, minN, id, [`metric ${numerator}`, `metric ${denominator}`]);
  }
  if ('registry' in source) {
    const registry = facts.registry;
    switch (source.registry) {
      case 'contracts':
        return plain(registry?.contracts, id, 'contracts');
      case 'insuredContracts':
        return plain(registry?.insuredContracts, id, 'insuredContracts');
      case 'renewalRate': {
        const r = registry?.renewals;
        return r ? percent(r.renewed, r.due, minN, id, ['renewals.renewed', 'renewals.due']) : MISSING;
      }
      case 'keyPopulationCoverage': {
        const k = registry?.keyPopulation;
        return k ? percent(k.covered, k.eligible, minN, id, ['keyPopulation.covered', 'keyPopulation.eligible']) : MISSING;
      }
    }
  }
  const survey = facts.survey;
  if (!survey) return MISSING;
  if (source.survey === 'topBoxShare') return percent(survey.topBox, survey.responses, minN, id, ['survey.topBox', 'survey.responses']);
  if (!isPresent(survey.mean100)) return MISSING;
  return checkedN(survey.responses, minN) ?? ok(exact(survey.mean100, id, 'survey.mean100'), survey.responses);
}
