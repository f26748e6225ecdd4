import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCounters, type AggregateCounters, counterDrift, responseIncrements, scoringFacts, surveyResults } from '#shared/domain/surveys/aggregate.ts';
import { answerProblems, DEFAULT_QUESTIONS } from '#shared/domain/surveys/instrument.ts';
import { sampleWithoutReplacement } from '#shared/domain/surveys/sampling.ts';

const instrument = { questions: DEFAULT_QUESTIONS };

describe('answers', () => {
  it('lists every problem with its question code', () => {
    expect(answerProblems(instrument, { overall: 6, attitude: 4.5, bogus: 1, comment: 'x'.repeat(301) }).map((p) => [p.code, p.kind])).toEqual([
      ['bogus', 'unknown-question'],
      ['overall', 'out-of-range'],
      ['attitude', 'out-of-range'],
      ['communication', 'required'],
      ['access', 'required'],
      ['comment', 'too-long'],
    ]);
    expect(answerProblems(instrument, { overall: 5, attitude: 4, communication: 3, access: 1 })).toEqual([]);
  });
});

describe('aggregates', () => {
  it('computes top-box share and the 0–100 mean by hand', () => {
    const counters: AggregateCounters = {};
    for (const overall of [5, 5, 4, 3, 1])
      addCounters(counters, responseIncrements(instrument, { overall, attitude: 5, communication: 5, access: 5, recommend: overall * 2 }));
    const results = surveyResults(instrument, counters, 5);
    const overall = results.questions.find((q) => q.code === 'overall')!;
    // top box 2 of 5 = 40 %; mean 3.6 → (3.6 − 1) / 4 × 100 = 65
    expect(overall).toEqual({ code: 'overall', count: 5, topBoxShare: 40, mean100: 65, distribution: { 1: 1, 2: 0, 3: 1, 4: 1, 5: 2 } });
    // recommend 10,10,8,6,2: top box (9–10) 2 of 5; mean 7.2 → 72
    expect(results.questions.find((q) => q.code === 'recommend')).toMatchObject({ topBoxShare: 40, mean100: 72 });
    // the headline is the first 5-point question, overall
    expect(results.headline).toEqual({ topBoxShare: 40, mean100: 65 });
    // what scoring reads: 5 respondents, 2 in the top box, mean (18 − 5) / 20 × 100 = 65 exactly
    expect(scoringFacts(instrument, counters)).toEqual({ responses: 5, topBox: 2, mean100: '65.000000' });
    const third = responseIncrements(instrument, { overall: 4, attitude: 5, communication: 5, access: 5 });
    const threeAnswers = addCounters(
      addCounters(addCounters({}, third), third),
      responseIncrements(instrument, { overall: 5, attitude: 5, communication: 5, access: 5 }),
    );
    // (13 − 3) / 12 × 100 = 83.33… → 83.333333
    expect(scoringFacts(instrument, threeAnswers).mean100).toBe('83.333333');
    expect(results.suppressed).toBe(false);
  });

  it('withholds every figure below the minimum number of responses', () => {
    const counters = responseIncrements(instrument, { overall: 5, attitude: 5, communication: 5, access: 5 });
    const results = surveyResults(instrument, counters, 10);
    expect(results).toMatchObject({ n: 1, suppressed: true, headline: { topBoxShare: null, mean100: null } });
    expect(results.questions.every((q) => q.topBoxShare === null && q.distribution === null && q.count === 0)).toBe(true);
  });

  it('reports drift key by key', () => {
    expect(counterDrift({ n: 3, 'q.overall.sum': 12 }, { n: 3, 'q.overall.sum': 13, 'q.overall.d5': 1 })).toEqual([
      { key: 'q.overall.d5', stored: 0, recomputed: 1 },
      { key: 'q.overall.sum', stored: 12, recomputed: 13 },
    ]);
  });
});

describe('sampling', () => {
  it('draws distinct items, never more than there are', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer(), { maxLength: 60 }), fc.integer({ min: 0, max: 80 }), (items, size) => {
        const sample = sampleWithoutReplacement(items, size, (max) => Math.floor(Math.random() * max));
        expect(sample).toHaveLength(Math.min(size, items.length));
        expect(new Set(sample).size).toBe(sample.length);
        for (const s of sample) expect(items).toContain(s);
      }),
    );
  });
});
