/** Pieces every evaluator page shares: the page shell, notices, status badges. */
import type { Child } from 'hono/jsx';
import { Layout } from '#shared/web/layout.tsx';
import type { Lang } from '#shared/web/lang.ts';
import { navigationOf } from '#shared/web/navigation.ts';
import type { Shell } from '#shared/web/shell.tsx';
import { EVALUATOR_CSS } from './texts.ts';

/**
 * The staff shell (the signed-in person, the role's navigation) with the evaluator stylesheet;
 * `switchHref` is this page in the other language (a page shown after a form post names its own GET address).
 */
export function Page(props: { lang: Lang; shell: Shell; title: string; switchHref?: string; refresh?: boolean; children: Child }) {
  const { shell } = props;
  return (
    <Layout
      lang={props.lang}
      title={props.title}
      switchHref={props.switchHref ?? shell.switchHref}
      session={shell.session}
      nav={navigationOf(shell.principal, props.lang, shell.navKey)}
    >
      {/* hono/jsx hoists <meta> into <head>: the page reloads itself without JavaScript */}
      {props.refresh ? <meta http-equiv="refresh" content="2" /> : null}
      <style>{EVALUATOR_CSS}</style>
      {props.children}
    </Layout>
  );
}

export function Notice(props: { text: string | undefined }) {
  if (!props.text) return null;
  return (
    <div class="card notice" role="status">
      <p>{props.text}</p>
    </div>
  );
}

export function StatusBadge(props: { kind: string; text: string; testId?: string }) {
  return (
    <span class={`badge ${props.kind}`} data-testid={props.testId}>
      {props.text}
    </span>
  );
}
