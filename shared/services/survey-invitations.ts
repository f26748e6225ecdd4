/**
 * Drawing survey invitations: per team, a uniform random sample of the residents whose
 * contract was active in the period, each given a single-use, unguessable (192-bit), expiring
 * link. The platform draws the sample, not the team: that is what keeps ratings from being
 * stuffed. Only the token's hash is stored, so the links exist once, in what this returns
 * (the caller hands them to the SMS gateway); afterwards only their status can be listed.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { parsePeriod } from '../domain/periods.ts';
import { sampleWithoutReplacement } from '../domain/surveys/sampling.ts';
import { batchPut } from '../data/batch.ts';
import { allContractsOfTeam } from '../data/contracts.ts';
import { newId } from '../data/items.ts';
import { hashToken, type Invitation, invitationItem } from '../data/surveys.ts';
import { allTeamsOfDistrict } from '../data/teams.ts';
import type { Db } from '../data/db.ts';

export interface DrawnInvitation {
  invitationId: string;
  teamId: string;
  institutionId: string;
  contractId: string;
  token: string;
}

export async function drawInvitations(
  db: Db,
  input: { districtId: string; period: string; samplePerTeam: number; expiresAt: number },
): Promise<{ teams: number; invitations: DrawnInvitation[] }> {
  const period = parsePeriod(input.period)!;
  const drawn: DrawnInvitation[] = [];
  const items: Record<string, unknown>[] = [];
  let teams = 0;
  for await (const team of allTeamsOfDistrict(db, input.districtId)) {
    teams++;
    const eligible: { residentRef: string; contractId: string }[] = [];
    for await (const contract of allContractsOfTeam(db, team)) {
      if (contract.status !== 'cancelled' && contract.startDate <= period.end && contract.endDate >= period.start) {
        eligible.push({ residentRef: contract.residentRef, contractId: contract.contractId });
      }
    }
    for (const { residentRef, contractId } of sampleWithoutReplacement(eligible, input.samplePerTeam, (max) => randomInt(max))) {
      const token = randomBytes(24).toString('base64url');
      const invitationId = newId('inv');
      const invitation: Invitation = {
        invitationId,
        contractId,
        tokenHash: hashToken(token),
        districtId: input.districtId,
        teamId: team.teamId,
        institutionId: team.institutionId,
        period: input.period,
        residentRef,
        expiresAt: input.expiresAt,
      };
      items.push(invitationItem(invitation));
      drawn.push({ invitationId, teamId: team.teamId, institutionId: team.institutionId, contractId, token });
    }
  }
  await batchPut(db, items);
  return { teams, invitations: drawn };
}

/** The one file the links are given out in: a row per invitation for the SMS gateway. */
export const INVITATION_CSV_COLUMNS = ['invitationId', 'teamId', 'institutionId', 'contractId', 'period', 'expiresAt', 'link'] as const;

export function invitationLinksCsv(drawn: readonly DrawnInvitation[], options: { origin: string; period: string; expiresAt: string }): string {
  return stringify(
    drawn.map((i) => [i.invitationId, i.teamId, i.institutionId, i.contractId, options.period, options.expiresAt, invitationLink(options.origin, i.token)]),
    { header: true, columns: [...INVITATION_CSV_COLUMNS] },
  );
}

export function invitationLink(origin: string, token: string): string {
  return `${origin}/s/${token}`;
}

/** A download name for a district's invitations of a period, safe in a Content-Disposition header. */
export function invitationFileName(districtId: string, period: string): string {
  return `survey-invitations-${districtId}-${period}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
}
