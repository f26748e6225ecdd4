/**
 * An evaluation run: status, phase and progress, reloading itself every 2 seconds (meta refresh,
 * no script) while queued or running; once complete, the summary with the histogram of totals and
 * a paged table of the team results, each linking to its scorecard.
 */
import type { EvaluationRun } from '#shared/data/evaluations.ts';
import { RESULT_SORTS, type ResultsPage, type ResultsQuery } from '#shared/services/evaluation/results.ts';
import type { Lang } from '#shared/web/lang.ts';
import { ScoreHistogram } from './charts.tsx';
import { Page, StatusBadge } from './common.tsx';
import type { Shell } from '#shared/web/shell.tsx';
import { paths, shortTime, TEXT, withQuery } from './texts.ts';

export interface RunPageProps {
  lang: Lang;
  /** the staff shell: the signed-in person and the role's navigation */
  shell: Shell;
  run: EvaluationRun;
  results: ResultsPage | null;
  query: ResultsQuery;
}

const RESULTS_TEXT = {
  zh: {
    search: '搜索团队或机构名称',
    allInstitutions: '全部机构',
    allEligibility: '全部',
    sort: '排序',
    sorts: { rank: '名次', total: '总分', team: '团队名称', institution: '机构' },
    desc: '倒序',
    apply: '筛选',
    count: (n: number, page: number, pages: number) => `共 ${n} 个团队 · 第 ${page} / ${pages} 页`,
    previous: '上一页',
    export: '导出 Excel（当前筛选与排序）',
    search_: (q: string) => `搜索“${q}”`,
    none: '无（全部团队）',
  },
  en: {
    search: 'Search team or institution names',
    allInstitutions: 'All institutions',
    allEligibility: 'All',
    sort: 'Sort by',
    sorts: { rank: 'Rank', total: 'Total', team: 'Team name', institution: 'Institution' },
    desc: 'Reverse order',
    apply: 'Filter',
    count: (n: number, page: number, pages: number) => `${n} teams · page ${page} of ${pages}`,
    previous: 'Previous page',
    export: 'Export to Excel (as filtered and sorted)',
    search_: (q: string) => `search "${q}"`,
    none: 'none (all teams)',
  },
} as const;

export function RunPage(props: RunPageProps) {
  const { lang, run } = props;
  const t = TEXT[lang];
  const self = paths.run(run.evaluationId);
  const active = run.status === 'queued' || run.status === 'running';
  const summary = run.summary;
  const meta = (label: string, value: string, testId?: string) => (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
  return (
    <Page
      lang={lang}
      shell={props.shell}
      title={t.runTitle(run.period, run.criteriaVersion)}
      switchHref={withQuery(self, lang === 'zh' ? 'en' : 'zh', queryParams(props.query))}
      refresh={active}
    >
      <nav class="crumbs">
        <a href={withQuery(paths.list(run.districtId), lang)}>{t.criteria}</a> ·{' '}
        <a href={withQuery(paths.version(run.districtId, run.criteriaVersion), lang)}>{t.versionNo(run.criteriaVersion)}</a>
      </nav>
      <h1>{t.runTitle(run.period, run.criteriaVersion)}</h1>
      <section class="card" aria-labelledby="status-heading" data-testid="run-status" data-status={run.status}>
        <h2 id="status-heading">
          {t.statusHead}: <StatusBadge kind={run.status} text={t.runStatus[run.status]} testId="status" />
        </h2>
        <dl class="grid">
          {meta(t.phase, t.phases[run.phase], 'phase')}
          {meta(t.progress, `${run.progress.done} / ${run.progress.total}`, 'progress')}
          {meta(t.baseline, run.baselinePeriod ?? '—')}
          {meta(t.startedBy, `${run.startedByName ?? run.startedBy} · ${shortTime(run.createdAt)}`)}
          {run.completedAt ? meta(t.completedAt, shortTime(run.completedAt)) : null}
          {run.fingerprint ? (
            <div>
              <dt>{t.fingerprint}</dt>
              <dd>
                {/* a checksum of the inputs: notation, not words (BCP 47 "zxx") */}
                <code lang="zxx">{`${run.fingerprint.slice(0, 16)}…`}</code>
              </dd>
            </div>
          ) : null}
        </dl>
        {active ? (
          <>
            <p>
              <label for="run-progress">{`${t.progress} · ${t.phases[run.phase]}`}</label>
              <br />
              <progress id="run-progress" max={String(Math.max(1, run.progress.total))} value={String(run.progress.done)}>
                {`${run.progress.done} / ${run.progress.total}`}
              </progress>
            </p>
            <p class="hint" role="status">
              {t.refreshing} <a href={withQuery(self, lang)}>{t.refresh}</a>
            </p>
          </>
        ) : null}
        {run.status === 'failed' ? (
          <div class="notice refused" role="alert">
            <p>
              {t.failed}
              {run.error ?? ''}
            </p>
          </div>
        ) : null}
      </section>
      {run.status === 'completed' && summary ? (
        <section class="card" aria-labelledby="summary-heading" data-testid="summary">
          <h2 id="summary-heading">{t.summary}</h2>
          <dl class="grid">
            {meta(t.teams, String(summary.teams))}
            {meta(t.scored, String(summary.scored))}
            {meta(t.mean, summary.mean ?? '—')}
            {meta(t.eligibility.eligible, String(summary.eligible), 'summary-eligible')}
            {meta(t.eligibility.capped, String(summary.capped), 'summary-capped')}
            {meta(t.eligibility.void, String(summary.void), 'summary-void')}
          </dl>
          <ScoreHistogram bins={summary.histogram} t={t} id="run-histogram" />
        </section>
      ) : null}
      {run.status === 'completed' && props.results ? <Results lang={lang} run={run} results={props.results} query={props.query} /> : null}
    </Page>
  );
}

function queryParams(q: ResultsQuery): Record<string, string | undefined> {
  return {
    q: q.q || undefined,
    institution: q.institutionId,
    eligibility: q.eligibility,
    sort: q.sort && q.sort !== 'rank' ? q.sort : undefined,
    desc: q.desc ? '1' : undefined,
    page: q.page && q.page > 1 ? String(q.page) : undefined,
  };
}

/** The filters and order of a results query in words, for the export's notes. */
export function filtersText(query: ResultsQuery, institutions: ResultsPage['institutions'], lang: Lang): string {
  const t = TEXT[lang];
  const r = RESULTS_TEXT[lang];
  const colon = lang === 'zh' ? '：' : ': ';
  const parts = [
    query.q?.trim() ? r.search_(query.q.trim()) : '',
    query.institutionId ? `${t.institution}${colon}${institutions.find((i) => i.institutionId === query.institutionId)?.name ?? ''}` : '',
    query.eligibility ? `${t.eligibilityHead}${colon}${t.eligibility[query.eligibility]}` : '',
  ].filter(Boolean);
  const order = `${r.sort}${colon}${r.sorts[query.sort ?? 'rank']}${query.desc ? (lang === 'zh' ? `（${r.desc}）` : ` (${r.desc})`) : ''}`;
  return [...(parts.length > 0 ? parts : [r.none]), order].join(lang === 'zh' ? '；' : '; ');
}

function Results(props: { lang: Lang; run: EvaluationRun; results: ResultsPage; query: ResultsQuery }) {
  const { lang, run, results, query } = props;
  const t = TEXT[lang];
  const r = RESULTS_TEXT[lang];
  const self = paths.run(run.evaluationId);
  const pageHref = (page: number) => withQuery(self, lang, { ...queryParams(query), page: page > 1 ? String(page) : undefined });
  return (
    <section class="card" aria-labelledby="results-heading">
      <h2 id="results-heading">{t.results}</h2>
      <form method="get" action={self} class="fields" data-testid="results-filter">
        <input type="hidden" name="lang" value={lang} />
        <label class="field">
          {r.search}
          <input name="q" value={query.q ?? ''} type="search" />
        </label>
        <label class="field">
          {t.institution}
          <select name="institution">
            <option value="">{r.allInstitutions}</option>
            {results.institutions.map((i) => (
              <option value={i.institutionId} selected={query.institutionId === i.institutionId}>
                {i.name}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          {t.eligibilityHead}
          <select name="eligibility">
            <option value="">{r.allEligibility}</option>
            {(['eligible', 'capped', 'void'] as const).map((e) => (
              <option value={e} selected={query.eligibility === e}>
                {t.eligibility[e]}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          {r.sort}
          <select name="sort">
            {RESULT_SORTS.map((s) => (
              <option value={s} selected={(query.sort ?? 'rank') === s}>
                {r.sorts[s]}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>
            <input type="checkbox" name="desc" value="1" checked={query.desc === true} /> {r.desc}
          </span>
        </label>
        <div class="field">
          <button type="submit">{r.apply}</button>
        </div>
      </form>
      <p class="hint" data-testid="results-count">
        {r.count(results.total, results.page, results.pages)} ·{' '}
        <a href={withQuery(`${self}/results.xlsx`, lang, { ...queryParams(query), page: undefined })} data-testid="results-export" download>
          {r.export}
        </a>
      </p>
      <div class="scroll">
        <table data-testid="results">
          <thead>
            <tr>
              <th class="num">{t.rank}</th>
              <th>{t.team}</th>
              <th class="wide">{t.institution}</th>
              <th class="num">{t.total}</th>
              <th>{t.eligibilityHead}</th>
            </tr>
          </thead>
          <tbody>
            {results.rows.map((s) => (
              <tr data-team={s.teamId}>
                <td class="num">{s.rank === null ? '—' : String(s.rank)}</td>
                <td>
                  <a href={withQuery(paths.scorecard(run.evaluationId, s.teamId), lang)}>{s.teamName}</a>
                </td>
                <td class="wide">{s.institutionName}</td>
                <td class="num">{s.score.total ?? t.notScored}</td>
                <td>
                  <StatusBadge kind={s.score.eligibility} text={t.eligibility[s.score.eligibility]} />
                  {s.score.eligibility === 'capped' ? t.capPercent(s.score.capPercent) : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        {results.page > 1 ? <a href={pageHref(results.page - 1)}>{r.previous}</a> : null}{' '}
        {results.page < results.pages ? <a href={pageHref(results.page + 1)}>{t.next}</a> : null}
      </p>
    </section>
  );
}
