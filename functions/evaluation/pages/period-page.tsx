/** The evaluator's period page: state, deadlines, transitions, completeness, publication and appeals to decide. */
import type { AppealView } from '#shared/services/appeals.ts';
import type { InstitutionCompleteness, PeriodView } from '#shared/services/periods.ts';
import { chinaTime, periodLabel } from '#shared/web/format.ts';
import type { Lang } from '#shared/web/lang.ts';
import { Page } from './common.tsx';

const STATES = {
  zh: { open: '数据上报中', 'deadline-passed': '上报已截止', evaluated: '已考核', published: '公示中', final: '结果已确定', settled: '已结算' },
  en: {
    open: 'Open for data',
    'deadline-passed': 'Data deadline passed',
    evaluated: 'Evaluated',
    published: 'Published for review',
    final: 'Final',
    settled: 'Settled',
  },
} as const;

const TEXT = {
  zh: {
    title: (p: string) => `考核周期 ${p}`,
    state: '状态',
    deadline: '数据截止',
    reviewEnds: '公示截止',
    official: '正式考核',
    transitions: '状态记录',
    completeness: '数据完整性',
    institution: '机构',
    metrics: '服务数据',
    surveys: '满意度答卷',
    missing: '未上报',
    version: (v: number) => `第 ${v} 版`,
    publish: '公示结果',
    confirm: '我已核对正式考核结果，确认公示（公示期内各机构可申诉）',
    appeals: '申诉',
    none: '暂无申诉。',
    team: '团队',
    claim: '申诉值',
    reason: '理由',
    status: '状态',
    decide: '处理',
    accept: '采纳',
    reject: '驳回',
    decisionReason: '处理意见',
    appealStatus: { open: '待处理', accepted: '已采纳', rejected: '已驳回' },
    changed: '结果变化',
    results: '公开结果页',
  },
  en: {
    title: (p: string) => `Period ${p}`,
    state: 'State',
    deadline: 'Data deadline',
    reviewEnds: 'Review window ends',
    official: 'Official run',
    transitions: 'Transitions',
    completeness: 'Data completeness',
    institution: 'Institution',
    metrics: 'Service metrics',
    surveys: 'Survey responses',
    missing: 'missing',
    version: (v: number) => `version ${v}`,
    publish: 'Publish the results',
    confirm: 'I have checked the official results and publish them (institutions may appeal during the review window)',
    appeals: 'Appeals',
    none: 'No appeals.',
    team: 'Team',
    claim: 'Claimed value',
    reason: 'Reason',
    status: 'Status',
    decide: 'Decide',
    accept: 'Accept',
    reject: 'Reject',
    decisionReason: 'Reason for the decision',
    appealStatus: { open: 'open', accepted: 'accepted', rejected: 'rejected' },
    changed: 'Results changed',
    results: 'Public results page',
  },
} as const;

const when = (iso: string | undefined, lang: Lang) => (iso ? chinaTime(iso, lang) : '—');

function Completeness(props: { lang: Lang; rows: InstitutionCompleteness[] }) {
  const t = TEXT[props.lang];
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t.institution}</th>
          <th scope="col">{t.metrics}</th>
          <th scope="col">{t.surveys}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr data-testid={`completeness-${row.institutionId}`}>
            <td>{row.name}</td>
            <td>
              {row.metrics ? `${t.version(row.metrics.version)} · ${when(row.metrics.uploadedAt, props.lang)}` : <strong class="error">{t.missing}</strong>}
            </td>
            <td>
              {row.surveyResponses} ({row.teamsWithSurveys}/{row.teams})
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PeriodPage(props: {
  lang: Lang;
  districtId: string;
  view: PeriodView;
  completeness: InstitutionCompleteness[];
  appeals: AppealView[];
  canAct: boolean;
}) {
  const { lang, view } = props;
  const t = TEXT[lang];
  const base = `/evaluator/districts/${props.districtId}/periods/${view.period}`;
  return (
    <Page lang={lang} title={t.title(periodLabel(view.period, lang))} switchHref={`${base}?lang=${lang === 'zh' ? 'en' : 'zh'}`}>
      <h1>{t.title(periodLabel(view.period, lang))}</h1>
      <div class="card">
        <p>
          {t.state}: <strong data-testid="period-state">{STATES[lang][view.state]}</strong>
        </p>
        <p>
          {t.deadline}: {when(view.deadlineAt, lang)} · {t.reviewEnds}: {when(view.reviewEndsAt, lang)}
        </p>
        {view.officialRunId ? (
          <p>
            {t.official}: <a href={`/evaluator/evaluations/${view.officialRunId}?lang=${lang}`}>{view.officialRunId}</a>
          </p>
        ) : null}
        {view.state !== 'open' && view.state !== 'deadline-passed' && view.state !== 'evaluated' ? (
          <p>
            <a href={`/public/districts/${props.districtId}/results/${view.period}?lang=${lang}`}>{t.results}</a>
          </p>
        ) : null}
      </div>
      {props.canAct && view.state === 'evaluated' ? (
        <form method="post" action={`${base}/publish?lang=${lang}`} class="card">
          <label>
            <input type="checkbox" name="confirm" value="yes" required /> {t.confirm}
          </label>
          <p>
            <button type="submit">{t.publish}</button>
          </p>
        </form>
      ) : null}
      <h2>{t.completeness}</h2>
      <div class="card">
        <Completeness lang={lang} rows={props.completeness} />
      </div>
      <h2>{t.appeals}</h2>
      <div class="card">
        {props.appeals.length === 0 ? <p>{t.none}</p> : null}
        {props.appeals.map((appeal) => (
          <section data-testid={`appeal-${appeal.appealId}`}>
            <p>
              <strong>{appeal.teamId}</strong> · {appeal.indicator} · {appeal.metric} = {appeal.claimedValue} · {t.appealStatus[appeal.status]}
            </p>
            <p>
              {t.reason}: {appeal.reason}
            </p>
            {appeal.decisionReason ? (
              <p>
                {t.decisionReason}: {appeal.decisionReason}
              </p>
            ) : null}
            {appeal.changes?.length ? (
              <p>
                {t.changed}: {appeal.changes.map((c) => `${c.teamId} ${c.before.total ?? '—'} → ${c.after.total ?? '—'}`).join('; ')}
              </p>
            ) : null}
            {props.canAct && appeal.status === 'open' ? (
              <form method="post" action={`/evaluator/appeals/${appeal.appealId}/decision?lang=${lang}`}>
                <label>
                  {t.decisionReason} <input name="reason" required maxlength={2000} />
                </label>{' '}
                <button type="submit" name="decision" value="accept">
                  {t.accept}
                </button>{' '}
                <button type="submit" name="decision" value="reject">
                  {t.reject}
                </button>
              </form>
            ) : null}
          </section>
        ))}
      </div>
      <h2>{t.transitions}</h2>
      <div class="card">
        <ol>
          {view.history.map((h) => (
            <li>
              {when(h.at, lang)} · {STATES[lang][h.from]} → {STATES[lang][h.to]} · {h.by}
              {h.reason ? ` · ${h.reason}` : ''}
            </li>
          ))}
        </ol>
      </div>
    </Page>
  );
}
