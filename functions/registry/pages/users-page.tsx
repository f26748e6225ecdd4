/** Inviting a staff member with a role and its scope; locally, the demo identity to sign in as. */
import type { District } from '#shared/data/districts.ts';
import type { Institution } from '#shared/data/institutions.ts';
import { AUDIT_LOG_MESSAGES } from '#shared/domain/messages/audit-log.ts';
import { accountRoleName } from '#shared/domain/role-names.ts';
import type { InviteOutcome } from '#shared/services/user-invites.ts';
import { INVITABLE_ROLES } from '#shared/services/user-invites.ts';
import { adminNav } from '#shared/web/admin-nav.ts';
import { ADMIN_CSS, type FormState, FormProblems, SelectField, TextField } from '#shared/web/fields.tsx';
import type { Lang } from '#shared/web/lang.ts';
import { Layout } from '#shared/web/layout.tsx';
import type { Session } from '#shared/web/session.ts';
import { STAFF_CSS } from '#shared/web/styles.ts';

export const USERS_TEXT = {
  zh: {
    title: '邀请用户',
    email: '电子邮箱',
    name: '姓名',
    role: '角色',
    district: '辖区（系统管理员不需要）',
    institution: '机构（仅机构数据员）',
    none: '（无）',
    showInstitutions: '显示该辖区的机构',
    invite: '发送邀请',
    problems: '请更正以下问题：',
    invited: (who: string) => `已邀请 ${who}：系统已发送含临时密码的邮件，首次登录时须修改密码并设置多因素认证。`,
    demo: '本地演示环境没有用户目录：请在登录页以下列身份登录。',
    signInAs: '以此身份登录',
    invalidEmail: '请输入有效的电子邮箱',
    required: '必填',
  },
  en: {
    title: 'Invite a user',
    email: 'E-mail',
    name: 'Name',
    role: 'Role',
    district: 'District (not for administrators)',
    institution: 'Institution (clerks only)',
    none: '(none)',
    showInstitutions: "Show the district's institutions",
    invite: 'Send the invitation',
    problems: 'Please correct:',
    invited: (who: string) => `${who} is invited: an e-mail with a temporary password was sent; the first sign-in changes it and sets up MFA.`,
    demo: 'The local demo has no user directory: sign in at the login page as this identity.',
    signInAs: 'Sign in as this identity',
    invalidEmail: 'A valid e-mail address',
    required: 'Required',
  },
} as const;

export function UsersPage(props: {
  lang: Lang;
  session: Session;
  districts: District[];
  institutions: Institution[];
  form: FormState;
  problem?: string | undefined;
  outcome?: InviteOutcome | undefined;
  /** accounts are managed in an external identity provider: a notice instead of the form */
  external?: boolean;
}) {
  const { lang } = props;
  const t = USERS_TEXT[lang];
  const outcome = props.outcome;
  return (
    <Layout lang={lang} title={t.title} switchHref={`/admin/users?lang=${lang === 'zh' ? 'en' : 'zh'}`} session={props.session} nav={adminNav(lang, 'users')}>
      <style>{STAFF_CSS + ADMIN_CSS}</style>
      <h1>{t.title}</h1>
      {outcome?.kind === 'invited' ? (
        <p class="card notice" role="status">
          {t.invited(outcome.username)}
        </p>
      ) : null}
      {outcome?.kind === 'demo' ? (
        <div class="card notice" role="status" data-testid="demo-identity">
          <p>{t.demo}</p>
          <p>
            {accountRoleName(outcome.role, lang)} · {outcome.subject}
          </p>
          <form method="get" action="/login">
            <input type="hidden" name="next" value="/" />
            <button type="submit" class="secondary">
              {t.signInAs}
            </button>
          </form>
        </div>
      ) : null}
      {props.external ? (
        <p class="card notice" role="status" data-testid="accounts-elsewhere">
          {AUDIT_LOG_MESSAGES['accounts-in-identity-provider']![lang]}
        </p>
      ) : (
        <InviteForm {...props} />
      )}
    </Layout>
  );
}

function InviteForm(props: { lang: Lang; districts: District[]; institutions: Institution[]; form: FormState; problem?: string | undefined }) {
  const { lang, form } = props;
  const t = USERS_TEXT[lang];
  return (
    <section class="card">
      <FormProblems title={t.problems} problem={props.problem} form={form} />
      <form method="post" action="/admin/users" data-testid="invite-form">
        <input type="hidden" name="lang" value={lang} />
        <div class="fields">
          <TextField name="email" label={t.email} type="email" form={form} />
          <TextField name="name" label={t.name} form={form} />
          <SelectField name="role" label={t.role} form={form} options={INVITABLE_ROLES.map((r) => ({ value: r, label: accountRoleName(r, lang) }))} />
          <SelectField
            name="districtId"
            label={t.district}
            form={form}
            blank={t.none}
            options={props.districts.map((d) => ({ value: d.districtId, label: d.name }))}
          />
          <SelectField
            name="institutionId"
            label={t.institution}
            form={form}
            blank={t.none}
            options={props.institutions.map((i) => ({ value: i.institutionId, label: i.name }))}
          />
        </div>
        <p>
          <button type="submit" class="secondary" formmethod="get" formaction="/admin/users">
            {t.showInstitutions}
          </button>
        </p>
        <button type="submit">{t.invite}</button>
      </form>
    </section>
  );
}
