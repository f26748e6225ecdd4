/**
 * On a settlement's page: the comparison with the previous settlement of the district, per
 * institution (previous amount, this amount, difference), the previous one named by its period
 * and method: the settlement it corrects, else the one in force for the period before
 * (shared/services/settlement-year.ts `settlementComparison`).
 */
import { describeMethod } from '#shared/domain/settlements/compute.ts';
import type { settlementComparison } from '#shared/services/settlement-year.ts';
import { periodLabel } from '#shared/web/format.ts';
import type { Lang } from '#shared/web/lang.ts';
import { yuan } from './texts.ts';

export type SettlementComparisonData = Awaited<ReturnType<typeof settlementComparison>>;

const TEXT = {
  zh: {
    title: '与上一结算对比',
    corrected: (period: string, method: string) => `对比本结算更正的 ${period} 结算（${method}）。`,
    previous: (period: string, method: string) => `对比上一周期 ${period} 的已批准结算（${method}）。`,
    nothing: '本辖区没有可对比的上一结算，“上次金额”均为 0。',
    institution: '机构',
    before: '上次金额',
    after: '本次金额',
    difference: '差额',
    total: '合计',
  },
  en: {
    title: 'Against the previous settlement',
    corrected: (period: string, method: string) => `Against the ${period} settlement this one corrects (${method}).`,
    previous: (period: string, method: string) => `Against the approved settlement of the period before, ${period} (${method}).`,
    nothing: 'The district has no previous settlement to compare with: the previous amounts are 0.',
    institution: 'Institution',
    before: 'Previous amount',
    after: 'This amount',
    difference: 'Difference',
    total: 'Total',
  },
} as const;

function Signed(props: { fen: number }) {
  const { fen } = props;
  return <span class={fen < 0 ? 'neg' : fen > 0 ? 'pos' : ''}>{fen > 0 ? `+${yuan(fen)}` : fen < 0 ? `−${yuan(-fen)}` : yuan(0)}</span>;
}

export function SettlementComparison(props: { lang: Lang; data: SettlementComparisonData }) {
  const { lang, data } = props;
  const t = TEXT[lang];
  const previous = data.previous;
  return (
    <section class="card" aria-labelledby="comparison-heading" data-testid="settlement-comparison">
      <h2 id="comparison-heading">{t.title}</h2>
      <p data-testid="comparison-previous">
        {previous
          ? t[previous.relation === 'corrected' ? 'corrected' : 'previous'](periodLabel(previous.period, lang), describeMethod(previous.method)[lang])
          : t.nothing}
      </p>
      <div class="scroll">
        <table data-testid="comparison-lines">
          <thead>
            <tr>
              <th scope="col">{t.institution}</th>
              <th scope="col" class="num">
                {t.before}
              </th>
              <th scope="col" class="num">
                {t.after}
              </th>
              <th scope="col" class="num">
                {t.difference}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.institutions.map((line) => (
              <tr>
                <td>{line.name ?? ''}</td>
                <td class="num">{yuan(line.before.totalFen)}</td>
                <td class="num">{yuan(line.after.totalFen)}</td>
                <td class="num">
                  <Signed fen={line.difference.totalFen} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t.total}</th>
              <td class="num">{yuan(data.totals.before.totalFen)}</td>
              <td class="num">{yuan(data.totals.after.totalFen)}</td>
              <td class="num" data-testid="comparison-total-difference">
                <Signed fen={data.totals.difference.totalFen} />
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}
