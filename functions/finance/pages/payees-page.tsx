/**
 * The district's payees: each institution's approved payee (account number masked), a pending change, and for finance officers the forms to propose and approve
 * (four-eyes).
 */
import type { Principal } from '#shared/http/principal.ts';
import type { PayeeView } from '#shared/services/payees.ts';
import type { Lang } from '#shared/web/lang.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';
import { TEXT as FINANCE_TEXT } from './texts.ts';

const TEXT = {
  zh: {
    title: '收款单位',
    institution: '机构',
    creditCode: '统一社会信用代码',
    accountName: '户名',
    bank: '开户银行',
    accountNumber: '账号',
    budgetSubject: '预算科目',
    state: '状态',
    none: '未设置',
    approved: (by: string, at: string) => `已批准（${by}，${at}）`,
    pending: (by: string) => `待审批：${by} 提交的变更`,
    propose: '提交变更',
    approve: '批准变更（第二位财务人员）',
    ownProposal: '此变更由您提交，需由本区另一位财务人员批准（四眼原则）。',
    proposed: '变更已提交，待另一位财务人员批准。',
    approvedNotice: '变更已批准，付款清单将使用新的收款信息。',
    accountHint: '账号加密保存，页面只显示后四位；完整账号只出现在已批准结算的付款清单中。',
    edit: '修改收款信息',
  },
  en: {
    title: 'Payees',
    institution: 'Institution',
    creditCode: 'Unified social credit code',
    accountName: 'Account name',
    bank: 'Bank',
    accountNumber: 'Account number',
    budgetSubject: 'Budget subject',
    state: 'Status',
    none: 'Not set',
    approved: (by: string, at: string) => `Approved (${by}, ${at})`,
    pending: (by: string) => `Waiting for approval: change proposed by ${by}`,
    propose: 'Propose change',
    approve: 'Approve change (second officer)',
    ownProposal: 'You proposed this change; another finance officer of the district approves it (four-eyes).',
    proposed: 'Change proposed; another finance officer approves it.',
    approvedNotice: 'Change approved; payment files use the new payee.',
    accountHint:
      'Account numbers are stored encrypted and shown by their last four digits; the full number is only in the payment file of an approved settlement.',
    edit: 'Edit payee',
  },
} as const;

export type PayeeNotice = 'proposed' | 'approved';

export function PayeesPage(props: {
  lang: Lang;
  /** the staff shell: the signed-in person and the role's navigation */
  shell: Shell;
  districtId: string;
  districtName: string;
  items: (PayeeView & { name: string })[];
  viewer: Principal;
  notice?: PayeeNotice;
  problem?: string;
}) {
  const { lang } = props;
  const t = TEXT[lang];
  const f = FINANCE_TEXT[lang];
  const other = lang === 'zh' ? 'en' : 'zh';
  const officer = props.viewer.role === 'finance';
  return (
    <StaffPage shell={props.shell} title={`${t.title} · ${props.districtName}`} switchHref={`/finance/districts/${props.districtId}/payees?lang=${other}`}>
      <nav class="crumbs">
        <a href={`/finance/districts/${props.districtId}/settlements?lang=${lang}`}>{f.settlements}</a>
      </nav>
      <h1>
        {t.title} · {props.districtName}
      </h1>
      {props.notice ? (
        <div class="card notice" role="status">
          <p>{props.notice === 'proposed' ? t.proposed : t.approvedNotice}</p>
        </div>
      ) : null}
      {props.problem ? (
        <div class="card notice refused" role="alert" data-testid="problem">
          <p>{props.problem}</p>
        </div>
      ) : null}
      <p class="hint">{t.accountHint}</p>
      <section class="card scroll">
        <table data-testid="payees">
          <thead>
            <tr>
              <th>{t.institution}</th>
              <th>{t.creditCode}</th>
              <th>{t.accountName}</th>
              <th>{t.bank}</th>
              <th>{t.accountNumber}</th>
              <th>{t.budgetSubject}</th>
              <th>{t.state}</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((item) => {
              const shown = item.current ?? item.pending;
              return (
                <tr data-institution={item.institutionId}>
                  <td>{item.name}</td>
                  <td>{shown?.creditCode ?? '—'}</td>
                  <td>{shown?.accountName ?? '—'}</td>
                  <td>{shown?.bank ?? '—'}</td>
                  <td data-testid="account">{shown?.accountNumberMasked ?? '—'}</td>
                  <td>{shown?.budgetSubject ?? '—'}</td>
                  <td>
                    {item.current ? <div>{t.approved(item.current.approvedByName, item.current.approvedAt.slice(0, 10))}</div> : <div>{t.none}</div>}
                    {item.pending ? (
                      <div class="hint" data-testid="pending">
                        {t.pending(item.pending.proposedByName)}: {item.pending.creditCode} · {item.pending.bank} · {item.pending.accountNumberMasked}
                      </div>
                    ) : null}
                    {officer && item.pending && item.pending.proposedBy !== props.viewer.subject ? (
                      <form method="post" action={`/finance/institutions/${item.institutionId}/payee/approve?lang=${lang}`} class="inline">
                        <input type="hidden" name="proposalId" value={item.pending.proposalId} />
                        <button type="submit">{t.approve}</button>
                      </form>
                    ) : null}
                    {officer && item.pending && item.pending.proposedBy === props.viewer.subject ? <p class="hint">{t.ownProposal}</p> : null}
                    {officer ? <ProposeForm lang={lang} item={item} /> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </StaffPage>
  );
}

function ProposeForm(props: { lang: Lang; item: PayeeView & { name: string } }) {
  const t = TEXT[props.lang];
  const shown = props.item.pending ?? props.item.current;
  const field = (name: string, label: string, value = '', autocomplete = 'off') => (
    <label class="field">
      {label}
      <input name={name} value={value} autocomplete={autocomplete} required />
    </label>
  );
  return (
    <details>
      <summary>{t.edit}</summary>
      <form
        method="post"
        action={`/finance/institutions/${props.item.institutionId}/payee?lang=${props.lang}`}
        data-testid={`propose-${props.item.institutionId}`}
      >
        {field('creditCode', t.creditCode, shown?.creditCode)}
        {field('accountName', t.accountName, shown?.accountName)}
        {field('bank', t.bank, shown?.bank)}
        {field('accountNumber', t.accountNumber)}
        {field('budgetSubject', t.budgetSubject, shown?.budgetSubject)}
        <button type="submit">{t.propose}</button>
      </form>
    </details>
  );
}
