/**
 * Resident identity numbers are stored only as HMAC-SHA256 under a secret pepper of at least
 * 256 bits that lives outside the database (local: .data/pepper; AWS: Secrets Manager).
 * The resulting "resident ref" is what every item and token carries.
 */
import { createHmac } from 'node:crypto';

export type ResidentKeyer = (identityNumber: string) => string;

export function residentKeyer(pepper: Buffer): ResidentKeyer {
  if (pepper.length < 32) throw new Error('The identity-number pepper must be at least 256 bits');
  return (identityNumber) => createHmac('sha256', pepper).update(identityNumber, 'utf8').digest('base64url');
}
