/**
 * The evaluator pages (HTML, zh-CN by default, ?lang=en; sign-in by the gk_token cookie or a
 * bearer token). They work without JavaScript: plain forms, POST-redirect-GET, a run page that
 * reloads itself with a meta refresh. Each calls the same repository and service functions as
 * the JSON API in ../app.ts.
 *
 * GET  /evaluator/districts/{districtId}/criteria                     evaluator, admin, finance: versions, new draft, start evaluation, runs
 * POST /evaluator/districts/{districtId}/criteria                     evaluator, admin: create a draft (name, periodType, basedOn) → its page
 * GET  /evaluator/districts/{districtId}/criteria/{version}           evaluator, admin, finance: editor or read-only view (?period=&compare= fill the preview
 *   form)
 * POST /evaluator/districts/{districtId}/criteria/{version}/preview   evaluator, admin: the version with a preview (period, compare): scoring work, so never on
 *   a GET
 * POST /evaluator/districts/{districtId}/criteria/{version}           evaluator, admin: save the draft (revision, name, document)
 * POST /evaluator/districts/{districtId}/criteria/{version}/publish   evaluator, admin: publish (revision)
 * POST /evaluator/districts/{districtId}/evaluations                  evaluator, admin: start a run (period, criteriaVersion) → its page
 * GET  /evaluator/evaluations/{evaluationId}                          evaluator, admin, finance: status, progress, summary, results
 * GET  /evaluator/evaluations/{evaluationId}/results.xlsx                 evaluator, admin, finance: the results as filtered on the run page, as XLSX
 * GET  /evaluator/evaluations/{evaluationId}/teams/{teamId}           evaluator, admin, finance: a team's scorecard
 *
 * Errors are pages with the problem's status: a form with problems is shown again with what was
 * typed (400 / 422), a stale save is 409 with the explanation and a link to reload, anything else
 * (401 with a link to /login, 403, 404) is an error page.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import type { Context } from 'hono';
import { DomainError } from '#shared/domain/errors.ts';
import type { PeriodType } from '#shared/domain/periods.ts';
import { quarterOf, previousQuarter } from '#shared/domain/periods.ts';
import type { Label } from '#shared/domain/scoring/index.ts';
import { type CriteriaVersion, getCriteria, listCriteria, requireCriteria } from '#shared/data/criteria.ts';
import { requireDistrict } from '#shared/data/districts.ts';
import { getRun, getScore, listRuns } from '#shared/data/evaluations.ts';
import { getTeam } from '#shared/data/teams.ts';
import type { Deps } from '#shared/deps.ts';
import { type ApiEnv, DEFAULT_BODY_LIMIT_BYTES } from '#shared/http/api.ts';
import { teamTrendOf } from '#shared/services/trends.ts';
import type { Principal, Role } from '#shared/http/principal.ts';
import { type FieldError, zodFieldErrors } from '#shared/domain/field-errors.ts';
import { assertDistrictInPath, canSeeDistrict, visibleOr404 } from '#shared/http/scope.ts';
import { idSchema } from '#shared/schemas/common.ts';
import { createCriteriaSchema, saveCriteriaSchema } from '#shared/schemas/evaluation.ts';
import {
  createCriteriaVersion,
  previewCriteriaVersion,
  publishCriteriaVersion,
  saveCriteriaVersion,
  startEvaluationRun,
} from '#shared/services/evaluation/criteria-edits.ts';
import { formValues } from '#shared/web/forms.ts';
import { formLang, type Lang, pageLang } from '#shared/web/lang.ts';
import { pageAccess as kitPageAccess } from '#shared/web/page-access.tsx';
import { htmlPage, htmlResponse, redirectResponse } from '#shared/web/responses.ts';
import { shellOf } from '#shared/web/shell.tsx';
import type { EditorState, PreviewState, SaveConflict } from './criteria-page.tsx';
import { documentText, isPeriod, parseDocument, positiveInt, STARTER_CRITERIA } from './forms.ts';
import { criteriaMessage, documentFromForm, formFieldOf, rowLabel } from './criteria-form.ts';
import type { FormProblem, NewDraftForm, StartForm } from './list-page.tsx';
import { paths, TEXT, withQuery } from './texts.ts';
import { filteredResults, RESULT_SORTS, type ResultsQuery, runResults } from '#shared/services/evaluation/results.ts';
import { xlsxResponse } from '#shared/schemas/reports.ts';
import { periodLabel } from '#shared/web/format.ts';

const READERS: readonly Role[] = ['admin', 'evaluator', 'finance'];
const EDITORS: readonly Role[] = ['admin', 'evaluator'];
const VERSIONS_PER_PAGE = 50;
const RESULTS_PER_PAGE = 50;
/** the versions the compare and start selects offer */
const SELECTABLE_VERSIONS = 100;

/** Where "back" leads from a failed form post: the page the form was on. */
function backOf(pathname: string): string {
  return pathname.replace(/\/(publish|preview)$/, '').replace(/\/evaluations$/, '/criteria');
}

const pageAccess = (deps: Deps, roles: readonly Role[]) => kitPageAccess(deps, roles, { bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES, backOf });

/** The problems of a criteria document the criteria service refused, or null for any other error. */
function documentProblems(error: unknown): FieldError[] | null {
  return error instanceof DomainError && error.code === 'criteria-document-invalid' ? (error.details.errors as FieldError[]) : null;
}

/**
 * Problems of a form-editor save, each on a form field with its 1-based row in front: the form's
 * own (already in the page's language) and the criteria checks' (field paths of the document,
 * messages translated); a problem the form has no field for stays general.
 */
function formProblems(problems: readonly FieldError[], rows: { rowOfIndicator: readonly number[]; rowOfGate: readonly number[] }, lang: Lang): FieldError[] {
  return problems.map((p) => {
    const field = p.field.startsWith('body.') ? (formFieldOf(p.field, rows.rowOfIndicator, rows.rowOfGate) ?? p.field) : p.field;
    const message = p.field.startsWith('body.') ? criteriaMessage(p.message, lang) : p.message;
    const row = rowLabel(field, lang);
    return { field, message: row ? `${row}：${message}` : message };
  });
}

const canEdit = (principal: Principal) => EDITORS.includes(principal.role);

/** The period an evaluator most likely means: the last complete quarter (or year) before today. */
function suggestedPeriod(now: Date, type: PeriodType = 'quarter'): string {
  const current = quarterOf(now.toISOString().slice(0, 10));
  return type === 'year' ? String(Number(current.slice(0, 4)) - 1) : previousQuarter(current);
}

async function selectableVersions(deps: Deps, districtId: string): Promise<CriteriaVersion[]> {
  return (await listCriteria(deps.db, districtId, SELECTABLE_VERSIONS)).items;
}

export function registerEvaluatorPages(app: OpenAPIHono<ApiEnv>, deps: Deps): void {
  const { db } = deps;
  const districtParams = z.object({ districtId: idSchema });
  const versionParams = z.object({ districtId: idSchema, version: z.coerce.number().int().min(1) });
  const runParams = z.object({ evaluationId: idSchema });
  const langQuery = z.object({ lang: z.string().max(8).optional() });
  const cursorQuery = langQuery.extend({ cursor: z.string().max(2048).optional() });
  const doneQuery = z.enum(['created', 'saved', 'published']).optional();
  const resultsQuery = langQuery.extend({
    q: z.string().max(100).optional(),
    institution: z.string().max(64).optional(),
    eligibility: z.enum(['eligible', 'capped', 'void', '']).optional(),
    sort: z.enum(RESULT_SORTS).optional(),
    desc: z.literal('1').optional(),
    page: z.coerce.number().int().min(1).max(100_000).optional(),
  });

  // -------------------------------------------------------------------------------------------
  // The criteria list

  async function renderList(
    c: Context<ApiEnv>,
    districtId: string,
    lang: Lang,
    options: {
      cursor?: string | undefined;
      notice?: string;
      newDraft?: NewDraftForm;
      newDraftProblem?: FormProblem;
      start?: StartForm;
      startProblem?: FormProblem;
    },
    status: 200 | 400 | 404 | 409 | 422,
  ) {
    const principal = c.get('principal');
    const [district, page, selectable, runs] = await Promise.all([
      requireDistrict(db, districtId),
      listCriteria(db, districtId, VERSIONS_PER_PAGE, options.cursor),
      selectableVersions(deps, districtId),
      listRuns(db, districtId, 20),
    ]);
    const published = selectable.filter((v) => v.status === 'published');
    const latestPublished = published[0];
    const { CriteriaListPage } = await import('./list-page.tsx');
    return htmlPage(
      c,
      <CriteriaListPage
        lang={lang}
        shell={await shellOf(c, db, lang, 'criteria')}
        districtId={districtId}
        districtName={district.name}
        versions={page.items}
        published={published}
        {...(options.cursor ? { cursor: options.cursor } : {})}
        nextCursor={page.nextCursor}
        runs={runs.items}
        canEdit={canEdit(principal)}
        {...(options.notice ? { notice: options.notice } : {})}
        newDraft={
          options.newDraft ?? {
            name: '',
            periodType: latestPublished?.periodType ?? 'quarter',
            basedOn: latestPublished ? String(latestPublished.version) : '',
          }
        }
        {...(options.newDraftProblem ? { newDraftProblem: options.newDraftProblem } : {})}
        start={
          options.start ?? {
            period: suggestedPeriod(deps.now(), latestPublished?.periodType),
            criteriaVersion: latestPublished ? String(latestPublished.version) : '',
          }
        }
        {...(options.startProblem ? { startProblem: options.startProblem } : {})}
      />,
      status,
    );
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/evaluator/districts/{districtId}/criteria',
      tags: ['evaluator pages'],
      summary: "Page: the district's criteria versions, a new-draft form, the start-evaluation form and the recent runs",
      ...pageAccess(deps, READERS),
      request: { params: districtParams, query: cursorQuery },
      responses: {
        200: htmlResponse('The list'),
        401: htmlResponse('Not signed in'),
        403: htmlResponse('Another district'),
        404: htmlResponse('No such district'),
      },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const { cursor } = c.req.valid('query');
      assertDistrictInPath(c.get('principal'), districtId);
      return renderList(c, districtId, pageLang(c), { cursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/evaluator/districts/{districtId}/criteria',
      tags: ['evaluator pages'],
      summary: 'Page form: create a draft (fields name, periodType, basedOn — a version to copy, or empty for the example template —, lang), then open it',
      ...pageAccess(deps, EDITORS),
      request: { params: districtParams },
      responses: {
        303: redirectResponse('Created: to the draft'),
        400: htmlResponse('The list with what to correct'),
        401: htmlResponse('Not signed in'),
        403: htmlResponse('Another district, or a cross-site form'),
        404: htmlResponse('No such district or version'),
        422: htmlResponse('The copied document does not pass the checks'),
      },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      await requireDistrict(db, districtId);
      const values = await formValues(c);
      const lang = formLang(c, values);
      const form: NewDraftForm = { name: values.name ?? '', periodType: values.periodType ?? 'quarter', basedOn: values.basedOn ?? '' };
      const again = (problem: FormProblem, status: 400 | 404 | 422) => renderList(c, districtId, lang, { newDraft: form, newDraftProblem: problem }, status);
      const basedOnVersion = form.basedOn === '' ? undefined : positiveInt(form.basedOn);
      if (basedOnVersion === null) return again({ errors: [{ field: 'body.basedOnVersion', message: 'Choose a version' }] }, 400);
      const base = basedOnVersion === undefined ? null : await getCriteria(db, districtId, basedOnVersion);
      if (basedOnVersion !== undefined && !base)
        return again({ message: `Criteria version ${basedOnVersion} of district ${districtId} was not found`, errors: [] }, 404);
      const parsed = createCriteriaSchema.safeParse({
        name: form.name,
        periodType: form.periodType,
        document: base?.document ?? STARTER_CRITERIA,
        ...(basedOnVersion ? { basedOnVersion } : {}),
      });
      if (!parsed.success) return again({ errors: zodFieldErrors(parsed.error, 'body') }, 400);
      let draft: CriteriaVersion;
      try {
        draft = await createCriteriaVersion(deps, districtId, principal.subject, parsed.data);
      } catch (error) {
        const errors = documentProblems(error);
        if (errors) return again({ errors }, 422);
        throw error;
      }
      return c.redirect(withQuery(paths.version(districtId, draft.version), lang, { done: 'created' }), 303);
    },
  );

  // -------------------------------------------------------------------------------------------
  // One version: editor, preview, publish

  async function renderVersion(
    c: Context<ApiEnv>,
    districtId: string,
    version: number,
    lang: Lang,
    options: {
      notice?: string;
      editor?: Omit<EditorState, 'revision'> & { revision?: number };
      preview?: { period?: string | undefined; compare?: string | undefined };
      /** a preview scores every team: only a POST runs it (#16: no GET starts work) */
      runPreview?: boolean;
    },
    status: 200 | 400 | 409 | 422,
  ) {
    const principal = c.get('principal');
    const t = TEXT[lang];
    const [criteria, versions] = await Promise.all([requireCriteria(db, districtId, version), selectableVersions(deps, districtId)]);
    const editing = canEdit(principal);
    const published = versions.filter((v) => v.status === 'published');
    const latestOther = published.find((v) => v.version !== version);
    const editor: EditorState = {
      name: options.editor?.name ?? criteria.name,
      document: options.editor?.document ?? documentText(criteria.document),
      revision: options.editor?.revision ?? criteria.revision,
      problems: options.editor?.problems ?? [],
      ...(options.editor?.conflict ? { conflict: options.editor.conflict } : {}),
      ...(options.editor?.form ? { form: options.editor.form, formProblems: options.editor.formProblems ?? [] } : {}),
    };
    const asked = options.preview?.period;
    const preview: PreviewState = {
      period: asked ?? suggestedPeriod(deps.now(), criteria.periodType),
      compare: options.preview?.compare ?? (latestOther ? String(latestOther.version) : ''),
    };
    if (editing && options.runPreview && asked !== undefined) {
      const compareWithVersion = preview.compare === '' ? undefined : positiveInt(preview.compare);
      if (!isPeriod(asked)) preview.problem = `${t.period}: ${t.periodHint}`;
      else if (compareWithVersion === null) preview.problem = `${t.compareWith}: ${preview.compare}`;
      else {
        try {
          preview.result = await previewCriteriaVersion(db, districtId, version, { period: asked, compareWithVersion });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          preview.problem = error.message;
        }
      }
    }
    const { CriteriaPage } = await import('./criteria-page.tsx');
    return htmlPage(
      c,
      <CriteriaPage
        lang={lang}
        shell={await shellOf(c, db, lang, 'criteria')}
        districtId={districtId}
        criteria={criteria}
        versions={versions}
        canEdit={editing}
        isFinance={principal.role === 'finance'}
        {...(options.notice ? { notice: options.notice } : {})}
        editor={editor}
        preview={preview}
        start={{ period: suggestedPeriod(deps.now(), criteria.periodType), criteriaVersion: String(criteria.version) }}
      />,
      status,
    );
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/evaluator/districts/{districtId}/criteria/{version}',
      tags: ['evaluator pages'],
      summary:
        'Page: a criteria version — the editor of a draft, or the published document — with a preview against a period (query period, compare) for evaluators',
      ...pageAccess(deps, READERS),
      request: {
        params: versionParams,
        query: langQuery.extend({ period: z.string().max(16).optional(), compare: z.string().max(16).optional(), done: doneQuery }),
      },
      responses: {
        200: htmlResponse('The version'),
        401: htmlResponse('Not signed in'),
        403: htmlResponse('Another district'),
        404: htmlResponse('No such version'),
      },
    }),
    async (c) => {
      const { districtId, version } = c.req.valid('param');
      const { period, compare, done } = c.req.valid('query');
      assertDistrictInPath(c.get('principal'), districtId);
      const lang = pageLang(c);
      return renderVersion(c, districtId, version, lang, { ...(done ? { notice: TEXT[lang].notices[done] } : {}), preview: { period, compare } }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/evaluator/districts/{districtId}/criteria/{version}/preview',
      tags: ['evaluator pages'],
      summary: 'Page form: the version with a preview against a period (fields period, compare, lang); nothing is stored',
      ...pageAccess(deps, EDITORS),
      request: { params: versionParams },
      responses: {
        200: htmlResponse('The version with the preview (or what to correct)'),
        401: htmlResponse('Not signed in'),
        403: htmlResponse('Another district, or a cross-site form'),
        404: htmlResponse('No such version'),
      },
    }),
    async (c) => {
      const { districtId, version } = c.req.valid('param');
      assertDistrictInPath(c.get('principal'), districtId);
      const values = await formValues(c);
      const lang = formLang(c, values);
      return renderVersion(c, districtId, version, lang, { preview: { period: values.period ?? '', compare: values.compare ?? '' }, runPreview: true }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/evaluator/districts/{districtId}/criteria/{version}',
      tags: ['evaluator pages'],
      summary: 'Page form: save a draft (fields revision — the one the editor started from —, name, document as JSON, lang), then show it',
      ...pageAccess(deps, EDITORS),
      request: { params: versionParams },
      responses: {
        303: redirectResponse('Saved: back to the version'),
        400: htmlResponse('The editor with what to correct (what was typed is kept)'),
        401: htmlResponse('Not signed in'),
        403: htmlResponse('Another district, or a cross-site form'),
        404: htmlResponse('No such version'),
        409: htmlResponse('Saved by someone else meanwhile, or published: the explanation and a link to reload'),
        422: htmlResponse('The document breaks the criteria rules: each problem with its path'),
      },
    }),
    async (c) => {
      const { districtId, version } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      const values = await formValues(c);
      const lang = formLang(c, values);
      const t = TEXT[lang];
      const name = values.name ?? '';
      const revision = positiveInt(values.revision);
      // the form editor's rows as a document; its problems go next to their row's field
      const fromForm = values.mode === 'form' ? documentFromForm(values, lang) : null;
      const text = fromForm ? JSON.stringify(fromForm.document) : (values.document ?? '');
      const again = (problems: FieldError[], status: 400 | 409 | 422, conflict?: SaveConflict) =>
        renderVersion(
          c,
          districtId,
          version,
          lang,
          {
            editor: {
              name,
              document: text,
              problems: fromForm ? [] : problems,
              ...(fromForm ? { form: values, formProblems: formProblems(problems, fromForm, lang) } : {}),
              ...(revision ? { revision } : {}),
              ...(conflict ? { conflict } : {}),
            },
          },
          status,
        );
      if (fromForm && fromForm.problems.length > 0) return again(fromForm.problems, 400);
      const json = parseDocument(text);
      if (!json.ok) {
        const where = json.line === null ? '' : t.atLine(json.line, json.column ?? 0);
        return again([{ field: 'body.document', message: `${t.notJson(json.message)}${where}` }], 400);
      }
      // the API's request schema first (the same messages), then the rules across fields
      const parsed = saveCriteriaSchema.safeParse({ revision: revision ?? Number.NaN, name, document: json.value });
      if (!parsed.success) {
        const errors = zodFieldErrors(parsed.error, 'body');
        return again(errors, errors.every((e) => e.field.startsWith('body.document')) ? 422 : 400);
      }
      try {
        await saveCriteriaVersion(deps, districtId, version, principal.subject, parsed.data);
      } catch (error) {
        const errors = documentProblems(error);
        if (errors) return again(errors, 422);
        if (error instanceof DomainError && error.code === 'stale-revision') {
          return again([], 409, { kind: 'stale', current: Number(error.details.currentRevision), edited: parsed.data.revision });
        }
        if (error instanceof DomainError && error.code === 'criteria-published') return again([], 409, { kind: 'published' });
        throw error;
      }
      return c.redirect(withQuery(paths.version(districtId, version), lang, { done: 'saved' }), 303);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/evaluator/districts/{districtId}/criteria/{version}/publish',
      tags: ['evaluator pages'],
      summary: 'Page form: publish a draft (fields revision — the one shown —, lang), then show it',
      ...pageAccess(deps, EDITORS),
      request: { params: versionParams },
      responses: {
        303: redirectResponse('Published: back to the version'),
        401: htmlResponse('Not signed in'),
        403: htmlResponse('Another district, or a cross-site form'),
        404: htmlResponse('No such version'),
        409: htmlResponse('Already published, or saved by someone else since it was shown'),
        422: htmlResponse('The document no longer passes the checks'),
      },
    }),
    async (c) => {
      const { districtId, version } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      const values = await formValues(c);
      const lang = formLang(c, values);
      const revision = positiveInt(values.revision) ?? undefined;
      const current = await requireCriteria(db, districtId, version);
      try {
        await publishCriteriaVersion(deps, districtId, version, principal.subject, revision);
      } catch (error) {
        const found = documentProblems(error);
        if (found)
          return renderVersion(
            c,
            districtId,
            version,
            lang,
            { editor: { name: current.name, document: documentText(current.document), problems: found } },
            422,
          );
        if (error instanceof DomainError && error.code === 'stale-revision') {
          return renderVersion(
            c,
            districtId,
            version,
            lang,
            {
              editor: {
                name: current.name,
                document: documentText(current.document),
                problems: [],
                conflict: { kind: 'stale', current: Number(error.details.currentRevision), edited: revision ?? 0 },
              },
            },
            409,
          );
        }
        if (error instanceof DomainError && error.code === 'criteria-published') {
          return renderVersion(c, districtId, version, lang, { notice: TEXT[lang].publishedConflict }, 409);
        }
        throw error;
      }
      return c.redirect(withQuery(paths.version(districtId, version), lang, { done: 'published' }), 303);
    },
  );

  // -------------------------------------------------------------------------------------------
  // Runs

  app.openapi(
    createRoute({
      method: 'post',
      path: '/evaluator/districts/{districtId}/evaluations',
      tags: ['evaluator pages'],
      summary: 'Page form: start an evaluation run (fields period, criteriaVersion — a published version —, lang), then watch its progress',
      ...pageAccess(deps, EDITORS),
      request: { params: districtParams },
      responses: {
        303: redirectResponse('Started: to the run page'),
        400: htmlResponse('The list with what to correct'),
        401: htmlResponse('Not signed in'),
        403: htmlResponse('Another district, or a cross-site form'),
        404: htmlResponse('No such district or version'),
        422: htmlResponse('The version is not published, or is for another kind of period'),
      },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      await requireDistrict(db, districtId);
      const values = await formValues(c);
      const lang = formLang(c, values);
      const form: StartForm = { period: (values.period ?? '').trim(), criteriaVersion: values.criteriaVersion ?? '' };
      const again = (problem: FormProblem, status: 400 | 404 | 422) => renderList(c, districtId, lang, { start: form, startProblem: problem }, status);
      const criteriaVersion = positiveInt(form.criteriaVersion);
      const errors: FieldError[] = [];
      if (!isPeriod(form.period)) errors.push({ field: 'body.period', message: 'Use a year (2026) or a quarter (2026Q3)' });
      if (criteriaVersion === null) errors.push({ field: 'body.criteriaVersion', message: 'Choose a published version' });
      if (errors.length > 0 || criteriaVersion === null) return again({ errors }, 400);
      try {
        const run = await startEvaluationRun(deps, { districtId, period: form.period, criteriaVersion, startedBy: principal.subject });
        return c.redirect(withQuery(paths.run(run.evaluationId), lang), 303);
      } catch (error) {
        if (error instanceof DomainError && (error.kind === 'rule' || error.kind === 'not-found')) {
          const field = typeof error.details.field === 'string' ? error.details.field : undefined;
          return again(
            { errors: field ? [{ field, message: error.message }] : [], ...(field ? {} : { message: error.message }) },
            error.kind === 'rule' ? 422 : 404,
          );
        }
        throw error;
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/evaluator/evaluations/{evaluationId}',
      tags: ['evaluator pages'],
      summary:
        'Page: an evaluation run — status, phase and progress, reloading itself while it runs; once complete the summary, histogram and team results (paged)',
      ...pageAccess(deps, READERS),
      request: {
        params: runParams,
        query: resultsQuery,
      },
      responses: { 200: htmlResponse('The run'), 401: htmlResponse('Not signed in'), 404: htmlResponse('No such run in your district') },
    }),
    async (c) => {
      const { evaluationId } = c.req.valid('param');
      const { q, institution, eligibility, sort, desc, page } = c.req.valid('query');
      const principal = c.get('principal');
      const run = visibleOr404(await getRun(db, evaluationId), (r) => canSeeDistrict(principal, r.districtId), `Evaluation ${evaluationId}`);
      const query: ResultsQuery = { q, institutionId: institution || undefined, eligibility: eligibility || undefined, sort, desc: desc === '1', page };
      const results = run.status === 'completed' ? await runResults(db, run, query, RESULTS_PER_PAGE) : null;
      const { RunPage } = await import('./run-page.tsx');
      const lang = pageLang(c);
      return htmlPage(c, <RunPage lang={lang} shell={await shellOf(c, db, lang, 'criteria')} run={run} results={results} query={query} />, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/evaluator/evaluations/{evaluationId}/results.xlsx',
      tags: ['evaluator pages'],
      summary: "Download: a completed run's team results as an XLSX workbook, filtered and sorted as on the run page (all pages), names not ids",
      ...pageAccess(deps, READERS),
      request: { params: runParams, query: resultsQuery },
      responses: {
        200: xlsxResponse('The results workbook'),
        401: htmlResponse('Not signed in'),
        404: htmlResponse('No such run in your district'),
        409: htmlResponse('The run is not complete'),
      },
    }),
    async (c) => {
      const { evaluationId } = c.req.valid('param');
      const { q, institution, eligibility, sort, desc } = c.req.valid('query');
      const lang = pageLang(c);
      const principal = c.get('principal');
      const run = visibleOr404(await getRun(db, evaluationId), (r) => canSeeDistrict(principal, r.districtId), `Evaluation ${evaluationId}`);
      if (run.status !== 'completed') throw new DomainError('conflict', 'results-run-not-completed', `Evaluation ${evaluationId} has no results yet`);
      const query: ResultsQuery = { q, institutionId: institution || undefined, eligibility: eligibility || undefined, sort, desc: desc === '1' };
      const [{ rows, institutions }, criteria, { filtersText }, { contentDisposition, resultsWorkbook, XLSX_CONTENT_TYPE }] = await Promise.all([
        filteredResults(db, run, query),
        getCriteria(db, run.districtId, run.criteriaVersion),
        import('./run-page.tsx'),
        import('#shared/services/evaluation/results-workbook.ts'),
      ]);
      const t = TEXT[lang];
      const period = periodLabel(run.period, lang);
      const bytes = await resultsWorkbook(
        rows,
        {
          period,
          criteria: `${criteria?.name ?? ''} ${t.versionLabel(run.criteriaVersion)}`.trim(),
          filters: filtersText(query, institutions, lang),
        },
        lang,
        deps.now(),
      );
      const fileName = `${t.resultsFile(period)}.xlsx`;
      return c.body(new Uint8Array(bytes), 200, {
        'content-type': XLSX_CONTENT_TYPE,
        'content-disposition': contentDisposition(fileName, `results-${run.period}.xlsx`),
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/evaluator/evaluations/{evaluationId}/teams/{teamId}',
      tags: ['evaluator pages'],
      summary: "Page: a team's scorecard in a run — a one-line explanation per indicator, domain scores and gate outcomes",
      ...pageAccess(deps, READERS),
      request: { params: z.object({ evaluationId: idSchema, teamId: idSchema }), query: langQuery },
      responses: { 200: htmlResponse('The scorecard'), 401: htmlResponse('Not signed in'), 404: htmlResponse('No such run or team in your district') },
    }),
    async (c) => {
      const { evaluationId, teamId } = c.req.valid('param');
      const principal = c.get('principal');
      const run = visibleOr404(await getRun(db, evaluationId), (r) => canSeeDistrict(principal, r.districtId), `Evaluation ${evaluationId}`);
      const stored = visibleOr404(await getScore(db, run.evaluationId, teamId), () => true, `The scorecard of team ${teamId}`);
      const [team, criteria] = await Promise.all([getTeam(db, teamId), getCriteria(db, run.districtId, run.criteriaVersion)]);
      const labels = new Map<string, Label>((criteria?.document.indicators ?? []).map((i) => [i.code, i.label]));
      const trend = await teamTrendOf(deps, { districtId: run.districtId, teamId, period: run.period, indicatorCodes: [...labels.keys()] });
      const { ScorecardPage } = await import('./scorecard-page.tsx');
      const lang = pageLang(c);
      const shell = await shellOf(c, db, lang, 'criteria');
      return htmlPage(
        c,
        <ScorecardPage lang={lang} shell={shell} run={run} stored={stored} teamName={team?.name ?? teamId} labels={labels} trend={trend} />,
        200,
      );
    },
  );
}
