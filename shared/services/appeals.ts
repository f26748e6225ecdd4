/**
 * Appeals against published results (issue 14 item 5). A clerk appeals one indicator of one of
 * their institution's teams during the review window, naming the reported metric and the value
 * they believe is right, with a reason. The evaluator rejects with a reason, or accepts: the
 * corrected value becomes a new metric version of the institution (reason `appeal {id}`) and a
 * correction run of the period starts with the official run's criteria; when it completes it
 * becomes the official run (shared/services/periods.ts) and the teams whose results changed are
 * listed with before and after. Every step is in the appeal item and the period's history.
 */
import { acceptAppeal, type Appeal, appealsOfPeriod, fileAppeal, getAppeal, recordCorrection, rejectAppeal } from '../data/appeals.ts';
import { allScores, getRun, getScore, requireRun } from '../data/evaluations.ts';
import { newId } from '../data/items.ts';
import { ensureCatalogue } from '../data/metric-catalogue.ts';
import { allMetricsRows, getCurrentMetricsVersion, type MetricsRow, teamIdsOfInstitution, writeMetricsVersion } from '../data/metrics.ts';
import { getTeam } from '../data/teams.ts';
import type { Deps } from '../deps.ts';
import { conflict, DomainError, notFound, ruleBroken } from '../domain/errors.ts';
import { validateUpload } from '../domain/metrics/validate-upload.ts';
import { isAppealWindowOpen } from '../domain/period-lifecycle.ts';
import { startEvaluationRun } from './evaluation/criteria-edits.ts';
import { readPeriodForUpdate } from './periods.ts';
import { type Caller, visibleAppeal } from './appeal-access.ts';

type AppealDeps = Pick<Deps, 'db' | 'now' | 'launchEvaluation'>;

export interface NewAppeal {
  teamId: string;
  indicator: string;
  metric: string;
  claimedValue: number;
  reason: string;
}

export async function fileAppealAsClerk(deps: AppealDeps, input: { districtId: string; period: string; caller: Caller; appeal: NewAppeal }): Promise<Appeal> {
  const { districtId, period, caller } = input;
  const body = input.appeal;
  const team = await getTeam(deps.db, body.teamId);
  if (!team || team.districtId !== districtId || (caller.role === 'clerk' && caller.institutionId !== team.institutionId)) {
    throw notFound('team', `Team ${body.teamId}`);
  }
  if (!body.reason.trim()) throw new DomainError('invalid', 'reason-required', 'An appeal needs a reason', { field: 'body.reason' });
  const view = await readPeriodForUpdate(deps, districtId, period);
  const now = deps.now();
  if (!isAppealWindowOpen(view, now) || !view.officialRunId) {
    throw conflict('appeal-window-closed', `The review window of ${period} is closed or its results are not published`, { period, field: 'path.period' });
  }
  const score = await getScore(deps.db, view.officialRunId, team.teamId);
  if (!score?.score.indicators.some((i) => i.code === body.indicator)) {
    throw ruleBroken('appeal-indicator-unknown', `Indicator ${body.indicator} is not in the scorecard of team ${team.teamId}`, {
      field: 'body.indicator',
      indicator: body.indicator,
    });
  }
  const catalogue = await ensureCatalogue(deps.db, districtId, now.toISOString());
  if (!catalogue.definitions.some((d) => d.code === body.metric)) {
    throw ruleBroken('appeal-metric-unknown', `${body.metric} is not a reported metric of the district's catalogue`, {
      field: 'body.metric',
      metric: body.metric,
    });
  }
  return fileAppeal(deps.db, {
    appealId: newId('appeal'),
    districtId,
    period,
    institutionId: team.institutionId,
    teamId: team.teamId,
    evaluationId: view.officialRunId,
    indicator: body.indicator,
    metric: body.metric,
    claimedValue: body.claimedValue,
    reason: body.reason.trim(),
    status: 'open',
    filedBy: caller.subject,
    filedAt: now.toISOString(),
  });
}

/** The institution's current rows for the period with the team's metric set to `value`. */
async function correctedRows(deps: AppealDeps, appeal: Appeal, value: number): Promise<{ rows: MetricsRow[]; codes: string[]; catalogueVersion: number }> {
  const catalogue = await ensureCatalogue(deps.db, appeal.districtId, deps.now().toISOString());
  const current = await getCurrentMetricsVersion(deps.db, appeal.districtId, appeal.institutionId, appeal.period);
  const rows: MetricsRow[] = [];
  if (current) for await (const row of allMetricsRows(deps.db, current.uploadId)) rows.push({ teamId: row.teamId, values: { ...row.values } });
  const own = rows.find((r) => r.teamId === appeal.teamId);
  if (own) own.values[appeal.metric] = value;
  else rows.push({ teamId: appeal.teamId, values: { [appeal.metric]: value } });
  const validation = validateUpload(
    { columns: null, rows: rows.map((r, i) => ({ row: i + 1, teamId: r.teamId, values: r.values })) },
    catalogue,
    await teamIdsOfInstitution(deps.db, appeal),
  );
  if (!validation.ok) {
    throw ruleBroken('appeal-value-invalid', `The corrected value makes the upload invalid: ${validation.problems.map((p) => p.message).join('; ')}`, {
      field: 'body.value',
    });
  }
  return { rows: validation.rows, codes: validation.codes, catalogueVersion: catalogue.version };
}

export async function decideAppeal(
  deps: AppealDeps,
  input: { appealId: string; caller: Caller; decision: 'accept' | 'reject'; reason: string; value?: number | undefined },
): Promise<Appeal> {
  const appeal = await visibleAppeal(deps, input.appealId, input.caller);
  if (!input.reason.trim()) throw new DomainError('invalid', 'reason-required', 'A decision needs a reason', { field: 'body.reason' });
  if (appeal.status !== 'open') throw conflict('appeal-decided', `Appeal ${appeal.appealId} is already decided`, { status: appeal.status });
  const at = deps.now().toISOString();
  const decision = { by: input.caller.subject, at, reason: input.reason.trim() };
  if (input.decision === 'reject') {
    await rejectAppeal(deps.db, appeal, decision);
    return (await getAppeal(deps.db, appeal.appealId)) ?? appeal;
  }
  const value = input.value ?? appeal.claimedValue;
  const corrected = await correctedRows(deps, appeal, value);
  await acceptAppeal(deps.db, appeal, { ...decision, acceptedValue: value });
  const version = await writeMetricsVersion(
    deps.db,
    {
      districtId: appeal.districtId,
      institutionId: appeal.institutionId,
      period: appeal.period,
      uploadedBy: input.caller.subject,
      uploadedAt: at,
      codes: corrected.codes,
      format: 'json',
      catalogueVersion: corrected.catalogueVersion,
      rows: corrected.rows,
      reason: `appeal ${appeal.appealId}`,
    },
    { correction: true },
  );
  const official = await requireRun(deps.db, appeal.evaluationId);
  const run = await startEvaluationRun(deps, {
    districtId: appeal.districtId,
    period: appeal.period,
    criteriaVersion: official.criteriaVersion,
    baselinePeriod: official.baselinePeriod ?? undefined,
    startedBy: input.caller.subject,
    purpose: 'correction',
    reason: `appeal ${appeal.appealId}`,
    appealIds: [appeal.appealId],
  });
  await recordCorrection(deps.db, appeal.appealId, { metricVersion: version.version, correctionRunId: run.evaluationId });
  return (await getAppeal(deps.db, appeal.appealId)) ?? appeal;
}

export interface ResultChange {
  teamId: string;
  institutionId: string;
  before: { total: string | null; rank: number | null };
  after: { total: string | null; rank: number | null };
}

/** Teams whose total or rank differ between two runs. */
export async function resultChanges(deps: Pick<Deps, 'db'>, beforeRunId: string, afterRunId: string): Promise<ResultChange[]> {
  const before = new Map<string, { total: string | null; rank: number | null }>();
  for await (const s of allScores(deps.db, beforeRunId)) before.set(s.teamId, { total: s.score.total, rank: s.rank });
  const changes: ResultChange[] = [];
  for await (const s of allScores(deps.db, afterRunId)) {
    const was = before.get(s.teamId) ?? { total: null, rank: null };
    const now = { total: s.score.total, rank: s.rank };
    if (was.total !== now.total || was.rank !== now.rank) changes.push({ teamId: s.teamId, institutionId: s.institutionId, before: was, after: now });
  }
  return changes;
}

export type AppealView = Appeal & { correctionStatus?: string; changes?: ResultChange[] };

/** A period's appeals (a clerk's own institution's only), each accepted one with its correction run's changes once complete. */
export async function listAppeals(deps: Pick<Deps, 'db'>, districtId: string, period: string, caller: Caller): Promise<AppealView[]> {
  const appeals = (await appealsOfPeriod(deps.db, districtId, period)).filter((a) => caller.role !== 'clerk' || a.institutionId === caller.institutionId);
  const views: AppealView[] = [];
  for (const appeal of appeals) {
    if (!appeal.correctionRunId) {
      views.push(appeal);
      continue;
    }
    const run = await getRun(deps.db, appeal.correctionRunId);
    const changes = run?.status === 'completed' ? await resultChanges(deps, appeal.evaluationId, appeal.correctionRunId) : undefined;
    const visible = changes?.filter((c) => caller.role !== 'clerk' || c.institutionId === caller.institutionId);
    views.push({ ...appeal, correctionStatus: run?.status ?? 'missing', ...(visible ? { changes: visible } : {}) });
  }
  return views;
}
