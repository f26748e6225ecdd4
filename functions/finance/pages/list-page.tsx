/** A district's settlements, newest first. */
import type { Settlement } from '#shared/data/settlements.ts';
import { describeMethod } from '#shared/domain/settlements/compute.ts';
import { chinaTime, periodLabel } from '#shared/web/format.ts';
import type { Lang } from '#shared/web/lang.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';
import { TEXT, yuan } from './texts.ts';

export function SettlementListPage(props: {
  lang: Lang;
  /** the staff shell: the signed-in person and the role's navigation */
  shell: Shell;
  districtId: string;
  settlements: Settlement[];
  nextCursor: string | null;
  canCreate: boolean;
  year: string;
}) {
  const { lang } = props;
  const t = TEXT[lang];
  const other = lang === 'zh' ? 'en' : 'zh';
  const base = `/finance/districts/${props.districtId}/settlements`;
  return (
    <StaffPage shell={props.shell} title={t.settlements} switchHref={`${base}?lang=${other}`}>
      <h1>{t.settlements}</h1>
      <p class="actions">
        {props.canCreate ? <a href={`${base}/new?lang=${lang}`}>{t.newSettlement}</a> : null}
        <a href={`/finance/districts/${props.districtId}/payees?lang=${lang}`} data-testid="payees-link">
          {lang === 'zh' ? '收款单位' : 'Payees'}
        </a>
        <a href={`${base}/year/${props.year}?lang=${lang}`} data-testid="year-link">
          {lang === 'zh' ? `${props.year} 年度汇总` : `The year ${props.year}`}
        </a>
      </p>
      <section class="card">
        <table>
          <thead>
            <tr>
              <th>{t.settlement}</th>
              <th>{t.period}</th>
              <th>{t.statusHead}</th>
              <th class="num">{t.pool}</th>
              <th class="num">{t.paid}</th>
              <th class="num">{t.subsidy}</th>
              <th>{t.createdBy}</th>
            </tr>
          </thead>
          <tbody>
            {props.settlements.map((s) => (
              <tr>
                <td>
                  <a href={`/finance/settlements/${s.settlementId}?lang=${lang}`}>
                    {describeMethod(s.parameters.method)[lang]} · {chinaTime(s.createdAt, lang)}
                  </a>
                  {s.correctionOf ? <div class="hint">{lang === 'zh' ? '更正结算' : 'Correction'}</div> : null}
                </td>
                <td>{periodLabel(s.period, lang)}</td>
                <td>
                  <span class={`badge ${s.status}`}>{t.status[s.status]}</span>
                </td>
                <td class="num">{yuan(s.totals.poolFen)}</td>
                <td class="num">{yuan(s.totals.paidFen)}</td>
                <td class="num">{yuan(s.totals.subsidyFen)}</td>
                <td>{s.createdByName ?? s.createdBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {props.nextCursor ? (
          <p>
            <a href={`${base}?lang=${lang}&cursor=${encodeURIComponent(props.nextCursor)}`}>{t.next}</a>
          </p>
        ) : null}
      </section>
    </StaffPage>
  );
}
