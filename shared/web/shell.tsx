/**
 * The signed-in staff page: the layout with the person, role and district by name, the role's
 * navigation (./navigation.ts), the language switch to this same page, and the staff styles.
 */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Db } from '../data/db.ts';
import type { ApiEnv } from '../http/api.ts';
import type { Lang } from './lang.ts';
import { Layout } from './layout.tsx';
import { navigationOf } from './navigation.ts';
import { type Session, sessionOf } from './session.ts';
import { STAFF_CSS } from './styles.ts';

/** This page's address in the other language (the query kept). */
export function switchHrefOf(url: string, lang: Lang): string {
  const parsed = new URL(url);
  parsed.searchParams.set('lang', lang === 'zh' ? 'en' : 'zh');
  return parsed.pathname + parsed.search;
}

export interface Shell {
  lang: Lang;
  session: Session;
  navKey: string | undefined;
  switchHref: string;
  principal: ApiEnv['Variables']['principal'];
}

export async function shellOf(c: Context<ApiEnv>, db: Db, lang: Lang, navKey?: string): Promise<Shell> {
  const principal = c.get('principal');
  return { lang, session: await sessionOf(db, principal), navKey, switchHref: switchHrefOf(c.req.url, lang), principal };
}

/**
 * `switchHref`: this page in the other language when the request's own address is not it (a page shown after a form post);
 * `css`: a stylesheet of the function's own instead of the staff one; `refresh`: the page reloads itself every 2 s.
 */
export function StaffPage(props: { shell: Shell; title: string; switchHref?: string; css?: string; refresh?: boolean; children: Child }) {
  const { shell } = props;
  return (
    <Layout
      lang={shell.lang}
      title={props.title}
      switchHref={props.switchHref ?? shell.switchHref}
      session={shell.session}
      nav={navigationOf(shell.principal, shell.lang, shell.navKey)}
    >
      {/* hono/jsx hoists <meta> into <head>: the page reloads itself without JavaScript */}
      {props.refresh ? <meta http-equiv="refresh" content="2" /> : null}
      <style>{props.css ?? STAFF_CSS}</style>
      {props.children}
    </Layout>
  );
}
