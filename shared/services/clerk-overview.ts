/**
 * What an institution clerk's pages read: their institution and district by name, their teams,
 * and for the current and the last quarter whether metrics were uploaded and whether the period
 * is still open. A few reads per page: the institution, the district, one page of teams, and per
 * quarter the current upload and the period status.
 */
import { todayIso } from '../domain/dates.ts';
import { notFound } from '../domain/errors.ts';
import { parsePeriod, previousQuarter, quarterOf } from '../domain/periods.ts';
import { type District, requireDistrict } from '../data/districts.ts';
import { getInstitution, type Institution } from '../data/institutions.ts';
import { getCurrentMetricsVersion, listMetricsVersions, type MetricsVersion } from '../data/metrics.ts';
import { getPeriodStatus } from '../data/period-status.ts';
import { effectiveState } from '../domain/period-lifecycle.ts';
import { periodSettingsOf } from './periods.ts';
import { listTeamsOfInstitution, type Team } from '../data/teams.ts';
import type { Deps } from '../deps.ts';

/** An institution has at most a few dozen teams; one page of this many covers the largest. */
const TEAMS_SHOWN = 200;
const VERSIONS_SHOWN = 50;

export interface ClerkScope {
  institution: Institution;
  district: District;
}

export async function clerkScope(deps: Deps, institutionId: string | undefined): Promise<ClerkScope> {
  const institution = institutionId ? await getInstitution(deps.db, institutionId) : null;
  if (!institution) throw notFound('institution', `Institution ${institutionId ?? ''}`);
  return { institution, district: await requireDistrict(deps.db, institution.districtId) };
}

export async function teamsOfInstitution(deps: Deps, institution: { districtId: string; institutionId: string }): Promise<Team[]> {
  return (await listTeamsOfInstitution(deps.db, institution, TEAMS_SHOWN)).items;
}

export interface QuarterUploads {
  period: string;
  start: string;
  end: string;
  /** the period has ended (in China time) */
  ended: boolean;
  closed: boolean;
  /** uploads are taken until this instant (the data deadline, shared/domain/period-lifecycle.ts) */
  deadlineAt: string;
  current: MetricsVersion | null;
}

/** The quarters a clerk reports for now: the last one (due now) and the current one. */
export function reportingQuarters(now: Date): string[] {
  const current = quarterOf(todayIso(now));
  return [previousQuarter(current), current];
}

export async function quarterUploads(deps: Deps, scope: ClerkScope, period: string): Promise<QuarterUploads> {
  const info = parsePeriod(period);
  if (!info) throw notFound('period', `Period ${period}`);
  const [current, status] = await Promise.all([
    getCurrentMetricsVersion(deps.db, scope.district.districtId, scope.institution.institutionId, period),
    getPeriodStatus(deps.db, scope.district.districtId, period, periodSettingsOf(scope.district).dataDeadlineDays),
  ]);
  const closed = effectiveState(status, deps.now()) !== 'open';
  return { period, start: info.start, end: info.end, ended: info.end < todayIso(deps.now()), closed, deadlineAt: status.deadlineAt, current };
}

/** Every upload of a period, newest first: who and when. */
export async function uploadHistory(deps: Deps, institutionId: string, period: string): Promise<MetricsVersion[]> {
  return (await listMetricsVersions(deps.db, institutionId, period, VERSIONS_SHOWN)).items;
}
