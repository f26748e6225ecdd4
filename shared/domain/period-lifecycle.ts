/**
 * A district period's life, and the one place that decides what each state allows:
 *
 *   open → deadline-passed → evaluated → published → final → settled
 *
 * - `open`: institutions upload metrics, residents answer surveys.
 * - `deadline-passed`: the data deadline (a district setting, days after the period's end in
 *   China time, default 10) is over, or an administrator closed the period early. Uploads are
 *   refused. Not always stored: an `open` record whose deadline has passed is `deadline-passed`.
 * - `evaluated`: a run of the period completed and is its official run. A rerun before
 *   publication replaces the official run with a recorded reason.
 * - `published`: the results are out for review (a window of `reviewWindowDays`, default 7):
 *   clerks see their teams' scorecards, the public results page shows them, clerks file appeals.
 *   An accepted appeal's correction run replaces the official run.
 * - `final`: the window has closed and every appeal is decided. Only now can finance settle.
 * - `settled`: a settlement of the period was approved.
 *
 * An administrator reopens a period (back to `open`, uploads allowed again for a new deadline)
 * with a reason, and only before `final`. The repository (shared/data/period-status.ts) enforces
 * each transition with a conditional write on the states `FROM` lists here.
 */
import { addDays } from './dates.ts';
import { conflict, DomainError, ruleBroken } from './errors.ts';
import { parsePeriod, previousQuarter, quarterOf } from './periods.ts';

export const PERIOD_STATES = ['open', 'deadline-passed', 'evaluated', 'published', 'final', 'settled'] as const;
export type PeriodState = (typeof PERIOD_STATES)[number];

export const DEFAULT_DATA_DEADLINE_DAYS = 10;
export const DEFAULT_REVIEW_WINDOW_DAYS = 7;
/** the largest settings an administrator may choose (shared/schemas/registry.ts, the settings page) */
export const MAX_DATA_DEADLINE_DAYS = 90;
export const MAX_REVIEW_WINDOW_DAYS = 60;

/** China Standard Time (UTC+8, no daylight saving), in which periods and deadlines end. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

export type PeriodAction = 'close' | 'reopen' | 'evaluate' | 'publish' | 'correct' | 'finalize' | 'settle';

/** The stored states each action may start from, and where it leads. */
export const TRANSITIONS: Record<PeriodAction, { from: readonly PeriodState[]; to: PeriodState }> = {
  close: { from: ['open'], to: 'deadline-passed' },
  reopen: { from: ['open', 'deadline-passed', 'evaluated', 'published'], to: 'open' },
  evaluate: { from: ['open', 'deadline-passed', 'evaluated'], to: 'evaluated' },
  publish: { from: ['evaluated'], to: 'published' },
  correct: { from: ['published'], to: 'published' },
  finalize: { from: ['published'], to: 'final' },
  settle: { from: ['final'], to: 'settled' },
};

export interface PeriodTimes {
  /** the stored state (`open` when nothing is stored) */
  state: PeriodState;
  /** uploads are accepted until this instant (ISO), unless the state is past `open` */
  deadlineAt: string;
  /** end of the review window (ISO), once published */
  reviewEndsAt?: string | undefined;
  /** appeals filed and not yet decided */
  openAppeals: number;
}

/** The instant a period's data deadline passes: midnight in China after the period's last day plus `days` days. */
export function dataDeadlineAt(periodId: string, days = DEFAULT_DATA_DEADLINE_DAYS): string {
  const period = parsePeriod(periodId);
  if (!period) throw new DomainError('invalid', 'invalid-period', `Not a period: ${periodId}`, { field: 'path.period' });
  const lastUploadDay = addDays(period.end, days);
  return new Date(Date.parse(`${addDays(lastUploadDay, 1)}T00:00:00.000Z`) - CHINA_OFFSET_MS).toISOString();
}

/** `at` plus whole days, as an ISO instant (review windows). */
export function addDaysToInstant(at: string, days: number): string {
  return new Date(Date.parse(at) + days * 86_400_000).toISOString();
}

/** The state as users see it: an `open` period whose deadline has passed is `deadline-passed`. */
export function effectiveState(times: Pick<PeriodTimes, 'state' | 'deadlineAt'>, now: Date): PeriodState {
  if (times.state === 'open' && now.toISOString() >= times.deadlineAt) return 'deadline-passed';
  return times.state;
}

/** A published period becomes final once its window has closed and no appeal is left undecided. */
export function isFinalDue(times: PeriodTimes, now: Date): boolean {
  return times.state === 'published' && times.reviewEndsAt !== undefined && now.toISOString() >= times.reviewEndsAt && times.openAppeals === 0;
}

export function isAppealWindowOpen(times: PeriodTimes, now: Date): boolean {
  return times.state === 'published' && times.reviewEndsAt !== undefined && now.toISOString() < times.reviewEndsAt;
}

/** Results are visible to clerks and to the public from publication on. */
export function areResultsPublished(state: PeriodState): boolean {
  return state === 'published' || state === 'final' || state === 'settled';
}

function stateConflict(action: PeriodAction, state: PeriodState, period: string): DomainError {
  return conflict('period-state-conflict', `Period ${period} is ${state}; ${action} is possible from ${TRANSITIONS[action].from.join(', ')}`, {
    state,
    action,
    period,
  });
}

/** 409 `period-state-conflict` unless the action may start from the (effective) state. */
export function assertTransition(action: PeriodAction, state: PeriodState, period: string): void {
  const from = TRANSITIONS[action].from as readonly PeriodState[];
  // deadline-passed is stored as open until someone writes; both allow the same actions but `close`
  const allowed = from.includes(state) || (state === 'deadline-passed' && from.includes('open') && action !== 'close');
  if (!allowed) throw stateConflict(action, state, period);
}

/** Reopening needs a reason and is only for periods not yet final. */
export function assertReopen(state: PeriodState, period: string, reason: string): void {
  if (!reason.trim()) throw new DomainError('invalid', 'reason-required', 'Reopening a period needs a reason', { field: 'body.reason' });
  if (state === 'final' || state === 'settled') {
    throw conflict('period-final', `Period ${period} is ${state}; a final period cannot be reopened`, { state, period });
  }
}

/**
 * Starting a run: a period with published results only gets correction runs (from appeals);
 * a rerun of an evaluated period needs a reason, which the replaced official run keeps.
 */
export function assertRunStart(state: PeriodState, period: string, reason: string | undefined): void {
  if (state === 'published' || state === 'final' || state === 'settled') {
    throw conflict('period-published', `Period ${period} is ${state}; its results change only through appeals`, { state, period });
  }
  if (state === 'evaluated' && !reason?.trim()) {
    throw ruleBroken('rerun-reason-required', `Period ${period} has official results; a rerun that replaces them needs a reason`, {
      field: 'body.reason',
      period,
    });
  }
}

/** Finance settles only final results: 409 `period-not-final` otherwise. */
export function assertSettleable(state: PeriodState, period: string, field = 'body.evaluationId'): void {
  if (state !== 'final' && state !== 'settled') {
    throw conflict('period-not-final', `Period ${period} is ${state}; only final results can be settled`, { field, state, period });
  }
}

export function assertOfficialRun(officialRunId: string | undefined, evaluationId: string, period: string): void {
  if (officialRunId !== evaluationId) {
    throw conflict('run-not-official', `Evaluation ${evaluationId} is not the official run of ${period}${officialRunId ? ` (${officialRunId} is)` : ''}`, {
      field: 'body.evaluationId',
      period,
      official: officialRunId ?? null,
    });
  }
}

/**
 * The periods the daily job looks at for a due finalisation: the last four quarters and the last
 * year that have ended (in China). A published period whose review window closed longer ago
 * than that was already finalised by an earlier day's job, or by the next action that wrote.
 */
export function finalizationCandidates(now: Date): string[] {
  const today = new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
  const quarters: string[] = [];
  let quarter = previousQuarter(quarterOf(today));
  for (let i = 0; i < 4; i++, quarter = previousQuarter(quarter)) quarters.push(quarter);
  return [...quarters, String(Number(today.slice(0, 4)) - 1)];
}
