/** Schemas of the general audit log: its filters and its entries (GET /districts/{districtId}/audit-log). */
import * as z from '#shared/schemas/zod.ts';
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES } from '../domain/audit-log.ts';
import { idSchema, isoDateSchema, pageQuerySchema } from './common.ts';

export const auditLogQuerySchema = pageQuerySchema.extend({
  from: isoDateSchema.optional().openapi({ description: 'first China calendar day (default: 29 days before `to`)' }),
  to: isoDateSchema.optional().openapi({ description: 'last China calendar day (default: today); at most 731 days after `from`' }),
  action: z.enum(AUDIT_ACTIONS).optional(),
  actor: z
    .string()
    .regex(/^[A-Za-z0-9._@-]{1,64}$/)
    .optional()
    .openapi({ description: 'the acting subject' }),
  entityType: z.enum(AUDIT_ENTITY_TYPES).optional(),
  institutionId: idSchema.optional(),
});

export const auditLogEntrySchema = z
  .object({
    entryId: z.string(),
    at: z.string().openapi({ description: 'UTC instant of the change' }),
    by: z.string().openapi({ description: 'the acting subject (the token `sub`), as `actorId`' }),
    actorId: z.string().openapi({ description: 'the acting subject (the token `sub`): what the `actor` filter matches' }),
    byName: z.string().openapi({ description: "the acting person's display name when the change was recorded (the subject when the token named none)" }),
    byRole: z.enum(['admin', 'evaluator', 'finance', 'clerk', 'resident', 'system']),
    action: z.enum(AUDIT_ACTIONS),
    entityType: z.enum(AUDIT_ENTITY_TYPES),
    entityId: z.string(),
    districtId: z.string(),
    institutionId: z.string().optional(),
    reason: z.string().optional(),
    summary: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .openapi('AuditLogEntry');
