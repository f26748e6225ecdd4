/** A district's criteria versions with their status, a form for a new draft, the "start evaluation" form and the recent runs. */
import type { CriteriaVersion } from '#shared/data/criteria.ts';
import type { EvaluationRun } from '#shared/data/evaluations.ts';
import type { FieldError } from '#shared/domain/field-errors.ts';
import type { Lang } from '#shared/web/lang.ts';
import { ProblemList } from '#shared/web/problems.tsx';
import { Notice, Page, StatusBadge } from './common.tsx';
import type { Shell } from '#shared/web/shell.tsx';
import { paths, shortTime, TEXT, type Texts, withQuery } from './texts.ts';

export interface NewDraftForm {
  name: string;
  periodType: string;
  basedOn: string;
}

export interface StartForm {
  period: string;
  criteriaVersion: string;
}

export interface FormProblem {
  /** what the service said (a broken rule, a missing version) */
  message?: string;
  errors: FieldError[];
}

export interface CriteriaListPageProps {
  lang: Lang;
  /** the staff shell: the signed-in person and the role's navigation */
  shell: Shell;
  districtId: string;
  districtName: string;
  versions: CriteriaVersion[];
  published: CriteriaVersion[];
  cursor?: string;
  nextCursor: string | null;
  runs: EvaluationRun[];
  canEdit: boolean;
  notice?: string;
  newDraft: NewDraftForm;
  newDraftProblem?: FormProblem;
  start: StartForm;
  startProblem?: FormProblem;
}

function FormAlert(props: { problem: FormProblem | undefined; id: string; t: Texts }) {
  if (!props.problem) return null;
  return (
    <div class="notice refused" role="alert">
      <p>
        <strong>{props.t.fixForm}</strong>
      </p>
      {props.problem.message ? <p>{props.problem.message}</p> : null}
      {props.problem.errors.length > 0 ? <ProblemList id={props.id} problems={props.problem.errors} /> : null}
    </div>
  );
}

/** Period and published version; posts to the run-starting page route. Also on a published version's page. */
export function StartEvaluationForm(props: {
  lang: Lang;
  districtId: string;
  published: CriteriaVersion[];
  form: StartForm;
  problem?: FormProblem | undefined;
}) {
  const { lang } = props;
  const t = TEXT[lang];
  return (
    <form method="post" action={withQuery(paths.start(props.districtId), lang)} class="card" aria-labelledby="start-heading" data-testid="start-form">
      <h2 id="start-heading">{t.startTitle}</h2>
      <p class="hint">{t.startHint}</p>
      <FormAlert problem={props.problem} id="start-problems" t={t} />
      <input type="hidden" name="lang" value={lang} />
      {props.published.length === 0 ? (
        <p class="hint">{t.noPublished}</p>
      ) : (
        <>
          <div class="fields">
            <div class="field">
              <label for="start-period">{t.period}</label>
              <input
                id="start-period"
                name="period"
                value={props.form.period}
                required
                pattern="\d{4}(Q[1-4])?"
                autocomplete="off"
                aria-describedby="start-period-hint"
              />
              <span class="hint" id="start-period-hint">
                {t.periodHint}
              </span>
            </div>
            <label class="field">
              {t.startVersion}
              <select name="criteriaVersion">
                {props.published.map((v) => (
                  <option value={String(v.version)} selected={props.form.criteriaVersion === String(v.version)}>
                    {`${t.versionNo(v.version)} · ${v.name} · ${t.periodTypes[v.periodType]}`}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <button type="submit">{t.start}</button>
        </>
      )}
    </form>
  );
}

function RunsTable(props: { runs: EvaluationRun[]; lang: Lang; t: Texts }) {
  const { t, lang } = props;
  if (props.runs.length === 0) return <p class="hint">{t.noRuns}</p>;
  return (
    <div class="scroll">
      <table data-testid="runs">
        <thead>
          <tr>
            <th>{t.period}</th>
            <th>{t.version}</th>
            <th>{t.statusHead}</th>
            <th class="num wide">{t.progress}</th>
            <th class="wide">{t.created}</th>
            <th class="wide">{t.run}</th>
          </tr>
        </thead>
        <tbody>
          {props.runs.map((run) => (
            <tr>
              <td>
                <a href={withQuery(paths.run(run.evaluationId), lang)}>{run.period}</a>
              </td>
              <td>{String(run.criteriaVersion)}</td>
              <td>
                <StatusBadge kind={run.status} text={t.runStatus[run.status]} />
              </td>
              <td class="num wide">{`${run.progress.done} / ${run.progress.total}`}</td>
              <td class="wide">{shortTime(run.createdAt)}</td>
              <td class="wide">
                <code>{run.evaluationId}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CriteriaListPage(props: CriteriaListPageProps) {
  const { lang, districtId } = props;
  const t = TEXT[lang];
  const base = paths.list(districtId);
  return (
    <Page
      lang={lang}
      shell={props.shell}
      title={t.criteriaOf(props.districtName)}
      switchHref={withQuery(base, lang === 'zh' ? 'en' : 'zh', { cursor: props.cursor })}
    >
      <h1>{t.criteriaOf(props.districtName)}</h1>
      <Notice text={props.notice} />
      <section class="card" aria-labelledby="versions-heading">
        <h2 id="versions-heading">{t.versions}</h2>
        {props.versions.length === 0 ? (
          <p class="hint">{t.noVersions}</p>
        ) : (
          <div class="scroll">
            <table data-testid="versions">
              <thead>
                <tr>
                  <th>{t.version}</th>
                  <th>{t.name}</th>
                  <th>{t.periodType}</th>
                  <th>{t.statusHead}</th>
                  <th class="num wide">{t.revision}</th>
                  <th class="wide">{t.updated}</th>
                  <th class="wide">{t.publishedAt}</th>
                </tr>
              </thead>
              <tbody>
                {props.versions.map((v) => (
                  <tr data-version={String(v.version)}>
                    <td>
                      <a href={withQuery(paths.version(districtId, v.version), lang)}>
                        {t.versionNo(v.version)}
                        <span class="hint">{` · ${v.status === 'draft' && props.canEdit ? t.open : t.view}`}</span>
                      </a>
                    </td>
                    <td>
                      {v.name}
                      {v.basedOnVersion ? <div class="hint">{`${t.basedOn} ${t.versionNo(v.basedOnVersion)}`}</div> : null}
                    </td>
                    <td>{t.periodTypes[v.periodType]}</td>
                    <td>
                      <StatusBadge kind={v.status} text={t.status[v.status]} />
                    </td>
                    <td class="num wide">{String(v.revision)}</td>
                    <td class="wide">{`${shortTime(v.updatedAt)} · ${v.updatedBy}`}</td>
                    <td class="wide">{v.publishedAt ? `${shortTime(v.publishedAt)} · ${v.publishedBy ?? ''}` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p>
          {props.cursor ? <a href={withQuery(base, lang)}>{t.first}</a> : null}{' '}
          {props.nextCursor ? <a href={withQuery(base, lang, { cursor: props.nextCursor })}>{t.next}</a> : null}
        </p>
      </section>

      {props.canEdit ? (
        <form method="post" action={withQuery(base, lang)} class="card" aria-labelledby="new-heading" data-testid="new-draft-form">
          <h2 id="new-heading">{t.newDraft}</h2>
          <p class="hint">{t.newDraftHint}</p>
          <FormAlert problem={props.newDraftProblem} id="new-draft-problems" t={t} />
          <input type="hidden" name="lang" value={lang} />
          <div class="fields">
            <label class="field">
              {t.name}
              <input name="name" value={props.newDraft.name} required maxlength={100} autocomplete="off" />
            </label>
            <label class="field">
              {t.periodType}
              <select name="periodType">
                {(['quarter', 'year'] as const).map((type) => (
                  <option value={type} selected={props.newDraft.periodType === type}>
                    {t.periodTypes[type]}
                  </option>
                ))}
              </select>
            </label>
            <label class="field">
              {t.basedOn}
              <select name="basedOn">
                <option value="" selected={props.newDraft.basedOn === ''}>
                  {t.starter}
                </option>
                {props.versions.map((v) => (
                  <option value={String(v.version)} selected={props.newDraft.basedOn === String(v.version)}>
                    {`${t.versionNo(v.version)} · ${v.name} · ${t.status[v.status]}`}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <button type="submit">{t.create}</button>
        </form>
      ) : null}

      {props.canEdit ? (
        <StartEvaluationForm lang={lang} districtId={districtId} published={props.published} form={props.start} problem={props.startProblem} />
      ) : null}

      <section class="card" aria-labelledby="runs-heading">
        <h2 id="runs-heading">{t.runs}</h2>
        <RunsTable runs={props.runs} lang={lang} t={t} />
      </section>
    </Page>
  );
}
