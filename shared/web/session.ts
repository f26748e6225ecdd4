/** Who a page is for, by name: the signed-in person, their role and their district, for the layout's header. */
import { getDistrict } from '../data/districts.ts';
import type { Db } from '../data/db.ts';
import type { Principal, Role } from '../http/principal.ts';

export interface Session {
  /** the name the token gives (Cognito's `name`, a demo person's name), else its subject */
  person: string;
  role: Role;
  /** the district's name, not its id; absent for administrators and residents */
  districtName?: string;
}

export async function sessionOf(db: Db, principal: Principal): Promise<Session> {
  const district = principal.districtId ? await getDistrict(db, principal.districtId) : null;
  return { person: principal.name ?? principal.subject, role: principal.role, ...(district ? { districtName: district.name } : {}) };
}
