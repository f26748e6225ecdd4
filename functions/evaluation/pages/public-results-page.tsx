/** The public results page of a district period (no sign-in): totals, grades and ranks of the official results. */
import { chinaTime, periodLabel } from '#shared/web/format.ts';
import type { Lang } from '#shared/web/lang.ts';
import { Layout } from '#shared/web/layout.tsx';
import type { PublicResults } from '#shared/services/public-results.ts';
import { DistributionTable } from './trend-table.tsx';

const TEXT = {
  zh: {
    title: (district: string, period: string) => `${district} ${period} 家庭医生团队考核结果`,
    review: (until: string) => `公示中：如有异议，请所在机构于 ${until} 前提出申诉。`,
    final: '结果已确定。',
    rank: '名次',
    team: '团队',
    institution: '机构',
    total: '总分',
    grade: '等级',
    responses: '满意度调查答卷',
    fewer: (n: number) => `少于 ${n} 份`,
    none: '—',
    missing: '该周期的结果尚未公示。',
    note: '等级：A ≥ 90，B ≥ 80，C ≥ 70，D ≥ 60，E < 60。答卷少于最低数量时不公布具体数量。',
  },
  en: {
    title: (district: string, period: string) => `${district} ${period}: family-doctor team results`,
    review: (until: string) => `Under review: institutions may appeal until ${until}.`,
    final: 'These results are final.',
    rank: 'Rank',
    team: 'Team',
    institution: 'Institution',
    total: 'Total',
    grade: 'Grade',
    responses: 'Survey responses',
    fewer: (n: number) => `fewer than ${n}`,
    none: '—',
    missing: 'The results of this period are not published yet.',
    note: 'Grades: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, E < 60. Response counts below the minimum are not shown.',
  },
} as const;

export function PublicResultsPage(props: { lang: Lang; results: PublicResults | null; period: string; switchHref: string }) {
  const t = TEXT[props.lang];
  const { results } = props;
  if (!results) {
    return (
      <Layout lang={props.lang} title={t.missing} switchHref={props.switchHref}>
        <p class="notice">{t.missing}</p>
      </Layout>
    );
  }
  const title = t.title(results.districtName, periodLabel(results.period, props.lang));
  return (
    <Layout lang={props.lang} title={title} switchHref={props.switchHref}>
      <h1>{title}</h1>
      <p class="notice" data-testid="public-state">
        {results.state === 'published' && results.reviewEndsAt ? t.review(chinaTime(results.reviewEndsAt, props.lang)) : t.final}
      </p>
      <div class="card">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.rank}</th>
              <th scope="col">{t.team}</th>
              <th scope="col">{t.institution}</th>
              <th scope="col">{t.total}</th>
              <th scope="col">{t.grade}</th>
              <th scope="col">{t.responses}</th>
            </tr>
          </thead>
          <tbody>
            {results.teams.map((team) => (
              <tr>
                <td>{team.rank ?? t.none}</td>
                <td>{team.teamName}</td>
                <td>{team.institutionName}</td>
                <td>{team.total ?? t.none}</td>
                <td>{team.grade ?? t.none}</td>
                <td>{'count' in team.responses ? team.responses.count : t.fewer(team.responses.fewerThan)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <DistributionTable lang={props.lang} rows={results.distribution} />
      <p class="hint">{t.note}</p>
    </Layout>
  );
}
