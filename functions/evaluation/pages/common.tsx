/** Pieces every evaluator page shares: the page shell, notices, status badges. */
import type { Child } from 'hono/jsx';
import { Layout } from '#shared/web/layout.tsx';
import type { Lang } from '#shared/web/lang.ts';
import { EVALUATOR_CSS } from './texts.ts';

/** The shared layout with the evaluator stylesheet; `switchHref` is this page in the other language. */
export function Page(props: { lang: Lang; title: string; switchHref?: string; refresh?: boolean; children: Child }) {
  return (
    <Layout lang={props.lang} title={props.title} {...(props.switchHref ? { switchHref: props.switchHref } : {})}>
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
