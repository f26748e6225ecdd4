/**
 * The form-based criteria editor's fields: a criteria document as one row per indicator (and per
 * domain), the rows read back into a document, the service's problems moved next to their row's
 * field with 1-based row numbers in the page's language, and the differences from another version.
 *
 * Field names: `ind.{row}.{code|zh|en|domain|weight|source|higher|minN|method|lower|upper|maxPoints|
 * threshold|benchmark|improvement|target|bands|delete}`, `dom.{row}.{id|zh|en|weight|minIndicators}`,
 * `gate.{row}.{kind|zh|en|source|min|minN|effect|cap|delete}` (kind `floor` or `missing-upload`, an
 * empty kind is an unused row; effect `void` or `cap` with `cap` the percentage kept),
 * `indRows`, `domRows`, `gateRows`, `insufficientData`. Sources are written `metric:code`, `ratio:numerator/denominator`,
 * `registry:renewalRate`, `survey:topBoxShare`; bands `0-60:0; 60-80:6; 80:10` (the last one open).
 */
import type { FieldError } from '#shared/domain/field-errors.ts';
import type { Band, CriteriaSet, Domain, Indicator, MethodKind, ScoringMethod, ValueSource } from '#shared/domain/scoring/index.ts';
import type { Gate } from '#shared/domain/scoring/criteria.ts';
import type { Lang } from '#shared/web/lang.ts';

export const METHOD_FIELDS: Record<MethodKind, readonly string[]> = {
  'threshold-linear': ['lower', 'upper', 'maxPoints'],
  'achievement-improvement': ['threshold', 'benchmark', 'improvement'],
  bands: ['bands'],
  'relative-standing': ['maxPoints', 'bands'],
  'pass-fail': ['target', 'maxPoints'],
};
export const METHOD_KINDS = Object.keys(METHOD_FIELDS) as MethodKind[];
const ALL_METHOD_FIELDS = ['lower', 'upper', 'maxPoints', 'threshold', 'benchmark', 'improvement', 'target', 'bands'] as const;

export type FormFields = Record<string, string>;

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export function sourceText(source: ValueSource): string {
  if ('metric' in source) return `metric:${source.metric}`;
  if ('ratio' in source) return `ratio:${source.ratio.numerator}/${source.ratio.denominator}`;
  if ('registry' in source) return `registry:${source.registry}`;
  return `survey:${source.survey}`;
}

function bandsText(bands: readonly Band[] | undefined): string {
  return (bands ?? []).map((b) => `${str(b.lower)}${b.upper === undefined ? '' : `-${str(b.upper)}`}:${str(b.points)}`).join('; ');
}

/** A document as form fields, with `extraRows` empty indicator rows for new indicators. */
export function formFromDocument(document: CriteriaSet, extraRows = 1): FormFields {
  const f: FormFields = { insufficientData: document.insufficientData };
  document.indicators.forEach((ind, i) => {
    const p = `ind.${i}.`;
    const m = ind.method as ScoringMethod & Record<string, unknown>;
    Object.assign(f, {
      [`${p}code`]: ind.code,
      [`${p}zh`]: ind.label.zh,
      [`${p}en`]: ind.label.en,
      [`${p}domain`]: ind.domain ?? '',
      [`${p}weight`]: str(ind.weight),
      [`${p}source`]: sourceText(ind.source),
      [`${p}higher`]: ind.higherIsBetter ? '1' : '0',
      [`${p}minN`]: str(ind.minN),
      [`${p}method`]: m.kind,
      [`${p}lower`]: str(m.lower),
      [`${p}upper`]: str(m.upper),
      [`${p}maxPoints`]: str(m.maxPoints),
      [`${p}threshold`]: str(m.threshold),
      [`${p}benchmark`]: str(m.benchmark),
      [`${p}improvement`]: m.kind === 'achievement-improvement' ? (m.improvement === false ? '0' : '1') : '1',
      [`${p}target`]: str(m.target),
      [`${p}bands`]: bandsText(m.bands as Band[] | undefined),
    });
  });
  f.indRows = String(document.indicators.length + extraRows);
  (document.domains ?? []).forEach((d, i) => {
    Object.assign(f, {
      [`dom.${i}.id`]: d.id,
      [`dom.${i}.zh`]: d.label.zh,
      [`dom.${i}.en`]: d.label.en,
      [`dom.${i}.weight`]: str(d.weight),
      [`dom.${i}.minIndicators`]: str(d.minIndicators),
    });
  });
  f.domRows = String(document.domains?.length ?? 0);
  (document.gates ?? []).forEach((gate, i) => {
    const p = `gate.${i}.`;
    Object.assign(f, {
      [`${p}kind`]: gate.kind,
      [`${p}zh`]: gate.label?.zh ?? '',
      [`${p}en`]: gate.label?.en ?? '',
      [`${p}effect`]: gate.effect === 'void' ? 'void' : 'cap',
      [`${p}cap`]: gate.effect === 'void' ? '' : String(gate.effect.capPercent),
      ...(gate.kind === 'floor' ? { [`${p}source`]: sourceText(gate.source), [`${p}min`]: str(gate.min), [`${p}minN`]: str(gate.minN) } : {}),
    });
  });
  f.gateRows = String((document.gates?.length ?? 0) + extraRows);
  return f;
}

const FORM_TEXT = {
  zh: {
    required: '必填',
    number: '请输入数字，如 60 或 62.5',
    wholeNumber: '请输入非负整数',
    source: '来源写作 metric:指标编码、ratio:分子/分母、registry:renewalRate 或 survey:topBoxShare',
    bands: '分段写作 下限-上限:分值，用分号分隔，最后一段可只写 下限:分值',
    cap: '请输入 0 至 100 的整数',
    row: (n: number) => `第 ${n} 行`,
    domainRow: (n: number) => `维度第 ${n} 行`,
    gateRow: (n: number) => `门槛第 ${n} 行`,
  },
  en: {
    required: 'Required',
    number: 'A number such as 60 or 62.5',
    wholeNumber: 'A whole number, 0 or more',
    source: 'Write the source as metric:code, ratio:numerator/denominator, registry:renewalRate or survey:topBoxShare',
    bands: 'Write bands as lower-upper:points separated by semicolons; the last may be lower:points',
    cap: 'A whole number from 0 to 100',
    row: (n: number) => `Row ${n}`,
    domainRow: (n: number) => `Domain row ${n}`,
    gateRow: (n: number) => `Gate row ${n}`,
  },
} as const;

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A decimal as typed: a number when it reads back the same (60), else the exact text ("62.50"). */
function decimal(text: string): number | string {
  return String(Number(text)) === text ? Number(text) : text;
}

function parseSource(text: string): ValueSource | null {
  const [kind, rest = ''] = text.split(':', 2).map((s) => s.trim()) as [string, string?];
  if (kind === 'metric' && rest) return { metric: rest };
  if (kind === 'ratio' && rest.includes('/')) {
    const [numerator = '', denominator = ''] = rest.split('/').map((s) => s.trim());
    return { ratio: { numerator, denominator } };
  }
  if (kind === 'registry' && rest) return { registry: rest as 'renewalRate' };
  if (kind === 'survey' && rest) return { survey: rest as 'topBoxShare' };
  return null;
}

function parseBands(text: string): Band[] | null {
  const parts = text
    .split(/[;；]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const bands: Band[] = [];
  for (const part of parts) {
    const match = /^([+-]?[\d.]+)\s*(?:-\s*([+-]?[\d.]+))?\s*[:：]\s*([+-]?[\d.]+)$/.exec(part);
    if (!match || !NUMBER.test(match[1]!) || !NUMBER.test(match[3]!) || (match[2] !== undefined && !NUMBER.test(match[2]))) return null;
    bands.push({ lower: decimal(match[1]!), ...(match[2] !== undefined ? { upper: decimal(match[2]) } : {}), points: decimal(match[3]!) });
  }
  return bands.length > 0 ? bands : null;
}

export interface ReadForm {
  document: CriteriaSet;
  /** form-level problems, each with its form field (`ind.2.weight`) */
  problems: FieldError[];
  /** document indicator index → form row */
  rowOfIndicator: number[];
  /** document gate index → form row */
  rowOfGate: number[];
}

const rowCount = (text: string | undefined, max: number) => Math.min(Math.max(Number.parseInt(text ?? '0', 10) || 0, 0), max);

/** The form read back into a document: rows without a code are skipped, rows marked for deletion dropped. */
export function documentFromForm(f: FormFields, lang: Lang): ReadForm {
  const t = FORM_TEXT[lang];
  const problems: FieldError[] = [];
  const need = (field: string) => {
    const v = (f[field] ?? '').trim();
    if (!v) problems.push({ field, message: t.required });
    return v;
  };
  const num = (field: string, optional = false): number | string | undefined => {
    const v = (f[field] ?? '').trim().replace(/[,，]/g, '');
    if (!v && optional) return undefined;
    if (!NUMBER.test(v)) {
      problems.push({ field, message: t.number });
      return undefined;
    }
    return decimal(v);
  };
  const indicators: Indicator[] = [];
  const rowOfIndicator: number[] = [];
  for (let row = 0; row < rowCount(f.indRows, 200); row++) {
    const p = `ind.${row}.`;
    if (f[`${p}delete`] === '1' || !(f[`${p}code`] ?? '').trim()) continue;
    const code = need(`${p}code`);
    const zh = need(`${p}zh`);
    const en = (f[`${p}en`] ?? '').trim() || zh;
    const weight = num(`${p}weight`);
    const source = parseSource(f[`${p}source`] ?? '');
    if (!source) problems.push({ field: `${p}source`, message: t.source });
    const minNText = (f[`${p}minN`] ?? '').trim();
    if (minNText && !/^\d{1,9}$/.test(minNText)) problems.push({ field: `${p}minN`, message: t.wholeNumber });
    const kind = (METHOD_KINDS as string[]).includes(f[`${p}method`] ?? '') ? (f[`${p}method`] as MethodKind) : 'threshold-linear';
    const method = readMethod(kind, p, f, num, (field) => problems.push({ field, message: t.bands }));
    const domain = (f[`${p}domain`] ?? '').trim();
    indicators.push({
      code,
      label: { zh, en },
      ...(domain ? { domain } : {}),
      weight: weight ?? 0,
      source: source ?? { metric: 'x' },
      higherIsBetter: f[`${p}higher`] !== '0',
      ...(minNText ? { minN: Number(minNText) } : {}),
      method,
    });
    rowOfIndicator.push(row);
  }
  const domains: Domain[] = [];
  for (let row = 0; row < rowCount(f.domRows, 20); row++) {
    const p = `dom.${row}.`;
    if (!(f[`${p}id`] ?? '').trim()) continue;
    const minIndicators = (f[`${p}minIndicators`] ?? '').trim();
    if (minIndicators && !/^\d{1,3}$/.test(minIndicators)) problems.push({ field: `${p}minIndicators`, message: t.wholeNumber });
    const zh = need(`${p}zh`);
    domains.push({
      id: need(`${p}id`),
      label: { zh, en: (f[`${p}en`] ?? '').trim() || zh },
      weight: num(`${p}weight`) ?? 0,
      ...(minIndicators ? { minIndicators: Number(minIndicators) } : {}),
    });
  }
  const gates: Gate[] = [];
  const rowOfGate: number[] = [];
  for (let row = 0; row < rowCount(f.gateRows, 50); row++) {
    const p = `gate.${row}.`;
    const kind = f[`${p}kind`];
    if (f[`${p}delete`] === '1' || (kind !== 'floor' && kind !== 'missing-upload')) continue;
    const zh = (f[`${p}zh`] ?? '').trim();
    const en = (f[`${p}en`] ?? '').trim();
    const label = zh || en ? { label: { zh: zh || en, en: en || zh } } : {};
    let effect: Gate['effect'] = 'void';
    if (f[`${p}effect`] === 'cap') {
      const cap = (f[`${p}cap`] ?? '').trim();
      if (!/^\d{1,3}$/.test(cap) || Number(cap) > 100) problems.push({ field: `${p}cap`, message: t.cap });
      effect = { capPercent: Math.min(Number(cap) || 0, 100) };
    }
    if (kind === 'missing-upload') gates.push({ kind, ...label, effect });
    else {
      const source = parseSource(f[`${p}source`] ?? '');
      if (!source) problems.push({ field: `${p}source`, message: t.source });
      const min = num(`${p}min`);
      const minNText = (f[`${p}minN`] ?? '').trim();
      if (minNText && !/^\d{1,9}$/.test(minNText)) problems.push({ field: `${p}minN`, message: t.wholeNumber });
      gates.push({ kind, ...label, source: source ?? { metric: 'x' }, min: min ?? 0, ...(minNText ? { minN: Number(minNText) } : {}), effect });
    }
    rowOfGate.push(row);
  }
  const document: CriteriaSet = {
    insufficientData: f.insufficientData === 'zero' ? 'zero' : 'redistribute',
    ...(domains.length > 0 ? { domains } : {}),
    indicators,
    ...(gates.length > 0 ? { gates } : {}),
  };
  return { document, problems, rowOfIndicator, rowOfGate };
}

function readMethod(
  kind: MethodKind,
  p: string,
  f: FormFields,
  num: (field: string, optional?: boolean) => number | string | undefined,
  badBands: (field: string) => void,
): ScoringMethod {
  const bands = (optional: boolean) => {
    const text = (f[`${p}bands`] ?? '').trim();
    if (!text && optional) return undefined;
    const parsed = parseBands(text);
    if (!parsed) badBands(`${p}bands`);
    return parsed ?? [];
  };
  switch (kind) {
    case 'threshold-linear':
      return { kind, lower: num(`${p}lower`) ?? 0, upper: num(`${p}upper`) ?? 0, maxPoints: num(`${p}maxPoints`) ?? 0 };
    case 'achievement-improvement': {
      const threshold = num(`${p}threshold`, true);
      const benchmark = num(`${p}benchmark`, true);
      return {
        kind,
        ...(threshold !== undefined ? { threshold } : {}),
        ...(benchmark !== undefined ? { benchmark } : {}),
        ...(f[`${p}improvement`] === '0' ? { improvement: false } : {}),
      };
    }
    case 'bands':
      return { kind, bands: bands(false) ?? [] };
    case 'relative-standing': {
      const b = bands(true);
      return { kind, maxPoints: num(`${p}maxPoints`) ?? 0, ...(b ? { bands: b } : {}) };
    }
    case 'pass-fail':
      return { kind, target: num(`${p}target`) ?? 0, maxPoints: num(`${p}maxPoints`) ?? 0 };
  }
}

/**
 * A problem the criteria service reported (`body.document.indicators.3.method.upper`) as a form
 * field of its row (`ind.{row}.upper`), or `null` for one the form has no field for.
 */
export function formFieldOf(field: string, rowOfIndicator: readonly number[], rowOfGate: readonly number[] = []): string | null {
  const ind = /^body\.document\.indicators\.(\d+)(?:\.(\w+))?(?:\.(\w+))?/.exec(field);
  if (ind) {
    const row = rowOfIndicator[Number(ind[1])];
    if (row === undefined) return null;
    const [, , first = 'code', second] = ind;
    const key =
      first === 'label'
        ? 'zh'
        : first === 'higherIsBetter'
          ? 'higher'
          : first === 'method'
            ? second && (ALL_METHOD_FIELDS as readonly string[]).includes(second)
              ? second
              : 'method'
            : first;
    return `ind.${row}.${key}`;
  }
  const dom = /^body\.document\.domains\.(\d+)(?:\.(\w+))?/.exec(field);
  if (dom) return `dom.${dom[1]}.${dom[2] === 'label' ? 'zh' : (dom[2] ?? 'id')}`;
  const gate = /^body\.document\.gates\.(\d+)(?:\.(\w+))?/.exec(field);
  if (gate) {
    const row = rowOfGate[Number(gate[1])];
    if (row === undefined) return null;
    const key = gate[2] === 'label' ? 'zh' : gate[2] === 'effect' ? 'cap' : gate[2] && ['source', 'min', 'minN', 'kind'].includes(gate[2]) ? gate[2] : 'kind';
    return `gate.${row}.${key}`;
  }
  return null;
}

/** "第 3 行" for a form field of an indicator row (1-based), "维度第 1 行" for a domain row, "门槛第 1 行" for a gate row. */
export function rowLabel(field: string, lang: Lang): string | null {
  const m = /^(ind|dom|gate)\.(\d+)\./.exec(field);
  if (!m) return null;
  const n = Number(m[2]) + 1;
  return m[1] === 'ind' ? FORM_TEXT[lang].row(n) : m[1] === 'dom' ? FORM_TEXT[lang].domainRow(n) : FORM_TEXT[lang].gateRow(n);
}

/** The criteria checks' English messages in the page's language (shared/domain/scoring/validate.ts and the document schema). */
const MESSAGES_ZH: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^weights of the indicators in domain "(.+)" add up to (.+), not 100$/, (m) => `维度“${m[1]}”内指标权重合计为 ${m[2]}，应为 100`],
  [/^indicator weights add up to (.+), not 100$/, (m) => `指标权重合计为 ${m[1]}，应为 100`],
  [/^domain weights add up to (.+), not 100$/, (m) => `维度权重合计为 ${m[1]}，应为 100`],
  [/^(.+) add up to (.+), not 100$/, (m) => `权重合计为 ${m[2]}，应为 100`],
  [/^weight must be greater than 0$/, () => '权重必须大于 0'],
  [/^must be greater than 0$/, () => '必须大于 0'],
  [/^code "(.+)" is already used by indicator (\d+)$/, (m) => `编码“${m[1]}”已被第 ${Number(m[2]) + 1} 行使用`],
  [/^domain id "(.+)" is already used by domain (\d+)$/, (m) => `维度编码“${m[1]}”已被维度第 ${Number(m[2]) + 1} 行使用`],
  [/^this criteria set has no domains; remove the domain$/, () => '本标准没有维度，请清空维度'],
  [/^name the domain this indicator belongs to$/, () => '请填写该指标所属维度'],
  [/^unknown domain "(.+)"$/, (m) => `未知维度“${m[1]}”`],
  [/^domain "(.+)" has no indicators$/, (m) => `维度“${m[1]}”没有指标`],
  [/^domain "(.+)" has only (\d+) indicators$/, (m) => `维度“${m[1]}”只有 ${m[2]} 个指标`],
  [/^unknown metric code "(.+)"$/, (m) => `未知的服务数据指标编码“${m[1]}”`],
  [/^this source has no denominator or responses to set a minimum for$/, () => '该来源没有分母或答卷数，不能设置最小样本量'],
  [/^(.+) is outside 0–100 for a percentage$/, (m) => `${m[1]} 超出百分比范围 0–100`],
  [/^upper \((.+)\) must be greater than lower \((.+)\)$/, (m) => `上限（${m[1]}）必须大于下限（${m[2]}）`],
  [/^set both threshold and benchmark, or neither to derive them from the baseline$/, () => '达标值和标杆值需同时填写，或都不填（按基期推算）'],
  [/^benchmark \((.+)\) must be (higher|lower) than threshold \((.+)\)/, (m) => `标杆值（${m[1]}）必须${m[2] === 'higher' ? '高于' : '低于'}达标值（${m[3]}）`],
  [/^points must not be negative$/, () => '分值不能为负'],
  [/^points \((.+)\) exceed maxPoints \((.+)\)$/, (m) => `分值（${m[1]}）超过满分（${m[2]}）`],
  [/^only the last band may be open-ended; give an upper bound$/, () => '只有最后一段可以不设上限，请填写上限'],
  [/^Use 1-64 lower-case letters, digits and hyphens$/, () => '请用 1 至 64 个小写字母、数字或连字符'],
  [/^Use a decimal number such as 60 or 62.5$/, () => '请输入数字，如 60 或 62.5'],
];

export function criteriaMessage(message: string, lang: Lang): string {
  if (lang === 'en') return message;
  for (const [pattern, text] of MESSAGES_ZH) {
    const m = pattern.exec(message);
    if (m) return text(m);
  }
  return message;
}
