/** Request and response schemas of criteria sets and evaluation runs. */
import * as z from '#shared/schemas/zod.ts';
import { criteriaSetSchema } from '../domain/scoring/criteria-schema.ts';
import { periodSchema } from './common.ts';

/** Indicators (value source, direction, minimum n, weight, method), optional domains, gates, the insufficient-data rule. */
export const criteriaDocumentSchema = criteriaSetSchema;

export const createCriteriaSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    periodType: z.enum(['quarter', 'year']),
    document: criteriaDocumentSchema,
    basedOnVersion: z.number().int().min(1).optional(),
  })
  .openapi('CreateCriteria');

export const saveCriteriaSchema = z
  .strictObject({
    revision: z.number().int().min(1).openapi({ description: 'The revision you started editing from (optimistic locking)' }),
    name: z.string().trim().min(1).max(100),
    document: criteriaDocumentSchema,
  })
  .openapi('SaveCriteria');

export const publishCriteriaSchema = z.strictObject({ revision: z.number().int().min(1).optional() }).openapi('PublishCriteria');

export const criteriaVersionSchema = z
  .object({
    districtId: z.string(),
    version: z.number().int(),
    name: z.string(),
    periodType: z.enum(['quarter', 'year']),
    status: z.enum(['draft', 'published']),
    revision: z.number().int(),
    document: z.record(z.string(), z.unknown()),
    basedOnVersion: z.number().int().optional(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedBy: z.string(),
    updatedAt: z.string(),
    publishedBy: z.string().optional(),
    publishedAt: z.string().optional(),
  })
  .openapi('CriteriaVersion');

export const previewRequestSchema = z
  .strictObject({ period: periodSchema, compareWithVersion: z.number().int().min(1).optional(), baselinePeriod: periodSchema.optional() })
  .openapi('PreviewRequest');

const previewTeam = z.object({
  teamId: z.string(),
  name: z.string(),
  total: z.string().nullable(),
  rank: z.number().int().nullable(),
  eligibility: z.string(),
});

export const previewSchema = z
  .object({
    version: z.number().int(),
    period: z.string(),
    teams: z.number().int(),
    scored: z.number().int(),
    histogram: z.array(z.number().int()).openapi({ description: 'Teams per 10-point band of the total, 0–10 … 90–100' }),
    eligibility: z.object({ eligible: z.number().int(), capped: z.number().int(), void: z.number().int() }),
    top: z.array(previewTeam),
    movers: z.array(
      z.object({ teamId: z.string(), name: z.string(), total: z.string().nullable(), compareTotal: z.string().nullable(), delta: z.string().nullable() }),
    ),
  })
  .openapi('CriteriaPreview');

export const startEvaluationSchema = z
  .strictObject({
    period: periodSchema,
    criteriaVersion: z.number().int().min(1),
    baselinePeriod: periodSchema.optional(),
    reason: z.string().max(500).optional().openapi({ description: 'Required for a rerun of a period that has official results: the reason it replaces them' }),
  })
  .openapi('StartEvaluation');

export const evaluationRunSchema = z
  .object({
    evaluationId: z.string(),
    districtId: z.string(),
    period: z.string(),
    baselinePeriod: z.string().nullable(),
    criteriaVersion: z.number().int(),
    status: z.enum(['queued', 'running', 'completed', 'failed']),
    phase: z.string(),
    progress: z.object({ done: z.number().int(), total: z.number().int() }),
    startedBy: z.string(),
    startedByName: z.string().optional().openapi({ description: "the starter's display name when a person started it" }),
    createdAt: z.string(),
    purpose: z.enum(['regular', 'correction']).optional(),
    reason: z.string().optional(),
    appealIds: z.array(z.string()).optional(),
    completedAt: z.string().optional(),
    fingerprint: z.string().optional(),
    metricVersions: z.record(z.string(), z.number()).optional(),
    summary: z.record(z.string(), z.unknown()).optional(),
    error: z.string().optional(),
  })
  .openapi('EvaluationRun');

export const scorecardSchema = z
  .object({
    evaluationId: z.string(),
    teamId: z.string(),
    institutionId: z.string(),
    rank: z.number().int().nullable(),
    percentile: z.string().nullable(),
    score: z.record(z.string(), z.unknown()).openapi({ description: 'Total, per-indicator value, points and explanation (en, zh), gates, eligibility' }),
  })
  .openapi('Scorecard');
