/** Request and response schemas of payees (who a district pays for an institution). */
import * as z from '#shared/schemas/zod.ts';

const details = {
  creditCode: z
    .string()
    .max(18)
    .openapi({ description: 'Unified social credit code (GB 32100): 18 characters with a MOD 31 check character', example: '91350100M000100Y43' }),
  accountName: z.string().min(1).max(100).openapi({ description: 'Account holder name as the bank has it', example: '海淀区学院路社区卫生服务中心' }),
  bank: z.string().min(1).max(100).openapi({ example: '中国工商银行北京海淀支行' }),
  budgetSubject: z.string().min(1).max(100).openapi({ description: 'Budget subject the payment is booked to', example: '2100408 基本公共卫生服务' }),
};

export const payeeInputSchema = z
  .strictObject({
    ...details,
    accountNumber: z.string().max(40).openapi({
      description: 'Bank account number: 8 to 32 digits (spaces and hyphens are removed); stored encrypted, shown masked',
      example: '6222 0202 0000 1234 567',
    }),
  })
  .openapi('PayeeInput', { description: 'A payee change: takes effect when a second finance officer approves it' });

export const approvePayeeSchema = z
  .strictObject({
    proposalId: z.string().max(64).openapi({ description: 'The pending change you reviewed; if it was replaced since, the approval is refused (409)' }),
  })
  .openapi('ApprovePayee');

const maskedPayee = {
  institutionId: z.string(),
  ...details,
  accountNumberMasked: z.string().openapi({ example: '**** **** 4567' }),
};

export const payeeViewSchema = z
  .object({
    institutionId: z.string(),
    districtId: z.string(),
    current: z
      .object({
        ...maskedPayee,
        revision: z.number(),
        proposedBy: z.string(),
        proposedByName: z.string(),
        proposedAt: z.string(),
        approvedBy: z.string(),
        approvedByName: z.string(),
        approvedAt: z.string(),
      })
      .nullable()
      .openapi({ description: 'The approved payee, what payment files use' }),
    pending: z
      .object({ ...maskedPayee, proposalId: z.string(), baseRevision: z.number(), proposedBy: z.string(), proposedByName: z.string(), proposedAt: z.string() })
      .nullable()
      .openapi({ description: 'A change waiting for a second officer' }),
  })
  .openapi('Payee');

export const payeeAuditSchema = z
  .object({
    items: z.array(
      z.object({
        institutionId: z.string(),
        action: z.enum(['propose', 'approve']),
        proposalId: z.string(),
        by: z.string(),
        at: z.string(),
        ...details,
        accountLast4: z.string(),
        revision: z.number().optional(),
      }),
    ),
  })
  .openapi('PayeeAudit');

export const districtPayeesSchema = z
  .object({ districtId: z.string(), items: z.array(payeeViewSchema.extend({ name: z.string() })) })
  .openapi('DistrictPayees', { description: 'Every institution of the district with its payee and any pending change' });
