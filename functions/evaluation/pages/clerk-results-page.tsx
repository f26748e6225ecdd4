/** The clerk's teams' results: the latest completed evaluation (total, rank, eligibility) and the period's survey results per team. */
import type { EvaluationRun } from '#shared/data/evaluations.ts';
import type { TeamResult } from '#shared/services/clerk-results.ts';
import { chinaTime, periodLabel } from '#shared/web/format.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';
import { TEXT as EVALUATOR_TEXT } from './texts.ts';

const TEXT = {
  zh: {
    title: '评分与满意度',
    run: (period: string, at: string) => `${period}评价结果（${at}完成计算）`,
    none: '本区还没有完成的评价。',
    team: '团队',
    total: '总分',
    rank: '全区排名',
    eligibility: '激励资格',
    responses: '满意度回复数',
    satisfied: '满意比例',
    mean: '满意度得分（0–100）',
    suppressed: (min: number) => `不足 ${min} 份，不公布`,
    scorecard: '评分明细',
    notScored: '未评分',
  },
  en: {
    title: 'Scorecards and surveys',
    run: (period: string, at: string) => `Results of ${period} (computed ${at})`,
    none: 'The district has no completed evaluation yet.',
    team: 'Team',
    total: 'Total',
    rank: 'Rank in the district',
    eligibility: 'Incentive eligibility',
    responses: 'Survey responses',
    satisfied: 'Satisfied',
    mean: 'Satisfaction score (0–100)',
    suppressed: (min: number) => `fewer than ${min}: withheld`,
    scorecard: 'Scorecard',
    notScored: 'not scored',
  },
};

export function ClerkResultsPage(props: { shell: Shell; run: EvaluationRun | null; results: TeamResult[] }) {
  const { lang } = props.shell;
  const t = TEXT[lang];
  const e = EVALUATOR_TEXT[lang];
  const { run } = props;
  return (
    <StaffPage shell={props.shell} title={t.title}>
      <h1>{t.title}</h1>
      {!run ? (
        <p class="card">{t.none}</p>
      ) : (
        <section class="card" aria-labelledby="results-heading">
          <h2 id="results-heading">{t.run(periodLabel(run.period, lang), chinaTime(run.completedAt ?? run.createdAt, lang))}</h2>
          <div class="scroll">
            <table data-testid="results">
              <thead>
                <tr>
                  <th scope="col">{t.team}</th>
                  <th scope="col" class="num">
                    {t.total}
                  </th>
                  <th scope="col" class="num">
                    {t.rank}
                  </th>
                  <th scope="col">{t.eligibility}</th>
                  <th scope="col" class="num">
                    {t.responses}
                  </th>
                  <th scope="col" class="num">
                    {t.satisfied}
                  </th>
                  <th scope="col" class="num">
                    {t.mean}
                  </th>
                  <th scope="col">{t.scorecard}</th>
                </tr>
              </thead>
              <tbody>
                {props.results.map(({ team, score, survey }) => (
                  <tr>
                    <th scope="row">{team.name}</th>
                    <td class="num">{score?.score.total ?? t.notScored}</td>
                    <td class="num">{score?.rank ?? '—'}</td>
                    <td>{score ? e.eligibility[score.score.eligibility] : '—'}</td>
                    <td class="num">{survey.n}</td>
                    {survey.suppressed ? (
                      <td colspan={2} class="hint">
                        {t.suppressed(survey.minResponses)}
                      </td>
                    ) : (
                      <>
                        <td class="num">{survey.headline.topBoxShare === null ? '—' : `${survey.headline.topBoxShare}%`}</td>
                        <td class="num">{survey.headline.mean100 ?? '—'}</td>
                      </>
                    )}
                    <td>
                      {score ? (
                        <a href={`/clerk/scorecards/${encodeURIComponent(run.evaluationId)}/${encodeURIComponent(team.teamId)}?lang=${lang}`}>
                          {t.scorecard}
                          <span class="visually-hidden">：{team.name}</span>
                        </a>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </StaffPage>
  );
}
