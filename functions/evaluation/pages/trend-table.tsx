/** Results over time: a team's total and indicator contributions per period, and a district's distribution of totals per period. */
import type { Label } from '#shared/domain/scoring/index.ts';
import type { PeriodDistribution, TeamTrend } from '#shared/domain/trends.ts';
import { periodLabel } from '#shared/web/format.ts';
import type { Lang } from '#shared/web/lang.ts';

const TEXT = {
  zh: {
    trend: '近期各周期结果',
    trendHint: '各指标为对总分的贡献分；“无结果”表示该周期没有已公示的正式结果。',
    total: '总分',
    noResults: '无结果',
    distribution: '历次结果分布',
    period: '周期',
    teams: '团队数',
    scored: '有总分',
    mean: '平均分',
    q1: '下四分位',
    median: '中位数',
    q3: '上四分位',
    grade: (g: string) => `${g} 级`,
  },
  en: {
    trend: 'Results of recent periods',
    trendHint: 'Indicators show their contribution to the total; "no results" marks a period without published official results.',
    total: 'Total',
    noResults: 'no results',
    distribution: 'Distribution over time',
    period: 'Period',
    teams: 'Teams',
    scored: 'With a total',
    mean: 'Mean',
    q1: 'Lower quartile',
    median: 'Median',
    q3: 'Upper quartile',
    grade: (g: string) => `Grade ${g}`,
  },
} as const;

export function TrendTable(props: { lang: Lang; trend: TeamTrend; labels: Map<string, Label> }) {
  const { lang, trend } = props;
  const t = TEXT[lang];
  const cell = (value: string | null, i: number) => (
    <td class="num">{trend.periods[i]?.hasResults ? (value ?? '—') : <span class="hint">{t.noResults}</span>}</td>
  );
  return (
    <section class="card" aria-labelledby="trend-heading">
      <h2 id="trend-heading">{t.trend}</h2>
      <p class="hint">{t.trendHint}</p>
      <div class="scroll">
        <table data-testid="trend">
          <thead>
            <tr>
              <th scope="col">
                <span class="visually-hidden">{t.period}</span>
              </th>
              {trend.periods.map((p) => (
                <th scope="col" class="num">
                  {periodLabel(p.period, lang)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr data-testid="trend-total">
              <th scope="row">{t.total}</th>
              {trend.total.map(cell)}
            </tr>
            {trend.indicators.map((row) => (
              <tr>
                <th scope="row">{props.labels.get(row.code)?.[lang] ?? row.code}</th>
                {row.cells.map(cell)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function DistributionTable(props: { lang: Lang; rows: PeriodDistribution[] }) {
  const t = TEXT[props.lang];
  const grades = ['A', 'B', 'C', 'D', 'E'] as const;
  return (
    <section class="card" aria-labelledby="distribution-heading">
      <h2 id="distribution-heading">{t.distribution}</h2>
      <div class="scroll">
        <table data-testid="distribution">
          <thead>
            <tr>
              <th scope="col">{t.period}</th>
              <th scope="col">
                {t.scored} / {t.teams}
              </th>
              <th scope="col">{t.mean}</th>
              <th scope="col">{t.q1}</th>
              <th scope="col">{t.median}</th>
              <th scope="col">{t.q3}</th>
              {grades.map((g) => (
                <th scope="col">{t.grade(g)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr data-period={row.period}>
                <th scope="row">{periodLabel(row.period, props.lang)}</th>
                {row.hasResults ? (
                  <>
                    <td>
                      {row.scored} / {row.teams}
                    </td>
                    <td>{row.mean ?? '—'}</td>
                    <td>{row.q1 ?? '—'}</td>
                    <td>{row.median ?? '—'}</td>
                    <td>{row.q3 ?? '—'}</td>
                    {grades.map((g) => (
                      <td>{row.grades[g]}</td>
                    ))}
                  </>
                ) : (
                  <td colspan={10} class="hint">
                    {t.noResults}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
