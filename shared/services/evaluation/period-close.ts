/**
 * Period close: starts the evaluation runs of the periods that just closed, in every district
 * (shared/domain/period-close.ts decides which). Each run is queued and launched by
 * startEvaluationRun, as an evaluator's POST /districts/{districtId}/evaluations does, under
 * a run id derived from district, period and version: when the schedule fires twice (EventBridge
 * delivers at least once), concurrently or not, the run record's conditional write lets exactly
 * one through. Districts are independent: one that fails does not stop the others, and the
 * report says which failed so the caller can fail and be retried.
 */
import { isConditionalCheckFailed } from '../../data/aws-errors.ts';
import { listCriteria } from '../../data/criteria.ts';
import { listDistricts } from '../../data/districts.ts';
import { getRun, listRuns } from '../../data/evaluations.ts';
import type { Page } from '../../data/pagination.ts';
import { MAX_PAGE_SIZE } from '../../domain/paging.ts';
import type { Deps } from '../../deps.ts';
import { DomainError } from '../../domain/errors.ts';
import { periodSettingsOf } from '../periods.ts';
import {
  type DistrictRunState,
  decidePeriodClose,
  type PeriodCloseSkipReason,
  hasPeriodEnded,
  periodCloseRunId,
  periodsClosedAt,
} from '../../domain/period-close.ts';
import { startEvaluationRun } from './criteria-edits.ts';

export type PeriodCloseDeps = Pick<Deps, 'db' | 'now' | 'launchEvaluation'>;

/** What starts a period close: the schedule sends `{}`; by hand, name the periods. */
export interface PeriodCloseRequest {
  /** defaults to the periods that closed on the last quarter boundary (periodsClosedAt) */
  periods?: string[] | undefined;
}

/** The `startedBy` of runs a period close starts. */
export const PERIOD_CLOSE_STARTER = 'period-close';

export type PeriodCloseOutcome = { districtId: string; period: string } & (
  | { result: 'started' | 'already-started'; evaluationId: string; criteriaVersion: number }
  | { result: 'skipped'; reason: PeriodCloseSkipReason }
  | { result: 'failed'; evaluationId: string; criteriaVersion: number; error: string }
);

export interface PeriodCloseReport {
  periods: string[];
  outcomes: PeriodCloseOutcome[];
}

async function allPages<T>(page: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

async function districtRunStates(deps: PeriodCloseDeps): Promise<DistrictRunState[]> {
  const { db } = deps;
  const districts = await allPages((cursor) => listDistricts(db, MAX_PAGE_SIZE, cursor));
  const states: DistrictRunState[] = [];
  for (const district of districts) {
    const { districtId } = district;
    const criteria = await allPages((cursor) => listCriteria(db, districtId, MAX_PAGE_SIZE, cursor));
    const runs = await allPages((cursor) => listRuns(db, districtId, MAX_PAGE_SIZE, cursor));
    states.push({ districtId, criteria, runs, dataDeadlineDays: periodSettingsOf(district).dataDeadlineDays });
  }
  return states;
}

function periodsToClose(deps: PeriodCloseDeps, request: PeriodCloseRequest): string[] {
  const now = deps.now();
  const periods = request.periods ?? periodsClosedAt(now);
  const open = periods.filter((period) => !hasPeriodEnded(period, now));
  if (open.length > 0) {
    throw new DomainError('invalid', 'period-not-closed', `Not a period that has ended (2026Q3 or 2026, in China time): ${open.join(', ')}`);
  }
  return periods;
}

/**
 * Queues and launches the run, or, when a run with its id exists already (another firing's),
 * launches that one again while it is still queued: a firing may have written it and failed
 * before its launch, and a launch of a run already launched starts nothing new.
 */
async function startOnce(deps: PeriodCloseDeps, districtId: string, period: string, criteriaVersion: number): Promise<PeriodCloseOutcome> {
  const evaluationId = periodCloseRunId(districtId, period, criteriaVersion);
  const base = { districtId, period, evaluationId, criteriaVersion };
  try {
    await startEvaluationRun(deps, { districtId, period, criteriaVersion, startedBy: PERIOD_CLOSE_STARTER, evaluationId });
    return { ...base, result: 'started' };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
  const existing = await getRun(deps.db, evaluationId, true);
  if (existing?.status === 'queued') await deps.launchEvaluation(evaluationId);
  return { ...base, result: 'already-started' };
}

export async function closePeriods(deps: PeriodCloseDeps, request: PeriodCloseRequest = {}): Promise<PeriodCloseReport> {
  const periods = periodsToClose(deps, request);
  const decisions = decidePeriodClose(periods, await districtRunStates(deps), deps.now());
  const outcomes: PeriodCloseOutcome[] = [];
  for (const decision of decisions) {
    const { districtId, period } = decision;
    if (decision.action === 'skip') {
      outcomes.push({ districtId, period, result: 'skipped', reason: decision.reason });
      continue;
    }
    const { criteriaVersion } = decision;
    try {
      outcomes.push(await startOnce(deps, districtId, period, criteriaVersion));
    } catch (error) {
      const evaluationId = periodCloseRunId(districtId, period, criteriaVersion);
      outcomes.push({ districtId, period, evaluationId, criteriaVersion, result: 'failed', error: (error as Error).message });
    }
  }
  return { periods, outcomes };
}

/** The report, or an error naming every district and period whose run could not be started (so the schedule retries). */
export function requireAllStarted(report: PeriodCloseReport): PeriodCloseReport {
  const failed = report.outcomes.filter((o) => o.result === 'failed');
  if (failed.length > 0) {
    throw new Error(
      `Period close: ${failed.length} run(s) not started: ${failed.map((o) => `${o.districtId} ${o.period}: ${'error' in o ? o.error : ''}`).join('; ')}`,
    );
  }
  return report;
}
