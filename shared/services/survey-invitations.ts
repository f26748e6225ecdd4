/**
 * Drawing survey invitations: per team, a uniform random sample of the residents whose
 * contract was active in the period, each given a single-use, unguessable (192-bit), expiring
 * link. The platform draws the sample, not the team: that is what keeps ratings from being
 * stuffed. Only the token's hash is stored.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { parsePeriod } from '../domain/periods.ts';
import { sampleWithoutReplacement } from '../domain/surveys/sampling.ts';
import { batchPut } from '../data/batch.ts';
import { allContractsOfTeam } from '../data/contracts.ts';
import { hashToken, type Invitation, invitationItem } from '../data/surveys.ts';
import { allTeamsOfDistrict } from '../data/teams.ts';
import type { Db } from '../data/db.ts';

export interface DrawnInvitation {
  teamId: string;
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
    const eligible: string[] = [];
    for await (const contract of allContractsOfTeam(db, team.teamId)) {
      if (contract.status === 'active' && contract.startDate <= period.end && contract.endDate >= period.start) eligible.push(contract.residentRef);
    }
    for (const residentRef of sampleWithoutReplacement(eligible, input.samplePerTeam, (max) => randomInt(max))) {
      const token = randomBytes(24).toString('base64url');
      const invitation: Invitation = {
        tokenHash: hashToken(token),
        districtId: input.districtId,
        teamId: team.teamId,
        institutionId: team.institutionId,
        period: input.period,
        residentRef,
        expiresAt: input.expiresAt,
      };
      items.push(invitationItem(invitation));
      drawn.push({ teamId: team.teamId, token });
    }
  }
  await batchPut(db, items);
  return { teams, invitations: drawn };
}
