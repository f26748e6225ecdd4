/**
 * The service-metric catalogue: what an institution reports for each of its teams per period
 * (domain brief, "What is measured"). Pure data and rules; a district's own copy is stored by
 * shared/data/metric-catalogue.ts and starts as DEFAULT_METRIC_CATALOGUE.
 *
 * Figures the contract registry already knows (contracts, insured contracts, renewals,
 * key-population coverage) are derived from contracts and are never uploaded:
 * REGISTRY_DERIVED_CODES names them so uploads carrying them are refused with a clear message.
 */

/**
 * count: a whole number on its own; numerator / denominator: the two whole-number halves of a
 * rate (a numerator names its denominator and may not exceed it); measure: a decimal figure.
 */
export const METRIC_KINDS = ['count', 'numerator', 'denominator', 'measure'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

export interface LocalisedText {
  zh: string;
  en: string;
}

export interface MetricDefinition {
  /** lower-case words joined by hyphens, e.g. "htn-followup-done" */
  code: string;
  name: LocalisedText;
  unit: LocalisedText;
  kind: MetricKind;
  /** allowed range, inclusive */
  min: number;
  max: number;
  /** numerators only: the code of the denominator this value may not exceed */
  denominator?: string;
  /** a required metric is in every upload (0 when nothing happened) */
  required: boolean;
}

export interface MetricCatalogue {
  /** bumped whenever a district changes its catalogue; uploads record the version they were checked against */
  version: number;
  definitions: MetricDefinition[];
}

export const METRIC_CODE_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Upper bound for a team's count in one period. A team holds at most 2,000 contracts; 50,000
 * leaves room for a year of repeated contacts while catching typing slips (an extra digit or two).
 */
export const MAX_TEAM_COUNT = 50_000;

const VISITS: LocalisedText = { zh: '人次', en: 'visits' };
const PERSONS: LocalisedText = { zh: '人', en: 'persons' };
const DOSES: LocalisedText = { zh: '剂次', en: 'doses' };

function count(code: string, zh: string, en: string, unit: LocalisedText): MetricDefinition {
  return { code, name: { zh, en }, unit, kind: 'count', min: 0, max: MAX_TEAM_COUNT, required: true };
}

function pair(prefix: string, due: LocalisedText, done: LocalisedText, unit: LocalisedText): MetricDefinition[] {
  return [
    { code: `${prefix}-due`, name: due, unit, kind: 'denominator', min: 0, max: MAX_TEAM_COUNT, required: true },
    { code: `${prefix}-done`, name: done, unit, kind: 'numerator', min: 0, max: MAX_TEAM_COUNT, denominator: `${prefix}-due`, required: true },
  ];
}

/** The metrics of the domain brief, in the order a clerk's spreadsheet lists them. */
export const DEFAULT_METRIC_CATALOGUE: MetricCatalogue = {
  version: 1,
  definitions: [
    ...pair(
      'htn-followup',
      { zh: '高血压患者应随访人次', en: 'Hypertension follow-ups due' },
      { zh: '高血压患者已随访人次', en: 'Hypertension follow-ups done' },
      VISITS,
    ),
    ...pair(
      'dm-followup',
      { zh: '2型糖尿病患者应随访人次', en: 'Diabetes follow-ups due' },
      { zh: '2型糖尿病患者已随访人次', en: 'Diabetes follow-ups done' },
      VISITS,
    ),
    ...pair(
      'elderly-checkup',
      { zh: '65岁及以上老年人应体检人数', en: 'Health check-ups due, residents 65+' },
      { zh: '65岁及以上老年人已体检人数', en: 'Health check-ups done, residents 65+' },
      PERSONS,
    ),
    count('maternal-visits', '孕产妇访视人次', 'Visits to pregnant and postpartum women', VISITS),
    count('newborn-visits', '新生儿访视人次', 'Newborn visits', VISITS),
    ...pair('child-vaccinations', { zh: '儿童应接种剂次', en: 'Child vaccinations due' }, { zh: '儿童已接种剂次', en: 'Child vaccinations done' }, DOSES),
    count('home-visits-80plus', '80岁以上行动不便居民上门服务人次', 'Home visits to residents over 80 living with difficulties', VISITS),
    count('referrals-up', '上转至医院人次', 'Referrals up to hospitals', VISITS),
    count('referrals-down', '医院下转接收人次', 'Referrals down from hospitals', VISITS),
    count('remote-consultations', '远程会诊人次', 'Remote consultations', VISITS),
  ],
};

/**
 * Codes of figures the contract registry derives (never uploaded). An upload naming one of
 * them is refused; a catalogue may not define them.
 */
export const REGISTRY_DERIVED_CODES = [
  'contracts',
  'active-contracts',
  'contracts-signed',
  'contracted-residents',
  'insured-contracts',
  'renewals',
  'renewals-due',
  'renewal-rate',
  'key-population-coverage',
  'key-population-covered',
  'key-population-eligible',
] as const;

const DERIVED = new Set<string>(REGISTRY_DERIVED_CODES);

export function isRegistryDerivedCode(code: string): boolean {
  return DERIVED.has(code);
}

export const DERIVED_CODE_MESSAGE =
  'is derived from the contract registry (active contracts, insured contracts, renewals, key-population coverage) and is never uploaded';

/** Counts and both halves of a rate are whole numbers; only measures may have decimals. */
export function wholeNumberRequired(definition: MetricDefinition): boolean {
  return definition.kind !== 'measure';
}

/** What is wrong with a catalogue (empty when it is consistent). */
export function catalogueProblems(catalogue: MetricCatalogue): string[] {
  const problems: string[] = [];
  const byCode = new Map<string, MetricDefinition>();
  for (const d of catalogue.definitions) {
    if (!METRIC_CODE_PATTERN.test(d.code)) problems.push(`${d.code}: use lower-case words joined by hyphens`);
    if (d.code === 'teamid') problems.push(`${d.code}: reserved for the team column`);
    if (isRegistryDerivedCode(d.code)) problems.push(`${d.code}: ${DERIVED_CODE_MESSAGE}`);
    if (byCode.has(d.code)) problems.push(`${d.code}: defined twice`);
    if (!(d.min <= d.max)) problems.push(`${d.code}: min ${d.min} is above max ${d.max}`);
    if (wholeNumberRequired(d) && (!Number.isSafeInteger(d.min) || !Number.isSafeInteger(d.max))) {
      problems.push(`${d.code}: a ${d.kind} has whole-number bounds`);
    }
    byCode.set(d.code, d);
  }
  for (const d of catalogue.definitions) {
    if (d.kind === 'numerator') {
      const denominator = d.denominator === undefined ? undefined : byCode.get(d.denominator);
      if (!denominator) problems.push(`${d.code}: its denominator ${d.denominator ?? '(none)'} is not defined`);
      else if (denominator.kind !== 'denominator') problems.push(`${d.code}: ${denominator.code} is not a denominator`);
      else if (d.required && !denominator.required) problems.push(`${d.code}: required, but its denominator ${denominator.code} is optional`);
    } else if (d.denominator !== undefined) {
      problems.push(`${d.code}: only a numerator names a denominator`);
    }
  }
  return problems;
}
