/** Request and response schemas of surveys: instruments, answers, invitations, results. */
import * as z from '#shared/schemas/zod.ts';
import { periodSchema } from './common.ts';

export const questionSchema = z
  .strictObject({
    code: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'Lower-case letters, digits and hyphens'),
    type: z.enum(['scale5', 'scale10', 'text']),
    required: z.boolean(),
    label: z.strictObject({ zh: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) }),
    maxLength: z.number().int().min(1).max(1000).optional(),
  })
  .openapi('SurveyQuestion');

export const instrumentSchema = z
  .object({ version: z.number().int(), questions: z.array(questionSchema), publishedAt: z.string(), publishedBy: z.string() })
  .openapi('SurveyInstrument');

export const publishInstrumentSchema = z.strictObject({ questions: z.array(questionSchema).min(1).max(30) }).openapi('PublishSurveyInstrument');

export const submitSurveySchema = z
  .strictObject({
    answers: z
      .record(z.string().max(40), z.union([z.number(), z.string().max(1000)]))
      .refine((a) => Object.keys(a).length <= 30, 'Too many answers')
      .openapi({ example: { overall: 5, attitude: 4, communication: 5, access: 4, recommend: 9, comment: '医生很耐心' } }),
  })
  .openapi('SubmitSurvey');

export const createInvitationsSchema = z
  .strictObject({
    period: periodSchema,
    samplePerTeam: z.number().int().min(1).max(200).openapi({ description: 'Residents drawn at random per team' }),
    validDays: z.number().int().min(1).max(90).default(30),
  })
  .openapi('CreateSurveyInvitations');

export const invitationsCreatedSchema = z
  .object({
    period: z.string(),
    expiresAt: z.string(),
    teams: z.number().int(),
    invitations: z.array(z.object({ invitationId: z.string(), teamId: z.string(), link: z.string() })),
  })
  .openapi('SurveyInvitationsCreated');

export const invitationStatusQuerySchema = z.object({ period: periodSchema });

export const invitationStatusSchema = z
  .object({
    invitationId: z.string(),
    teamId: z.string(),
    institutionId: z.string(),
    period: z.string(),
    expiresAt: z.string(),
    status: z.enum(['sent', 'answered', 'expired']),
    answeredOn: z.string().nullable(),
  })
  .openapi('SurveyInvitationStatus');

const figures = { topBoxShare: z.number().nullable(), mean100: z.number().nullable() };

export const surveyResultsSchema = z
  .object({
    teamId: z.string(),
    period: z.string(),
    n: z.number().int(),
    suppressed: z.boolean(),
    minResponses: z.number().int(),
    headline: z.object(figures),
    questions: z.array(z.object({ code: z.string(), count: z.number().int(), ...figures, distribution: z.record(z.string(), z.number()).nullable() })),
  })
  .openapi('SurveyResults');

export const reconcileSchema = z.strictObject({ period: periodSchema, fix: z.boolean().default(false) }).openapi('ReconcileSurveyAggregates');

export const reconcileReportSchema = z
  .object({
    period: z.string(),
    teamsChecked: z.number().int(),
    teamsWithDrift: z.number().int(),
    fixed: z.boolean(),
    drift: z.array(z.object({ teamId: z.string(), differences: z.array(z.object({ key: z.string(), stored: z.number(), recomputed: z.number() })) })),
  })
  .openapi('ReconcileReport');
