/**
 * One survey invitation for the demo resident for the current quarter, so the resident page can
 * be tried at once (`npm start` prints its link). Real invitations are drawn by
 * POST /districts/{districtId}/survey-invitations.
 */
import { randomBytes } from 'node:crypto';
import { batchPut } from '#shared/data/batch.ts';
import type { Db } from '#shared/data/db.ts';
import { hashToken, invitationItem } from '#shared/data/surveys.ts';
import type { DemoDistrict } from './demo-district.ts';

const THIRTY_DAYS_S = 30 * 86_400;

export async function seedDemoInvitation(db: Db, demo: DemoDistrict, options: { period: string; now: Date }): Promise<string | undefined> {
  const sample = demo.sampleResidents[0];
  const contract = sample && demo.contracts.find((c) => c.teamId === sample.teamId && c.identityMasked.endsWith(sample.identityNumber.slice(14)));
  if (!contract) return undefined;
  const token = randomBytes(24).toString('base64url');
  await batchPut(db, [
    invitationItem({
      tokenHash: hashToken(token),
      districtId: contract.districtId,
      teamId: contract.teamId,
      institutionId: contract.institutionId,
      period: options.period,
      residentRef: contract.residentRef,
      expiresAt: Math.floor(options.now.getTime() / 1000) + THIRTY_DAYS_S,
    }),
  ]);
  return token;
}
