/** Pieces every evaluator page shares: the page shell, notices, the list of problems, the error / sign-in page. */
import type { Child } from 'hono/jsx';
import type { FieldError } from '#shared/http/problem.ts';
import { Layout } from '#shared/web/layout.tsx';
import type { Lang } from '#shared/web/lang.ts';
import { EVALUATOR_CSS, TEXT, type Texts } from './texts.ts';

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

/** A field as the API names it, shown relative to the criteria document: `body.document.indicators.0.weight` → `indicators.0.weight`. */
export function shownPath(field: string): string {
  if (field === 'body.document') return 'document';
  if (field.startsWith('body.document.')) return field.slice('body.document.'.length) || 'document';
  return field.replace(/^body\./, '');
}

/** Each problem with its field path, as the API reports them. */
export function ProblemList(props: { id: string; problems: readonly FieldError[] }) {
  return (
    <ul class="problems" id={props.id} data-testid="problems">
      {props.problems.map((p) => (
        <li>
          <code>{shownPath(p.field)}</code> {p.message}
        </li>
      ))}
    </ul>
  );
}

export function StatusBadge(props: { kind: string; text: string; testId?: string }) {
  return (
    <span class={`badge ${props.kind}`} data-testid={props.testId}>
      {props.text}
    </span>
  );
}

/** What an evaluator page shows instead of problem+json: the status, what went wrong, and (401) where to sign in. */
export function ErrorPage(props: { lang: Lang; status: number; detail: string | undefined; errors?: FieldError[]; signInHref?: string; backHref?: string }) {
  const t: Texts = TEXT[props.lang];
  const signIn = props.status === 401;
  return (
    <Page lang={props.lang} title={signIn ? t.signIn : t.errorTitle}>
      <h1>{signIn ? t.signIn : t.errorTitle}</h1>
      <div class="card notice refused" role="alert">
        <p>
          <strong>{String(props.status)}</strong> {props.detail ?? ''}
        </p>
        {props.errors && props.errors.length > 0 ? <ProblemList id="error-problems" problems={props.errors} /> : null}
        {signIn && props.signInHref ? (
          <p>
            <a href={props.signInHref}>{t.signInLink}</a>
          </p>
        ) : null}
        {props.backHref ? (
          <p>
            <a href={props.backHref}>{t.back}</a>
          </p>
        ) : null}
      </div>
    </Page>
  );
}
