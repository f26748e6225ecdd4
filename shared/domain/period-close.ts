/**
 * Which evaluation runs to start after a period closes. Periods close at midnight in China
 * (UTC+8, no daylight saving): at 02:00 on 1 April the first quarter has closed, although it is
 * still 31 March in UTC. The schedule fires daily; a district gets a run of a closed period once
 * the period's data deadline (the district's `dataDeadlineDays` after its end, default 10:
 * shared/domain/period-lifecycle.ts) has passed, with the newest criteria version published for
 * that kind of period, unless it already has any run of that period (an evaluator started one,
 * or an earlier firing did: that run is or becomes the official one): the schedule fills gaps,
 * it never second-guesses a run someone started, and a failed run is redriven, not replaced.
 */
import { createHash } from 'node:crypto';
import { addDays } from './dates.ts';
import { conflict, DomainError } from './errors.ts';
import { DEFAULT_DATA_DEADLINE_DAYS, dataDeadlineAt } from './period-lifecycle.ts';
import { type PeriodType, parsePeriod, previousQuarter, quarterOf } from './periods.ts';

/** China Standard Time, in which periods begin and end. */
export const PERIOD_TIME_ZONE_OFFSET_HOURS = 8;

/** The calendar date (YYYY-MM-DD) in China at an instant. */
export function localDateAt(now: Date): string {
  return new Date(now.getTime() + PERIOD_TIME_ZONE_OFFSET_HOURS * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The periods that ended on the last quarter boundary before `now`: the previous quarter, and
 * the previous year too when `now` is in a first quarter.
 */
export function periodsClosedAt(now: Date): string[] {
  const current = quarterOf(localDateAt(now));
  const closedQuarter = previousQuarter(current);
  return current.endsWith('Q1') ? [closedQuarter, closedQuarter.slice(0, 4)] : [closedQuarter];
}

/** Whether a period has ended by `now` (its last day is over in China). */
export function hasPeriodEnded(periodId: string, now: Date): boolean {
  const period = parsePeriod(periodId);
  return period !== null && addDays(period.end, 1) <= localDateAt(now);
}

/**
 * Evaluation runs and settlements are only for periods that have ended (in China; a running or
 * future quarter has no complete facts and must not be paid): 409 `period-not-ended` otherwise.
 */
export function assertPeriodEnded(periodId: string, now: Date, field = 'body.period'): void {
  const period = parsePeriod(periodId);
  if (!period) throw new DomainError('invalid', 'invalid-period', `Not a period: ${periodId}`, { field });
  if (!hasPeriodEnded(periodId, now)) {
    throw conflict('period-not-ended', `Period ${periodId} ends on ${period.end}; evaluations and settlements are only for ended periods`, {
      field,
      period: periodId,
      end: period.end,
    });
  }
}

export interface CriteriaSummary {
  version: number;
  periodType: PeriodType;
  status: 'draft' | 'published';
}

export interface RunSummary {
  evaluationId: string;
  period: string;
  criteriaVersion: number;
  status: 'queued' | 'running' | 'completed' | 'failed';
}

export interface DistrictRunState {
  districtId: string;
  criteria: readonly CriteriaSummary[];
  /** the district's existing runs, whatever their period and status */
  runs: readonly RunSummary[];
  /** days after a period's end until its data deadline (default 10) */
  dataDeadlineDays?: number;
}

export type PeriodCloseDecision =
  | { districtId: string; period: string; action: 'start'; criteriaVersion: number }
  | { districtId: string; period: string; action: 'skip'; reason: PeriodCloseSkipReason };

export type PeriodCloseSkipReason = 'already-run' | 'no-published-criteria' | 'deadline-not-passed';

/**
 * One decision per district and closed period, in the order given. The period close's own run
 * still queued is started again: a firing may have written it and then failed to start it, and
 * starting is idempotent (an execution is named after its run). With `now`, a period whose data
 * deadline has not passed then is skipped (`deadline-not-passed`): the daily schedule starts it
 * on a later day.
 */
export function decidePeriodClose(periods: readonly string[], districts: readonly DistrictRunState[], now?: Date): PeriodCloseDecision[] {
  return districts.flatMap((district) =>
    periods.map((period): PeriodCloseDecision => {
      const base = { districtId: district.districtId, period };
      const runs = district.runs.filter((run) => run.period === period);
      const own = runs.find((run) => run.evaluationId === periodCloseRunId(district.districtId, period, run.criteriaVersion));
      if (own?.status === 'queued') return { ...base, action: 'start', criteriaVersion: own.criteriaVersion };
      if (runs.length > 0) return { ...base, action: 'skip', reason: 'already-run' };
      if (now && now.toISOString() < dataDeadlineAt(period, district.dataDeadlineDays ?? DEFAULT_DATA_DEADLINE_DAYS)) {
        return { ...base, action: 'skip', reason: 'deadline-not-passed' };
      }
      const type = parsePeriod(period)?.type;
      const newest = district.criteria
        .filter((c) => c.status === 'published' && c.periodType === type)
        .reduce<number | null>((best, c) => (best === null || c.version > best ? c.version : best), null);
      return newest === null ? { ...base, action: 'skip', reason: 'no-published-criteria' } : { ...base, action: 'start', criteriaVersion: newest };
    }),
  );
}

const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * The id of the run a period close starts: the same for the same district, period and version,
 * so a second firing's conditional write of the run record fails instead of creating another
 * run. Shaped like every other run id (a prefix and 16 base32 characters): a valid path
 * parameter and Step Functions execution name whatever the length of the district id.
 */
export function periodCloseRunId(districtId: string, period: string, criteriaVersion: number): string {
  const digest = createHash('sha256').update(`${districtId}\n${period}\n${criteriaVersion}`, 'utf8').digest();
  let id = '';
  for (const byte of digest.subarray(0, 16)) id += BASE32[byte & 31];
  return `eval-close-${id}`;
}
