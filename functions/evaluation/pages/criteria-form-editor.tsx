/**
 * The form-based criteria editor: one row per indicator with the fields its method needs, the
 * domains, the weight totals (computed on the server, kept current as you type by a small
 * script; the form works without it), each problem next to its field with the row number, and
 * the differences from the published version with the confirmation before publishing.
 */
import { raw } from 'hono/html';
import { allowInlineScript } from '#shared/web/security-headers.ts';
import type { CriteriaVersion } from '#shared/data/criteria.ts';
import type { FieldError } from '#shared/domain/field-errors.ts';
import type { CriteriaSet, MethodKind } from '#shared/domain/scoring/index.ts';
import type { Gate } from '#shared/domain/scoring/criteria.ts';
import type { Lang } from '#shared/web/lang.ts';
import { type FormFields, METHOD_FIELDS, METHOD_KINDS, sourceText } from './criteria-form.ts';
import { paths, TEXT, withQuery } from './texts.ts';

export const EDITOR_TEXT = {
  zh: {
    formEditor: '评价标准（表格编辑）',
    formHint: '每行一个指标；只显示所选评分方法需要的参数。最后一行空白行可新增指标。权重合计须为 100。',
    row: (n: number) => `第 ${n} 行`,
    domainRow: (n: number) => `维度第 ${n} 行`,
    code: '编码',
    zh: '名称（中文）',
    en: '名称（英文）',
    domain: '维度',
    weight: '权重',
    source: '数据来源',
    sourceHint: '写作 metric:编码、ratio:分子/分母、registry:renewalRate、survey:topBoxShare',
    higher: '方向',
    higherYes: '越高越好',
    higherNo: '越低越好',
    minN: '最小样本量',
    method: '评分方法',
    params: '方法参数',
    lower: '下限',
    upper: '上限',
    maxPoints: '满分',
    threshold: '达标值',
    benchmark: '标杆值',
    improvement: '计改进分',
    target: '目标值',
    bands: '分段（下限-上限:分值; …）',
    delete: '删除',
    yes: '是',
    no: '否',
    domains: '维度',
    domainId: '维度编码',
    minIndicators: '最少指标数',
    insufficientData: '数据不足时',
    redistribute: '剔除该指标，其余指标按权重重新分配',
    zero: '该指标记 0 分',
    totals: '权重合计',
    indicatorTotal: '指标权重合计',
    domainTotal: '维度权重合计',
    inDomain: (d: string) => `维度“${d}”内指标权重合计`,
    shouldBe: '（应为 100）',
    save: '保存草稿',
    problemsTitle: '请修改以下问题后再保存：',
    advanced: '高级：以 JSON 编辑',
    gates: '门槛条件',
    gatesHint: '门槛不计分，只在条件触发时取消或限制团队的激励。最后一行空白行可新增门槛。',
    gateRow: (n: number) => `门槛第 ${n} 行`,
    gateKind: '条件',
    gateKinds: { '': '（不使用）', floor: '指标低于下限', 'missing-upload': '本期未上报服务数据' },
    gateLabel: '说明（中文 / 英文）',
    gateMin: '下限',
    gateEffect: '触发后',
    gateEffects: { void: '取消激励', cap: '激励封顶' },
    gateCap: '封顶比例（%）',
    gateDescribe: {
      floor: (source: string, min: string) => `${source} 低于 ${min}`,
      missing: '本期未上报服务数据',
      void: '取消激励',
      cap: (p: number) => `激励封顶 ${p}%`,
      minN: (n: number) => `（最小样本 ${n}）`,
    },
    diff: '与已发布版本的差异',
    diffAgainst: (v: number) => `对比已发布的第 ${v} 版`,
    noPublished: '尚无已发布版本，全部指标均为新增。',
    noDiff: '与已发布版本相同。',
    added: '新增',
    removed: '删除',
    changed: '修改',
    field: '项目',
    before: '已发布',
    after: '本草稿',
    publishStep: '发布此版本…',
    publishConfirm: '确认发布',
    publishWarn: '发布后此版本不能再修改，可用于正式评价。请核对上面的差异。',
    other: '其他设置',
  },
  en: {
    formEditor: 'Criteria (form)',
    formHint:
      'One row per indicator; only the parameters of the chosen method are shown. Use the empty last row to add an indicator. Weights must add up to 100.',
    row: (n: number) => `Row ${n}`,
    domainRow: (n: number) => `Domain row ${n}`,
    code: 'Code',
    zh: 'Name (Chinese)',
    en: 'Name (English)',
    domain: 'Domain',
    weight: 'Weight',
    source: 'Source',
    sourceHint: 'metric:code, ratio:numerator/denominator, registry:renewalRate, survey:topBoxShare',
    higher: 'Direction',
    higherYes: 'Higher is better',
    higherNo: 'Lower is better',
    minN: 'Minimum n',
    method: 'Method',
    params: 'Parameters',
    lower: 'Lower',
    upper: 'Upper',
    maxPoints: 'Max points',
    threshold: 'Threshold',
    benchmark: 'Benchmark',
    improvement: 'Improvement points',
    target: 'Target',
    bands: 'Bands (lower-upper:points; …)',
    delete: 'Delete',
    yes: 'Yes',
    no: 'No',
    domains: 'Domains',
    domainId: 'Domain code',
    minIndicators: 'Fewest indicators',
    insufficientData: 'When data are insufficient',
    redistribute: 'Drop the indicator and spread its weight over the others',
    zero: 'The indicator scores 0',
    totals: 'Weight totals',
    indicatorTotal: 'Indicator weights',
    domainTotal: 'Domain weights',
    inDomain: (d: string) => `Indicator weights in domain "${d}"`,
    shouldBe: ' (should be 100)',
    save: 'Save draft',
    problemsTitle: 'Correct these problems and save again:',
    advanced: 'Advanced: edit as JSON',
    gates: 'Gates',
    gatesHint: "Gates score nothing: when one is triggered it voids or caps the team's incentive. Use the empty last row to add a gate.",
    gateRow: (n: number) => `Gate row ${n}`,
    gateKind: 'Condition',
    gateKinds: { '': '(not used)', floor: 'A value below a floor', 'missing-upload': 'No service metrics uploaded for the period' },
    gateLabel: 'Label (Chinese / English)',
    gateMin: 'Floor',
    gateEffect: 'When triggered',
    gateEffects: { void: 'Void the incentive', cap: 'Cap the incentive' },
    gateCap: 'Cap (%)',
    gateDescribe: {
      floor: (source: string, min: string) => `${source} below ${min}`,
      missing: 'no service metrics uploaded',
      void: 'incentive void',
      cap: (p: number) => `incentive capped at ${p} %`,
      minN: (n: number) => ` (minimum n ${n})`,
    },
    diff: 'Differences from the published version',
    diffAgainst: (v: number) => `Against published version ${v}`,
    noPublished: 'No published version yet: every indicator is new.',
    noDiff: 'The same as the published version.',
    added: 'Added',
    removed: 'Removed',
    changed: 'Changed',
    field: 'What',
    before: 'Published',
    after: 'This draft',
    publishStep: 'Publish this version…',
    publishConfirm: 'Confirm publishing',
    publishWarn: 'A published version cannot be changed and can be used for evaluations. Check the differences above.',
    other: 'Other settings',
  },
} as const;

type EditorText = (typeof EDITOR_TEXT)[Lang];

const num = (v: string | undefined) => {
  const n = Number((v ?? '').replace(/[,，]/g, ''));
  return Number.isFinite(n) ? n : 0;
};
const show = (n: number) => String(Math.round(n * 10_000) / 10_000);

/** The weight totals of the rows as typed: all indicators, per domain, and the domains. */
export function weightTotals(f: FormFields): { indicators: number; perDomain: Map<string, number>; domains: number } {
  let indicators = 0;
  const perDomain = new Map<string, number>();
  for (let row = 0; row < num(f.indRows); row++) {
    const p = `ind.${row}.`;
    if (f[`${p}delete`] === '1' || !(f[`${p}code`] ?? '').trim()) continue;
    const w = num(f[`${p}weight`]);
    indicators += w;
    const d = (f[`${p}domain`] ?? '').trim();
    perDomain.set(d, (perDomain.get(d) ?? 0) + w);
  }
  let domains = 0;
  for (let row = 0; row < num(f.domRows); row++) if ((f[`dom.${row}.id`] ?? '').trim()) domains += num(f[`dom.${row}.weight`]);
  return { indicators, perDomain, domains };
}

function errorId(field: string) {
  return `e-${field.replace(/\./g, '-')}`;
}

function Problem(props: { field: string; problems: readonly FieldError[] }) {
  const found = props.problems.filter((p) => p.field === props.field);
  return found.length > 0 ? (
    <span class="error" id={errorId(props.field)}>
      {found.map((p) => p.message).join('；')}
    </span>
  ) : null;
}

function Input(props: {
  field: string;
  label: string;
  f: FormFields;
  problems: readonly FieldError[];
  size?: number;
  inputmode?: 'decimal' | 'numeric';
  hidden?: boolean;
  extra?: Record<string, string>;
}) {
  const bad = props.problems.some((p) => p.field === props.field);
  return (
    <label class="cell" {...(props.hidden ? { hidden: true } : {})} {...(props.extra ?? {})}>
      <span class="sr-only">{props.label}</span>
      <input
        name={props.field}
        value={props.f[props.field] ?? ''}
        size={props.size ?? 8}
        autocomplete="off"
        {...(props.inputmode ? { inputmode: props.inputmode } : {})}
        {...(bad ? { 'aria-invalid': 'true', 'aria-describedby': errorId(props.field) } : {})}
      />
      <Problem field={props.field} problems={props.problems} />
    </label>
  );
}

function Select(props: {
  field: string;
  label: string;
  f: FormFields;
  options: readonly [string, string][];
  problems: readonly FieldError[];
  hidden?: boolean;
  extra?: Record<string, string>;
}) {
  const value = props.f[props.field] ?? '';
  const bad = props.problems.some((p) => p.field === props.field);
  return (
    <label class="cell" {...(props.hidden ? { hidden: true } : {})} {...(props.extra ?? {})}>
      <span class="sr-only">{props.label}</span>
      <select name={props.field} {...(bad ? { 'aria-invalid': 'true', 'aria-describedby': errorId(props.field) } : {})}>
        {props.options.map(([v, text]) => (
          <option value={v} {...(v === value ? { selected: true } : {})}>
            {text}
          </option>
        ))}
      </select>
      <Problem field={props.field} problems={props.problems} />
    </label>
  );
}

function IndicatorRow(props: { row: number; f: FormFields; problems: readonly FieldError[]; hasDomains: boolean; lang: Lang; e: EditorText }) {
  const { row, f, problems, e, lang } = props;
  const p = `ind.${row}.`;
  const label = (what: string) => `${e.row(row + 1)} ${what}`;
  const kind = ((METHOD_KINDS as string[]).includes(f[`${p}method`] ?? '') ? f[`${p}method`] : 'threshold-linear') as MethodKind;
  const needs = METHOD_FIELDS[kind];
  const param = (name: string, text: string, size = 6) => (
    <Input
      field={`${p}${name}`}
      label={label(text)}
      f={f}
      problems={problems}
      size={size}
      inputmode="decimal"
      hidden={!needs.includes(name)}
      extra={{ 'data-param': name }}
    />
  );
  return (
    <tr data-row={String(row)}>
      <th scope="row">{String(row + 1)}</th>
      <td>
        <Input field={`${p}code`} label={label(e.code)} f={f} problems={problems} size={12} />
      </td>
      <td>
        <Input field={`${p}zh`} label={label(e.zh)} f={f} problems={problems} size={14} />
        <Input field={`${p}en`} label={label(e.en)} f={f} problems={problems} size={14} />
      </td>
      {props.hasDomains ? (
        <td>
          <Input field={`${p}domain`} label={label(e.domain)} f={f} problems={problems} size={8} />
        </td>
      ) : null}
      <td>
        <Input field={`${p}weight`} label={label(e.weight)} f={f} problems={problems} size={5} inputmode="decimal" extra={{ 'data-weight': '' }} />
      </td>
      <td>
        <Input field={`${p}source`} label={label(e.source)} f={f} problems={problems} size={18} />
      </td>
      <td>
        <Select
          field={`${p}higher`}
          label={label(e.higher)}
          f={f}
          problems={problems}
          options={[
            ['1', e.higherYes],
            ['0', e.higherNo],
          ]}
        />
        <Input field={`${p}minN`} label={label(e.minN)} f={f} problems={problems} size={4} inputmode="numeric" />
      </td>
      <td>
        <Select
          field={`${p}method`}
          label={label(e.method)}
          f={f}
          problems={problems}
          options={METHOD_KINDS.map((k) => [k, TEXT[lang].methods[k]] as [string, string])}
          extra={{ 'data-method': '' }}
        />
      </td>
      <td class="params">
        {param('lower', e.lower)}
        {param('upper', e.upper)}
        {param('maxPoints', e.maxPoints)}
        {param('threshold', e.threshold)}
        {param('benchmark', e.benchmark)}
        <Select
          field={`${p}improvement`}
          label={label(e.improvement)}
          f={f}
          problems={problems}
          options={[
            ['1', e.yes],
            ['0', e.no],
          ]}
          hidden={!needs.includes('improvement')}
          extra={{ 'data-param': 'improvement' }}
        />
        {param('target', e.target)}
        {param('bands', e.bands, 22)}
      </td>
      <td>
        <label class="cell">
          <input type="checkbox" name={`${p}delete`} value="1" {...(f[`${p}delete`] === '1' ? { checked: true } : {})} />
          <span class="sr-only">{label(e.delete)}</span>
        </label>
      </td>
    </tr>
  );
}

function GateRow(props: { row: number; f: FormFields; problems: readonly FieldError[]; e: EditorText }) {
  const { row, f, problems, e } = props;
  const p = `gate.${row}.`;
  const label = (what: string) => `${e.gateRow(row + 1)} ${what}`;
  const kind = f[`${p}kind`] ?? '';
  const floor = kind === 'floor';
  return (
    <tr data-gate-row={String(row)}>
      <th scope="row">{String(row + 1)}</th>
      <td>
        <Select
          field={`${p}kind`}
          label={label(e.gateKind)}
          f={f}
          problems={problems}
          options={(['', 'floor', 'missing-upload'] as const).map((k) => [k, e.gateKinds[k]] as [string, string])}
          extra={{ 'data-gate-kind': '' }}
        />
      </td>
      <td>
        <Input field={`${p}zh`} label={label(e.zh)} f={f} problems={problems} size={14} />
        <Input field={`${p}en`} label={label(e.en)} f={f} problems={problems} size={14} />
      </td>
      <td>
        <Input field={`${p}source`} label={label(e.source)} f={f} problems={problems} size={18} hidden={!floor} extra={{ 'data-floor': '' }} />
      </td>
      <td>
        <Input field={`${p}min`} label={label(e.gateMin)} f={f} problems={problems} size={5} inputmode="decimal" hidden={!floor} extra={{ 'data-floor': '' }} />
        <Input field={`${p}minN`} label={label(e.minN)} f={f} problems={problems} size={4} inputmode="numeric" hidden={!floor} extra={{ 'data-floor': '' }} />
      </td>
      <td>
        <Select
          field={`${p}effect`}
          label={label(e.gateEffect)}
          f={f}
          problems={problems}
          options={(['void', 'cap'] as const).map((k) => [k, e.gateEffects[k]] as [string, string])}
          extra={{ 'data-gate-effect': '' }}
        />
        <Input
          field={`${p}cap`}
          label={label(e.gateCap)}
          f={f}
          problems={problems}
          size={4}
          inputmode="numeric"
          hidden={f[`${p}effect`] !== 'cap'}
          extra={{ 'data-cap': '' }}
        />
      </td>
      <td>
        <label class="cell">
          <input type="checkbox" name={`${p}delete`} value="1" {...(f[`${p}delete`] === '1' ? { checked: true } : {})} />
          <span class="sr-only">{label(e.delete)}</span>
        </label>
      </td>
    </tr>
  );
}

/** Shows the parameters of the chosen method and keeps the totals current; the form is complete without it. */
const SCRIPT = allowInlineScript(`(()=>{const f=document.getElementById('criteria-form');if(!f)return;
const fields=${JSON.stringify(METHOD_FIELDS)};
const n=(v)=>{const x=Number(String(v).replace(/[,，]/g,''));return isFinite(x)?x:0};const show=(x)=>String(Math.round(x*1e4)/1e4);
function totals(){let all=0;const per={};f.querySelectorAll('tr[data-row]').forEach((r)=>{const code=r.querySelector('[name$=".code"]');
const del=r.querySelector('[name$=".delete"]');if(!code.value.trim()||(del&&del.checked))return;
const w=n(r.querySelector('[name$=".weight"]').value);all+=w;const d=r.querySelector('[name$=".domain"]');const k=d?d.value.trim():'';per[k]=(per[k]||0)+w;});
let dom=0;f.querySelectorAll('tr[data-domain-row]').forEach((r)=>{
if(r.querySelector('[name$=".id"]').value.trim())dom+=n(r.querySelector('[name$=".weight"]').value)});
const set=(el,x)=>{if(!el)return;el.textContent=show(x);el.closest('[data-total-row]').classList.toggle('off',Math.abs(x-100)>1e-9)};
set(f.querySelector('[data-total="indicators"]'),all);set(f.querySelector('[data-total="domains"]'),dom);
f.querySelectorAll('[data-total-domain]').forEach((el)=>set(el,per[el.dataset.totalDomain]||0));}
function method(sel){const r=sel.closest('tr');const need=fields[sel.value]||[];
r.querySelectorAll('[data-param]').forEach((el)=>{el.hidden=!need.includes(el.dataset.param)})}
function gate(sel){const r=sel.closest('tr');const floor=r.querySelector('[data-gate-kind] select').value==='floor';
r.querySelectorAll('[data-floor]').forEach((el)=>{el.hidden=!floor});
r.querySelector('[data-cap]').hidden=r.querySelector('[data-gate-effect] select').value!=='cap'}
f.addEventListener('input',totals);
f.addEventListener('change',(e)=>{if(e.target.matches('[data-method] select'))method(e.target);
if(e.target.matches('[data-gate-kind] select,[data-gate-effect] select'))gate(e.target);totals()});})();`);

export function FormEditor(props: {
  lang: Lang;
  districtId: string;
  criteria: CriteriaVersion;
  name: string;
  revision: number;
  f: FormFields;
  problems: readonly FieldError[];
  nameLabel: string;
}) {
  const { lang, f, problems } = props;
  const e = EDITOR_TEXT[lang];
  const rows = num(f.indRows);
  const domRows = num(f.domRows);
  const gateRows = num(f.gateRows);
  const hasDomains = domRows > 0;
  const totals = weightTotals(f);
  const domainIds = Array.from({ length: domRows }, (_, d) => (f[`dom.${d}.id`] ?? '').trim()).filter(Boolean);
  const totalRow = (label: string, value: number, attr: Record<string, string>) => (
    <tr data-total-row="" class={Math.abs(value - 100) > 1e-9 ? 'off' : undefined}>
      <th scope="row">{label}</th>
      <td class="num">
        <span {...attr}>{show(value)}</span>
        <span class="hint">{e.shouldBe}</span>
      </td>
    </tr>
  );
  return (
    <form
      method="post"
      action={withQuery(paths.version(props.districtId, props.criteria.version), lang)}
      class="card"
      id="criteria-form"
      aria-labelledby="form-editor-heading"
      data-testid="form-editor"
    >
      <h2 id="form-editor-heading">{e.formEditor}</h2>
      <p class="hint">{e.formHint}</p>
      {problems.length > 0 ? (
        <div class="notice refused" role="alert" data-testid="form-problems">
          <p>
            <strong>{e.problemsTitle}</strong>
          </p>
          <ul>
            {problems.map((p) => (
              <li>{p.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <input type="hidden" name="mode" value="form" />
      <input type="hidden" name="lang" value={lang} />
      <input type="hidden" name="revision" value={String(props.revision)} />
      <input type="hidden" name="indRows" value={String(rows)} />
      <input type="hidden" name="domRows" value={String(domRows)} />
      <input type="hidden" name="gateRows" value={String(gateRows)} />
      <label class="field">
        {props.nameLabel}
        <input name="name" value={props.name} required maxlength={100} autocomplete="off" />
      </label>
      {hasDomains ? (
        <fieldset>
          <legend>{e.domains}</legend>
          <table class="rows">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{e.domainId}</th>
                <th scope="col">{e.zh}</th>
                <th scope="col">{e.en}</th>
                <th scope="col">{e.weight}</th>
                <th scope="col">{e.minIndicators}</th>
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: domRows }, (_, d) => {
                const label = (what: string) => `${e.domainRow(d + 1)} ${what}`;
                return (
                  <tr data-domain-row={String(d)}>
                    <th scope="row">{String(d + 1)}</th>
                    <td>
                      <Input field={`dom.${d}.id`} label={label(e.domainId)} f={f} problems={problems} size={10} />
                    </td>
                    <td>
                      <Input field={`dom.${d}.zh`} label={label(e.zh)} f={f} problems={problems} size={14} />
                    </td>
                    <td>
                      <Input field={`dom.${d}.en`} label={label(e.en)} f={f} problems={problems} size={14} />
                    </td>
                    <td>
                      <Input field={`dom.${d}.weight`} label={label(e.weight)} f={f} problems={problems} size={5} inputmode="decimal" />
                    </td>
                    <td>
                      <Input field={`dom.${d}.minIndicators`} label={label(e.minIndicators)} f={f} problems={problems} size={4} inputmode="numeric" />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </fieldset>
      ) : null}
      <div class="scroll">
        <table class="rows" data-testid="indicator-rows">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{e.code}</th>
              <th scope="col">{`${e.zh} / ${e.en}`}</th>
              {hasDomains ? <th scope="col">{e.domain}</th> : null}
              <th scope="col">{e.weight}</th>
              <th scope="col">
                {e.source}
                <div class="hint">{e.sourceHint}</div>
              </th>
              <th scope="col">{`${e.higher} / ${e.minN}`}</th>
              <th scope="col">{e.method}</th>
              <th scope="col">{e.params}</th>
              <th scope="col">{e.delete}</th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: rows }, (_, row) => (
              <IndicatorRow row={row} f={f} problems={problems} hasDomains={hasDomains} lang={lang} e={e} />
            ))}
          </tbody>
        </table>
      </div>
      <table class="totals" aria-label={e.totals} data-testid="weight-totals">
        <tbody>
          {hasDomains
            ? [
                totalRow(e.domainTotal, totals.domains, { 'data-total': 'domains' }),
                ...domainIds.map((d) => totalRow(e.inDomain(d), totals.perDomain.get(d) ?? 0, { 'data-total-domain': d })),
              ]
            : totalRow(e.indicatorTotal, totals.indicators, { 'data-total': 'indicators' })}
        </tbody>
      </table>
      <fieldset>
        <legend>{e.other}</legend>
        <label class="field">
          {e.insufficientData}
          <select name="insufficientData">
            <option value="redistribute" {...(f.insufficientData !== 'zero' ? { selected: true } : {})}>
              {e.redistribute}
            </option>
            <option value="zero" {...(f.insufficientData === 'zero' ? { selected: true } : {})}>
              {e.zero}
            </option>
          </select>
        </label>
      </fieldset>
      <fieldset data-testid="gate-rows">
        <legend>{e.gates}</legend>
        <p class="hint">{e.gatesHint}</p>
        <div class="scroll">
          <table class="rows">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{e.gateKind}</th>
                <th scope="col">{e.gateLabel}</th>
                <th scope="col">
                  {e.source}
                  <div class="hint">{e.sourceHint}</div>
                </th>
                <th scope="col">{`${e.gateMin} / ${e.minN}`}</th>
                <th scope="col">{e.gateEffect}</th>
                <th scope="col">{e.delete}</th>
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: gateRows }, (_, row) => (
                <GateRow row={row} f={f} problems={problems} e={e} />
              ))}
            </tbody>
          </table>
        </div>
      </fieldset>
      <div class="actions">
        <button type="submit">{e.save}</button>
      </div>
      <script>{raw(SCRIPT)}</script>
    </form>
  );
}

export interface DiffLine {
  code: string;
  name: string;
  kind: 'added' | 'removed' | 'changed';
  changes: { what: string; before: string; after: string }[];
}

/** What differs between the published document and the draft, indicator by code, then the domains and other settings. */
export function criteriaDiff(published: CriteriaSet | null, draft: CriteriaSet, lang: Lang): DiffLine[] {
  const e = EDITOR_TEXT[lang];
  const t = TEXT[lang];
  const before = new Map((published?.indicators ?? []).map((i) => [i.code, i]));
  const lines: DiffLine[] = [];
  const methodText = (m: CriteriaSet['indicators'][number]['method']) => {
    const { kind, ...rest } = m;
    return `${t.methods[kind]} ${JSON.stringify(rest)}`;
  };
  for (const ind of draft.indicators) {
    const old = before.get(ind.code);
    before.delete(ind.code);
    if (!old) {
      lines.push({ code: ind.code, name: ind.label[lang], kind: 'added', changes: [] });
      continue;
    }
    const pairs: [string, string, string][] = [
      [e.zh, old.label.zh, ind.label.zh],
      [e.en, old.label.en, ind.label.en],
      [e.domain, old.domain ?? '', ind.domain ?? ''],
      [e.weight, String(old.weight), String(ind.weight)],
      [e.source, sourceText(old.source), sourceText(ind.source)],
      [e.higher, old.higherIsBetter ? e.higherYes : e.higherNo, ind.higherIsBetter ? e.higherYes : e.higherNo],
      [e.minN, String(old.minN ?? ''), String(ind.minN ?? '')],
      [e.method, methodText(old.method), methodText(ind.method)],
    ];
    const changes = pairs
      .filter(([, a, b]) => a !== b && !(Number(a) === Number(b) && a !== '' && b !== '' && !Number.isNaN(Number(a))))
      .map(([what, a, b]) => ({ what, before: a, after: b }));
    if (changes.length > 0) lines.push({ code: ind.code, name: ind.label[lang], kind: 'changed', changes });
  }
  for (const old of before.values()) lines.push({ code: old.code, name: old.label[lang], kind: 'removed', changes: [] });
  if (published) {
    const other: [string, string, string][] = [
      [e.domains, JSON.stringify(published.domains ?? []), JSON.stringify(draft.domains ?? [])],
      [e.insufficientData, published.insufficientData === 'zero' ? e.zero : e.redistribute, draft.insufficientData === 'zero' ? e.zero : e.redistribute],
    ];
    const changes = other.filter(([, a, b]) => a !== b).map(([what, a, b]) => ({ what, before: a, after: b }));
    if (changes.length > 0) lines.push({ code: '', name: e.other, kind: 'changed', changes });
  }
  // gates have no code: one compared by what it says; a changed gate shows as removed and added
  const gateTexts = (gates: CriteriaSet['gates']) => (gates ?? []).map((g) => `${t.gates}${lang === 'zh' ? '：' : ': '}${gateText(g, lang)}`);
  const draftGates = gateTexts(draft.gates);
  const publishedGates = gateTexts(published?.gates);
  for (const text of publishedGates) if (!draftGates.includes(text)) lines.push({ code: '', name: text, kind: 'removed', changes: [] });
  for (const text of draftGates) if (!publishedGates.includes(text)) lines.push({ code: '', name: text, kind: 'added', changes: [] });
  return lines;
}

/** A gate in words: "survey:topBoxShare 低于 60（最小样本 30）→ 激励封顶 50%". */
export function gateText(gate: Gate, lang: Lang): string {
  const d = EDITOR_TEXT[lang].gateDescribe;
  const condition = gate.kind === 'floor' ? `${d.floor(sourceText(gate.source), String(gate.min))}${gate.minN ? d.minN(gate.minN) : ''}` : d.missing;
  const label = gate.label ? `${gate.label[lang]}${lang === 'zh' ? '：' : ': '}` : '';
  return `${label}${condition} → ${gate.effect === 'void' ? d.void : d.cap(gate.effect.capPercent)}`;
}

export function CriteriaDiff(props: { lang: Lang; published: CriteriaVersion | undefined; draft: CriteriaSet }) {
  const e = EDITOR_TEXT[props.lang];
  const lines = criteriaDiff(props.published?.document ?? null, props.draft, props.lang);
  return (
    <section aria-labelledby="diff-heading" data-testid="diff">
      <h3 id="diff-heading">{e.diff}</h3>
      <p class="hint">{props.published ? e.diffAgainst(props.published.version) : e.noPublished}</p>
      {lines.length === 0 ? (
        <p>{e.noDiff}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{e.code}</th>
              <th scope="col">{e.field}</th>
              <th scope="col">{e.before}</th>
              <th scope="col">{e.after}</th>
            </tr>
          </thead>
          <tbody>
            {lines.flatMap((line) =>
              line.changes.length === 0
                ? [
                    <tr data-diff={line.kind}>
                      <td>{`${line.name}`}</td>
                      <td colspan={3}>{e[line.kind]}</td>
                    </tr>,
                  ]
                : line.changes.map((c) => (
                    <tr data-diff={line.kind}>
                      <td>{line.name}</td>
                      <td>{c.what}</td>
                      <td>{c.before}</td>
                      <td>
                        <strong>{c.after}</strong>
                      </td>
                    </tr>
                  )),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Publishing behind a confirmation step: the differences, a warning, then the button. */
export function PublishStep(props: { lang: Lang; districtId: string; criteria: CriteriaVersion; published: CriteriaVersion | undefined }) {
  const { lang, criteria } = props;
  const e = EDITOR_TEXT[lang];
  return (
    <section class="card" aria-labelledby="publish-heading">
      <h2 id="publish-heading">{TEXT[lang].publish}</h2>
      <CriteriaDiff lang={lang} published={props.published} draft={criteria.document} />
      <details data-testid="publish-step">
        <summary>{e.publishStep}</summary>
        <form method="post" action={withQuery(paths.publish(props.districtId, criteria.version), lang)}>
          <p class="notice">{e.publishWarn}</p>
          <input type="hidden" name="lang" value={lang} />
          <input type="hidden" name="revision" value={String(criteria.revision)} />
          <button type="submit">{e.publishConfirm}</button>
        </form>
      </details>
    </section>
  );
}

/** Extra styles of the form editor. */
export const FORM_EDITOR_CSS = `
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
table.rows td,table.rows th{vertical-align:top;padding:4px}
table.rows input,table.rows select{font:inherit;padding:4px 6px;border:1px solid #8c959f;border-radius:4px;max-width:100%}
label.cell{display:flex;flex-direction:column;margin:0 0 4px}
label.cell[hidden]{display:none}
td.params{min-width:14em}
table.totals{width:auto;margin:8px 0}table.totals tr.off{color:#b42318;font-weight:700}
input:focus,select:focus,summary:focus,a:focus,textarea:focus{outline:3px solid #f4b400;outline-offset:1px}
`;
