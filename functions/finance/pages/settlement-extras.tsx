/** On a settlement's page: its funding sources, the payment file (approved settlements, finance officers) and the links to the comparison and the year. */
import type { Settlement } from '#shared/data/settlements.ts';
import type { Principal } from '#shared/http/principal.ts';
import type { Lang } from '#shared/web/lang.ts';
import { yuan } from './texts.ts';

const TEXT = {
  zh: {
    funding: '资金来源',
    source: '来源',
    incentive: '激励',
    subsidy: '补助',
    total: '合计',
    paymentFile: '付款清单（含完整账号）',
    paymentDraft: '草稿结算不能生成付款清单；批准后可下载。',
    comparison: '与上一结算对比（按机构）',
    year: (year: string) => `${year} 年度汇总`,
    payees: '收款单位',
  },
  en: {
    funding: 'Funding sources',
    source: 'Source',
    incentive: 'Incentive',
    subsidy: 'Subsidy',
    total: 'Total',
    paymentFile: 'Payment file (full account numbers)',
    paymentDraft: 'A draft has no payment file; it can be downloaded once approved.',
    comparison: 'Comparison with the previous settlement (per institution)',
    year: (year: string) => `The year ${year}`,
    payees: 'Payees',
  },
} as const;

export function SettlementExtras(props: { s: Settlement; lang: Lang; viewer: Principal }) {
  const { s, lang } = props;
  const t = TEXT[lang];
  const funding = s.totals.funding ?? [];
  const year = s.period.slice(0, 4);
  return (
    <section class="card" aria-labelledby="finance-extras-heading" data-testid="finance-extras">
      <h2 id="finance-extras-heading">{t.funding}</h2>
      {funding.length > 0 ? (
        <table data-testid="funding">
          <thead>
            <tr>
              <th>{t.source}</th>
              <th class="num">{t.incentive}</th>
              <th class="num">{t.subsidy}</th>
              <th class="num">{t.total}</th>
            </tr>
          </thead>
          <tbody>
            {funding.map((f) => (
              <tr data-source={f.source}>
                <td>{f.name}</td>
                <td class="num">{yuan(f.incentiveFen)}</td>
                <td class="num">{yuan(f.subsidyFen)}</td>
                <td class="num">{yuan(f.totalFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="hint">—</p>
      )}
      <ul>
        {props.viewer.role === 'finance' ? (
          s.status === 'draft' ? (
            <li class="hint">{t.paymentDraft}</li>
          ) : (
            <li>
              {t.paymentFile}:{' '}
              <a href={`/finance/settlements/${s.settlementId}/payment-file.xlsx?lang=${lang}`} data-testid="payment-xlsx" download>
                XLSX
              </a>{' '}
              ·{' '}
              <a href={`/finance/settlements/${s.settlementId}/payment-file.csv?lang=${lang}`} data-testid="payment-csv" download>
                CSV
              </a>
            </li>
          )
        ) : null}
        <li>
          <a href={`/finance/settlements/${s.settlementId}/comparison?lang=${lang}`}>{t.comparison}</a>
        </li>
        <li>
          <a href={`/finance/districts/${s.districtId}/settlements/year/${year}?lang=${lang}`} data-testid="year-link">
            {t.year(year)}
          </a>
        </li>
        <li>
          <a href={`/finance/districts/${s.districtId}/payees?lang=${lang}`}>{t.payees}</a>
        </li>
      </ul>
    </section>
  );
}
