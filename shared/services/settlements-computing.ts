/**
 * Computing a settlement: the facts it reads (the run's scores, the district's teams, their
 * contracts, the institutions), the preview, a new draft and a draft's recompute. Only settlement
 * jobs run these (./settlements-job-run.ts, loaded where jobs run), so the finance function's
 * requests never load this module or the computation (shared/domain/settlements/compute.ts);
 * the checks a job's route makes first and the rest of the lifecycle are in ./settlements.ts.
 */
import { DomainError, conflict } from '../domain/errors.ts';
import type { SubsidyRate } from '../domain/money/subsidy-rates.ts';
import { parsePeriod } from '../domain/periods.ts';
import { actingNameOf } from '../data/acting-person.ts';
import { allContractsOfTeam } from '../data/contracts.ts';
import { requireDistrict } from '../data/districts.ts';
import { type EvaluationRun, allScores } from '../data/evaluations.ts';
import { listInstitutions } from '../data/institutions.ts';
import { newId } from '../data/items.ts';
import { paidDaysBeforeComputing, registryAsOf } from './subsidy-paid-days.ts';
import { type AuditEntry, allLines, deleteLines, getSettlement, insertSettlement, type Settlement, swapComputation, writeLines } from '../data/settlements.ts';
import { allTeamsOfDistrict } from '../data/teams.ts';
import type { Deps } from '../deps.ts';
import {
  computeSettlement,
  type FactContract,
  type FactInstitution,
  type FactScore,
  type FactTeam,
  type InstitutionLine,
  type PreviousSettlement,
  type SettlementComputation,
  type SettlementFacts,
  type SettlementLine,
  type TeamLine,
} from '../domain/settlements/compute.ts';
import { canonicalDecimal, type SettlementParameters } from '../domain/settlements/parameters.ts';
import { mapLimited } from '../domain/map-limited.ts';
import {
  checkRecompute,
  checkSettlementRequest,
  effectiveFinanceSettings,
  normaliseMethod,
  normaliseShares,
  normaliseWeights,
  notDraft,
  type RecomputeRequest,
  requireCorrectable,
  type SettlementRequest,
} from './settlements.ts';

const CONTRACT_READ_CONCURRENCY = 16;
/** lines written per batch of the job's progress */
const LINES_PER_STEP = 2_000;

/**
 * Where a computation has got to, for a settlement job's progress (shared/services/settlements-jobs.ts):
 * teams whose contracts were read, then the computation, then lines written. Calls are synchronous and frequent; the listener throttles.
 */
export interface ComputationProgress {
  facts(done: number, total: number): void;
  computing(): void;
  lines(done: number, total: number): void;
}

async function resolveParameters(deps: Deps, run: EvaluationRun, request: Omit<SettlementRequest, 'correctionOf' | 'note'>): Promise<SettlementParameters> {
  const [district, settings] = await Promise.all([requireDistrict(deps.db, run.districtId), effectiveFinanceSettings(deps, run.districtId)]);
  return {
    evaluationId: run.evaluationId,
    period: run.period,
    poolFen: request.poolFen,
    method: normaliseMethod(request.method),
    roleShares: normaliseShares(request.roleShares ?? settings.roleShares),
    residentWeights: normaliseWeights(request.residentWeights, settings.residentWeights),
    subsidyPerResidentYearFen: district.settings.subsidyPerResidentYearFen,
    ...(request.fundingSources
      ? {
          fundingSources: request.fundingSources.map((f) => ({
            code: f.code,
            name: f.name,
            incentiveShare: canonicalDecimal(f.incentiveShare),
            subsidyShare: canonicalDecimal(f.subsidyShare),
          })),
        }
      : {}),
    ...(district.settings.subsidyRates?.length ? { subsidyRates: ratesForPeriod(district.settings.subsidyRates, run.period) } : {}),
  };
}

/** The rates that matter for a period: the one in force on its first day and those starting inside it. */
function ratesForPeriod(rates: readonly SubsidyRate[], periodId: string): SubsidyRate[] {
  const period = parsePeriod(periodId);
  if (!period) return [...rates];
  const sorted = [...rates].sort((a, b) => (a.from < b.from ? -1 : 1));
  const atStart = sorted.filter((r) => r.from <= period.start).at(-1);
  return [...(atStart ? [atStart] : []), ...sorted.filter((r) => r.from > period.start && r.from <= period.end)];
}

/**
 * Computes with the days approved settlements already paid left out (those of the settlement a
 * correction replaces count as unpaid: the correction pays them anew, as a difference), and the
 * version of the paid-days record it read, which the approval must still find.
 */
async function computeOnce(
  deps: Deps,
  run: EvaluationRun,
  request: Omit<SettlementRequest, 'correctionOf' | 'note'>,
  correctionOf: string | null,
  progress?: ComputationProgress,
): Promise<{ computation: SettlementComputation; paidCoverageVersion: number; paidDaysAsOf: string }> {
  const [resolved, paid] = await Promise.all([resolveParameters(deps, run, request), paidDaysBeforeComputing(deps, run.districtId, run.period, correctionOf)]);
  const parameters: SettlementParameters = paid.alreadyPaid.length > 0 ? { ...resolved, subsidyAlreadyPaid: paid.alreadyPaid } : resolved;
  const previous = correctionOf ? await loadPrevious(deps, run.districtId, run.period, correctionOf) : null;
  const facts = registryAsOf(await loadFacts(deps, run, progress), paid.asOf);
  progress?.computing();
  return { computation: computeSettlement(facts, parameters, previous), paidCoverageVersion: paid.version, paidDaysAsOf: paid.asOf };
}

/** Everything a settlement reads: the run's scores, the district's teams, their contracts, the institutions. */
export async function loadFacts(deps: Deps, run: EvaluationRun, progress?: ComputationProgress): Promise<SettlementFacts> {
  const { db } = deps;
  const period = parsePeriod(run.period);
  if (!period) throw new DomainError('invalid', 'invalid-period', `Evaluation ${run.evaluationId} has no valid period`);
  const teams: FactTeam[] = [];
  for await (const team of allTeamsOfDistrict(db, run.districtId)) {
    teams.push({
      teamId: team.teamId,
      institutionId: team.institutionId,
      name: team.name,
      members: team.members.map((m) => ({ memberId: m.memberId, name: m.name, role: m.role, joinedOn: m.joinedOn, ...(m.leftOn ? { leftOn: m.leftOn } : {}) })),
    });
  }
  const scores: FactScore[] = [];
  for await (const stored of allScores(db, run.evaluationId)) {
    scores.push({
      teamId: stored.teamId,
      institutionId: stored.institutionId,
      total: stored.score.total,
      eligibility: stored.score.eligibility,
      capPercent: stored.score.capPercent,
      gates: (stored.score.gates ?? []).filter((g) => g.status === 'triggered').map((g) => ({ label: g.label, explanation: g.explanation })),
    });
  }
  let teamsRead = 0;
  progress?.facts(0, teams.length);
  const perTeam = await mapLimited(teams, CONTRACT_READ_CONCURRENCY, async (team) => {
    const contracts: FactContract[] = [];
    for await (const c of allContractsOfTeam(db, team)) {
      contracts.push({
        contractId: c.contractId,
        teamId: c.teamId,
        institutionId: c.institutionId,
        insured: c.insured,
        startDate: c.startDate,
        endDate: c.endDate,
        status: c.status,
        keyPopulations: c.keyPopulations,
        signedAt: c.signedAt,
        ...(c.renewedEnds ? { renewedEnds: c.renewedEnds, renewedAt: c.renewedAt ?? [] } : {}),
      });
    }
    progress?.facts(++teamsRead, teams.length);
    return contracts;
  });
  const institutions: FactInstitution[] = [];
  let cursor: string | undefined;
  do {
    const page = await listInstitutions(db, run.districtId, 100, cursor);
    for (const i of page.items) {
      institutions.push({
        institutionId: i.institutionId,
        name: i.name,
        ownership: i.ownership,
        servicePackages: (i.servicePackages ?? []).map((p) => ({ code: p.code, name: p.name, feeFen: p.feeFen, kind: p.kind })),
        ...(i.catchmentPopulation !== undefined ? { catchmentPopulation: i.catchmentPopulation } : {}),
      });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return {
    evaluation: { evaluationId: run.evaluationId, districtId: run.districtId, period: run.period, fingerprint: run.fingerprint ?? null },
    period,
    teams,
    scores,
    contracts: perTeam.flat(),
    institutions,
  };
}

/** The settlement a correction replaces, with its stored amounts per team and institution. */
async function loadPrevious(deps: Deps, districtId: string, period: string, settlementId: string): Promise<PreviousSettlement> {
  return loadPreviousLines(deps, await requireCorrectable(deps, districtId, period, settlementId));
}

async function loadPreviousLines(deps: Deps, previous: Settlement): Promise<PreviousSettlement> {
  const settlementId = previous.settlementId;
  const teams: PreviousSettlement['teams'] = new Map();
  for await (const line of allLines<TeamLine>(deps.db, previous.computationId, 'team')) {
    teams.set(line.teamId, { institutionId: line.institutionId, teamName: line.teamName, amount: line.amount, subsidyFen: line.subsidyFen });
  }
  const institutions: PreviousSettlement['institutions'] = new Map();
  for await (const line of allLines<InstitutionLine>(deps.db, previous.computationId, 'institution')) {
    institutions.set(line.institutionId, { name: line.name, incentiveFen: line.incentiveFen, subsidyFen: line.subsidyFen });
  }
  return { settlementId, fingerprint: previous.fingerprint, teams, institutions, paidFen: previous.totals.paidFen, subsidyFen: previous.totals.subsidyFen };
}

function linesOf(computation: SettlementComputation): SettlementLine[] {
  return [...computation.teamLines, ...computation.memberLines, ...computation.institutionLines];
}

/** What a create or recompute entry of the settlement's log records of the computation it wrote. */
function auditOfComputation(computation: SettlementComputation, computationId: string) {
  const { poolFen, paidFen, unallocatedFen, subsidyFen } = computation.totals;
  const totals: AuditEntry['totals'] = { poolFen, paidFen, unallocatedFen, subsidyFen };
  return { status: 'draft' as const, computationId, fingerprint: computation.fingerprint, parameters: computation.parameters, totals };
}

function computedFields(computation: SettlementComputation, computationId: string, by: string, at: string) {
  return {
    computationId,
    parameters: computation.parameters,
    totals: computation.totals,
    histogram: computation.histogram,
    fingerprint: computation.fingerprint,
    lineCounts: { team: computation.teamLines.length, member: computation.memberLines.length, institution: computation.institutionLines.length },
    computedBy: by,
    computedAt: at,
  };
}

/** Computes a settlement without storing anything (the "new settlement" page's preview). */
export async function previewSettlement(
  deps: Deps,
  districtId: string,
  request: SettlementRequest,
  progress?: ComputationProgress,
): Promise<SettlementComputation> {
  const run = await checkSettlementRequest(deps, districtId, request, 'preview');
  return (await computeOnce(deps, run, request, request.correctionOf ?? null, progress)).computation;
}

/** Lines in steps, so that a job can tell how far it got. */
async function writeLinesInSteps(deps: Deps, settlementId: string, computationId: string, computation: SettlementComputation, progress?: ComputationProgress) {
  const lines = linesOf(computation);
  progress?.lines(0, lines.length);
  for (let start = 0; start < lines.length; start += LINES_PER_STEP) {
    await writeLines(deps.db, settlementId, computationId, lines.slice(start, start + LINES_PER_STEP));
    progress?.lines(Math.min(lines.length, start + LINES_PER_STEP), lines.length);
  }
}

/**
 * Creates a draft: lines first (batch writes), then the header and its audit entry in one transaction.
 * A settlement job passes the ids it stored, so that a run taking over from a dead one finds the header it may have written.
 */
export async function createSettlement(
  deps: Deps,
  input: { districtId: string; by: string; request: SettlementRequest; settlementId?: string; computationId?: string; progress?: ComputationProgress },
): Promise<Settlement> {
  const { districtId, by, request } = input;
  const run = await checkSettlementRequest(deps, districtId, request, 'create');
  const { computation, paidCoverageVersion, paidDaysAsOf } = await computeOnce(deps, run, request, request.correctionOf ?? null, input.progress);
  const at = deps.now().toISOString();
  const settlementId = input.settlementId ?? newId('stl');
  const computationId = input.computationId ?? newId('calc');
  const settlement: Settlement = {
    settlementId,
    districtId,
    period: computation.parameters.period,
    evaluationId: computation.parameters.evaluationId,
    status: 'draft',
    ...computedFields(computation, computationId, by, at),
    revision: 1,
    correctionOf: request.correctionOf ?? null,
    note: request.note ?? null,
    createdBy: by,
    createdByName: actingNameOf(by) ?? by,
    createdAt: at,
    participants: [by],
    paidCoverageVersion,
    paidDaysAsOf,
  };
  try {
    await writeLinesInSteps(deps, settlementId, computationId, computation, input.progress);
    await insertSettlement(deps.db, settlement, {
      settlementId,
      revision: 1,
      action: 'create',
      by,
      at,
      ...auditOfComputation(computation, computationId),
    });
  } catch (error) {
    // A header stored after all (its commit timed out, the retry found it) keeps its lines; otherwise no header names them.
    const stored = await getSettlement(deps.db, settlementId).catch(() => undefined);
    if (stored?.computationId === computationId) return stored;
    if (stored === null) await deleteLines(deps.db, computationId);
    throw error;
  }
  return settlement;
}

/**
 * Recomputes a draft with changed parameters (and today's registry facts); the lines swap at once.
 * The swap is conditional on the computation and revision of `settlement`, so a draft changed since it was read is refused (409 `recomputed`).
 */
export async function recomputeSettlement(
  deps: Deps,
  input: { settlement: Settlement; by: string; request: RecomputeRequest; computationId?: string; progress?: ComputationProgress },
): Promise<Settlement> {
  const { settlement, by, request } = input;
  const current = settlement.parameters;
  const run = await checkRecompute(deps, settlement);
  const { computation, paidCoverageVersion, paidDaysAsOf } = await computeOnce(
    deps,
    run,
    {
      evaluationId: settlement.evaluationId,
      poolFen: request.poolFen ?? current.poolFen,
      method: request.method ?? current.method,
      roleShares: request.roleShares ?? current.roleShares,
      residentWeights: request.residentWeights ?? current.residentWeights,
      ...((request.fundingSources ?? current.fundingSources) ? { fundingSources: request.fundingSources ?? current.fundingSources } : {}),
    },
    settlement.correctionOf,
    input.progress,
  );
  const at = deps.now().toISOString();
  const computationId = input.computationId ?? newId('calc');
  await writeLinesInSteps(deps, settlement.settlementId, computationId, computation, input.progress);
  const fields = { ...computedFields(computation, computationId, by, at), paidCoverageVersion, paidDaysAsOf };
  const swapped = await swapComputation(deps.db, settlement, fields, {
    settlementId: settlement.settlementId,
    revision: settlement.revision + 1,
    action: 'recompute',
    by,
    at,
    ...auditOfComputation(computation, computationId),
  }).catch(async (error: unknown) => {
    // never delete the lines the header names: a swap whose commit timed out may have happened
    const stored = await getSettlement(deps.db, settlement.settlementId).catch(() => undefined);
    if (stored && stored.computationId !== computationId) await deleteLines(deps.db, computationId);
    throw error;
  });
  if (!swapped) {
    const now = await getSettlement(deps.db, settlement.settlementId);
    if (now?.computationId !== computationId) await deleteLines(deps.db, computationId);
    if (now && now.status !== 'draft') throw notDraft(now);
    throw conflict('recomputed', `Settlement ${settlement.settlementId} changed while it was being recomputed; reload and try again`);
  }
  await deleteLines(deps.db, settlement.computationId);
  return { ...settlement, ...fields, revision: settlement.revision + 1, participants: [...(settlement.participants ?? [settlement.createdBy]), by] };
}
