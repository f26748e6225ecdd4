/** Who is calling: a role and the scope it holds, from the verified token's claims. */
export const ROLES = ['resident', 'clerk', 'evaluator', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  subject: string;
  role: Role;
  /** evaluator, finance, clerk: their district */
  districtId?: string;
  /** clerk: their institution */
  institutionId?: string;
  /** resident: the keyed hash of their identity number */
  residentRef?: string;
}
