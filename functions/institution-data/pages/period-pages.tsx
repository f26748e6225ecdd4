/** The administrator's periods of a district: open or closed to uploads, with history, and the confirmation before closing or reopening. */
import type { PeriodStatus } from '#shared/data/period-status.ts';
import { adminNav } from '#shared/web/admin-nav.ts';
import { ADMIN_CSS, type FormState, FormProblems, TextField } from '#shared/web/fields.tsx';
import { chinaTime, periodLabel } from '#shared/web/format.ts';
import type { Lang } from '#shared/web/lang.ts';
import { Layout } from '#shared/web/layout.tsx';
import type { Session } from '#shared/web/session.ts';
import { STAFF_CSS } from '#shared/web/styles.ts';

export const PERIOD_TEXT = {
  zh: {
    periods: '考核周期',
    period: '周期',
    status: '上传状态',
    open: '开放上传',
    closed: '已关闭',
    history: '变更记录',
    close: '关闭…',
    reopen: '重新开放…',
    closeTitle: (p: string) => `关闭 ${p}？`,
    reopenTitle: (p: string) => `重新开放 ${p}？`,
    closeExplain: '关闭后，各机构不能再上传或更正该周期的服务数据；管理员可以重新开放。',
    reopenExplain: '重新开放后，各机构可以再次上传或更正该周期的服务数据。已审批的结算不会改变，请说明原因。',
    reason: '原因',
    reasonOptional: '原因（可选）',
    confirmClose: '确认关闭',
    confirmReopen: '确认重新开放',
    cancel: '取消',
    closedNotice: (p: string) => `${p} 已关闭。`,
    reopenedNotice: (p: string) => `${p} 已重新开放。`,
    actions: { close: '关闭', reopen: '重新开放', evaluate: '考核完成', publish: '公示', correct: '申诉更正', finalize: '结果确定', settle: '结算' },
    none: '无',
    reasonRequired: '请填写重新开放的原因',
    problems: '请更正以下问题：',
  },
  en: {
    periods: 'Periods',
    period: 'Period',
    status: 'Uploads',
    open: 'Open',
    closed: 'Closed',
    history: 'History',
    close: 'Close…',
    reopen: 'Reopen…',
    closeTitle: (p: string) => `Close ${p}?`,
    reopenTitle: (p: string) => `Reopen ${p}?`,
    closeExplain: 'Once closed, institutions can no longer upload or correct service metrics of this period; an administrator can reopen it.',
    reopenExplain: 'Once reopened, institutions can upload or correct service metrics of this period again. Approved settlements do not change. Give a reason.',
    reason: 'Reason',
    reasonOptional: 'Reason (optional)',
    confirmClose: 'Close the period',
    confirmReopen: 'Reopen the period',
    cancel: 'Cancel',
    closedNotice: (p: string) => `${p} is closed.`,
    reopenedNotice: (p: string) => `${p} is open again.`,
    actions: {
      close: 'Closed',
      reopen: 'Reopened',
      evaluate: 'Evaluated',
      publish: 'Published',
      correct: 'Corrected on appeal',
      finalize: 'Final',
      settle: 'Settled',
    },
    none: 'None',
    reasonRequired: 'Give the reason for reopening',
    problems: 'Please correct:',
  },
} as const;

const other = (lang: Lang) => (lang === 'zh' ? 'en' : 'zh');

export function PeriodListPage(props: {
  lang: Lang;
  session: Session;
  districtId: string;
  districtName: string;
  statuses: PeriodStatus[];
  notice?: string | undefined;
}) {
  const { lang } = props;
  const t = PERIOD_TEXT[lang];
  const base = `/admin/districts/${props.districtId}/periods`;
  return (
    <Layout
      lang={lang}
      title={`${t.periods} · ${props.districtName}`}
      switchHref={`${base}?lang=${other(lang)}`}
      session={props.session}
      nav={adminNav(lang, 'periods', props.districtId)}
    >
      <style>{STAFF_CSS + ADMIN_CSS}</style>
      <h1>
        {t.periods} · {props.districtName}
      </h1>
      {props.notice ? (
        <p class="card notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <section class="card">
        <table data-testid="periods">
          <thead>
            <tr>
              <th>{t.period}</th>
              <th>{t.status}</th>
              <th>{t.history}</th>
              <th>
                <span class="sr-only">{t.close}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.statuses.map((s) => (
              <tr data-period={s.period}>
                <td>{periodLabel(s.period, lang)}</td>
                <td>
                  <span class={`badge ${s.status === 'closed' ? 'closed' : 'approved'}`}>{s.status === 'closed' ? t.closed : t.open}</span>
                </td>
                <td>
                  {s.history.length === 0 ? (
                    <span class="hint">{t.none}</span>
                  ) : (
                    <ul>
                      {s.history.map((h) => (
                        <li>
                          {t.actions[h.action]} · {h.by} · {chinaTime(h.at, lang)}
                          {h.reason ? ` · ${h.reason}` : ''}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  <a href={`${base}/${s.period}/${s.status === 'closed' ? 'reopen' : 'close'}?lang=${lang}`}>{s.status === 'closed' ? t.reopen : t.close}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>
  );
}

export function PeriodConfirmPage(props: {
  lang: Lang;
  session: Session;
  districtId: string;
  districtName: string;
  period: string;
  action: 'close' | 'reopen';
  form: FormState;
}) {
  const { lang, action } = props;
  const t = PERIOD_TEXT[lang];
  const name = periodLabel(props.period, lang);
  const base = `/admin/districts/${props.districtId}/periods`;
  return (
    <Layout
      lang={lang}
      title={action === 'close' ? t.closeTitle(name) : t.reopenTitle(name)}
      switchHref={`${base}/${props.period}/${action}?lang=${other(lang)}`}
      session={props.session}
      nav={adminNav(lang, 'periods', props.districtId)}
    >
      <style>{STAFF_CSS + ADMIN_CSS}</style>
      <h1>{action === 'close' ? t.closeTitle(name) : t.reopenTitle(name)}</h1>
      <section class="card">
        <p>
          {props.districtName} · {name}
        </p>
        <p>{action === 'close' ? t.closeExplain : t.reopenExplain}</p>
        <FormProblems title={t.problems} form={props.form} />
        <form method="post" action={`${base}/${props.period}/${action}`}>
          <input type="hidden" name="lang" value={lang} />
          <TextField
            name="reason"
            label={action === 'close' ? t.reasonOptional : t.reason}
            form={props.form}
            {...(action === 'reopen' ? { required: true } : {})}
          />
          <div class="actions">
            <button type="submit" class={action === 'close' ? 'danger' : undefined}>
              {action === 'close' ? t.confirmClose : t.confirmReopen}
            </button>
            <a href={`${base}?lang=${lang}`}>{t.cancel}</a>
          </div>
        </form>
      </section>
    </Layout>
  );
}
