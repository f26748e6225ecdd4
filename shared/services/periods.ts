/**
 * A district period's life as use cases (the rules: shared/domain/period-lifecycle.ts; the
 * conditional writes: shared/data/period-status.ts): reading a period with its completeness,
 * the upload gate, closing and reopening, the official run, publication and finalisation.
 * The API and the pages call these.
 */
import { type District, listDistricts, requireDistrict } from '../data/districts.ts';
import type { EvaluationRun } from '../data/evaluations.ts';
import { listInstitutions } from '../data/institutions.ts';
import { currentVersionsOfDistrict } from '../data/metrics.ts';
import { closePeriod, ensurePeriodRecord, getPeriodStatus, type PeriodStatus, reopenPeriod, transitionPeriod } from '../data/period-status.ts';
import { aggregatesOfDistrict } from '../data/surveys.ts';
import { allTeamsOfDistrict } from '../data/teams.ts';
import type { Db } from '../data/db.ts';
import type { Deps } from '../deps.ts';
import { conflict } from '../domain/errors.ts';
import { MAX_PAGE_SIZE } from '../domain/paging.ts';
import {
  addDaysToInstant,
  areResultsPublished,
  assertReopen,
  assertTransition,
  DEFAULT_DATA_DEADLINE_DAYS,
  DEFAULT_REVIEW_WINDOW_DAYS,
  effectiveState,
  finalizationCandidates,
  isFinalDue,
  type PeriodState,
} from '../domain/period-lifecycle.ts';

type PeriodDeps = Pick<Deps, 'db' | 'now'>;

export interface PeriodSettings {
  dataDeadlineDays: number;
  reviewWindowDays: number;
}

export function periodSettingsOf(district: Pick<District, 'settings'>): PeriodSettings {
  return {
    dataDeadlineDays: district.settings.dataDeadlineDays ?? DEFAULT_DATA_DEADLINE_DAYS,
    reviewWindowDays: district.settings.reviewWindowDays ?? DEFAULT_REVIEW_WINDOW_DAYS,
  };
}

export interface PeriodView extends PeriodStatus {
  /** the state as of now (an open period past its deadline is deadline-passed) */
  state: PeriodState;
  storedState: PeriodState;
  settings: PeriodSettings;
}

function viewOf(record: PeriodStatus, settings: PeriodSettings, now: Date): PeriodView {
  // a published period whose window has closed with every appeal decided reads as final before the transition is written
  const state = isFinalDue(record, now) ? 'final' : effectiveState(record, now);
  return { ...record, storedState: record.state, state, settings };
}

/**
 * The period as of now, for reading: writes nothing (no GET has side effects, issue 16). A
 * published period whose window has closed with every appeal decided reads as `final` while
 * its stored state is still `published`; the transition is written by readPeriodForUpdate.
 */
export async function readPeriod(deps: PeriodDeps, districtId: string, period: string): Promise<PeriodView> {
  const district = await requireDistrict(deps.db, districtId);
  const settings = periodSettingsOf(district);
  const now = deps.now();
  return viewOf(await getPeriodStatus(deps.db, districtId, period, settings.dataDeadlineDays), settings, now);
}

/**
 * The period as of now, for an action that writes (settling, filing an appeal, a run, a
 * reopen...): a due finalisation is written first, conditioned on no appeal being open, so an
 * appeal filed at the last moment wins or loses whole and the action sees the stored state.
 */
export async function readPeriodForUpdate(deps: PeriodDeps, districtId: string, period: string): Promise<PeriodView> {
  const district = await requireDistrict(deps.db, districtId);
  const settings = periodSettingsOf(district);
  const now = deps.now();
  let record = await getPeriodStatus(deps.db, districtId, period, settings.dataDeadlineDays);
  if (isFinalDue(record, now)) record = await finalize(deps.db, record, now);
  return viewOf(record, settings, now);
}

async function finalize(db: Db, record: PeriodStatus, now: Date): Promise<PeriodStatus> {
  const at = now.toISOString();
  try {
    return await transitionPeriod(db, {
      districtId: record.districtId,
      period: record.period,
      action: 'finalize',
      by: 'review-window',
      at,
      reason: 'review window closed, every appeal decided',
      deadlineAt: record.deadlineAt,
      condition: { expression: 'openAppeals = :zero OR attribute_not_exists(openAppeals)', values: { ':zero': 0 } },
    });
  } catch (error) {
    // another reader finalised it, or an appeal was filed in the last moment: read what is
    if ((error as { kind?: string }).kind === 'conflict') return getPeriodStatus(db, record.districtId, record.period);
    throw error;
  }
}

/** 409 `period-closed` unless the period takes uploads now; stores the deadline the upload transaction checks. */
export async function assertUploadsOpen(deps: PeriodDeps, districtId: string, period: string): Promise<void> {
  const view = await readPeriodForUpdate(deps, districtId, period);
  if (view.state !== 'open') {
    throw conflict('period-closed', `Period ${period} is ${view.state}: closed to uploads since ${view.deadlineAt}; an administrator can reopen it`, {
      state: view.state,
      deadlineAt: view.deadlineAt,
    });
  }
  await ensurePeriodRecord(deps.db, districtId, period, view.deadlineAt, deps.now().toISOString());
}

export async function closePeriodNow(deps: PeriodDeps, input: { districtId: string; period: string; by: string }): Promise<PeriodView> {
  const district = await requireDistrict(deps.db, input.districtId);
  const settings = periodSettingsOf(district);
  const record = await closePeriod(deps.db, input.districtId, input.period, input.by, deps.now().toISOString(), settings.dataDeadlineDays);
  return viewOf(record, settings, deps.now());
}

/** An administrator's reopen: a reason, only before final; uploads are taken again for `dataDeadlineDays` days (or until `until`). */
export async function reopenPeriodNow(
  deps: PeriodDeps,
  input: { districtId: string; period: string; by: string; reason: string; until?: string | undefined },
): Promise<PeriodView> {
  const view = await readPeriodForUpdate(deps, input.districtId, input.period);
  assertReopen(view.state, input.period, input.reason);
  const record = await reopenPeriod(deps.db, input.districtId, input.period, input.by, deps.now().toISOString(), {
    reason: input.reason.trim(),
    until: input.until,
    deadlineDays: view.settings.dataDeadlineDays,
  });
  return viewOf(record, view.settings, deps.now());
}

/** evaluated → published: opens the review window. Two publishes at once: one wins, the other gets 409. */
export async function publishPeriod(deps: PeriodDeps, input: { districtId: string; period: string; by: string }): Promise<PeriodView> {
  const view = await readPeriodForUpdate(deps, input.districtId, input.period);
  assertTransition('publish', view.state, input.period);
  const at = deps.now().toISOString();
  const reviewEndsAt = addDaysToInstant(at, view.settings.reviewWindowDays);
  const record = await transitionPeriod(deps.db, {
    districtId: input.districtId,
    period: input.period,
    action: 'publish',
    by: input.by,
    at,
    deadlineAt: view.deadlineAt,
    evaluationId: view.officialRunId,
    set: { publishedAt: at, reviewEndsAt, openAppeals: 0 },
  });
  return viewOf(record, view.settings, deps.now());
}

/**
 * A completed run becomes the period's official run: a regular run while the period is not yet
 * published (open, deadline passed or evaluated: a rerun, whose reason is kept), a correction run
 * while it is published. Any other completed run stays readable but is not official.
 */
export async function recordRunCompleted(db: Db, run: EvaluationRun, completedAt: string): Promise<boolean> {
  const action = run.purpose === 'correction' ? 'correct' : 'evaluate';
  const district = await requireDistrict(db, run.districtId);
  const current = await getPeriodStatus(db, run.districtId, run.period, periodSettingsOf(district).dataDeadlineDays);
  if (current.officialRunId === run.evaluationId) return true;
  try {
    const deadlineAt = current.deadlineAt;
    await transitionPeriod(db, {
      districtId: run.districtId,
      period: run.period,
      action,
      by: run.startedBy,
      ...(run.startedByName ? { byName: run.startedByName } : {}),
      at: completedAt,
      reason: run.reason,
      evaluationId: run.evaluationId,
      deadlineAt,
      set: { officialRunId: run.evaluationId },
      ...(action === 'correct' && run.appealIds?.length ? { addToOpenAppeals: -run.appealIds.length } : {}),
      officialRun: {
        evaluationId: run.evaluationId,
        criteriaVersion: run.criteriaVersion,
        startedBy: run.startedBy,
        ...(run.startedByName ? { startedByName: run.startedByName } : {}),
        completedAt,
        ...(run.reason ? { reason: run.reason } : {}),
      },
    });
    return true;
  } catch (error) {
    if ((error as { kind?: string }).kind === 'conflict') return false;
    throw error;
  }
}

export interface InstitutionCompleteness {
  institutionId: string;
  name: string;
  metrics: { version: number; uploadedAt: string; uploadedBy: string } | null;
  teams: number;
  /** teams with at least one survey response, and the responses of all its teams */
  teamsWithSurveys: number;
  surveyResponses: number;
  /** teams below the district's minimum responses (their survey results are suppressed) */
  teamsBelowMinimum: number;
}

/** Per institution: its current metric upload for the period, and its teams' survey responses. */
export async function periodCompleteness(deps: PeriodDeps, districtId: string, period: string): Promise<InstitutionCompleteness[]> {
  const district = await requireDistrict(deps.db, districtId);
  const [versions, aggregates] = await Promise.all([currentVersionsOfDistrict(deps.db, districtId, period), aggregatesOfDistrict(deps.db, districtId, period)]);
  const byInstitution = new Map<string, InstitutionCompleteness>();
  let cursor: string | undefined;
  do {
    const page = await listInstitutions(deps.db, districtId, MAX_PAGE_SIZE, cursor);
    for (const institution of page.items) {
      byInstitution.set(institution.institutionId, {
        institutionId: institution.institutionId,
        name: institution.name,
        metrics: null,
        teams: 0,
        teamsWithSurveys: 0,
        surveyResponses: 0,
        teamsBelowMinimum: 0,
      });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  for (const version of versions) {
    const entry = byInstitution.get(version.institutionId);
    if (entry) entry.metrics = { version: version.version, uploadedAt: version.uploadedAt, uploadedBy: version.uploadedBy };
  }
  for await (const team of allTeamsOfDistrict(deps.db, districtId)) {
    const entry = byInstitution.get(team.institutionId);
    if (!entry) continue;
    entry.teams += 1;
    const responses = aggregates.get(team.teamId)?.n ?? 0;
    if (responses > 0) entry.teamsWithSurveys += 1;
    if (responses < district.settings.surveyMinResponses) entry.teamsBelowMinimum += 1;
    entry.surveyResponses += responses;
  }
  return [...byInstitution.values()].sort((a, b) => a.institutionId.localeCompare(b.institutionId));
}

/**
 * Whether a clerk may see a run's results: the period's results are published (in review, final
 * or settled) and the run is or was its official run (a corrected result stays readable).
 */
export async function isPublishedRun(deps: PeriodDeps, run: Pick<EvaluationRun, 'districtId' | 'period' | 'evaluationId'>): Promise<boolean> {
  const view = await readPeriod(deps, run.districtId, run.period);
  return areResultsPublished(view.state) && view.officialRuns.some((r) => r.evaluationId === run.evaluationId);
}

/** Every team's name in the district, by id (for pages that name teams from appeals and result changes). */
export async function teamNamesOfDistrict(deps: Pick<Deps, 'db'>, districtId: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for await (const team of allTeamsOfDistrict(deps.db, districtId)) names.set(team.teamId, team.name);
  return names;
}

export interface FinalizeOutcome {
  districtId: string;
  period: string;
  /** final: the period is final now (this firing or a concurrent one wrote it); appeals-open: the window closed with appeals undecided */
  result: 'final' | 'appeals-open';
  openAppeals: number;
}

/**
 * The daily job's step (functions/period-close): every published period whose review window has
 * closed with every appeal decided is finalised, with the same conditional transition the next
 * writing action would use, so concurrent firings and a racing appeal end in one outcome.
 */
export async function finalizeDuePeriods(deps: PeriodDeps): Promise<FinalizeOutcome[]> {
  const now = deps.now();
  const periods = finalizationCandidates(now);
  const outcomes: FinalizeOutcome[] = [];
  let cursor: string | undefined;
  do {
    const page = await listDistricts(deps.db, MAX_PAGE_SIZE, cursor);
    for (const district of page.items) {
      for (const period of periods) {
        const record = await getPeriodStatus(deps.db, district.districtId, period);
        if (record.state !== 'published' || record.reviewEndsAt === undefined || now.toISOString() < record.reviewEndsAt) continue;
        const after = isFinalDue(record, now) ? await finalize(deps.db, record, now) : record;
        outcomes.push({
          districtId: district.districtId,
          period,
          result: after.state === 'final' || after.state === 'settled' ? 'final' : 'appeals-open',
          openAppeals: after.openAppeals,
        });
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return outcomes;
}
