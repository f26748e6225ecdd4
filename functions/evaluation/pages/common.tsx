/** Pieces every evaluator page shares: the page shell, notices, status badges. */
import type { Child } from 'hono/jsx';
import type { Lang } from '#shared/web/lang.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';
import { EVALUATOR_CSS } from './texts.ts';

/** The staff shell (the signed-in person, the role's navigation) with the evaluator stylesheet. */
export function Page(props: { lang: Lang; shell: Shell; title: string; switchHref?: string; refresh?: boolean; children: Child }) {
  return (
    <StaffPage
      shell={{ ...props.shell, lang: props.lang }}
      title={props.title}
      {...(props.switchHref ? { switchHref: props.switchHref } : {})}
      css={EVALUATOR_CSS}
      {...(props.refresh ? { refresh: true } : {})}
    >
      {props.children}
    </StaffPage>
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
