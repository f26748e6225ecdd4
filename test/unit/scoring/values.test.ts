import { describe, expect, it } from 'vitest';
import type { TeamFacts, ValueSource } from '#shared/domain/scoring/index.ts';
import { computeIndicatorValues } from '#shared/domain/scoring/index.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { criteriaOf, indicator, team } from './helpers.ts';

function read(source: ValueSource, facts: TeamFacts, minN = 0) {
  const criteria = criteriaOf([indicator({ source, minN: minN || undefined, method: { kind: 'pass-fail', target: 0, maxPoints: 1 } })]);
  return computeIndicatorValues(criteria, facts).values.followup;
}

const registry: TeamFacts = team(
  't',
  {},
  {
    registry: { contracts: 1800, insuredContracts: 1500, renewals: { renewed: 475, due: 500 }, keyPopulation: { covered: 2, eligible: 3 } },
    survey: { responses: 40, topBox: 30, mean100: '83.75' },
  },
);

describe('phase 1: indicator values from the facts', () => {
  it('a ratio is an exact percentage with the denominator as n', () => {
    const facts = team('t', { done: 1, due: 3 });
    expect(read({ ratio: { numerator: 'done', denominator: 'due' } }, facts)).toEqual({ status: 'ok', value: '100/3', n: 3 });
    expect(read({ ratio: { numerator: 'done', denominator: 'due' } }, team('t', { done: '0.5', due: 2 }))).toEqual({ status: 'ok', value: '25', n: 2 });
    expect(read({ ratio: { numerator: 'done', denominator: 'due' } }, team('t', { done: 0.07, due: 1 }))).toEqual({ status: 'ok', value: '7', n: 1 });
  });

  it('a metric may be a decimal string and has no n', () => {
    expect(read({ metric: 'x' }, team('t', { x: '12.50' }))).toEqual({ status: 'ok', value: '12.5', n: null });
    expect(read({ metric: 'x' }, team('t', { x: 0.1 }))).toEqual({ status: 'ok', value: '0.1', n: null });
  });

  it('registry and survey figures', () => {
    expect(read({ registry: 'contracts' }, registry)).toEqual({ status: 'ok', value: '1800', n: null });
    expect(read({ registry: 'insuredContracts' }, registry)).toEqual({ status: 'ok', value: '1500', n: null });
    expect(read({ registry: 'renewalRate' }, registry)).toEqual({ status: 'ok', value: '95', n: 500 });
    expect(read({ registry: 'keyPopulationCoverage' }, registry)).toEqual({ status: 'ok', value: '200/3', n: 3 });
    expect(read({ survey: 'topBoxShare' }, registry)).toEqual({ status: 'ok', value: '75', n: 40 });
    expect(read({ survey: 'mean100' }, registry)).toEqual({ status: 'ok', value: '83.75', n: 40 });
  });

  it('missing, below the minimum n, or a zero denominator is insufficient', () => {
    expect(read({ metric: 'x' }, team('t', { x: null }))).toEqual({ status: 'insufficient', reason: 'missing', n: null });
    expect(read({ ratio: { numerator: 'a', denominator: 'b' } }, team('t', { a: 1 }))).toMatchObject({ reason: 'missing' });
    expect(read({ ratio: { numerator: 'a', denominator: 'b' } }, team('t', { a: 0, b: 0 }))).toEqual({
      status: 'insufficient',
      reason: 'zero-denominator',
      n: 0,
    });
    expect(read({ survey: 'mean100' }, registry, 100)).toEqual({ status: 'insufficient', reason: 'below-minimum', n: 40 });
    expect(read({ survey: 'topBoxShare' }, team('t', {}))).toMatchObject({ reason: 'missing' });
    expect(read({ registry: 'renewalRate' }, team('t', {}))).toMatchObject({ reason: 'missing' });
  });

  it('rejects a metric that is not a number, naming the team and metric', () => {
    const bad = () => read({ metric: 'x' }, team('t9', { x: 'twelve' }));
    expect(bad).toThrow(DomainError);
    expect(bad).toThrow('Team t9: metric x is not a number (twelve)');
  });

  it('computes own baselines for achievement-improvement indicators and floor-gate values', () => {
    const criteria = criteriaOf([indicator({ method: { kind: 'achievement-improvement', threshold: 50, benchmark: 90 } })], {
      gates: [
        { kind: 'missing-upload', effect: 'void' },
        { kind: 'floor', source: { survey: 'topBoxShare' }, min: 50, effect: 'void' },
      ],
    });
    const facts = { ...team('t', { 'htn-followup-done': 7, 'htn-followup-due': 10 }), survey: { responses: 4, topBox: 1 } };
    const baseline = team('t', { 'htn-followup-done': 1, 'htn-followup-due': 2 });
    expect(computeIndicatorValues(criteria, facts, baseline)).toEqual({
      teamId: 't',
      uploaded: true,
      values: { followup: { status: 'ok', value: '70', n: 10 } },
      baseline: { followup: { status: 'ok', value: '50', n: 2 } },
      gates: [null, { status: 'ok', value: '25', n: 4 }],
    });
  });
});
