/** One team's scorecard in a run: total, rank, eligibility, a one-line explanation per indicator, domain scores and gate outcomes. */
import type { EvaluationRun, StoredScore } from '#shared/data/evaluations.ts';
import type { GateEffect, Label } from '#shared/domain/scoring/index.ts';
import type { Lang } from '#shared/web/lang.ts';
import { periodLabel } from '#shared/web/format.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';
import { Page, StatusBadge } from './common.tsx';
import type { TeamTrend } from '#shared/domain/trends.ts';
import { TrendTable } from './trend-table.tsx';
import { EVALUATOR_CSS, paths, TEXT, type Texts, withQuery } from './texts.ts';

export interface ScorecardPageProps {
  lang: Lang;
  run: EvaluationRun;
  stored: StoredScore;
  teamName: string;
  /** indicator labels from the run's criteria version, by code (absent when it cannot be read) */
  labels: Map<string, Label>;
  /** the institution's name (its id when absent) */
  institutionName?: string;
  /** the staff shell; a clerk's view has the clerk's crumbs, the others the evaluator's */
  shell: Shell;
  /** the team's previous four periods and this one, total and per indicator */
  trend?: TeamTrend;
  /** during the review window, the clerk's link to appeal an indicator */
  appealHref?: (indicator: string) => string;
}

function effectText(effect: GateEffect, t: Texts): string {
  return effect === 'void' ? t.effectVoid : t.effectCap(effect.capPercent);
}

export function ScorecardPage(props: ScorecardPageProps) {
  const { lang, run, stored } = props;
  const t = TEXT[lang];
  const score = stored.score;
  const self = paths.scorecard(run.evaluationId, stored.teamId);
  const meta = (label: string, value: string, testId?: string) => (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
  const body = (
    <>
      <section class="card" aria-label={t.summary}>
        <dl class="grid">
          {meta(t.total, score.total ?? t.notScored, 'total')}
          {meta(t.rank, stored.rank === null ? '—' : String(stored.rank), 'rank')}
          {meta(t.percentile, stored.percentile ?? '—')}
          {meta(t.eligibilityHead, `${t.eligibility[score.eligibility]}${score.eligibility === 'capped' ? t.capPercent(score.capPercent) : ''}`, 'eligibility')}
          {meta(t.institution, props.institutionName ?? stored.institutionId)}
          {meta(t.period, periodLabel(run.period, lang))}
        </dl>
      </section>
      <section class="card" aria-labelledby="indicators-heading">
        <h2 id="indicators-heading">{t.indicators}</h2>
        <div class="scroll">
          <table data-testid="indicators">
            <thead>
              <tr>
                <th>{t.indicator}</th>
                <th class="num">{t.value}</th>
                <th class="num">{t.points}</th>
                <th class="num wide">{t.weight}</th>
                <th class="num wide">{t.contribution}</th>
              </tr>
            </thead>
            {score.indicators.map((i) => (
              <tbody class="indicator" data-indicator={i.code}>
                <tr class="figures">
                  <th scope="row">
                    {props.labels.get(i.code)?.[lang] ?? i.code}
                    {i.status === 'insufficient' ? (
                      <>
                        {' '}
                        <StatusBadge kind="insufficient" text={t.indicatorStatus.insufficient} />
                      </>
                    ) : null}
                  </th>
                  <td class="num">{i.value ?? '—'}</td>
                  <td class="num">{i.points === null ? '—' : `${i.points} / ${i.maxPoints}`}</td>
                  <td class="num wide">{i.weight}</td>
                  <td class="num wide">{i.contribution}</td>
                </tr>
                <tr>
                  <td colspan={5} class="explanation">
                    {i.explanation[lang]}
                    {props.appealHref ? (
                      <>
                        {' '}
                        <a href={props.appealHref(i.code)} data-testid={`appeal-${i.code}`}>
                          {lang === 'zh' ? '对此指标申诉' : 'Appeal this indicator'}
                          <span class="visually-hidden">：{props.labels.get(i.code)?.[lang] ?? i.code}</span>
                        </a>
                      </>
                    ) : null}
                  </td>
                </tr>
              </tbody>
            ))}
          </table>
        </div>
      </section>
      {score.domains.length > 0 ? (
        <section class="card" aria-labelledby="domains-heading">
          <h2 id="domains-heading">{t.domains}</h2>
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th>{t.domain}</th>
                  <th class="num">{t.total}</th>
                  <th class="num">{t.weight}</th>
                </tr>
              </thead>
              <tbody>
                {score.domains.map((d) => (
                  <tr>
                    <td>{d.label[lang]}</td>
                    <td class="num">{d.score ?? t.indicatorStatus.insufficient}</td>
                    <td class="num">{d.weight}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {props.trend ? <TrendTable lang={lang} trend={props.trend} labels={props.labels} /> : null}
      <section class="card" aria-labelledby="gates-heading">
        <h2 id="gates-heading">{t.gateOutcomes}</h2>
        {score.gates.length === 0 ? (
          <p class="hint">{t.noGates}</p>
        ) : (
          <ul data-testid="gates">
            {score.gates.map((g) => (
              <li>
                <StatusBadge kind={g.status} text={t.gateStatus[g.status]} /> <strong>{g.label[lang]}</strong>
                {` (${t.gateKinds[g.kind]}; ${t.effect}: ${effectText(g.effect, t)})`}
                <div>{g.explanation[lang]}</div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
  return props.shell.principal.role === 'clerk' ? (
    <StaffPage shell={props.shell} title={t.scorecardOf(props.teamName)}>
      <style>{EVALUATOR_CSS}</style>
      <nav class="crumbs">
        <a href={`/clerk/scorecards?lang=${lang}`}>{props.shell.lang === 'zh' ? '评分与满意度' : 'Scorecards and surveys'}</a>
      </nav>
      <h1>{t.scorecardOf(props.teamName)}</h1>
      {body}
    </StaffPage>
  ) : (
    <Page lang={lang} shell={props.shell} title={t.scorecardOf(props.teamName)} switchHref={withQuery(self, lang === 'zh' ? 'en' : 'zh')}>
      <nav class="crumbs">
        <a href={withQuery(paths.list(run.districtId), lang)}>{t.criteria}</a> ·{' '}
        <a href={withQuery(paths.run(run.evaluationId), lang)}>{t.runTitle(run.period, run.criteriaVersion)}</a>
      </nav>
      <h1>{t.scorecardOf(props.teamName)}</h1>
      {body}
    </Page>
  );
}
