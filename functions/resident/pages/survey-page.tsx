/** The resident's survey page behind an invitation link: the form, the confirmation, and the refusals. */
import { memberRoleName } from '#shared/domain/role-names.ts';
import type { AnswerProblemKind, Instrument, Question } from '#shared/domain/surveys/instrument.ts';
import { SCALE_RANGE } from '#shared/domain/surveys/instrument.ts';
import type { Team } from '#shared/data/teams.ts';
import { periodLabel } from '#shared/web/format.ts';
import { Layout } from '#shared/web/layout.tsx';
import type { Lang } from '#shared/web/lang.ts';

const TEXT = {
  zh: {
    title: '家庭医生团队满意度调查',
    intro: '您的评价是匿名的：团队和评价人员只能看到汇总结果，看不到是谁填写的。',
    team: '您签约的团队',
    members: '团队成员',
    period: '评价周期',
    required: '必填',
    submit: '提交评价',
    thanks: '感谢您的评价！您的回答已经记录。',
    thanksDetail: '每位居民每个周期对签约团队只能评价一次。',
    refused: '您本周期已经评价过这个团队，不能重复提交。',
    refusedDetail: '为了让评价公平可信，每位居民每个周期只能提交一次评价，第一次提交的结果有效。',
    invalid: '这个评价链接无效或已过期。',
    invalidDetail: '评价链接只能使用一次，并有有效期。如需帮助，请联系您的社区卫生服务中心。',
    noContract: '您在本周期没有与该团队的有效签约，因此不能评价。',
    fix: '请修改以下问题：',
    anchors: ['很不满意', '不满意', '一般', '满意', '非常满意'],
    alreadyAnswered: '您本周期已经评价过这个团队，谢谢！不需要再次填写。',
    help: (centre: string, phone: string | undefined) => (phone ? `如有疑问，请致电${centre}：${phone}` : `如有疑问，请联系${centre}。`),
    switchTo: 'English',
    problems: {
      'unknown-question': '不是本问卷的问题',
      required: '请回答此题',
      'out-of-range': '请选择有效选项',
      'too-long': '内容过长',
      'not-text': '请填写文字',
    },
  },
  en: {
    title: 'Satisfaction survey of your family-doctor team',
    intro: 'Your answers are anonymous: the team and the evaluators only see totals, never who said what.',
    team: 'Your contracted team',
    members: 'Team members',
    period: 'Period',
    required: 'required',
    submit: 'Submit',
    thanks: 'Thank you! Your answers have been recorded.',
    thanksDetail: 'Each resident rates their team once per period.',
    refused: 'You have already rated this team for this period; a second answer is not accepted.',
    refusedDetail: 'To keep ratings fair, each resident answers once per period and the first answer counts.',
    invalid: 'This survey link is not valid or has expired.',
    invalidDetail: 'Survey links work once and for a limited time. Your community health centre can help.',
    noContract: 'You had no active contract with this team in this period, so you cannot rate it.',
    fix: 'Please correct the following:',
    anchors: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
    alreadyAnswered: 'You have already rated this team for this period, thank you. There is nothing more to fill in.',
    help: (centre: string, phone: string | undefined) => (phone ? `Questions? Call ${centre}: ${phone}` : `Questions? Contact ${centre}.`),
    switchTo: '中文',
    problems: {
      'unknown-question': 'Not a question of this survey',
      required: 'Please answer this question',
      'out-of-range': 'Please choose one of the options',
      'too-long': 'Too long',
      'not-text': 'Please write text',
    },
  },
};

export type SurveyPageState =
  | { kind: 'form'; errors: Record<string, AnswerProblemKind>; values: Record<string, string> }
  | { kind: 'thanks' }
  | { kind: 'refused' }
  /** the resident answered already (in the app or by another link) before opening this one */
  | { kind: 'answered' }
  | { kind: 'invalid' }
  | { kind: 'no-contract' };

function QuestionField(props: { question: Question; lang: Lang; value: string | undefined; error: AnswerProblemKind | undefined; t: (typeof TEXT)['zh'] }) {
  const { question: q, lang, t } = props;
  const label = q.label[lang];
  if (q.type === 'text') {
    return (
      <div>
        <label for={`q-${q.code}`}>
          <strong>{label}</strong>
        </label>
        <textarea id={`q-${q.code}`} name={q.code} maxlength={q.maxLength ?? 300}>
          {props.value ?? ''}
        </textarea>
        {props.error ? <p class="error">{t.problems[props.error]}</p> : null}
      </div>
    );
  }
  const range = SCALE_RANGE[q.type];
  const values = Array.from({ length: range.max - range.min + 1 }, (_, i) => range.min + i);
  return (
    <fieldset aria-describedby={props.error ? `e-${q.code}` : undefined}>
      <legend>
        {label}
        {q.required ? <span class="hint"> ({t.required})</span> : null}
      </legend>
      <div class="scale" role="radiogroup">
        {values.map((v) => (
          <label>
            <input type="radio" name={q.code} value={String(v)} checked={props.value === String(v)} required={q.required} />
            {String(v)}
            {q.type === 'scale5' ? <span class="anchor">{t.anchors[v - 1]}</span> : null}
          </label>
        ))}
      </div>
      {q.type === 'scale10' ? (
        <p class="hint">
          {range.min} = {t.anchors[0]}, {range.max} = {t.anchors[4]}
        </p>
      ) : null}
      {props.error ? (
        <p class="error" id={`e-${q.code}`}>
          {t.problems[props.error]}
        </p>
      ) : null}
    </fieldset>
  );
}

/** The centre residents may call: its name and, when recorded, its phone number. */
export interface Centre {
  name: string;
  phone?: string | undefined;
}

function Help(props: { centre: Centre | undefined; t: (typeof TEXT)['zh'] }) {
  return props.centre ? <p data-testid="centre-help">{props.t.help(props.centre.name, props.centre.phone)}</p> : null;
}

export function SurveyPage(props: {
  lang: Lang;
  action: string;
  team?: Team;
  centre?: Centre;
  period?: string;
  instrument?: Instrument;
  state: SurveyPageState;
}) {
  const t = TEXT[props.lang];
  const other = props.lang === 'zh' ? 'en' : 'zh';
  const { state } = props;
  return (
    // on the form, the language switch is a button of the form, so the answers given so far are kept
    <Layout lang={props.lang} title={t.title} {...(state.kind === 'form' ? {} : { switchHref: `${props.action}?lang=${other}` })}>
      <h1>{t.title}</h1>
      {props.team ? (
        <section class="card" aria-labelledby="team-heading">
          <h2 id="team-heading">
            {t.team}: {props.team.name}
          </h2>
          <p>
            {t.members}:{' '}
            {props.team.members
              .filter((m) => !m.leftOn)
              .map((m) => `${m.name}（${memberRoleName(m.role, props.lang)}）`)
              .join('、')}
          </p>
          {props.period ? (
            <p class="hint">
              {t.period}: {periodLabel(props.period, props.lang)}
            </p>
          ) : null}
        </section>
      ) : null}
      {state.kind === 'thanks' ? (
        <div class="card notice" role="status">
          <p>
            <strong>{t.thanks}</strong>
          </p>
          <p>{t.thanksDetail}</p>
        </div>
      ) : null}
      {state.kind === 'refused' ? (
        <div class="card notice refused" role="alert">
          <p>
            <strong>{t.refused}</strong>
          </p>
          <p>{t.refusedDetail}</p>
          <Help centre={props.centre} t={t} />
        </div>
      ) : null}
      {state.kind === 'invalid' ? (
        <div class="card notice refused" role="alert">
          <p>
            <strong>{t.invalid}</strong>
          </p>
          <p>{t.invalidDetail}</p>
          <Help centre={props.centre} t={t} />
        </div>
      ) : null}
      {state.kind === 'no-contract' ? (
        <div class="card notice refused" role="alert">
          <p>
            <strong>{t.noContract}</strong>
          </p>
          <Help centre={props.centre} t={t} />
        </div>
      ) : null}
      {state.kind === 'answered' ? (
        <div class="card notice" role="status" data-testid="already-answered">
          <p>
            <strong>{t.alreadyAnswered}</strong>
          </p>
          <Help centre={props.centre} t={t} />
        </div>
      ) : null}
      {state.kind === 'form' && props.instrument ? (
        <form method="post" action={`${props.action}?lang=${props.lang}`} class="card">
          <p class="switch">
            <button
              type="submit"
              name="switchLang"
              value={other}
              formnovalidate
              class="secondary"
              lang={other === 'en' ? 'en' : 'zh-CN'}
              data-testid="switch-lang"
            >
              {t.switchTo}
            </button>
          </p>
          <p class="hint">{t.intro}</p>
          {Object.keys(state.errors).length > 0 ? (
            <p class="error" role="alert">
              {t.fix}
            </p>
          ) : null}
          <input type="hidden" name="lang" value={props.lang} />
          {props.instrument.questions.map((q) => (
            <QuestionField question={q} lang={props.lang} value={state.values[q.code]} error={state.errors[q.code]} t={t} />
          ))}
          <button type="submit">{t.submit}</button>
        </form>
      ) : null}
    </Layout>
  );
}

/** Turns form fields into answers: numbers for rated questions, trimmed text for comments, blanks dropped. */
export function answersFromForm(instrument: Instrument, form: Record<string, unknown>): Record<string, number | string> {
  const answers: Record<string, number | string> = {};
  for (const q of instrument.questions) {
    const raw = form[q.code];
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    answers[q.code] = q.type === 'text' ? raw.trim() : /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  }
  return answers;
}
