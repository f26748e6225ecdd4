/**
 * One criteria version. A draft, for evaluators: the editor (name and the document as JSON, the
 * revision it started from hidden), the API's validation messages with their paths, the stale-save
 * explanation, and the publish button. A published version: read only, "new draft from it" and
 * "start evaluation". Both: the indicators at a glance, and the preview against a period with the
 * histogram, the top teams and the biggest movers against another version.
 */
import type { CriteriaVersion } from '#shared/data/criteria.ts';
import type { CriteriaSet, ValueSource } from '#shared/domain/scoring/index.ts';
import type { FieldError } from '#shared/domain/field-errors.ts';
import type { CriteriaPreview } from '#shared/services/evaluation/criteria-edits.ts';
import type { Lang } from '#shared/web/lang.ts';
import { ScoreHistogram } from './charts.tsx';
import { ProblemList } from '#shared/web/problems.tsx';
import { Notice, Page, StatusBadge } from './common.tsx';
import type { Shell } from '#shared/web/shell.tsx';
import { documentText } from './forms.ts';
import { type FormFields, formFromDocument } from './criteria-form.ts';
import { EDITOR_TEXT, FORM_EDITOR_CSS, FormEditor, PublishStep } from './criteria-form-editor.tsx';
import { type FormProblem, type StartForm, StartEvaluationForm } from './list-page.tsx';
import { paths, shortTime, signed, TEXT, type Texts, withQuery } from './texts.ts';

export type SaveConflict = { kind: 'stale'; current: number; edited: number } | { kind: 'published' };

export interface EditorState {
  name: string;
  document: string;
  revision: number;
  problems: FieldError[];
  conflict?: SaveConflict;
  /** the form editor's fields as typed, after a refused save from it */
  form?: FormFields;
  /** the form editor's problems, on its fields (`ind.2.weight`) */
  formProblems?: FieldError[];
}

export interface PreviewState {
  period: string;
  /** '' for no comparison */
  compare: string;
  result?: CriteriaPreview;
  problem?: string;
}

export interface CriteriaPageProps {
  lang: Lang;
  /** the staff shell: the signed-in person and the role's navigation */
  shell: Shell;
  districtId: string;
  criteria: CriteriaVersion;
  /** every version of the district (the compare select, the start form) */
  versions: CriteriaVersion[];
  canEdit: boolean;
  isFinance: boolean;
  notice?: string;
  editor: EditorState;
  preview: PreviewState;
  start: StartForm;
  startProblem?: FormProblem;
}

function sourceText(source: ValueSource): string {
  if ('metric' in source) return `metric ${source.metric}`;
  if ('ratio' in source) return `${source.ratio.numerator} / ${source.ratio.denominator}`;
  if ('registry' in source) return `registry ${source.registry}`;
  return `survey ${source.survey}`;
}

function IndicatorsSummary(props: { document: CriteriaSet; lang: Lang; t: Texts }) {
  const { document, t, lang } = props;
  return (
    <details>
      <summary>{`${t.indicators} (${document.indicators.length}) · ${t.gates} (${document.gates?.length ?? 0})`}</summary>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>{t.code}</th>
              <th>{t.indicator}</th>
              <th class="num">{t.weight}</th>
              <th>{t.source}</th>
              <th>{t.method}</th>
            </tr>
          </thead>
          <tbody>
            {document.indicators.map((i) => (
              <tr>
                <td>
                  <code>{i.code}</code>
                </td>
                <td>{i.label[lang]}</td>
                <td class="num">{String(i.weight)}</td>
                <td>{sourceText(i.source)}</td>
                <td>{t.methods[i.method.kind]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function ConflictAlert(props: { conflict: SaveConflict; reloadHref: string; t: Texts }) {
  const { conflict, t } = props;
  return (
    <div class="card notice refused" role="alert" data-testid="conflict">
      <p>
        <strong>{t.staleTitle}</strong>
      </p>
      {conflict.kind === 'stale' ? (
        <>
          <p>{t.stale(conflict.current, conflict.edited)}</p>
          <p>{t.staleWhat}</p>
        </>
      ) : (
        <p>{t.publishedConflict}</p>
      )}
      <p>
        <a href={props.reloadHref}>{t.reload}</a>
      </p>
    </div>
  );
}

function Editor(props: { lang: Lang; districtId: string; criteria: CriteriaVersion; editor: EditorState; t: Texts }) {
  const { lang, districtId, criteria, editor, t } = props;
  const hasProblems = editor.problems.length > 0;
  const nameProblems = editor.problems.filter((p) => p.field === 'body.name');
  return (
    <form
      method="post"
      action={withQuery(paths.version(districtId, criteria.version), lang)}
      class="card"
      aria-labelledby="editor-heading"
      data-testid="editor"
    >
      <h2 id="editor-heading">{t.editor}</h2>
      {hasProblems ? (
        <div class="notice refused" role="alert">
          <p>
            <strong>{t.fix}</strong>
          </p>
          <ProblemList id="document-problems" problems={editor.problems} />
        </div>
      ) : null}
      <input type="hidden" name="lang" value={lang} />
      <input type="hidden" name="revision" value={String(editor.revision)} />
      <label class="field">
        {t.name}
        <input
          name="name"
          value={editor.name}
          required
          maxlength={100}
          autocomplete="off"
          aria-invalid={nameProblems.length > 0 ? 'true' : undefined}
          aria-describedby={nameProblems.length > 0 ? 'document-problems' : undefined}
        />
      </label>
      <div class="field">
        <label for="document">{t.document}</label>
        <span class="hint" id="document-hint">
          {t.documentHint}
        </span>
        <textarea
          id="document"
          name="document"
          class="code"
          rows={24}
          spellcheck={false}
          autocapitalize="off"
          aria-invalid={hasProblems ? 'true' : undefined}
          aria-describedby={hasProblems ? 'document-problems document-hint' : 'document-hint'}
        >
          {editor.document}
        </textarea>
      </div>
      <div class="actions">
        <button type="submit">{t.save}</button>
        <span class="hint">{`${t.revision} ${editor.revision}`}</span>
      </div>
    </form>
  );
}

function NewDraftFromThis(props: { lang: Lang; districtId: string; criteria: CriteriaVersion; t: Texts }) {
  const { lang, districtId, criteria, t } = props;
  return (
    <form method="post" action={withQuery(paths.list(districtId), lang)} class="card">
      <input type="hidden" name="lang" value={lang} />
      <input type="hidden" name="basedOn" value={String(criteria.version)} />
      <input type="hidden" name="periodType" value={criteria.periodType} />
      <input type="hidden" name="name" value={criteria.name} />
      <p class="hint">{t.readOnly}</p>
      <button type="submit" class="secondary">
        {t.newFromThis}
      </button>
    </form>
  );
}

function PreviewResult(props: { result: CriteriaPreview; compare: number | null; lang: Lang; t: Texts }) {
  const { result, t } = props;
  const count = (label: string, value: number, testId: string) => (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{String(value)}</dd>
    </div>
  );
  return (
    <div data-testid="preview">
      <h3>{`${t.previewTitle} · ${result.period}`}</h3>
      <dl class="grid">
        {count(t.teams, result.teams, 'preview-teams')}
        {count(t.scored, result.scored, 'preview-scored')}
        {count(t.eligibility.eligible, result.eligibility.eligible, 'preview-eligible')}
        {count(t.eligibility.capped, result.eligibility.capped, 'preview-capped')}
        {count(t.eligibility.void, result.eligibility.void, 'preview-void')}
      </dl>
      <ScoreHistogram bins={result.histogram} t={t} id="preview-histogram" />
      <h3 id="top-heading">{t.topTeams}</h3>
      <div class="scroll">
        <table aria-labelledby="top-heading" data-testid="top-teams">
          <thead>
            <tr>
              <th class="num">{t.rank}</th>
              <th>{t.team}</th>
              <th class="num">{t.total}</th>
              <th>{t.eligibilityHead}</th>
            </tr>
          </thead>
          <tbody>
            {result.top.map((team) => (
              <tr>
                <td class="num">{team.rank === null ? '—' : String(team.rank)}</td>
                <td>{team.name}</td>
                <td class="num">{team.total ?? t.notScored}</td>
                <td>
                  <StatusBadge kind={team.eligibility} text={t.eligibility[team.eligibility as 'eligible'] ?? team.eligibility} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.compare !== null ? (
        <>
          <h3 id="movers-heading">{`${t.movers} (${t.moversVs(props.compare)})`}</h3>
          {result.movers.length === 0 ? (
            <p class="hint">{t.noMovers}</p>
          ) : (
            <div class="scroll">
              <table aria-labelledby="movers-heading" data-testid="movers">
                <thead>
                  <tr>
                    <th>{t.team}</th>
                    <th class="num">{t.total}</th>
                    <th class="num">{t.compareTotal}</th>
                    <th class="num">{t.delta}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.movers.map((m) => (
                    <tr>
                      <td>{m.name}</td>
                      <td class="num">{m.total ?? t.notScored}</td>
                      <td class="num">{m.compareTotal ?? t.notScored}</td>
                      <td class={`num ${m.delta?.startsWith('-') ? 'neg' : 'pos'}`}>{signed(m.delta)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
    </div>
  );
}

function PreviewSection(props: { lang: Lang; districtId: string; criteria: CriteriaVersion; versions: CriteriaVersion[]; preview: PreviewState; t: Texts }) {
  const { lang, districtId, criteria, preview, t } = props;
  const others = props.versions.filter((v) => v.version !== criteria.version);
  const compare = preview.result && preview.compare !== '' ? Number(preview.compare) : null;
  return (
    <section class="card" aria-labelledby="preview-heading">
      <h2 id="preview-heading">{t.preview}</h2>
      <p class="hint">{t.previewHint}</p>
      <form method="post" action={withQuery(paths.preview(districtId, criteria.version), lang)} data-testid="preview-form">
        <input type="hidden" name="lang" value={lang} />
        <div class="fields">
          <div class="field">
            <label for="preview-period">{t.period}</label>
            <input
              id="preview-period"
              name="period"
              value={preview.period}
              required
              pattern="\d{4}(Q[1-4])?"
              autocomplete="off"
              aria-describedby="preview-period-hint"
            />
            <span class="hint" id="preview-period-hint">
              {t.periodHint}
            </span>
          </div>
          <label class="field">
            {t.compareWith}
            <select name="compare">
              <option value="" selected={preview.compare === ''}>
                {t.noCompare}
              </option>
              {others.map((v) => (
                <option value={String(v.version)} selected={preview.compare === String(v.version)}>
                  {`${t.versionNo(v.version)} · ${v.name} · ${t.status[v.status]}`}
                </option>
              ))}
            </select>
          </label>
        </div>
        <button type="submit">{t.runPreview}</button>
      </form>
      {preview.problem ? (
        <div class="notice refused" role="alert">
          <p>{preview.problem}</p>
        </div>
      ) : null}
      {preview.result ? <PreviewResult result={preview.result} compare={compare} lang={lang} t={t} /> : null}
    </section>
  );
}

export function CriteriaPage(props: CriteriaPageProps) {
  const { lang, districtId, criteria, canEdit } = props;
  const t = TEXT[lang];
  const self = paths.version(districtId, criteria.version);
  const title = `${criteria.name} · ${t.versionNo(criteria.version)}`;
  // after a refused save the typed text stays on screen, even if the version was published meanwhile
  const editable = canEdit && (criteria.status === 'draft' || props.editor.conflict !== undefined);
  const published = props.versions.filter((v) => v.status === 'published');
  const meta = (label: string, value: string, testId?: string) => (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
  return (
    <Page
      lang={lang}
      shell={props.shell}
      title={title}
      switchHref={withQuery(self, lang === 'zh' ? 'en' : 'zh', {
        period: props.preview.result ? props.preview.period : undefined,
        compare: props.preview.result ? props.preview.compare : undefined,
      })}
    >
      <nav class="crumbs">
        <a href={withQuery(paths.list(districtId), lang)}>{t.criteria}</a>
      </nav>
      <h1>
        {title} <StatusBadge kind={criteria.status} text={t.status[criteria.status]} testId="criteria-status" />
      </h1>
      <Notice text={props.notice} />
      {props.editor.conflict ? <ConflictAlert conflict={props.editor.conflict} reloadHref={withQuery(self, lang)} t={t} /> : null}
      <section class="card" aria-label={t.versionNo(criteria.version)}>
        <dl class="grid">
          {meta(t.periodType, t.periodTypes[criteria.periodType])}
          {meta(t.revision, String(criteria.revision), 'revision')}
          {meta(t.updated, `${shortTime(criteria.updatedAt)} · ${criteria.updatedBy}`)}
          {criteria.basedOnVersion ? meta(t.basedOn, t.versionNo(criteria.basedOnVersion)) : null}
          {criteria.publishedAt ? meta(t.publishedAt, `${shortTime(criteria.publishedAt)} · ${criteria.publishedBy ?? ''}`) : null}
        </dl>
        <IndicatorsSummary document={criteria.document} lang={lang} t={t} />
      </section>
      {editable ? (
        <>
          <style>{FORM_EDITOR_CSS}</style>
          <FormEditor
            lang={lang}
            districtId={districtId}
            criteria={criteria}
            name={props.editor.name}
            revision={props.editor.revision}
            f={props.editor.form ?? formFromDocument(criteria.document)}
            problems={props.editor.formProblems ?? []}
            nameLabel={t.name}
          />
          <details class="card" data-testid="json-editor" {...(props.editor.problems.length > 0 ? { open: true } : {})}>
            <summary>{EDITOR_TEXT[lang].advanced}</summary>
            <Editor lang={lang} districtId={districtId} criteria={criteria} editor={props.editor} t={t} />
          </details>
          {criteria.status === 'draft' && !props.editor.conflict ? (
            <PublishStep lang={lang} districtId={districtId} criteria={criteria} published={published.find((v) => v.version !== criteria.version)} />
          ) : null}
        </>
      ) : (
        <section class="card" aria-labelledby="document-heading">
          <h2 id="document-heading">{t.document}</h2>
          {props.isFinance ? <p class="hint">{t.readOnlyFinance}</p> : null}
          {/* JSON is notation, not prose in any language (BCP 47 "zxx") */}
          <pre class="code" data-testid="document" tabindex={0} lang="zxx">
            {documentText(criteria.document)}
          </pre>
        </section>
      )}
      {canEdit && criteria.status === 'published' ? <NewDraftFromThis lang={lang} districtId={districtId} criteria={criteria} t={t} /> : null}
      {canEdit ? <PreviewSection lang={lang} districtId={districtId} criteria={criteria} versions={props.versions} preview={props.preview} t={t} /> : null}
      {canEdit && criteria.status === 'published' ? (
        <StartEvaluationForm lang={lang} districtId={districtId} published={published} form={props.start} problem={props.startProblem} />
      ) : null}
    </Page>
  );
}
