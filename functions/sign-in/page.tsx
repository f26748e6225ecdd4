/**
 * The sign-in function's only page: what happened, in Chinese and English at once (the lang
 * choice of the page the user came from does not survive the round trip through Cognito).
 */
import { Layout } from '#shared/web/layout.tsx';

export interface SignInMessage {
  zh: string;
  en: string;
}

export function SignInPage(props: { title: SignInMessage; message: SignInMessage; detail?: string; refused?: boolean; retryHref?: string }) {
  return (
    <Layout lang="zh" title={`${props.title.zh} · ${props.title.en}`}>
      <h1>
        {props.title.zh} · <span lang="en">{props.title.en}</span>
      </h1>
      <div class={props.refused ? 'card notice refused' : 'card notice'} role={props.refused ? 'alert' : 'status'}>
        <p>{props.message.zh}</p>
        <p lang="en">{props.message.en}</p>
        {props.detail ? <p class="hint">{props.detail}</p> : null}
        {props.retryHref ? (
          <p>
            <a href={props.retryHref}>
              重新登录 · <span lang="en">Sign in again</span>
            </a>
          </p>
        ) : null}
      </div>
    </Layout>
  );
}
