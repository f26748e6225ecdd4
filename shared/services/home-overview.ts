/**
 * What the evaluator's and the finance officer's home pages show: a few cheap reads each.
 * Evaluator: the latest runs and the criteria drafts; finance: the settlements waiting for approval.
 */
import { type CriteriaVersion, listCriteria } from '../data/criteria.ts';
import { type EvaluationRun, listRuns } from '../data/evaluations.ts';
import { listSettlements, type Settlement } from '../data/settlements.ts';
import type { Deps } from '../deps.ts';

const LOOKED_AT = 50;
const RUNS_SHOWN = 5;

export async function evaluatorOverview(deps: Deps, districtId: string): Promise<{ runs: EvaluationRun[]; drafts: CriteriaVersion[] }> {
  const [runs, criteria] = await Promise.all([listRuns(deps.db, districtId, RUNS_SHOWN), listCriteria(deps.db, districtId, LOOKED_AT)]);
  return { runs: runs.items, drafts: criteria.items.filter((c) => c.status === 'draft') };
}

export async function financeOverview(deps: Deps, districtId: string): Promise<{ drafts: Settlement[] }> {
  const page = await listSettlements(deps.db, districtId, LOOKED_AT);
  return { drafts: page.items.filter((s) => s.status === 'draft') };
}
