/** What a page route shows instead of problem+json: the status, what went wrong, the field problems, and (401) where to sign in. */
import type { FieldError } from '../domain/field-errors.ts';
import type { Lang } from './lang.ts';
import { Layout } from './layout.tsx';
import { ProblemList } from './problems.tsx';
import { STAFF_CSS } from './styles.ts';

const TEXT = {
  zh: { signIn: '请先登录', signInLink: '登录', errorTitle: '无法完成请求', back: '返回' },
  en: { signIn: 'Please sign in', signInLink: 'Sign in', errorTitle: 'The request could not be completed', back: 'Back' },
} as const;

export function ErrorPage(props: {
  lang: Lang;
  status: number;
  detail: string | undefined;
  errors?: readonly FieldError[];
  signInHref?: string;
  backHref?: string;
}) {
  const t = TEXT[props.lang];
  const signIn = props.status === 401;
  return (
    <Layout lang={props.lang} title={signIn ? t.signIn : t.errorTitle}>
      <style>{STAFF_CSS}</style>
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
    </Layout>
  );
}
