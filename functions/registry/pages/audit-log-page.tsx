/** The administrator's view of a district's general audit log: filters, then the entries newest first in China time. */
import type { AuditLogEntry } from '#shared/data/audit-log.ts';
import type { District } from '#shared/data/districts.ts';
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES, type AuditAction, type AuditEntityType } from '#shared/domain/audit-log.ts';
import type { InstitutionLevel, Ownership } from '#shared/domain/institutions.ts';
import { accountRoleName, memberRoleName } from '#shared/domain/role-names.ts';
import { adminNav } from '#shared/web/admin-nav.ts';
import { ADMIN_CSS, type FormState, FormProblems, SelectField, TextField } from '#shared/web/fields.tsx';
import { chinaTime, periodLabel } from '#shared/web/format.ts';
import type { Lang } from '#shared/web/lang.ts';
import { Layout } from '#shared/web/layout.tsx';
import type { Session } from '#shared/web/session.ts';
import { STAFF_CSS } from '#shared/web/styles.ts';
import { LEVEL_NAMES, OWNERSHIP_NAMES, yuan } from './texts.ts';

type Texts = Record<Lang, string>;

const ACTION_NAMES: Record<AuditAction, Texts> = {
  'settlement.create': { zh: '创建结算', en: 'Settlement created' },
  'settlement.recompute': { zh: '重新计算结算', en: 'Settlement recomputed' },
  'settlement.approve': { zh: '审批结算', en: 'Settlement approved' },
  'settlement.close': { zh: '结算办结', en: 'Settlement closed' },
  'payee.propose': { zh: '提交收款账户变更', en: 'Payee change proposed' },
  'payee.approve': { zh: '审批收款账户', en: 'Payee approved' },
  'contract.correct': { zh: '补录历史签约', en: 'Historical contract entered' },
  'period.close': { zh: '关闭数据报送', en: 'Period closed to uploads' },
  'period.reopen': { zh: '重新开放数据报送', en: 'Period reopened' },
  'period.evaluate': { zh: '正式考核结果', en: 'Official results' },
  'period.correct': { zh: '更正考核结果', en: 'Results corrected' },
  'period.publish': { zh: '公示结果', en: 'Results published for review' },
  'period.finalize': { zh: '结果确定', en: 'Results final' },
  'period.settle': { zh: '周期已结算', en: 'Period settled' },
  'appeal.file': { zh: '提出申诉', en: 'Appeal filed' },
  'appeal.decide': { zh: '申诉决定', en: 'Appeal decided' },
  'district.settings': { zh: '修改辖区设置', en: 'District settings changed' },
  'district.subsidy-rate': { zh: '设置补助标准', en: 'Subsidy rate set' },
  'institution.create': { zh: '登记机构', en: 'Institution registered' },
  'team.create': { zh: '创建团队', en: 'Team created' },
  'team.member-join': { zh: '成员加入团队', en: 'Member joined a team' },
  'team.member-leave': { zh: '成员离开团队', en: 'Member left a team' },
  'criteria.publish': { zh: '发布考核方案', en: 'Criteria published' },
  'user.invite': { zh: '邀请用户', en: 'User invited' },
};

const ENTITY_NAMES: Record<AuditEntityType, Texts> = {
  settlement: { zh: '结算', en: 'Settlement' },
  payee: { zh: '收款账户', en: 'Payee' },
  contract: { zh: '签约', en: 'Contract' },
  period: { zh: '考核周期', en: 'Period' },
  appeal: { zh: '申诉', en: 'Appeal' },
  district: { zh: '辖区', en: 'District' },
  institution: { zh: '机构', en: 'Institution' },
  team: { zh: '团队', en: 'Team' },
  criteria: { zh: '考核方案', en: 'Criteria' },
  user: { zh: '用户', en: 'User' },
};

const SYSTEM: Texts = { zh: '系统', en: 'System' };

/** Stored codes a summary may hold, named (period states, settlement statuses, decisions, contract states). */
const VALUE_NAMES: Record<string, Texts> = {
  open: { zh: '数据上报中', en: 'Open for data' },
  'deadline-passed': { zh: '上报已截止', en: 'Data deadline passed' },
  evaluated: { zh: '已考核', en: 'Evaluated' },
  published: { zh: '公示中', en: 'Published for review' },
  final: { zh: '结果已确定', en: 'Final' },
  settled: { zh: '已结算', en: 'Settled' },
  draft: { zh: '草稿', en: 'Draft' },
  approved: { zh: '已审批', en: 'Approved' },
  closed: { zh: '已办结', en: 'Closed' },
  accepted: { zh: '接受', en: 'Accepted' },
  rejected: { zh: '驳回', en: 'Rejected' },
  active: { zh: '生效', en: 'Active' },
  ended: { zh: '已终止', en: 'Ended' },
  cancelled: { zh: '已解约', en: 'Cancelled' },
};

function valueText(key: string, value: string | number | boolean, lang: Lang): string {
  const text = String(value);
  if (key === 'period') return periodLabel(text, lang);
  if (key === 'ownership') return OWNERSHIP_NAMES[text as Ownership]?.[lang] ?? text;
  if (key === 'level') return LEVEL_NAMES[text as InstitutionLevel]?.[lang] ?? text;
  if (key === 'role') return accountRoleName(text, lang);
  if (key === 'members')
    return text
      .split(', ')
      .map((r) => memberRoleName(r, lang))
      .join('、');
  if (key === 'subsidyRates') {
    // `before → after` of the rate list: the list after the change, as dates and yuan
    try {
      const after = JSON.parse(text.split(' → ').at(-1) ?? '[]') as { from: string; perYearFen: number }[];
      return after.map((r) => `${r.from <= '1900-01-01' ? '—' : r.from}: ${yuan(r.perYearFen)}`).join('，');
    } catch {
      return text;
    }
  }
  return VALUE_NAMES[text]?.[lang] ?? text;
}

const SUMMARY_NAMES: Record<string, Texts> = {
  teamCapacity: { zh: '团队签约上限', en: 'Team capacity cap' },
  contractTermMonths: { zh: '签约期限（月）', en: 'Contract term (months)' },
  surveyMinResponses: { zh: '最少答卷数', en: 'Minimum survey responses' },
  contractStartGraceDays: { zh: '宽限天数', en: 'Grace days' },
  dataDeadlineDays: { zh: '报送截止天数', en: 'Data deadline days' },
  reviewWindowDays: { zh: '公示期天数', en: 'Review window days' },
  subsidyPerResidentYearFen: { zh: '补助（分/人/年）', en: 'Subsidy (fen per resident a year)' },
  subsidyRates: { zh: '补助标准', en: 'Subsidy rates' },
  period: { zh: '周期', en: 'Period' },
  revision: { zh: '版本', en: 'Revision' },
  status: { zh: '状态', en: 'Status' },
  paidFen: { zh: '激励金额（分）', en: 'Incentives (fen)' },
  subsidyFen: { zh: '补助金额（分）', en: 'Subsidy (fen)' },
  name: { zh: '名称', en: 'Name' },
  capacity: { zh: '签约上限', en: 'Capacity' },
  members: { zh: '成员角色', en: 'Member roles' },
  member: { zh: '成员', en: 'Member' },
  memberRole: { zh: '成员角色', en: 'Member role' },
  joinedOn: { zh: '加入日期', en: 'Joined on' },
  leftOn: { zh: '离开日期', en: 'Left on' },
  from: { zh: '原状态', en: 'From' },
  to: { zh: '新状态', en: 'To' },
  indicator: { zh: '指标', en: 'Indicator' },
  decision: { zh: '决定', en: 'Decision' },
  role: { zh: '角色', en: 'Role' },
  version: { zh: '版本', en: 'Version' },
  startDate: { zh: '起始日', en: 'Start' },
  endDate: { zh: '终止日', en: 'End' },
  bank: { zh: '开户行', en: 'Bank' },
  ownership: { zh: '举办性质', en: 'Ownership' },
  level: { zh: '机构类别', en: 'Level' },
  claimedValue: { zh: '申诉值', en: 'Claimed value' },
  acceptedValue: { zh: '采纳值', en: 'Accepted value' },
  budgetSubject: { zh: '预算科目', en: 'Budget subject' },
};

export const AUDIT_TEXT = {
  zh: {
    title: '审计日志',
    filters: '筛选',
    from: '开始日期',
    to: '结束日期',
    action: '操作',
    actor: '操作人（账号）',
    entityType: '对象类型',
    institution: '机构',
    all: '全部',
    apply: '筛选',
    when: '时间',
    who: '操作人',
    onlyThisPerson: (name: string) => `只看${name}的操作`,
    what: '操作',
    entity: '对象',
    reason: '原因或意见',
    changes: '变更内容',
    none: '该范围内没有记录。',
    next: '更早的记录',
    problems: '请检查标出的字段。',
    dateProblem: '请输入有效日期，格式为 年-月-日。',
  },
  en: {
    title: 'Audit log',
    filters: 'Filters',
    from: 'From',
    to: 'To',
    action: 'Action',
    actor: 'By (account)',
    entityType: 'Kind of record',
    institution: 'Institution',
    all: 'All',
    apply: 'Filter',
    when: 'When',
    who: 'Who',
    onlyThisPerson: (name: string) => `Only ${name}'s changes`,
    what: 'Action',
    entity: 'Record',
    reason: 'Reason or comment',
    changes: 'What changed',
    none: 'Nothing was recorded in this range.',
    next: 'Older entries',
    problems: 'Check the marked fields.',
    dateProblem: 'Enter a real date, YYYY-MM-DD.',
  },
} as const;

function entityLabel(entry: AuditLogEntry, lang: Lang, institutions: Map<string, string>): string {
  const kind = ENTITY_NAMES[entry.entityType]?.[lang] ?? entry.entityType;
  const summaryName = typeof entry.summary?.name === 'string' ? entry.summary.name : undefined;
  const name =
    entry.entityType === 'institution' || entry.entityType === 'payee'
      ? institutions.get(entry.entityId)
      : entry.entityType === 'period'
        ? periodLabel(entry.entityId, lang)
        : entry.entityType === 'district'
          ? ''
          : entry.entityType === 'criteria'
            ? `v${entry.entityId}`
            : summaryName;
  return name ? `${kind} · ${name}` : kind;
}

function summaryText(entry: AuditLogEntry, lang: Lang): string {
  return Object.entries(entry.summary ?? {})
    .filter(([key]) => key !== 'teamId' && key !== 'proposalId' && key !== 'evaluationId')
    .map(([key, value]) => `${SUMMARY_NAMES[key]?.[lang] ?? key}: ${valueText(key, value, lang)}`)
    .join('；');
}

export function AuditLogPage(props: {
  lang: Lang;
  session: Session;
  district: District;
  institutions: Map<string, string>;
  entries: AuditLogEntry[];
  nextHref: string | null;
  filters: FormState;
  problem?: string | undefined;
}) {
  const { lang, district, filters } = props;
  const t = AUDIT_TEXT[lang];
  const base = `/admin/districts/${district.districtId}/audit-log`;
  const other = lang === 'zh' ? 'en' : 'zh';
  const chosen = Object.fromEntries(Object.entries(filters.values).filter(([, v]) => v));
  const query = new URLSearchParams({ ...chosen, lang: other });
  // a person's name leads to their changes alone (the actor filter takes the account, which the log keeps as `by`)
  const actorHref = (entry: AuditLogEntry) => `${base}?${new URLSearchParams({ ...chosen, actor: entry.by, lang }).toString()}`;
  return (
    <Layout
      lang={lang}
      title={`${t.title} · ${district.name}`}
      switchHref={`${base}?${query.toString()}`}
      session={props.session}
      nav={adminNav(lang, 'audit', district.districtId)}
    >
      <style>{STAFF_CSS + ADMIN_CSS}</style>
      <h1>
        {t.title} <span class="hint">{district.name}</span>
      </h1>
      <section class="card" aria-labelledby="filters-h">
        <h2 id="filters-h">{t.filters}</h2>
        <FormProblems title={t.problems} problem={props.problem} form={filters} />
        <form method="get" action={base} data-testid="audit-filters">
          <input type="hidden" name="lang" value={lang} />
          <div class="fields">
            <TextField name="from" label={t.from} type="date" form={filters} />
            <TextField name="to" label={t.to} type="date" form={filters} />
            <SelectField
              name="action"
              label={t.action}
              form={filters}
              blank={t.all}
              options={AUDIT_ACTIONS.map((a) => ({ value: a, label: ACTION_NAMES[a][lang] }))}
            />
            <TextField name="actor" label={t.actor} form={filters} />
            <SelectField
              name="entityType"
              label={t.entityType}
              form={filters}
              blank={t.all}
              options={AUDIT_ENTITY_TYPES.map((e) => ({ value: e, label: ENTITY_NAMES[e][lang] }))}
            />
            <SelectField
              name="institutionId"
              label={t.institution}
              form={filters}
              blank={t.all}
              options={[...props.institutions].map(([value, label]) => ({ value, label }))}
            />
          </div>
          <button type="submit">{t.apply}</button>
        </form>
      </section>
      <section class="card" aria-labelledby="entries-h">
        <h2 id="entries-h">{t.title}</h2>
        {props.entries.length === 0 ? (
          <p>{t.none}</p>
        ) : (
          <table data-testid="audit-entries">
            <thead>
              <tr>
                <th scope="col">{t.when}</th>
                <th scope="col">{t.who}</th>
                <th scope="col">{t.what}</th>
                <th scope="col">{t.entity}</th>
                <th scope="col">{t.institution}</th>
                <th scope="col">{t.reason}</th>
                <th scope="col">{t.changes}</th>
              </tr>
            </thead>
            <tbody>
              {props.entries.map((e) => (
                <tr>
                  <td>{chinaTime(e.at, lang)}</td>
                  <td>
                    {e.byRole === 'system' ? (
                      SYSTEM[lang]
                    ) : (
                      <a href={actorHref(e)} title={t.onlyThisPerson(e.byName)} data-testid="actor">
                        {e.byName}
                      </a>
                    )}
                    <br />
                    <span class="hint">{e.byRole === 'system' ? '' : accountRoleName(e.byRole, lang)}</span>
                  </td>
                  <td>{ACTION_NAMES[e.action]?.[lang] ?? e.action}</td>
                  <td>{entityLabel(e, lang, props.institutions)}</td>
                  <td>{e.institutionId ? (props.institutions.get(e.institutionId) ?? '') : ''}</td>
                  <td>{e.reason ?? ''}</td>
                  <td>{summaryText(e, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {props.nextHref ? (
          <p>
            <a href={props.nextHref}>{t.next}</a>
          </p>
        ) : null}
      </section>
    </Layout>
  );
}
