/** Who is calling: a role and the scope it holds, from the verified token's claims. */
export const ROLES = ['resident', 'clerk', 'evaluator', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  subject: string;
  /** a staff member's display name when the token carries one (Cognito's `name`, an OIDC issuer's `name` or `preferred_username`) */
  name?: string;
  role: Role;
  /** evaluator, finance, clerk: their district */
  districtId?: string;
  /** clerk: their institution */
  institutionId?: string;
  /** resident: the keyed hash of their identity number */
  residentRef?: string;
}
