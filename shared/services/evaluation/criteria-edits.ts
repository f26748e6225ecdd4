/**
 * What the criteria and evaluation routes do beyond a single repository call, shared by the JSON
 * API (functions/evaluation/app.ts) and the evaluator pages (functions/evaluation/pages/), so
 * both check a document, preview a version and start a run in exactly the same way:
 * - validateCriteriaForDistrict: every problem of a criteria document, named by field as the
 *   API names it (`body.document.indicators.0.method.upper`), with the API's messages;
 * - createCriteriaVersion, saveCriteriaVersion, publishCriteriaVersion: the document checked
 *   first (422 `criteria-document-invalid` listing its problems), then the conditional write;
 * - previewCriteriaVersion: a version scored against a period without storing anything;
 * - startEvaluationRun: the checks and the queued run record, then the launch.
 */
import { DomainError, ruleBroken } from '../../domain/errors.ts';
import { defaultBaselinePeriod, parsePeriod } from '../../domain/periods.ts';
import { assertPeriodEnded } from '../../domain/period-close.ts';
import { assertRunStart, assertTransition } from '../../domain/period-lifecycle.ts';
import { readPeriodForUpdate } from '../periods.ts';
import type { CriteriaSet } from '../../domain/scoring/criteria.ts';
import { criteriaSetSchema } from '../../domain/scoring/criteria-schema.ts';
import { validateCriteria } from '../../domain/scoring/validate.ts';
import { type CriteriaVersion, createCriteriaDraft, publishCriteria, requireCriteria, saveCriteriaDraft } from '../../data/criteria.ts';
import { actingNameOf } from '../../data/acting-person.ts';
import { requireDistrict } from '../../data/districts.ts';
import type { Db } from '../../data/db.ts';
import { createRun, type EvaluationRun } from '../../data/evaluations.ts';
import { newId } from '../../data/items.ts';
import { getCatalogue } from '../../data/metric-catalogue.ts';
import { countTeamsOfDistrict } from '../../data/teams.ts';
import type { Deps } from '../../deps.ts';
import { type FieldError, zodFieldErrors } from '../../domain/field-errors.ts';
import type { Preview } from './preview.ts';
import { count } from '../../observability/telemetry.ts';

/** The detail of the 422 that lists a criteria document's problems. */
export const CRITERIA_INVALID = 'The criteria document is not valid';

/** Where a criteria document sits in a request body: its problems are named below it. */
export const DOCUMENT_FIELD = 'body.document';

/**
 * Every problem of a criteria document for a district, or an empty list: first its shape (the
 * messages the API's request validation gives), then, once the shape is right, the rules across
 * fields and the metric codes the district's catalogue knows.
 */
export async function validateCriteriaForDistrict(db: Db, districtId: string, document: unknown): Promise<FieldError[]> {
  const parsed = criteriaSetSchema.safeParse(document);
  if (!parsed.success) return zodFieldErrors(parsed.error, DOCUMENT_FIELD);
  const catalogue = await getCatalogue(db, districtId);
  return validateCriteria(
    parsed.data,
    catalogue.definitions.map((d) => d.code),
  ).map((p) => ({ field: `${DOCUMENT_FIELD}.${p.path}`, message: p.message }));
}

/** A criteria document with problems: 422, each problem in `errors` with its field path. */
export function criteriaInvalid(errors: FieldError[]): DomainError {
  return new DomainError('rule', 'criteria-document-invalid', CRITERIA_INVALID, { errors });
}

async function assertValidForDistrict(db: Db, districtId: string, document: unknown): Promise<void> {
  const found = await validateCriteriaForDistrict(db, districtId, document);
  if (found.length > 0) throw criteriaInvalid(found);
}

export interface NewCriteria {
  name: string;
  periodType: 'quarter' | 'year';
  document: CriteriaSet;
  basedOnVersion?: number | undefined;
}

/** A new draft version of a district's criteria, by `by`. */
export async function createCriteriaVersion(deps: Pick<Deps, 'db' | 'now'>, districtId: string, by: string, input: NewCriteria): Promise<CriteriaVersion> {
  const { db } = deps;
  await requireDistrict(db, districtId);
  await assertValidForDistrict(db, districtId, input.document);
  const at = deps.now().toISOString();
  return createCriteriaDraft(db, {
    districtId,
    name: input.name,
    periodType: input.periodType,
    document: input.document,
    ...(input.basedOnVersion ? { basedOnVersion: input.basedOnVersion } : {}),
    createdBy: by,
    createdAt: at,
    updatedBy: by,
    updatedAt: at,
  });
}

/** Saves a draft edited from `revision`: 409 `stale-revision` if saved since, `criteria-published` if published. */
export async function saveCriteriaVersion(
  deps: Pick<Deps, 'db' | 'now'>,
  districtId: string,
  version: number,
  by: string,
  input: { revision: number; name: string; document: CriteriaSet },
): Promise<CriteriaVersion> {
  await assertValidForDistrict(deps.db, districtId, input.document);
  return saveCriteriaDraft(deps.db, districtId, version, {
    expectedRevision: input.revision,
    name: input.name,
    document: input.document,
    updatedBy: by,
    updatedAt: deps.now().toISOString(),
  });
}

/** Publishes a draft whose document still passes the checks (the district's catalogue may have changed since it was saved). */
export async function publishCriteriaVersion(
  deps: Pick<Deps, 'db' | 'now'>,
  districtId: string,
  version: number,
  by: string,
  revision?: number,
): Promise<CriteriaVersion> {
  const current = await requireCriteria(deps.db, districtId, version);
  await assertValidForDistrict(deps.db, districtId, current.document);
  return publishCriteria(deps.db, districtId, version, by, deps.now().toISOString(), revision);
}

export interface PreviewRequest {
  period: string;
  compareWithVersion?: number | undefined;
  baselinePeriod?: string | undefined;
}

export type CriteriaPreview = Preview & { version: number; period: string };

/**
 * Scores every team of the district for a period with a version, in memory; compares with another
 * version when asked. The scoring engine is loaded on the first preview, not at a function's cold start.
 */
export async function previewCriteriaVersion(db: Db, districtId: string, version: number, request: PreviewRequest): Promise<CriteriaPreview> {
  const { loadDistrictFacts, previewScores } = await import('./preview.ts');
  const criteria = await requireCriteria(db, districtId, version);
  const compare = request.compareWithVersion ? await requireCriteria(db, districtId, request.compareWithVersion) : null;
  const baselinePeriod = request.baselinePeriod ?? defaultBaselinePeriod(request.period);
  const facts = await loadDistrictFacts(db, districtId, request.period, baselinePeriod);
  return { version, period: request.period, ...previewScores(facts, criteria.document, compare?.document ?? null) };
}

export interface StartRunRequest {
  districtId: string;
  period: string;
  criteriaVersion: number;
  baselinePeriod?: string | undefined;
  startedBy: string;
  /** a deterministic id makes a repeated start fail on the run record's conditional write (shared/services/evaluation/period-close.ts) */
  evaluationId?: string;
  /** a rerun of a period with official results needs one (shared/domain/period-lifecycle.ts) */
  reason?: string | undefined;
  /** `correction`: the run of accepted appeals of a published period */
  purpose?: 'regular' | 'correction';
  appealIds?: string[];
}

/**
 * Queues a run of a period with a published version and launches it. 422 (`criteria-not-published`,
 * `period-type-mismatch`) when the version cannot run that period; 404 when it does not exist;
 * 409 `period-not-ended` for a running or future period.
 */
export async function startEvaluationRun(deps: Pick<Deps, 'db' | 'now' | 'launchEvaluation'>, request: StartRunRequest): Promise<EvaluationRun> {
  const { db } = deps;
  const criteria = await requireCriteria(db, request.districtId, request.criteriaVersion);
  if (criteria.status !== 'published')
    throw ruleBroken('criteria-not-published', 'Only a published criteria version can be run', { field: 'body.criteriaVersion' });
  if (parsePeriod(request.period)?.type !== criteria.periodType) {
    throw ruleBroken('period-type-mismatch', `Version ${criteria.version} is for ${criteria.periodType} periods`, { field: 'body.period' });
  }
  assertPeriodEnded(request.period, deps.now());
  const period = await readPeriodForUpdate(deps, request.districtId, request.period);
  if (request.purpose === 'correction') assertTransition('correct', period.state, request.period);
  else assertRunStart(period.state, request.period, request.reason);
  const startedByName = actingNameOf(request.startedBy);
  const run = await createRun(db, {
    evaluationId: request.evaluationId ?? newId('eval'),
    districtId: request.districtId,
    period: request.period,
    baselinePeriod: request.baselinePeriod ?? defaultBaselinePeriod(request.period),
    criteriaVersion: request.criteriaVersion,
    status: 'queued',
    phase: 'values',
    progress: { done: 0, total: await countTeamsOfDistrict(db, request.districtId) },
    startedBy: request.startedBy,
    ...(startedByName ? { startedByName } : {}),
    createdAt: deps.now().toISOString(),
    ...(request.reason?.trim() ? { reason: request.reason.trim() } : {}),
    ...(request.purpose ? { purpose: request.purpose } : {}),
    ...(request.appealIds ? { appealIds: request.appealIds } : {}),
  });
  await deps.launchEvaluation(run.evaluationId);
  count('RunStarted');
  return run;
}
