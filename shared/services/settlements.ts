/**
 * Settlements: the requests (parameters, finance settings, what a preview, creation or recompute
 * checks before its job is stored), the four-eyes approval (which also closes the period to metric
 * uploads), closing, and reading lines so that a reader never mixes two computations. Computing
 * (facts, preview, create, recompute) is in ./settlements-computing.ts, which only settlement jobs
 * load; the computation itself is pure (shared/domain/settlements/compute.ts); storage and its
 * invariants are in shared/data/settlements.ts.
 *
 * Errors (kind → HTTP status):
 *   conflict 409   `period-not-ended`: the evaluation's period is running or in the future;
 *                  `subsidy-days-changed`: another settlement paid some of its subsidy days after it
 *                  was computed (recompute, then approve)
 *   rule 422       the evaluation is unknown, of another district or not completed; a correction
 *                  names an unknown, draft or other-period settlement
 *   forbidden 403  `approver-took-part`: the approving officer created, recomputed or set parameters
 *                  of the draft in any revision (four-eyes)
 *   conflict 409   the settlement is not in the state the action needs (`not-draft`,
 *                  `not-approved`), was recomputed since the caller read it (`recomputed`), or the
 *                  period already has another approved settlement in force (`period-settled`)
 */
import { conflict, DomainError, ruleBroken } from '../domain/errors.ts';
import { assertPeriodEnded } from '../domain/period-close.ts';
import { type EvaluationRun, getRun } from '../data/evaluations.ts';
import { readPeriod, readPeriodForUpdate } from './periods.ts';
import { paidDaysAfterApproval } from './subsidy-paid-days.ts';
import { assertOfficialRun, assertSettleable } from '../domain/period-lifecycle.ts';
import {
  approveInTransaction,
  closeInTransaction,
  decodeLinesCursor,
  type FinanceSettings,
  getFinanceSettings,
  getInForce,
  getSettlement,
  getSubsidyPaid,
  listAudit,
  listLines,
  type Settlement,
} from '../data/settlements.ts';
import type { Deps } from '../deps.ts';
import type { LineKind, SettlementLine } from '../domain/settlements/compute.ts';
import {
  canonicalDecimal,
  DEFAULT_RESIDENT_WEIGHTS,
  DEFAULT_ROLE_SHARES,
  type IncentiveMethodParameters,
  type ResidentWeights,
} from '../domain/settlements/parameters.ts';
import { count } from '../observability/telemetry.ts';

type Decimal = string | number;

/** A method as the API accepts it: scores and shares as numbers or strings. */
export type MethodInput =
  | { kind: 'score-weighted'; sizeMeasure: 'active-contracts' | 'weighted-residents'; scoreFloor?: Decimal; teamCapFen?: number }
  | {
      kind: 'value-per-point';
      fenPerPoint: number;
      sizeMeasure?: 'active-contracts' | 'weighted-residents' | 'none';
      scoreFloor?: Decimal;
      teamCapFen?: number;
    }
  | { kind: 'grade-tiers'; tiers: { minScore: Decimal; amountFen: number }[]; scoreFloor?: Decimal; teamCapFen?: number }
  | {
      kind: 'capitation';
      poolSharePercent?: Decimal;
      weights: { catchmentPopulation?: Decimal; insuredContracts?: Decimal; keyPopulationContracts?: Decimal };
      scoreFloor?: undefined;
      teamCapFen?: undefined;
    };

export interface ResidentWeightsInput {
  keyPopulation?: Decimal;
  byPopulation?: Partial<Record<string, Decimal>>;
}

export interface FundingSourceInput {
  code: string;
  name: string;
  incentiveShare: Decimal;
  subsidyShare: Decimal;
}

export interface SettlementRequest {
  evaluationId: string;
  poolFen: number;
  method: MethodInput;
  roleShares?: Partial<Record<string, Decimal>>;
  residentWeights?: ResidentWeightsInput;
  fundingSources?: FundingSourceInput[];
  correctionOf?: string;
  note?: string;
}

export interface RecomputeRequest {
  poolFen?: number;
  method?: MethodInput;
  roleShares?: Partial<Record<string, Decimal>>;
  residentWeights?: ResidentWeightsInput;
  fundingSources?: FundingSourceInput[];
}

const APPROVAL_ATTEMPTS = 5;
// ---------------------------------------------------------------------------------------------
// Parameters and facts

export function normaliseMethod(method: MethodInput): IncentiveMethodParameters {
  const common = {
    ...(method.scoreFloor !== undefined ? { scoreFloor: canonicalDecimal(method.scoreFloor) } : {}),
    ...(method.teamCapFen !== undefined ? { teamCapFen: method.teamCapFen } : {}),
  };
  switch (method.kind) {
    case 'score-weighted':
      return { kind: 'score-weighted', sizeMeasure: method.sizeMeasure, ...common };
    case 'value-per-point':
      return { kind: 'value-per-point', fenPerPoint: method.fenPerPoint, sizeMeasure: method.sizeMeasure ?? 'none', ...common };
    case 'grade-tiers':
      return { kind: 'grade-tiers', tiers: method.tiers.map((t) => ({ minScore: canonicalDecimal(t.minScore), amountFen: t.amountFen })), ...common };
    case 'capitation':
      return {
        kind: 'capitation',
        poolSharePercent: canonicalDecimal(method.poolSharePercent ?? '100'),
        weights: {
          catchmentPopulation: canonicalDecimal(method.weights.catchmentPopulation ?? '0'),
          insuredContracts: canonicalDecimal(method.weights.insuredContracts ?? '0'),
          keyPopulationContracts: canonicalDecimal(method.weights.keyPopulationContracts ?? '0'),
        },
      };
  }
}

export function normaliseShares(shares: Partial<Record<string, Decimal>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [role, share] of Object.entries(shares).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (share !== undefined) result[role] = canonicalDecimal(share);
  }
  return result;
}

export function normaliseWeights(input: ResidentWeightsInput | undefined, base: ResidentWeights): ResidentWeights {
  return {
    keyPopulation: canonicalDecimal(input?.keyPopulation ?? base.keyPopulation),
    byPopulation: normaliseShares(input?.byPopulation ?? base.byPopulation),
  };
}

/** The district's finance defaults: stored, or the platform's (GP 40, nurse 30, any other member 10; key populations weigh 2). */
export async function effectiveFinanceSettings(
  deps: Deps,
  districtId: string,
): Promise<Omit<FinanceSettings, 'updatedBy' | 'updatedAt'> & Partial<FinanceSettings> & { stored: boolean }> {
  const stored = await getFinanceSettings(deps.db, districtId);
  if (stored) return { ...stored, stored: true };
  return { districtId, roleShares: { ...DEFAULT_ROLE_SHARES }, residentWeights: { ...DEFAULT_RESIDENT_WEIGHTS, byPopulation: {} }, stored: false };
}

export function financeSettingsFrom(
  districtId: string,
  input: { roleShares: Partial<Record<string, Decimal>>; residentWeights?: ResidentWeightsInput },
  by: string,
  at: string,
): FinanceSettings {
  return {
    districtId,
    roleShares: normaliseShares(input.roleShares),
    residentWeights: normaliseWeights(input.residentWeights, DEFAULT_RESIDENT_WEIGHTS),
    updatedBy: by,
    updatedAt: at,
  };
}

/** A completed run of the district, or a 422 naming the field. */
export async function requireCompletedRun(deps: Deps, districtId: string, evaluationId: string): Promise<EvaluationRun> {
  const run = await getRun(deps.db, evaluationId, true);
  if (!run || run.districtId !== districtId) {
    throw ruleBroken('unknown-evaluation', `District ${districtId} has no evaluation ${evaluationId}`, { field: 'body.evaluationId' });
  }
  if (run.status !== 'completed') {
    throw ruleBroken('evaluation-not-completed', `Evaluation ${evaluationId} is ${run.status}; settle a completed evaluation`, { field: 'body.evaluationId' });
  }
  return run;
}

/** A settlement a correction may replace: of the district, not a draft, of the same period (422 naming `body.correctionOf`). */
export async function requireCorrectable(deps: Deps, districtId: string, period: string, settlementId: string): Promise<Settlement> {
  const previous = await getSettlement(deps.db, settlementId);
  if (!previous || previous.districtId !== districtId) {
    throw ruleBroken('unknown-settlement', `District ${districtId} has no settlement ${settlementId}`, { field: 'body.correctionOf' });
  }
  if (previous.status === 'draft') {
    throw ruleBroken('correction-of-draft', `Settlement ${settlementId} is a draft; recompute it instead of correcting it`, { field: 'body.correctionOf' });
  }
  if (previous.period !== period) {
    throw ruleBroken('correction-period-mismatch', `Settlement ${settlementId} is for ${previous.period}, the evaluation for ${period}`, {
      field: 'body.correctionOf',
    });
  }
  return previous;
}

// ---------------------------------------------------------------------------------------------
// Actions

/**
 * Finance settles only the official run of a final period (shared/domain/period-lifecycle.ts): 409 `period-not-final`, `run-not-official`.
 * `read` is readPeriod for a preview (writes nothing) and readPeriodForUpdate when a settlement is stored (a due finalisation is written).
 */
async function requireFinalOfficialRun(deps: Deps, districtId: string, run: EvaluationRun, read: typeof readPeriod): Promise<void> {
  const period = await read(deps, districtId, run.period);
  assertSettleable(period.state, run.period);
  assertOfficialRun(period.officialRunId, run.evaluationId, run.period);
}

/**
 * What a preview or a creation checks before computing anything (a settlement job's route checks
 * it before storing the job; the job checks it again): the evaluation, its period, the correction.
 * A creation reads the period for update (a due finalisation is written).
 */
export async function checkSettlementRequest(
  deps: Deps,
  districtId: string,
  request: SettlementRequest,
  purpose: 'preview' | 'create',
): Promise<EvaluationRun> {
  const run = await requireCompletedRun(deps, districtId, request.evaluationId);
  assertPeriodEnded(run.period, deps.now(), 'body.evaluationId');
  await requireFinalOfficialRun(deps, districtId, run, purpose === 'create' ? readPeriodForUpdate : readPeriod);
  if (request.correctionOf) await requireCorrectable(deps, districtId, run.period, request.correctionOf);
  return run;
}

export function notDraft(settlement: Settlement): DomainError {
  return conflict(
    'not-draft',
    `Settlement ${settlement.settlementId} is ${settlement.status}; an approved settlement never changes (correct it with a new settlement)`,
    {
      settlementStatus: settlement.status,
    },
  );
}

/** What a recompute checks before computing (a settlement job's route checks it before storing the job): a draft whose evaluation exists. */
export async function checkRecompute(deps: Deps, settlement: Settlement): Promise<EvaluationRun> {
  if (settlement.status !== 'draft') throw notDraft(settlement);
  const run = await getRun(deps.db, settlement.evaluationId, true);
  if (!run) throw ruleBroken('unknown-evaluation', `Evaluation ${settlement.evaluationId} no longer exists`);
  return run;
}

/**
 * The second officer's approval. In one transaction: the header (draft → approved), the audit
 * entry, the period's in-force pointer, and the period closed to uploads (unless it already is).
 */
/** Everyone who shaped the settlement: the header's participants and, for headers written before they were kept, the audit's creators and recomputers. */
export async function participantsOf(deps: Deps, settlement: Settlement): Promise<Set<string>> {
  const audit = await listAudit(deps.db, settlement.settlementId);
  return new Set([
    settlement.createdBy,
    settlement.computedBy,
    ...(settlement.participants ?? []),
    ...audit.filter((entry) => entry.action === 'create' || entry.action === 'recompute').map((entry) => entry.by),
  ]);
}

function approverTookPart(): DomainError {
  return new DomainError(
    'forbidden',
    'approver-took-part',
    'You created, recomputed or set parameters of this settlement; another finance officer of the district approves it',
  );
}

function subsidyDaysChanged(): DomainError {
  return conflict('subsidy-days-changed', 'Another settlement paid some of these subsidy days after this one was computed; recompute it and approve again');
}

export async function approveSettlement(
  deps: Deps,
  input: { settlement: Settlement; by: string; comment: string; computationId?: string },
): Promise<Settlement> {
  let settlement = input.settlement;
  const { by } = input;
  const comment = input.comment.trim();
  if (!comment) throw new DomainError('invalid', 'approval-comment-required', 'An approval needs a comment', { field: 'body.comment' });
  for (let attempt = 1; attempt <= APPROVAL_ATTEMPTS; attempt++) {
    if (settlement.status !== 'draft') throw notDraft(settlement);
    if ((await participantsOf(deps, settlement)).has(by)) throw approverTookPart();
    if (input.computationId !== undefined && input.computationId !== settlement.computationId) {
      throw conflict('recomputed', 'The settlement was recomputed after you reviewed it; review the new lines and approve again', {
        computationId: settlement.computationId,
      });
    }
    const [period, coverage] = await Promise.all([
      readPeriodForUpdate(deps, settlement.districtId, settlement.period),
      getSubsidyPaid(deps.db, settlement.districtId),
    ]);
    assertSettleable(period.state, settlement.period, 'path.settlementId');
    if (coverage.version !== (settlement.paidCoverageVersion ?? 0)) throw subsidyDaysChanged();
    const closePeriod = period.state === 'final';
    const at = deps.now().toISOString();
    const paidDays = { expectedVersion: coverage.version, ranges: paidDaysAfterApproval(settlement, coverage.ranges) };
    let outcome: Awaited<ReturnType<typeof approveInTransaction>>;
    try {
      outcome = await approveInTransaction(
        deps.db,
        settlement,
        { by, at, closePeriod, paidDays },
        {
          settlementId: settlement.settlementId,
          revision: settlement.revision + 1,
          action: 'approve',
          by,
          at,
          status: 'approved',
          computationId: settlement.computationId,
          fingerprint: settlement.fingerprint,
          closedPeriod: closePeriod,
          comment,
        },
      );
    } catch (error) {
      // Contention ran out of retries: if someone else's approval won meanwhile, say so.
      const now = await getSettlement(deps.db, settlement.settlementId);
      if (now && now.status !== 'draft') throw notDraft(now);
      throw error;
    }
    if (outcome.ok) {
      count('SettlementApproved');
      return { ...settlement, status: 'approved', approvedBy: by, approvedAt: at, revision: settlement.revision + 1 };
    }
    if (outcome.failed === 'paid-days') throw subsidyDaysChanged();
    if (outcome.failed === 'in-force') {
      const inForce = await getInForce(deps.db, settlement.districtId, settlement.period);
      const detail =
        settlement.correctionOf === null
          ? `Period ${settlement.period} already has approved settlement ${inForce?.settlementId}; correct it with a new settlement (correctionOf)`
          : `Settlement ${settlement.correctionOf} is no longer the one in force for ${settlement.period} (${inForce?.settlementId} is); correct that one`;
      throw conflict('period-settled', detail, { inForce: inForce?.settlementId ?? null });
    }
    // The settlement changed (approved, recomputed) or the period was closed meanwhile: read again.
    const now = await getSettlement(deps.db, settlement.settlementId);
    if (!now) throw conflict('not-draft', `Settlement ${settlement.settlementId} is gone`);
    if (outcome.failed === 'settlement' && now.status === 'draft' && now.computationId !== settlement.computationId) {
      throw conflict('recomputed', 'The settlement was recomputed while you approved it; review the new lines and approve again', {
        computationId: now.computationId,
      });
    }
    if ((await participantsOf(deps, now)).has(by)) throw approverTookPart();
    settlement = now;
  }
  throw conflict('contended', 'The settlement kept changing while approving; reload and try again');
}

/** approved → closed (paid out); the lines and amounts stay as approved. */
export async function closeSettlement(deps: Deps, input: { settlement: Settlement; by: string }): Promise<Settlement> {
  const { settlement, by } = input;
  if (settlement.status !== 'approved') {
    throw conflict('not-approved', `Settlement ${settlement.settlementId} is ${settlement.status}; only an approved settlement can be closed`, {
      settlementStatus: settlement.status,
    });
  }
  const at = deps.now().toISOString();
  const closed = await closeInTransaction(deps.db, settlement, by, at, {
    settlementId: settlement.settlementId,
    revision: settlement.revision + 1,
    action: 'close',
    by,
    at,
    status: 'closed',
    computationId: settlement.computationId,
    fingerprint: settlement.fingerprint,
  });
  if (!closed) {
    const now = await getSettlement(deps.db, settlement.settlementId);
    throw conflict('not-approved', `Settlement ${settlement.settlementId} is ${now?.status ?? 'gone'}; only an approved settlement can be closed`);
  }
  return { ...settlement, status: 'closed', closedBy: by, closedAt: at, revision: settlement.revision + 1 };
}

/**
 * One page of a settlement's lines of a kind. The cursor names the computation it belongs to:
 * if the draft was recomputed in between, continuing is refused (409) rather than mixing lines.
 * The header is read again after the page, so a first page that raced a recompute is re-read.
 */
export async function settlementLinesPage(
  deps: Deps,
  settlement: Settlement,
  kind: LineKind,
  limit: number,
  cursor?: string,
): Promise<{ computationId: string; items: SettlementLine[]; nextCursor: string | null }> {
  const start = cursor === undefined ? undefined : decodeLinesCursor(cursor, kind);
  let header = settlement;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (start && start.computationId !== header.computationId) {
      throw conflict('recomputed', 'The settlement was recomputed while you were paging; start again from the first page');
    }
    const page = await listLines<SettlementLine>(deps.db, header.computationId, kind, limit, start?.sk);
    const after = await getSettlement(deps.db, settlement.settlementId);
    if (!after || after.computationId === header.computationId) return { computationId: header.computationId, ...page };
    header = after;
  }
  throw conflict('contended', 'The settlement is being recomputed; try again shortly');
}
