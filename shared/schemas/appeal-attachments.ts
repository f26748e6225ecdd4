/**
 * An appeal's attachment as the API answers it (shared/data/appeals.ts AppealAttachment). Its own module: the reports function serves attachments and loads
 * only this.
 */
import * as z from './zod.ts';

export const appealAttachmentSchema = z
  .object({
    attachmentId: z.string(),
    fileName: z.string(),
    contentType: z.string().openapi({ description: 'application/pdf, image/png or image/jpeg, as found in the file' }),
    bytes: z.number().int(),
    storageKey: z.string(),
    uploadedBy: z.string(),
    uploadedAt: z.string(),
  })
  .openapi('AppealAttachment');
