/** Response schemas of the year view and the settlement comparison. */
import * as z from '#shared/schemas/zod.ts';

const amounts = z.object({ incentiveFen: z.number(), subsidyFen: z.number(), totalFen: z.number() });

export const settlementYearSchema = z
  .object({
    districtId: z.string(),
    year: z.string(),
    settlements: z
      .array(
        z.object({
          settlementId: z.string(),
          period: z.string(),
          status: z.enum(['draft', 'approved', 'closed']),
          approvedBy: z.string().nullable(),
          approvedAt: z.string().nullable(),
          correctionOf: z.string().nullable(),
          paidFen: z.number(),
          subsidyFen: z.number(),
        }),
      )
      .openapi({ description: "The approved settlements in force for the year's quarters and the year itself" }),
    totals: amounts,
    institutions: z.array(amounts.extend({ institutionId: z.string(), name: z.string().nullable(), byPeriod: z.record(z.string(), amounts) })),
    teams: z.array(amounts.extend({ institutionId: z.string(), teamId: z.string(), teamName: z.string().nullable() })),
    funding: z
      .array(amounts.extend({ source: z.string(), name: z.string() }))
      .openapi({ description: 'Per funding source code, over the settlements that name sources' }),
  })
  .openapi('SettlementYear');

export const settlementComparisonSchema = z
  .object({
    settlementId: z.string(),
    period: z.string(),
    previous: z
      .object({
        settlementId: z.string(),
        period: z.string(),
        status: z.enum(['draft', 'approved', 'closed']),
        relation: z.enum(['corrected', 'previous-period']),
      })
      .nullable()
      .openapi({ description: 'The settlement it corrects, else the one in force for the previous period; null when there is none' }),
    institutions: z.array(z.object({ institutionId: z.string(), name: z.string().nullable(), before: amounts, after: amounts, difference: amounts })),
    totals: z.object({ before: amounts, after: amounts, difference: amounts }),
  })
  .openapi('SettlementComparison');
