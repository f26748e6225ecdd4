/**
 * The demo district's published criteria and a completed evaluation of the previous period,
 * run through the same phases as any run.
 */
import type { Db } from '#shared/data/db.ts';
import { createCriteriaDraft, publishCriteria } from '#shared/data/criteria.ts';
import { countTeamsOfDistrict } from '#shared/data/teams.ts';
import { createRun } from '#shared/data/evaluations.ts';
import { defaultBaselinePeriod } from '#shared/domain/periods.ts';
import { executeEvaluation } from '#shared/services/evaluation/phases.ts';
import { DEMO_CRITERIA } from './demo-criteria.ts';

export async function seedDemoEvaluation(
  db: Db,
  options: {
    districtId: string;
    period: string;
    now: () => Date;
    log?: (line: string) => void /** run with this published version instead of publishing one */;
    criteriaVersion?: number;
  },
): Promise<{ evaluationId: string; criteriaVersion: number }> {
  const at = options.now().toISOString();
  const by = 'demo-evaluator';
  const version = options.criteriaVersion ?? (await seedDemoCriteria(db, options.districtId, at, by));
  const evaluationId = `eval-demo-${options.period.toLowerCase()}`;
  await createRun(db, {
    evaluationId,
    districtId: options.districtId,
    period: options.period,
    baselinePeriod: defaultBaselinePeriod(options.period),
    criteriaVersion: version,
    status: 'queued',
    phase: 'values',
    progress: { done: 0, total: await countTeamsOfDistrict(db, options.districtId) },
    startedBy: by,
    createdAt: at,
  });
  await executeEvaluation(db, evaluationId, options.now);
  options.log?.(`  criteria version ${version}; evaluation ${evaluationId} of ${options.period} completed`);
  return { evaluationId, criteriaVersion: version };
}

async function seedDemoCriteria(db: Db, districtId: string, at: string, by: string): Promise<number> {
  const draft = await createCriteriaDraft(db, {
    districtId,
    name: '2026 年度家庭医生团队季度考核',
    periodType: 'quarter',
    document: DEMO_CRITERIA,
    createdBy: by,
    createdAt: at,
    updatedBy: by,
    updatedAt: at,
  });
  await publishCriteria(db, districtId, draft.version, by, at);
  return draft.version;
}
