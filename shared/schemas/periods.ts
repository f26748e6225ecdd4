/** Schemas of a district period's lifecycle: its record, completeness, reopening, appeals. */
import * as z from '#shared/schemas/zod.ts';
import { PERIOD_STATES } from '../domain/period-lifecycle.ts';

const stateSchema = z.enum(PERIOD_STATES);

export const periodTransitionSchema = z
  .object({
    action: z.enum(['close', 'reopen', 'evaluate', 'publish', 'correct', 'finalize', 'settle']),
    from: stateSchema,
    to: stateSchema,
    by: z.string(),
    at: z.string(),
    reason: z.string().optional(),
    evaluationId: z.string().optional(),
  })
  .openapi('PeriodTransition');

export const officialRunSchema = z
  .object({ evaluationId: z.string(), criteriaVersion: z.number().int(), startedBy: z.string(), completedAt: z.string(), reason: z.string().optional() })
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
