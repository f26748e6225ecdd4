/**
 * Survey invitation response rates of a district and period, per institution and per team:
 * invited, responded, rate. Read from the invitations' status list (gsi1, by team; a few
 * thousand small items for a district quarter), names joined from the teams and institutions.
 * Invitations are deleted by their TTL some time after they expire, so the rates of a period
 * whose links have long expired count only those still held.
 */
import { listInstitutions } from '../data/institutions.ts';
import { listInvitationStatus } from '../data/surveys.ts';
import { allTeamsOfDistrict } from '../data/teams.ts';
import type { Db } from '../data/db.ts';

export interface ResponseCount {
  invited: number;
  responded: number;
  expired: number;
}

export interface TeamResponseRate extends ResponseCount {
  teamId: string;
  teamName: string;
  institutionId: string;
  institutionName: string;
}

export interface InstitutionResponseRate extends ResponseCount {
  institutionId: string;
  institutionName: string;
}

export interface ResponseRates {
  total: ResponseCount;
  institutions: InstitutionResponseRate[];
  teams: TeamResponseRate[];
}

const PAGE = 1000;

/** A rate as a percentage with one decimal ("42.9"), or null when nobody was invited. */
export function responseRate(count: ResponseCount): string | null {
  if (count.invited === 0) return null;
  return (Math.round((count.responded * 1000) / count.invited) / 10).toFixed(1);
}

export async function invitationResponseRates(db: Db, districtId: string, period: string, now: Date): Promise<ResponseRates> {
  const byTeam = new Map<string, ResponseCount & { institutionId: string }>();
  let cursor: string | undefined;
  do {
    const page = await listInvitationStatus(db, districtId, period, now, PAGE, cursor);
    for (const invitation of page.items) {
      const count = byTeam.get(invitation.teamId) ?? { invited: 0, responded: 0, expired: 0, institutionId: invitation.institutionId };
      count.invited += 1;
      if (invitation.status === 'answered') count.responded += 1;
      if (invitation.status === 'expired') count.expired += 1;
      byTeam.set(invitation.teamId, count);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const empty = { invited: 0, responded: 0, expired: 0 };
  if (byTeam.size === 0) return { total: empty, institutions: [], teams: [] };

  const teamNames = new Map<string, string>();
  for await (const team of allTeamsOfDistrict(db, districtId)) teamNames.set(team.teamId, team.name);
  const institutionNames = new Map((await listInstitutions(db, districtId, 1000)).items.map((i) => [i.institutionId, i.name]));
  const teams: TeamResponseRate[] = [...byTeam].map(([teamId, c]) => ({
    teamId,
    teamName: teamNames.get(teamId) ?? teamId,
    institutionId: c.institutionId,
    institutionName: institutionNames.get(c.institutionId) ?? c.institutionId,
    invited: c.invited,
    responded: c.responded,
    expired: c.expired,
  }));
  teams.sort((a, b) => a.institutionName.localeCompare(b.institutionName, 'zh-CN') || a.teamName.localeCompare(b.teamName, 'zh-CN'));
  const institutions = new Map<string, InstitutionResponseRate>();
  const total = { ...empty };
  for (const team of teams) {
    const row = institutions.get(team.institutionId) ?? { institutionId: team.institutionId, institutionName: team.institutionName, ...empty };
    for (const key of ['invited', 'responded', 'expired'] as const) {
      row[key] += team[key];
      total[key] += team[key];
    }
    institutions.set(team.institutionId, row);
  }
  return { total, institutions: [...institutions.values()], teams };
}
