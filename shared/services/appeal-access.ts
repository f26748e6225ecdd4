/** Who may see an appeal: kept apart from the appeal use cases so that the functions serving attachments load only this. */
import { type Appeal, getAppeal } from '../data/appeals.ts';
import type { Deps } from '../deps.ts';
import { notFound } from '../domain/errors.ts';

export interface Caller {
  subject: string;
  role: string;
  districtId?: string | undefined;
  institutionId?: string | undefined;
}

/** The appeal if the caller may see it (district staff of its district, the clerk of its institution); 404 otherwise. */
export async function visibleAppeal(deps: Pick<Deps, 'db'>, appealId: string, caller: Caller): Promise<Appeal> {
  const appeal = await getAppeal(deps.db, appealId);
  const visible =
    appeal !== null &&
    (caller.role === 'admin' || (caller.districtId === appeal.districtId && (caller.role !== 'clerk' || caller.institutionId === appeal.institutionId)));
  if (!visible) throw notFound('appeal', `Appeal ${appealId}`);
  return appeal;
}
