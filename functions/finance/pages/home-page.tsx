/** The finance officer's home: settlement drafts waiting for approval (by another officer than the one who computed them). */
import type { Settlement } from '#shared/data/settlements.ts';
import { formatYuan } from '#shared/domain/money/fen.ts';
import { chinaTime, periodLabel } from '#shared/web/format.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';

const TEXT = {
  zh: {
    title: '财务首页',
    drafts: '待批准的结算',
    none: '没有待批准的结算。',
    computed: (by: string, at: string) => `${by} 于 ${at} 计算`,
    yours: '（由您计算，须另一位财务人员批准）',
    all: '全部结算',
    pool: '奖励池',
  },
  en: {
    title: 'Finance home',
    drafts: 'Settlements waiting for approval',
    none: 'No settlement is waiting for approval.',
    computed: (by: string, at: string) => `computed by ${by} at ${at}`,
    yours: ' (computed by you: another officer approves it)',
    all: 'All settlements',
    pool: 'Pool',
  },
};

export function FinanceHomePage(props: { shell: Shell; districtId: string; drafts: Settlement[] }) {
  const { lang } = props.shell;
  const t = TEXT[lang];
  const me = props.shell.principal.subject;
  return (
    <StaffPage shell={props.shell} title={t.title}>
      <h1>{t.title}</h1>
      <section class="card" aria-labelledby="drafts-heading">
        <h2 id="drafts-heading">{t.drafts}</h2>
        {props.drafts.length === 0 ? (
          <p>{t.none}</p>
        ) : (
          <ul data-testid="drafts">
            {props.drafts.map((s) => (
              <li>
                <a href={`/finance/settlements/${encodeURIComponent(s.settlementId)}?lang=${lang}`}>{periodLabel(s.period, lang)}</a> · {t.pool} ¥
                {formatYuan(s.totals.poolFen)} ·{' '}
                <span class="hint">
                  {t.computed(s.computedBy, chinaTime(s.computedAt, lang))}
                  {(s.participants ?? [s.createdBy]).includes(me) ? t.yours : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
        <p>
          <a href={`/finance/districts/${encodeURIComponent(props.districtId)}/settlements?lang=${lang}`}>{t.all}</a>
        </p>
      </section>
    </StaffPage>
  );
}
