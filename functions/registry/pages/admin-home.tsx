/**
 * The administrator's home page. A stub the administrator pages (pagesadmin) fill in: periods to
 * close, districts, institutions, teams, audit log and user accounts.
 */
import type { Shell } from '#shared/web/shell.tsx';
import { StaffPage } from '#shared/web/shell.tsx';

const TEXT = {
  zh: { title: '管理员首页', intro: '在这里管理各区、机构、团队和周期。' },
  en: { title: 'Administrator home', intro: 'Manage districts, institutions, teams and periods here.' },
} as const;

export function AdminHomePage(props: { shell: Shell }) {
  const t = TEXT[props.shell.lang];
  return (
    <StaffPage shell={props.shell} title={t.title}>
      <h1>{t.title}</h1>
      <section class="card">
        <p>{t.intro}</p>
      </section>
    </StaffPage>
  );
}
