/** Request and response schemas of the registry: districts, institutions, teams, contracts. */
import * as z from '#shared/schemas/zod.ts';
import { CONTRACT_START, KEY_POPULATIONS, SERVICE_PACKAGE_KINDS } from '../domain/contracts.ts';
import { MEMBER_ROLES } from '../domain/teams.ts';
import { MAX_DATA_DEADLINE_DAYS, MAX_REVIEW_WINDOW_DAYS } from '../domain/period-lifecycle.ts';
import { INSTITUTION_LEVELS, OWNERSHIPS } from '../domain/institutions.ts';
import { fenSchema, idSchema, isoDateSchema } from './common.ts';

const nameSchema = z.string().trim().min(1).max(100);

const subsidyRateSchema = z.strictObject({
  from: isoDateSchema.openapi({ description: 'First day the rate is in force' }),
  perYearFen: fenSchema.openapi({ description: 'Yearly subsidy per insured contracted resident, in fen' }),
});

const dataDeadlineDaysSchema = z
  .number()
  .int()
  .min(0)
  .max(MAX_DATA_DEADLINE_DAYS)
  .openapi({ description: 'Uploads for a period close this many days after its end (default 10)' });
const reviewWindowDaysSchema = z
  .number()
  .int()
  .min(1)
  .max(MAX_REVIEW_WINDOW_DAYS)
  .openapi({ description: 'Days a published period stays open to appeals (default 7)' });

export const districtSettingsSchema = z
  .strictObject({
    teamCapacity: z.number().int().min(1).max(10_000),
    contractTermMonths: z.number().int().min(1).max(60),
    subsidyPerResidentYearFen: fenSchema,
    surveyMinResponses: z.number().int().min(1).max(1000),
    contractStartGraceDays: z
      .number()
      .int()
      .min(0)
      .max(CONTRACT_START.maxGraceDays)
      .optional()
      .openapi({ description: `How many days back a contract may start without an administrator's correction (default ${CONTRACT_START.defaultGraceDays})` }),
    subsidyRates: z
      .array(subsidyRateSchema)
      .max(100)
      .optional()
      .openapi({ description: 'The yearly subsidy per resident over time; each rate is in force from its date until the next one' }),
    dataDeadlineDays: dataDeadlineDaysSchema.optional(),
    reviewWindowDays: reviewWindowDaysSchema.optional(),
  })
  .openapi('DistrictSettings');

/** What an administrator may change of a district's settings (every field optional). */
export const updateDistrictSettingsSchema = z
  .strictObject({
    teamCapacity: z.number().int().min(1).max(10_000).optional(),
    contractTermMonths: z.number().int().min(1).max(60).optional(),
    surveyMinResponses: z.number().int().min(1).max(1000).optional(),
    contractStartGraceDays: z.number().int().min(0).max(CONTRACT_START.maxGraceDays).optional(),
    dataDeadlineDays: dataDeadlineDaysSchema.optional(),
    reviewWindowDays: reviewWindowDaysSchema.optional(),
  })
  .openapi('UpdateDistrictSettings');

export const addSubsidyRateSchema = subsidyRateSchema.openapi('AddSubsidyRate');

export const createDistrictSchema = z
  .strictObject({
    districtId: idSchema.openapi({ example: 'haidian' }),
    name: nameSchema.openapi({ example: '海淀区' }),
    province: nameSchema.openapi({ example: '北京市' }),
    settings: districtSettingsSchema.partial().optional(),
  })
  .openapi('CreateDistrict');

export const districtSchema = z
  .object({
    districtId: z.string(),
    name: z.string(),
    province: z.string(),
    settings: districtSettingsSchema,
    createdAt: z.string(),
  })
  .openapi('District');

const servicePackageSchema = z.strictObject({
  code: idSchema,
  name: nameSchema,
  kind: z.enum(SERVICE_PACKAGE_KINDS),
  feeFen: fenSchema,
});

export const createInstitutionSchema = z
  .strictObject({
    name: nameSchema.openapi({ example: '学院路社区卫生服务中心' }),
    ownership: z.enum(OWNERSHIPS),
    level: z.enum(INSTITUTION_LEVELS),
    servicePackages: z.array(servicePackageSchema).max(50).default([]),
    phone: z
      .string()
      .trim()
      .regex(/^[0-9+\-() ]{5,20}$/)
      .optional()
      .openapi({ description: "The centre's phone number, shown to residents on the survey pages", example: '010-62345678' }),
    catchmentPopulation: z
      .number()
      .int()
      .min(0)
      .max(100_000_000)
      .optional()
      .openapi({ description: 'People living in the service area (capitation weighs it)', example: 30_000 }),
  })
  .openapi('CreateInstitution');

export const institutionSchema = z
  .object({
    institutionId: z.string(),
    districtId: z.string(),
    name: z.string(),
    phone: z.string().optional(),
    ownership: z.enum(OWNERSHIPS),
    level: z.enum(INSTITUTION_LEVELS),
    servicePackages: z.array(servicePackageSchema),
    catchmentPopulation: z.number().optional(),
    createdAt: z.string(),
  })
  .openapi('Institution');

const memberInputSchema = z.strictObject({
  name: nameSchema,
  role: z.enum(MEMBER_ROLES),
  joinedOn: isoDateSchema,
});

export const createTeamSchema = z
  .strictObject({
    name: nameSchema.openapi({ example: '王医生团队' }),
    members: z.array(memberInputSchema).min(2).max(30),
    capacity: z.number().int().min(1).max(10_000).optional().openapi({ description: 'Defaults to the district setting' }),
  })
  .openapi('CreateTeam');

export const addTeamMemberSchema = memberInputSchema.openapi('AddTeamMember');

export const memberLeaveSchema = z
  .strictObject({ leftOn: isoDateSchema.openapi({ description: 'The last day in the team; not before the day they joined' }) })
  .openapi('MemberLeave');

export const teamSchema = z
  .object({
    teamId: z.string(),
    institutionId: z.string(),
    districtId: z.string(),
    name: z.string(),
    members: z.array(z.object({ memberId: z.string(), name: z.string(), role: z.enum(MEMBER_ROLES), joinedOn: z.string(), leftOn: z.string().optional() })),
    capacity: z.number().int(),
    activeContracts: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('Team');

export const signContractSchema = z
  .strictObject({
    teamId: idSchema,
    identityNumber: z.string().openapi({ description: 'GB 11643 resident identity number; stored only as a keyed hash', example: '990108199001011234' }),
    insured: z.boolean().openapi({ description: 'Covered by social medical insurance' }),
    keyPopulations: z.array(z.enum(KEY_POPULATIONS)).max(KEY_POPULATIONS.length).default([]),
    servicePackage: z.strictObject({ kind: z.enum(SERVICE_PACKAGE_KINDS), code: idSchema, priceFen: fenSchema }).default({
      kind: 'basic',
      code: 'basic',
      priceFen: 0,
    }),
    startDate: isoDateSchema,
    correction: z
      .strictObject({ reason: z.string().trim().min(1).max(500) })
      .optional()
      .openapi({
        description: 'Administrators only: enter a historical contract whose start lies outside the signing window; the reason is kept with the contract',
      }),
  })
  .openapi('SignContract');

export const cancelContractSchema = z
  .strictObject({
    noticeDate: isoDateSchema.openapi({ description: 'Date of the written cancellation notice' }),
    reason: z.string().trim().min(1).max(500),
    effectiveDate: isoDateSchema.optional().openapi({ description: 'Last day of the contract; defaults to today' }),
  })
  .openapi('CancelContract');

export const contractSchema = z
  .object({
    contractId: z.string(),
    teamId: z.string(),
    institutionId: z.string(),
    districtId: z.string(),
    identityMasked: z.string().openapi({ example: '990***********1234' }),
    insured: z.boolean(),
    keyPopulations: z.array(z.enum(KEY_POPULATIONS)),
    servicePackage: z.object({ kind: z.enum(SERVICE_PACKAGE_KINDS), code: z.string(), priceFen: z.number().int() }),
    startDate: z.string(),
    endDate: z.string(),
    status: z.enum(['active', 'cancelled', 'ended']),
    renewals: z.number().int(),
    renewedEnds: z.array(z.string()).optional(),
    cancellation: z.object({ noticeDate: z.string(), reason: z.string(), effectiveDate: z.string() }).optional(),
    correction: z.object({ reason: z.string(), by: z.string(), at: z.string() }).optional(),
    signedAt: z.string(),
  })
  .openapi('Contract');
