/** The year: approved settlements in force, totals per institution (and per period), per team and per funding source. */
import { periodLabel } from '#shared/web/format.ts';
import type { Lang } from '#shared/web/lang.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';
import { TEXT as FINANCE_TEXT, yuan } from './texts.ts';

interface Amounts {
  incentiveFen: number;
  subsidyFen: number;
  totalFen: number;
}

export interface YearPageData {
  districtId: string;
  year: string;
  settlements: { settlementId: string; period: string; status: string; paidFen: number; subsidyFen: number; correctionOf: string | null }[];
  totals: Amounts;
  institutions: (Amounts & { institutionId: string; name: string | null; byPeriod: Record<string, Amounts> })[];
  teams: (Amounts & { institutionId: string; teamId: string; teamName: string | null })[];
  funding: (Amounts & { source: string; name: string })[];
}

const TEXT = {
  zh: {
    title: (year: string) => `${year} 年度汇总`,
    open: '查看结算',
    settlements: '计入的已批准结算',
    none: '本年度尚无已批准的结算。',
    institution: '机构',
    team: '团队',
    incentive: '激励',
    subsidy: '补助',
    total: '合计',
    byInstitution: '按机构',
    byTeam: '按团队',
    funding: '按资金来源',
    source: '来源',
    previousYear: '上一年',
    nextYear: '下一年',
    correction: '更正',
  },
  en: {
    title: (year: string) => `The year ${year}`,
    open: 'Open the settlement',
    settlements: 'Approved settlements counted',
    none: 'No approved settlement this year yet.',
    institution: 'Institution',
    team: 'Team',
    incentive: 'Incentive',
    subsidy: 'Subsidy',
    total: 'Total',
    byInstitution: 'Per institution',
    byTeam: 'Per team',
    funding: 'Per funding source',
    source: 'Source',
    previousYear: 'Previous year',
    nextYear: 'Next year',
    correction: 'correction',
  },
} as const;

export function YearPage(props: { lang: Lang; shell: Shell; data: YearPageData; districtName: string }) {
  const { lang, data, districtName } = props;
  const t = TEXT[lang];
  const f = FINANCE_TEXT[lang];
  const other = lang === 'zh' ? 'en' : 'zh';
  const base = `/finance/districts/${data.districtId}/settlements/year`;
  const periods = data.settlements.map((s) => s.period);
  const money = (a: Amounts) => (
    <>
      <td class="num">{yuan(a.incentiveFen)}</td>
      <td class="num">{yuan(a.subsidyFen)}</td>
      <td class="num">{yuan(a.totalFen)}</td>
    </>
  );
  const institutionNames = new Map(data.institutions.map((i) => [i.institutionId, i.name ?? i.institutionId]));
  const heads = (
    <>
      <th class="num">{t.incentive}</th>
      <th class="num">{t.subsidy}</th>
      <th class="num">{t.total}</th>
    </>
  );
  return (
    <StaffPage shell={props.shell} title={t.title(data.year)} switchHref={`${base}/${data.year}?lang=${other}`}>
      <nav class="crumbs">
        <a href={`/finance/districts/${data.districtId}/settlements?lang=${lang}`}>{f.settlements}</a> ·{' '}
        <a href={`${base}/${Number(data.year) - 1}?lang=${lang}`}>{t.previousYear}</a> ·{' '}
        <a href={`${base}/${Number(data.year) + 1}?lang=${lang}`}>{t.nextYear}</a>
      </nav>
      <h1>
        {t.title(data.year)} · {districtName}
      </h1>
      <section class="card">
        <h2>{t.settlements}</h2>
        {data.settlements.length === 0 ? <p data-testid="year-empty">{t.none}</p> : null}
        <table data-testid="year-settlements">
          <tbody>
            {data.settlements.map((s) => (
              <tr>
                <td>{periodLabel(s.period, lang)}</td>
                <td>
                  <a href={`/finance/settlements/${s.settlementId}?lang=${lang}`}>{t.open}</a>
                  {s.correctionOf ? ` (${t.correction})` : ''}
                </td>
                <td class="num">{yuan(s.paidFen)}</td>
                <td class="num">{yuan(s.subsidyFen)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th>{t.total}</th>
              <th />
              <th class="num" data-testid="year-incentive">
                {yuan(data.totals.incentiveFen)}
              </th>
              <th class="num" data-testid="year-subsidy">
                {yuan(data.totals.subsidyFen)}
              </th>
            </tr>
          </tfoot>
        </table>
      </section>
      <section class="card scroll">
        <h2>{t.byInstitution}</h2>
        <table data-testid="year-institutions">
          <thead>
            <tr>
              <th>{t.institution}</th>
              {periods.map((p) => (
                <th class="num">{p}</th>
              ))}
              {heads}
            </tr>
          </thead>
          <tbody>
            {data.institutions.map((i) => (
              <tr data-institution={i.institutionId}>
                <td>{i.name ?? i.institutionId}</td>
                {periods.map((p) => (
                  <td class="num">{yuan(i.byPeriod[p]?.totalFen ?? 0)}</td>
                ))}
                {money(i)}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th>{t.total}</th>
              {periods.map(() => (
                <th />
              ))}
              <th class="num">{yuan(data.totals.incentiveFen)}</th>
              <th class="num">{yuan(data.totals.subsidyFen)}</th>
              <th class="num" data-testid="year-total">
                {yuan(data.totals.totalFen)}
              </th>
            </tr>
          </tfoot>
        </table>
      </section>
      {data.funding.length > 0 ? (
        <section class="card">
          <h2>{t.funding}</h2>
          <table data-testid="year-funding">
            <thead>
              <tr>
                <th>{t.source}</th>
                {heads}
              </tr>
            </thead>
            <tbody>
              {data.funding.map((s) => (
                <tr data-source={s.source}>
                  <td>{s.name}</td>
                  {money(s)}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <section class="card scroll">
        <h2>{t.byTeam}</h2>
        <table data-testid="year-teams">
          <thead>
            <tr>
              <th>{t.institution}</th>
              <th>{t.team}</th>
              {heads}
            </tr>
          </thead>
          <tbody>
            {data.teams.map((team) => (
              <tr data-team={team.teamId}>
                <td>{institutionNames.get(team.institutionId) ?? team.institutionId}</td>
                <td>{team.teamName ?? team.teamId}</td>
                {money(team)}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </StaffPage>
  );
}

export interface ComparisonPageData {
  settlementId: string;
  period: string;
  previous: { settlementId: string; period: string; relation: 'corrected' | 'previous-period' } | null;
  institutions: { institutionId: string; name: string | null; before: Amounts; after: Amounts; difference: Amounts }[];
  totals: { before: Amounts; after: Amounts; difference: Amounts };
}

const COMPARISON_TEXT = {
  zh: {
    title: (period: string) => `${period} 结算与上一结算对比`,
    against: (period: string, corrected: boolean) => (corrected ? `对比其更正的结算（${period}）` : `对比上一周期 ${period} 的已批准结算`),
    nothing: '没有可对比的上一结算：“之前”均为 0。',
    institution: '机构',
    before: '之前',
    after: '本次',
    difference: '差额',
    total: '合计',
    back: '返回结算',
  },
  en: {
    title: (period: string) => `The ${period} settlement against the one before`,
    against: (period: string, corrected: boolean) => (corrected ? `Against the settlement it corrects (${period})` : `Against ${period}'s approved settlement`),
    nothing: 'No previous settlement to compare with: "before" is 0 throughout.',
    institution: 'Institution',
    before: 'Before',
    after: 'After',
    difference: 'Difference',
    total: 'Total',
    back: 'Back to the settlement',
  },
} as const;

export function ComparisonPage(props: { lang: Lang; shell: Shell; data: ComparisonPageData }) {
  const { lang, data } = props;
  const t = COMPARISON_TEXT[lang];
  const other = lang === 'zh' ? 'en' : 'zh';
  const signed = (fen: number) => (
    <span class={fen < 0 ? 'neg' : fen > 0 ? 'pos' : ''}>{fen > 0 ? `+${yuan(fen)}` : fen < 0 ? `−${yuan(-fen)}` : yuan(0)}</span>
  );
  return (
    <StaffPage
      shell={props.shell}
      title={t.title(periodLabel(data.period, lang))}
      switchHref={`/finance/settlements/${data.settlementId}/comparison?lang=${other}`}
    >
      <nav class="crumbs">
        <a href={`/finance/settlements/${data.settlementId}?lang=${lang}`}>{t.back}</a>
      </nav>
      <h1>{t.title(periodLabel(data.period, lang))}</h1>
      <p data-testid="comparison-against">
        {data.previous ? t.against(periodLabel(data.previous.period, lang), data.previous.relation === 'corrected') : t.nothing}
      </p>
      <section class="card scroll">
        <table data-testid="comparison">
          <thead>
            <tr>
              <th>{t.institution}</th>
              <th class="num">{t.before}</th>
              <th class="num">{t.after}</th>
              <th class="num">{t.difference}</th>
            </tr>
          </thead>
          <tbody>
            {data.institutions.map((i) => (
              <tr data-institution={i.institutionId}>
                <td>{i.name ?? i.institutionId}</td>
                <td class="num">{yuan(i.before.totalFen)}</td>
                <td class="num">{yuan(i.after.totalFen)}</td>
                <td class="num">{signed(i.difference.totalFen)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th>{t.total}</th>
              <th class="num">{yuan(data.totals.before.totalFen)}</th>
              <th class="num">{yuan(data.totals.after.totalFen)}</th>
              <th class="num" data-testid="comparison-difference">
                {signed(data.totals.difference.totalFen)}
              </th>
            </tr>
          </tfoot>
        </table>
      </section>
    </StaffPage>
  );
}
