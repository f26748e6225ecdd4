/** The evaluator's period page: state, deadlines, transitions, completeness, publication and appeals to decide. */
import type { AppealView } from '#shared/services/appeals.ts';
import type { InstitutionCompleteness, PeriodView } from '#shared/services/periods.ts';
import { chinaTime, periodLabel } from '#shared/web/format.ts';
import type { Lang } from '#shared/web/lang.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';
import { AppealCard, type AppealNames } from './appeal-card.tsx';
import { PERIOD_STATES as STATES } from './appeal-texts.ts';
import { EVALUATOR_CSS } from './texts.ts';

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
    accept: '采纳',
    reject: '驳回',
    decisionReason: '处理意见',
    value: '采纳时的更正值',
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
    accept: 'Accept',
    reject: 'Reject',
    decisionReason: 'Reason for the decision',
    value: 'Corrected value if accepted',
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

/** The system's own actors by name: the daily job and the review window's end. */
const SYSTEM_ACTORS: Record<string, Record<Lang, string>> = {
  'period-close': { zh: '每日定时任务', en: 'the daily job' },
  'review-window': { zh: '公示期结束', en: 'end of the review window' },
};
const actor = (by: string, lang: Lang, byName?: string) => SYSTEM_ACTORS[by]?.[lang] ?? byName ?? by;

/** A transition's reason as people wrote it, or the system's reasons in the page's language (never an appeal's id). */
function reasonText(h: { action: string; reason?: string | undefined }, lang: Lang): string | undefined {
  if (!h.reason) return undefined;
  if (h.action === 'finalize') return lang === 'zh' ? '公示期已结束，申诉均已处理' : 'review window closed, every appeal decided';
  if (/^appeal \S+$/.test(h.reason)) return lang === 'zh' ? '依申诉更正' : 'corrected on appeal';
  return h.reason;
}

/** The official run by criteria version, who started it and when it completed, never by its id. */
function officialRunLabel(view: PeriodView, lang: Lang): string {
  const run = view.officialRuns.find((r) => r.evaluationId === view.officialRunId);
  if (!run) return lang === 'zh' ? '查看' : 'View';
  return lang === 'zh'
    ? `第 ${run.criteriaVersion} 版标准 · ${actor(run.startedBy, lang, run.startedByName)} · ${when(run.completedAt, lang)}`
    : `criteria version ${run.criteriaVersion} · ${actor(run.startedBy, lang, run.startedByName)} · ${when(run.completedAt, lang)}`;
}

export function PeriodPage(props: {
  shell: Shell;
  names: AppealNames;
  /** evaluators download attachments; administrators and finance see their names only */
  canDownload: boolean;
  districtId: string;
  view: PeriodView;
  completeness: InstitutionCompleteness[];
  appeals: AppealView[];
  canAct: boolean;
}) {
  const { view } = props;
  const { lang } = props.shell;
  const t = TEXT[lang];
  const base = `/evaluator/districts/${props.districtId}/periods/${view.period}`;
  return (
    <StaffPage shell={props.shell} title={t.title(periodLabel(view.period, lang))}>
      <style>{EVALUATOR_CSS}</style>
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
            {t.official}:{' '}
            <a href={`/evaluator/evaluations/${view.officialRunId}?lang=${lang}`} data-testid="official-run">
              {officialRunLabel(view, lang)}
            </a>
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
      {props.appeals.length === 0 ? <p class="card">{t.none}</p> : null}
      {props.appeals.map((appeal) => (
        <AppealCard lang={lang} appeal={appeal} names={props.names} canDownload={props.canDownload}>
          {props.canAct && appeal.status === 'open' ? (
            <form method="post" action={`/evaluator/appeals/${appeal.appealId}/decision?lang=${lang}`} data-testid="decision-form">
              <label class="field">
                <span>{t.decisionReason}</span>
                <input name="reason" required maxlength={2000} />
              </label>
              <label class="field">
                <span>{t.value}</span>
                <input name="value" inputmode="decimal" value={String(appeal.claimedValue)} />
              </label>
              <p class="actions">
                <button type="submit" name="decision" value="accept">
                  {t.accept}
                </button>
                <button type="submit" name="decision" value="reject" class="danger">
                  {t.reject}
                </button>
              </p>
            </form>
          ) : null}
        </AppealCard>
      ))}
      <h2>{t.transitions}</h2>
      <div class="card">
        <ol>
          {view.history.map((h) => (
            <li>
              {when(h.at, lang)} · {STATES[lang][h.from]} → {STATES[lang][h.to]} · {actor(h.by, lang, h.byName)}
              {reasonText(h, lang) ? ` · ${reasonText(h, lang)}` : ''}
            </li>
          ))}
        </ol>
      </div>
    </StaffPage>
  );
}

const LIST_TEXT = {
  zh: { title: '考核周期', period: '周期', state: '状态', deadline: '数据截止', reviewEnds: '公示截止', appeals: '待处理申诉' },
  en: { title: 'Periods', period: 'Period', state: 'State', deadline: 'Data deadline', reviewEnds: 'Review window ends', appeals: 'Open appeals' },
} as const;

/** The evaluator's recent periods, each with its state, deadlines and open appeals, linking to its page. */
export function PeriodListPage(props: { shell: Shell; districtId: string; views: PeriodView[] }) {
  const { lang } = props.shell;
  const t = LIST_TEXT[lang];
  return (
    <StaffPage shell={props.shell} title={t.title}>
      <h1>{t.title}</h1>
      <section class="card">
        <table data-testid="periods">
          <thead>
            <tr>
              <th scope="col">{t.period}</th>
              <th scope="col">{t.state}</th>
              <th scope="col">{t.deadline}</th>
              <th scope="col">{t.reviewEnds}</th>
              <th scope="col" class="num">
                {t.appeals}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.views.map((v) => (
              <tr data-period={v.period}>
                <th scope="row">
                  <a href={`/evaluator/districts/${encodeURIComponent(props.districtId)}/periods/${v.period}?lang=${lang}`}>{periodLabel(v.period, lang)}</a>
                </th>
                <td>{STATES[lang][v.state]}</td>
                <td>{when(v.deadlineAt, lang)}</td>
                <td>{when(v.reviewEndsAt, lang)}</td>
                <td class="num">{v.openAppeals}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </StaffPage>
  );
}
