/** Schemas of a district period's lifecycle: its record, completeness, reopening, appeals. */
import { appealAttachmentSchema } from './appeal-attachments.ts';
import * as z from '#shared/schemas/zod.ts';
import { PERIOD_STATES } from '../domain/period-lifecycle.ts';

const stateSchema = z.enum(PERIOD_STATES);

export const periodTransitionSchema = z
  .object({
    action: z.enum(['close', 'reopen', 'evaluate', 'publish', 'correct', 'finalize', 'settle']),
    from: stateSchema,
    to: stateSchema,
    by: z.string(),
    byName: z.string().optional().openapi({ description: 'who, by the name they had then' }),
    at: z.string(),
    reason: z.string().optional(),
    evaluationId: z.string().optional(),
  })
  .openapi('PeriodTransition');

export const officialRunSchema = z
  .object({
    evaluationId: z.string(),
    criteriaVersion: z.number().int(),
    startedBy: z.string(),
    startedByName: z.string().optional(),
    completedAt: z.string(),
    reason: z.string().optional(),
  })
  .openapi('OfficialRun');

/** The lifecycle record (GET .../periods/{period}/status and the admin close/reopen answers). */
export const periodStatusSchema = z
  .object({
    districtId: z.string(),
    period: z.string(),
    status: z.enum(['open', 'closed']).openapi({ description: 'open while the stored state is open (uploads then also check deadlineAt)' }),
    state: stateSchema,
    deadlineAt: z.string().openapi({ description: 'uploads are accepted until this instant (the data deadline)' }),
    reviewEndsAt: z.string().optional(),
    publishedAt: z.string().optional(),
    officialRunId: z.string().optional(),
    officialRuns: z.array(officialRunSchema),
    openAppeals: z.number().int(),
    history: z.array(periodTransitionSchema),
    updatedAt: z.string().optional(),
  })
  .openapi('PeriodStatus');

export const institutionCompletenessSchema = z
  .object({
    institutionId: z.string(),
    name: z.string(),
    metrics: z.object({ version: z.number().int(), uploadedAt: z.string(), uploadedBy: z.string() }).nullable(),
    teams: z.number().int(),
    teamsWithSurveys: z.number().int(),
    surveyResponses: z.number().int(),
    teamsBelowMinimum: z.number().int(),
  })
  .openapi('InstitutionCompleteness');

export const periodViewSchema = periodStatusSchema
  .extend({
    storedState: stateSchema,
    settings: z.object({ dataDeadlineDays: z.number().int(), reviewWindowDays: z.number().int() }),
    completeness: z.array(institutionCompletenessSchema).openapi({ description: "per institution (a clerk sees their own institution's only)" }),
  })
  .openapi('Period');

export const reopenPeriodSchema = z
  .strictObject({
    reason: z.string().min(1).max(500),
    until: z.iso.datetime().optional().openapi({ description: 'uploads accepted until (default: now plus the district data deadline days)' }),
  })
  .openapi('ReopenPeriod');

export const newAppealSchema = z
  .strictObject({
    teamId: z.string().min(1).max(64),
    indicator: z.string().min(1).max(64).openapi({ description: "the indicator's code on the team's scorecard" }),
    metric: z.string().min(1).max(64).openapi({ description: 'the reported metric whose value is wrong' }),
    claimedValue: z.number().finite().openapi({ description: 'the value the institution believes is right' }),
    reason: z.string().min(1).max(2000),
  })
  .openapi('NewAppeal');

const resultChangeSchema = z.object({
  teamId: z.string(),
  institutionId: z.string(),
  before: z.object({ total: z.string().nullable(), rank: z.number().int().nullable() }),
  after: z.object({ total: z.string().nullable(), rank: z.number().int().nullable() }),
});

export const appealSchema = z
  .object({
    appealId: z.string(),
    districtId: z.string(),
    period: z.string(),
    institutionId: z.string(),
    teamId: z.string(),
    evaluationId: z.string(),
    indicator: z.string(),
    metric: z.string(),
    claimedValue: z.number(),
    reason: z.string(),
    status: z.enum(['open', 'accepted', 'rejected']),
    filedBy: z.string(),
    filedAt: z.string(),
    decidedBy: z.string().optional(),
    decidedAt: z.string().optional(),
    decisionReason: z.string().optional(),
    acceptedValue: z.number().optional(),
    metricVersion: z.number().int().optional(),
    correctionRunId: z.string().optional(),
    correctionStatus: z.string().optional(),
    attachments: z.array(appealAttachmentSchema).optional(),
    changes: z.array(resultChangeSchema).optional().openapi({ description: 'accepted: the teams whose results the correction run changed, before and after' }),
  })
  .openapi('Appeal');

export const appealDecisionSchema = z
  .strictObject({
    decision: z.enum(['accept', 'reject']),
    reason: z.string().min(1).max(2000),
    value: z.number().finite().optional().openapi({ description: 'accept: the value that becomes the new metric version (default: the claimed value)' }),
  })
  .openapi('AppealDecision');
