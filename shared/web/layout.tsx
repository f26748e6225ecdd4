/**
 * The shell of every server-rendered page: mobile-first, readable without JavaScript. A signed-in
 * page shows who is signed in (person, role and district by name) with a sign-out form, the
 * page's navigation, and the switch to the other language.
 */
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { accountRoleName } from '../domain/role-names.ts';
import { HTML_LANG, type Lang } from './lang.ts';
import type { Session } from './session.ts';

export interface NavLink {
  href: string;
  label: string;
  current?: boolean;
}

const SHELL_TEXT = {
  zh: { product: '家庭医生服务评价', signOut: '退出登录', nav: '导航', signedIn: '当前用户' },
  en: { product: 'Family-doctor service evaluation', signOut: 'Sign out', nav: 'Navigation', signedIn: 'Signed in' },
} as const;

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1b1f24;background:#f4f6f8}
header{background:#0b5f58;color:#fff;padding:12px 16px;display:flex;justify-content:space-between;align-items:center;gap:8px}
header a{color:#fff}
header .who{display:flex;gap:8px;align-items:center;flex-wrap:wrap;font-size:.9rem}
header .who form{display:inline;margin:0}
header .who button{background:transparent;border:1px solid #fff;padding:4px 10px;min-height:32px;font-size:.85rem}
nav.main{background:#e8f3f2;padding:6px 16px;display:flex;gap:16px;flex-wrap:wrap}
nav.main a[aria-current=page]{font-weight:700}
main{max-width:720px;margin:0 auto;padding:16px}
h1{font-size:1.35rem;margin:.2em 0 .6em}
h2{font-size:1.1rem}
.card{background:#fff;border-radius:10px;padding:16px;margin:0 0 16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
fieldset{border:1px solid #d0d7de;border-radius:8px;margin:0 0 14px;padding:10px 12px}
legend{font-weight:600;padding:0 4px}
.scale{display:flex;flex-wrap:wrap;gap:6px}
.scale label{display:flex;flex-direction:column;align-items:center;min-width:44px;padding:6px;border:1px solid #d0d7de;border-radius:6px;cursor:pointer}
.scale input{margin:0 0 2px}
.scale label:focus-within{outline:3px solid #0b5f58}
.scale .anchor{font-size:.75rem;color:#57606a;text-align:center}
.hint{color:#57606a;font-size:.9rem}
.error{color:#b42318;font-weight:600}
.notice{border-left:4px solid #0b5f58;padding:8px 12px;background:#e8f3f2}
.refused{border-left-color:#b42318;background:#fdecea}
textarea{width:100%;min-height:90px;font:inherit;padding:8px}
button{font:inherit;background:#0b5f58;color:#fff;border:0;border-radius:8px;padding:12px 20px;min-height:44px;cursor:pointer}
button:focus{outline:3px solid #f4b400}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px;border-bottom:1px solid #e5e7eb}
`;

export function Layout(props: { lang: Lang; title: string; switchHref?: string; session?: Session; nav?: readonly NavLink[]; children: Child }) {
  const t = SHELL_TEXT[props.lang];
  const { session } = props;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={HTML_LANG[props.lang]}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title}</title>
          <style>{CSS}</style>
        </head>
        <body>
          <header>
            <strong>{t.product}</strong>
            {session ? (
              <section class="who" aria-label={t.signedIn} data-testid="session">
                <span>{session.person}</span>
                <span>{accountRoleName(session.role, props.lang)}</span>
                {session.districtName ? <span>{session.districtName}</span> : null}
                <form method="post" action="/logout">
                  <button type="submit">{t.signOut}</button>
                </form>
              </section>
            ) : null}
            {props.switchHref ? (
              <a href={props.switchHref} lang={props.lang === 'zh' ? 'en' : 'zh-CN'}>
                {props.lang === 'zh' ? 'English' : '中文'}
              </a>
            ) : null}
          </header>
          {props.nav && props.nav.length > 0 ? (
            <nav class="main" aria-label={t.nav}>
              {props.nav.map((link) => (
                <a href={link.href} {...(link.current ? { 'aria-current': 'page' } : {})}>
                  {link.label}
                </a>
              ))}
            </nav>
          ) : null}
          <main>{props.children}</main>
        </body>
      </html>
    </>
  );
}
