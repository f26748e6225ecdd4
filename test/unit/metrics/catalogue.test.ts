import { describe, expect, it } from 'vitest';
import { catalogueProblems, DEFAULT_METRIC_CATALOGUE, isRegistryDerivedCode, type MetricCatalogue } from '#shared/domain/metrics/catalogue.ts';

const CODES = [
  'htn-followup-due',
  'htn-followup-done',
  'dm-followup-due',
  'dm-followup-done',
  'elderly-checkup-due',
  'elderly-checkup-done',
  'maternal-visits',
  'newborn-visits',
  'child-vaccinations-due',
  'child-vaccinations-done',
  'home-visits-80plus',
  'referrals-up',
  'referrals-down',
  'remote-consultations',
];

describe('the default metric catalogue', () => {
  it("holds exactly the domain brief's metrics", () => {
    expect(DEFAULT_METRIC_CATALOGUE.definitions.map((d) => d.code).sort()).toEqual([...CODES].sort());
  });

  it('is consistent: every …-done is a numerator of its …-due', () => {
    expect(catalogueProblems(DEFAULT_METRIC_CATALOGUE)).toEqual([]);
    for (const d of DEFAULT_METRIC_CATALOGUE.definitions.filter((x) => x.code.endsWith('-done'))) {
      expect(d).toMatchObject({ kind: 'numerator', denominator: d.code.replace(/-done$/, '-due') });
    }
  });

  it('names Chinese and English for every metric and never a registry-derived code', () => {
    for (const d of DEFAULT_METRIC_CATALOGUE.definitions) {
      expect(d.name.zh.length * d.name.en.length * d.unit.zh.length).toBeGreaterThan(0);
      expect(isRegistryDerivedCode(d.code)).toBe(false);
    }
    expect(isRegistryDerivedCode('insured-contracts')).toBe(true);
  });

  it('finds inconsistent catalogues', () => {
    const broken: MetricCatalogue = {
      version: 2,
      definitions: [
        { code: 'a-done', name: { zh: 'a', en: 'a' }, unit: { zh: '人', en: 'p' }, kind: 'numerator', min: 0, max: 10, denominator: 'a-due', required: true },
        { code: 'renewals', name: { zh: 'r', en: 'r' }, unit: { zh: '人', en: 'p' }, kind: 'count', min: 5, max: 1, required: true },
        { code: 'Bad Code', name: { zh: 'b', en: 'b' }, unit: { zh: '人', en: 'p' }, kind: 'count', min: 0, max: 1.5, required: true },
      ],
    };
    const problems = catalogueProblems(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('a-done: its denominator a-due is not defined'),
        expect.stringContaining('renewals: is derived from the contract registry'),
        expect.stringContaining('renewals: min 5 is above max 1'),
        expect.stringContaining('Bad Code: use lower-case'),
        expect.stringContaining('Bad Code: a count has whole-number bounds'),
      ]),
    );
  });
});
