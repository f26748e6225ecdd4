/**
 * An evaluation run: status, phase and progress, reloading itself every 2 seconds (meta refresh,
 * no script) while queued or running; once complete, the summary with the histogram of totals and
 * a paged table of the team results, each linking to its scorecard.
 */
import type { EvaluationRun, StoredScore } from '#shared/data/evaluations.ts';
import type { Lang } from '#shared/web/lang.ts';
import { ScoreHistogram } from './charts.tsx';
import { Page, StatusBadge } from './common.tsx';
import { paths, shortTime, TEXT, withQuery } from './texts.ts';

export interface RunPageProps {
  lang: Lang;
  run: EvaluationRun;
  scores: StoredScore[];
  teamNames: Map<string, string>;
  cursor?: string;
  nextCursor: string | null;
}

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
    <Page lang={lang} title={t.runTitle(run.period, run.criteriaVersion)} switchHref={withQuery(self, lang === 'zh' ? 'en' : 'zh', { cursor: props.cursor })} refresh={active}>
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
          {meta(t.startedBy, `${run.startedBy} · ${shortTime(run.createdAt)}`)}
          {run.completedAt ? meta(t.completedAt, shortTime(run.completedAt)) : null}
          {run.fingerprint ? meta(t.fingerprint, `${run.fingerprint.slice(0, 16)}…`) : null}
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
      {run.status === 'completed' ? (
        <section class="card" aria-labelledby="results-heading">
          <h2 id="results-heading">{t.results}</h2>
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
                {props.scores.map((s) => (
                  <tr data-team={s.teamId}>
                    <td class="num">{s.rank === null ? '—' : String(s.rank)}</td>
                    <td>
                      <a href={withQuery(paths.scorecard(run.evaluationId, s.teamId), lang)}>{props.teamNames.get(s.teamId) ?? s.teamId}</a>
                    </td>
                    <td class="wide">{s.institutionId}</td>
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
            {props.cursor ? <a href={withQuery(self, lang)}>{t.first}</a> : null} {props.nextCursor ? <a href={withQuery(self, lang, { cursor: props.nextCursor })}>{t.next}</a> : null}
          </p>
        </section>
      ) : null}
    </Page>
  );
}
