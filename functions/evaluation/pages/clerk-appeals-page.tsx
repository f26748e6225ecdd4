/** The clerk's appeals of a period: the review window, the form to file one (from a scorecard's indicator), their appeals with the decisions. */
import { MAX_ATTACHMENTS } from '#shared/domain/appeal-attachments.ts';
import type { ClerkAppeals } from '#shared/services/clerk-appeals.ts';
import { type FormState, FormProblems, Notice, SelectField, TextField } from '#shared/web/fields.tsx';
import { chinaTime, periodLabel } from '#shared/web/format.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';
import { AppealCard, type AppealNames } from './appeal-card.tsx';
import { APPEAL_TEXT, PERIOD_STATES } from './appeal-texts.ts';

const TEXT = {
  zh: {
    title: '结果申诉',
    periods: '周期',
    state: '状态',
    windowOpen: (at: string) => `公示期内可以申诉，截止 ${at}。`,
    windowClosed: '当前不在公示期，不能提出申诉。',
    file: '提出申诉',
    choose: '请选择',
    submit: '提交申诉',
    mine: '本机构的申诉',
    none: '本周期没有申诉。',
    filedNotice: '申诉已提交，等待考核人员处理；可在下方为其添加附件。',
    attachLater: '提交后可为申诉添加附件（PDF 或图片）。',
    attachedNotice: '附件已添加。',
    problems: '请更正以下问题：',
  },
  en: {
    title: 'Appeals',
    periods: 'Period',
    state: 'State',
    windowOpen: (at: string) => `The results are under review: appeals are possible until ${at}.`,
    windowClosed: 'The results are not under review now: no appeals can be filed.',
    file: 'File an appeal',
    choose: 'Choose',
    submit: 'File the appeal',
    mine: "Your institution's appeals",
    none: 'No appeals in this period.',
    filedNotice: 'The appeal is filed; the evaluators will decide it. You can add attachments below.',
    attachLater: 'Once filed, files (PDF or images) can be attached to the appeal.',
    attachedNotice: 'The attachment is added.',
    problems: 'Please correct:',
  },
} as const;

export interface ClerkAppealsPageProps {
  shell: Shell;
  period: string;
  periods: string[];
  data: ClerkAppeals;
  form: FormState;
  refusal?: string | undefined;
  notice?: 'filed' | 'attached' | undefined;
}

export function ClerkAppealsPage(props: ClerkAppealsPageProps) {
  const { lang } = props.shell;
  const t = TEXT[lang];
  const a = APPEAL_TEXT[lang];
  const { data, form } = props;
  const names: AppealNames = {
    teams: new Map(data.teams.map((team) => [team.teamId, team.name])),
    indicators: new Map(data.indicators.map((i) => [i.code, i.label[lang]])),
    metrics: new Map(data.metrics.map((m) => [m.code, m.name[lang]])),
  };
  const action = `/clerk/appeals?period=${props.period}&lang=${lang}`;
  return (
    <StaffPage shell={props.shell} title={`${t.title} · ${periodLabel(props.period, lang)}`}>
      <h1>
        {t.title} · {periodLabel(props.period, lang)}
      </h1>
      <nav class="actions" aria-label={t.periods}>
        {props.periods.map((p) =>
          p === props.period ? (
            <strong aria-current="page">{periodLabel(p, lang)}</strong>
          ) : (
            <a href={`/clerk/appeals?period=${p}&lang=${lang}`}>{periodLabel(p, lang)}</a>
          ),
        )}
      </nav>
      <Notice text={props.notice === 'filed' ? t.filedNotice : props.notice === 'attached' ? t.attachedNotice : undefined} />
      <section class="card">
        <p>
          {t.state}: <strong data-testid="period-state">{PERIOD_STATES[lang][data.view.state]}</strong>
        </p>
        <p data-testid="appeal-window">{data.windowOpen && data.view.reviewEndsAt ? t.windowOpen(chinaTime(data.view.reviewEndsAt, lang)) : t.windowClosed}</p>
      </section>
      {data.windowOpen ? (
        <section class="card" id="file" aria-labelledby="file-heading">
          <h2 id="file-heading">{t.file}</h2>
          <FormProblems title={t.problems} problem={props.refusal} form={form} />
          <p class="hint">{t.attachLater}</p>
          <form method="post" action={action} data-testid="appeal-form">
            <SelectField
              name="teamId"
              label={a.team}
              form={form}
              blank={t.choose}
              options={data.teams.map((team) => ({ value: team.teamId, label: team.name }))}
            />
            <SelectField
              name="indicator"
              label={a.indicator}
              form={form}
              blank={t.choose}
              options={data.indicators.map((i) => ({ value: i.code, label: i.label[lang] }))}
            />
            <SelectField
              name="metric"
              label={a.metric}
              form={form}
              blank={t.choose}
              options={data.metrics.map((m) => ({ value: m.code, label: m.name[lang] }))}
            />
            <TextField name="claimedValue" label={a.claim} form={form} inputmode="decimal" required />
            <label class="field">
              <span>{a.reason}</span>
              <textarea name="reason" required maxlength={2000} rows={3}>
                {form.values.reason ?? ''}
              </textarea>
            </label>
            <p>
              <button type="submit">{t.submit}</button>
            </p>
          </form>
        </section>
      ) : null}
      <h2>{t.mine}</h2>
      {data.appeals.length === 0 ? <p class="card">{t.none}</p> : null}
      {data.appeals.map((appeal) => (
        <AppealCard lang={lang} appeal={appeal} names={names} canDownload anchor>
          {appeal.status === 'open' && (appeal.attachments?.length ?? 0) < MAX_ATTACHMENTS ? (
            <form
              method="post"
              action={`/clerk/appeals/${appeal.appealId}/attachments?period=${props.period}&lang=${lang}`}
              enctype="multipart/form-data"
              class="actions"
            >
              <label class="field">
                <span>{a.attachment}</span>
                <input type="file" name="file" required accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg" />
              </label>
              <button type="submit">{a.addAttachment}</button>
            </form>
          ) : null}
        </AppealCard>
      ))}
    </StaffPage>
  );
}
