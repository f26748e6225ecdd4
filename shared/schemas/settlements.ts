/** Request and response schemas of settlements: parameters, headers, lines, audit, finance settings. */
import * as z from '#shared/schemas/zod.ts';
import { KEY_POPULATIONS } from '../domain/contracts.ts';
import { MEMBER_ROLES } from '../domain/teams.ts';
import { fenSchema, idSchema } from './common.ts';

const localisedSchema = z.object({ en: z.string(), zh: z.string() });

/** 0–100 with at most two decimals, as a number (60) or a string ("87.50"). */
const SCORE_PATTERN = /^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/;
export const scoreLikeSchema = z
  .union([z.number(), z.string()])
  .refine((v) => SCORE_PATTERN.test(String(v)), 'Use a score from 0 to 100 with at most two decimals')
  .openapi({ example: '60' });

/** A non-negative decimal with at most two decimals (role shares, resident weights). */
const WEIGHT_PATTERN = /^\d{1,6}(\.\d{1,2})?$/;
export const weightSchema = z
  .union([z.number(), z.string()])
  .refine((v) => WEIGHT_PATTERN.test(String(v)), 'Use a non-negative number with at most two decimals')
  .openapi({ example: '40' });

const floorAndCap = {
  scoreFloor: scoreLikeSchema.optional().openapi({ description: 'Teams scoring below this get nothing (the floor itself qualifies)' }),
  teamCapFen: fenSchema.optional().openapi({ description: 'The most one team may receive, in fen' }),
};

export const SIZE_MEASURES = ['active-contracts', 'weighted-residents'] as const;

export const methodSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('score-weighted'),
      sizeMeasure: z.enum(SIZE_MEASURES).openapi({ description: 'share ∝ score × this measure' }),
      ...floorAndCap,
    }),
    z.strictObject({
      kind: z.literal('value-per-point'),
      fenPerPoint: fenSchema.openapi({ description: 'fen per score point (per team, or per contract / weighted resident)' }),
      sizeMeasure: z.enum([...SIZE_MEASURES, 'none']).default('none'),
      ...floorAndCap,
    }),
    z.strictObject({
      kind: z.literal('grade-tiers'),
      tiers: z
        .array(z.strictObject({ minScore: scoreLikeSchema, amountFen: fenSchema }))
        .min(1)
        .max(20)
        .refine((tiers) => new Set(tiers.map((t) => Number(t.minScore))).size === tiers.length, 'Two tiers start at the same score')
        .openapi({ description: 'A team gets the amount of the highest tier whose minScore it reaches' }),
      ...floorAndCap,
    }),
    z.strictObject({
      kind: z.literal('capitation'),
      poolSharePercent: z
        .union([z.number(), z.string()])
        .refine((v) => SCORE_PATTERN.test(String(v)), 'Use a percentage from 0 to 100 with at most two decimals')
        .default('100')
        .openapi({ description: 'The part of the pool paid by capitation (the rest stays unallocated)', example: '50' }),
      weights: z
        .strictObject({
          catchmentPopulation: weightSchema.default('0').openapi({ description: "The institution's catchment population (registry)" }),
          insuredContracts: weightSchema.default('0').openapi({ description: 'Insured contracts in force on the period’s last day' }),
          keyPopulationContracts: weightSchema.default('0').openapi({ description: 'Contracts with a key-population tag in force on the period’s last day' }),
        })
        .openapi({ description: 'Weights of the population measures; only ratios matter', example: { catchmentPopulation: 40, insuredContracts: 60 } }),
    }),
  ])
  .openapi('IncentiveMethod', {
    description: 'How the pool is shared: the money library methods (docs/money-rules.md §4). Gates of the evaluation void or cap a team.',
  });

export const ROLE_SHARE_KEYS = [...MEMBER_ROLES, 'other'] as const;

export const roleSharesSchema = z
  .partialRecord(z.enum(ROLE_SHARE_KEYS), weightSchema)
  .refine((shares) => Object.keys(shares).length > 0, 'Give at least one role share')
  .openapi({
    description: "Share of each role within a team; a role without its own takes 'other'. Only ratios matter.",
    example: { 'general-practitioner': 40, 'community-nurse': 30, other: 10 },
  });

export const residentWeightsSchema = z
  .strictObject({
    keyPopulation: weightSchema.optional().openapi({ description: 'Weight of a resident with any key-population tag (default 2); others weigh 1' }),
    byPopulation: z.partialRecord(z.enum(KEY_POPULATIONS), weightSchema).optional().openapi({ description: 'Per tag; a resident weighs their highest' }),
  })
  .openapi('ResidentWeights');

export const fundingSourcesSchema = z
  .array(
    z.strictObject({
      code: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'Use lower-case letters, digits and hyphens')
        .openapi({ example: 'insurance-fund' }),
      name: z.string().min(1).max(60).openapi({ example: '医保基金' }),
      incentiveShare: weightSchema.openapi({ description: 'Share of the incentives this source pays (ratios between sources matter)', example: '0' }),
      subsidyShare: weightSchema.openapi({ description: 'Share of the subsidy this source pays', example: '70' }),
    }),
  )
  .min(1)
  .max(10)
  .openapi('FundingSources', { description: 'Where the money comes from; every institution line is split over the sources to the fen' });

export const createSettlementSchema = z
  .strictObject({
    evaluationId: idSchema.openapi({ description: 'A completed evaluation run of the district' }),
    poolFen: fenSchema.openapi({ description: 'The incentive pool, in fen', example: 153_600_000 }),
    method: methodSchema,
    roleShares: roleSharesSchema.optional().openapi({ description: "Defaults to the district's finance settings" }),
    residentWeights: residentWeightsSchema.optional(),
    fundingSources: fundingSourcesSchema.optional(),
    correctionOf: idSchema.optional().openapi({ description: 'An approved settlement of the same district and period that this one corrects' }),
    note: z.string().max(500).optional(),
  })
  .openapi('CreateSettlement');

export const recomputeSettlementSchema = z
  .strictObject({
    poolFen: fenSchema.optional(),
    method: methodSchema.optional(),
    roleShares: roleSharesSchema.optional(),
    residentWeights: residentWeightsSchema.optional(),
    fundingSources: fundingSourcesSchema.optional(),
  })
  .openapi('RecomputeSettlement', { description: 'Parameters to change; those left out keep their current value. The evaluation stays the same.' });

export const approveSettlementSchema = z
  .strictObject({
    comment: z.string().trim().min(1).max(1000).openapi({ description: "The approving officer's comment, kept in the audit log" }),
    computationId: z
      .string()
      .max(64)
      .optional()
      .openapi({ description: 'The computation you reviewed; if the draft was recomputed since, the approval is refused (409)' }),
  })
  .openapi('ApproveSettlement');

export const financeSettingsInputSchema = z
  .strictObject({ roleShares: roleSharesSchema, residentWeights: residentWeightsSchema.optional() })
  .openapi('FinanceSettingsInput');

// ---------------------------------------------------------------------------------------------
// Responses

const storedMethodSchema = z.union([
  z.object({ kind: z.literal('score-weighted'), sizeMeasure: z.enum(SIZE_MEASURES), scoreFloor: z.string().optional(), teamCapFen: z.number().optional() }),
  z.object({
    kind: z.literal('value-per-point'),
    fenPerPoint: z.number(),
    sizeMeasure: z.enum([...SIZE_MEASURES, 'none']),
    scoreFloor: z.string().optional(),
    teamCapFen: z.number().optional(),
  }),
  z.object({
    kind: z.literal('grade-tiers'),
    tiers: z.array(z.object({ minScore: z.string(), amountFen: z.number() })),
    scoreFloor: z.string().optional(),
    teamCapFen: z.number().optional(),
  }),
  z.object({
    kind: z.literal('capitation'),
    poolSharePercent: z.string(),
    weights: z.object({ catchmentPopulation: z.string(), insuredContracts: z.string(), keyPopulationContracts: z.string() }),
  }),
]);

const storedResidentWeightsSchema = z.object({ keyPopulation: z.string(), byPopulation: z.record(z.string(), z.string()) });

export const settlementParametersSchema = z
  .object({
    evaluationId: z.string(),
    period: z.string(),
    poolFen: z.number(),
    method: storedMethodSchema,
    roleShares: z.record(z.string(), z.string()),
    residentWeights: storedResidentWeightsSchema,
    subsidyPerResidentYearFen: z.number(),
    fundingSources: z.array(z.object({ code: z.string(), name: z.string(), incentiveShare: z.string(), subsidyShare: z.string() })).optional(),
  })
  .openapi('SettlementParameters');

export const settlementTotalsSchema = z
  .object({
    poolFen: z.number(),
    paidFen: z.number(),
    unallocatedFen: z.number(),
    scaledDown: z.boolean(),
    membersFen: z.number(),
    memberUnallocatedFen: z.number().openapi({ description: 'Team incentives no member was present to take' }),
    subsidyFen: z.number(),
    subsidisedContracts: z.number(),
    contractDays: z.number(),
    uninsuredContracts: z.number(),
    yearDays: z.number(),
    teams: z.number(),
    scoredTeams: z.number(),
    paidTeams: z.number(),
    members: z.number(),
    institutions: z.number(),
    previous: z.object({ settlementId: z.string(), paidFen: z.number(), subsidyFen: z.number() }).optional(),
    paidDifference: z.number().optional(),
    subsidyDifference: z.number().optional(),
    funding: z
      .array(z.object({ source: z.string(), name: z.string(), incentiveFen: z.number(), subsidyFen: z.number(), totalFen: z.number() }))
      .optional()
      .openapi({ description: 'Per funding source: Σ of the institution lines’ parts' }),
  })
  .openapi('SettlementTotals');

export const histogramSchema = z
  .object({ binWidthFen: z.number(), counts: z.array(z.number()), zeroCount: z.number(), maxFen: z.number() })
  .openapi('PayoutHistogram');

export const SETTLEMENT_STATUSES = ['draft', 'approved', 'closed'] as const;

export const settlementSchema = z
  .object({
    settlementId: z.string(),
    districtId: z.string(),
    period: z.string(),
    evaluationId: z.string(),
    status: z.enum(SETTLEMENT_STATUSES),
    parameters: settlementParametersSchema,
    totals: settlementTotalsSchema,
    histogram: histogramSchema,
    fingerprint: z.string().openapi({ description: 'sha256 over the evaluation fingerprint, the parameters and every fact used' }),
    computationId: z.string(),
    lineCounts: z.object({ team: z.number(), member: z.number(), institution: z.number() }),
    revision: z.number(),
    correctionOf: z.string().nullable(),
    note: z.string().nullable(),
    createdBy: z.string(),
    createdByName: z.string().optional().openapi({ description: "the creator's display name when it was created" }),
    createdAt: z.string(),
    computedBy: z.string(),
    computedAt: z.string(),
    participants: z
      .array(z.string())
      .optional()
      .openapi({ description: 'Everyone who created, recomputed or set parameters of it; none of them may approve it' }),
    approvedBy: z.string().optional(),
    approvedAt: z.string().optional(),
    closedBy: z.string().optional(),
    closedAt: z.string().optional(),
  })
  .openapi('Settlement');

const explanationSchema = z
  .object({
    score: z.string(),
    belowFloor: z.boolean(),
    measure: z.object({ kind: z.enum(SIZE_MEASURES), value: z.string() }).nullable(),
    rawShare: z.string().nullable(),
    rawAmountFen: z.string(),
    entitledFen: z.string().nullable(),
    tier: z.object({ minScore: z.string(), amountFen: z.number() }).nullable(),
    gate: z.object({
      eligibility: z.enum(['eligible', 'capped', 'void']),
      capPercent: z.string().nullable(),
      limitFen: z.number().nullable(),
      effect: z.enum(['none', 'voided', 'capped']),
    }),
    teamCapFen: z.number().nullable(),
    capApplied: z.boolean(),
    scaledDown: z.boolean(),
    amount: z.number(),
  })
  .openapi('IncentiveExplanation');

export const teamLineSchema = z
  .object({
    kind: z.literal('team'),
    institutionId: z.string(),
    teamId: z.string(),
    teamName: z.string().nullable(),
    scored: z.boolean(),
    score: z.string().nullable(),
    eligibility: z.enum(['eligible', 'capped', 'void']).nullable(),
    capPercent: z.number().nullable(),
    gates: z.array(z.object({ label: localisedSchema, explanation: localisedSchema })),
    activeContracts: z.number(),
    weightedResidents: z.string(),
    amount: z.number().openapi({ description: 'Incentive, fen' }),
    explanation: explanationSchema.nullable(),
    text: localisedSchema,
    membersFen: z.number(),
    memberUnallocatedFen: z.number(),
    subsidyFen: z.number(),
    subsidisedContracts: z.number(),
    contractDays: z.number(),
    previousAmount: z.number().optional().openapi({ description: 'Corrections: the incentive in the corrected settlement' }),
    difference: z.number().optional().openapi({ description: 'Corrections: amount − previousAmount' }),
    previousSubsidyFen: z.number().optional(),
    subsidyDifference: z.number().optional(),
  })
  .openapi('SettlementTeamLine');

export const memberLineSchema = z
  .object({
    kind: z.literal('member'),
    institutionId: z.string(),
    teamId: z.string(),
    memberId: z.string(),
    name: z.string(),
    amount: z.number(),
    daysPresent: z.number(),
    weight: z.string(),
    stints: z.array(
      z.object({
        role: z.string(),
        joinedOn: z.string(),
        leftOn: z.string().nullable(),
        daysPresent: z.number(),
        share: z.string(),
        shareSource: z.enum(['role', 'other', 'none']),
      }),
    ),
  })
  .openapi('SettlementMemberLine');

export const institutionLineSchema = z
  .object({
    kind: z.literal('institution'),
    institutionId: z.string(),
    name: z.string().nullable(),
    ownership: z.enum(['government', 'social']).nullable(),
    teams: z.number(),
    incentiveFen: z.number(),
    subsidisedContracts: z.number(),
    contractDays: z.number(),
    uninsuredContracts: z.number(),
    exactSubsidyFen: z.string(),
    subsidyFen: z.number(),
    feeStatement: z
      .array(
        z.object({
          packageCode: z.string(),
          packageName: z.string().nullable(),
          publishedFeeFen: z.number(),
          subsidyPerResidentYearFen: z.number(),
          maxCollectFromSubsidisedResidentFen: z.number(),
          rule: z.enum(['government-no-fee', 'government-published-price', 'social-fee-minus-subsidy']),
          text: localisedSchema,
        }),
      )
      .nullable(),
    alreadyPaid: z
      .array(z.object({ settlementId: z.string(), period: z.string(), contractDays: z.number() }))
      .optional()
      .openapi({ description: "The institution's contract-days of this period that earlier approved settlements paid; not paid again" }),
    previousIncentiveFen: z.number().optional(),
    incentiveDifference: z.number().optional(),
    previousSubsidyFen: z.number().optional(),
    subsidyDifference: z.number().optional(),
    funding: z.array(z.object({ source: z.string(), incentiveFen: z.number(), subsidyFen: z.number() })).optional(),
  })
  .openapi('SettlementInstitutionLine');

export const LINE_KINDS = ['team', 'member', 'institution'] as const;

export const linesQuerySchema = z.object({
  kind: z
    .enum(LINE_KINDS)
    .default('team')
    .openapi({ description: 'team (incentive and subsidy per team), member (the split), institution (subsidy statement)' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ description: 'Lines per page, 1 to 1000' }),
  cursor: z.string().max(2048).optional().openapi({ description: 'nextCursor of the previous page' }),
});

export const linesPageSchema = z
  .object({
    settlementId: z.string(),
    kind: z.enum(LINE_KINDS),
    computationId: z.string(),
    items: z.array(z.union([teamLineSchema, memberLineSchema, institutionLineSchema])),
    nextCursor: z.string().nullable(),
  })
  .openapi('SettlementLines');

export const auditEntrySchema = z
  .object({
    settlementId: z.string(),
    revision: z.number(),
    action: z.enum(['create', 'recompute', 'approve', 'close']),
    by: z.string(),
    byName: z.string().optional().openapi({ description: "the officer's display name when the entry was recorded" }),
    at: z.string(),
    status: z.enum(SETTLEMENT_STATUSES),
    computationId: z.string(),
    fingerprint: z.string(),
    parameters: settlementParametersSchema.optional(),
    totals: z.object({ poolFen: z.number(), paidFen: z.number(), unallocatedFen: z.number(), subsidyFen: z.number() }).optional(),
    closedPeriod: z.boolean().optional(),
    comment: z.string().optional(),
  })
  .openapi('SettlementAuditEntry');

export const previewSchema = z
  .object({
    parameters: settlementParametersSchema,
    fingerprint: z.string(),
    totals: settlementTotalsSchema,
    histogram: histogramSchema,
    institutions: z.array(z.object({ institutionId: z.string(), name: z.string().nullable(), incentiveFen: z.number(), subsidyFen: z.number() })),
    topTeams: z.array(teamLineSchema).openapi({ description: 'The ten best-paid team lines' }),
  })
  .openapi('SettlementPreview');

export const financeSettingsSchema = z
  .object({
    districtId: z.string(),
    roleShares: z.record(z.string(), z.string()),
    residentWeights: storedResidentWeightsSchema,
    stored: z.boolean().openapi({ description: 'false while the platform defaults apply' }),
    updatedBy: z.string().optional(),
    updatedAt: z.string().optional(),
  })
  .openapi('FinanceSettings');

export const settlementListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional(),
});
