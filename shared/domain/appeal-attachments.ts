/**
 * What an appeal's attachments may be (issue 14 item 5): a PDF, PNG or JPEG file, recognised by
 * its first bytes (never by its name or the type the browser declares), at most
 * MAX_ATTACHMENT_BYTES each and MAX_ATTACHMENTS per appeal.
 *
 * The size limit follows from the deployment: a file travels in one request, which API Gateway
 * hands to Lambda base64-encoded (×4/3) inside an event of at most 6 MB, so 4 MiB is the most
 * that fits with the form around it.
 */
import { DomainError, ruleBroken } from './errors.ts';

export const MAX_ATTACHMENT_BYTES = 4 * 1024 * 1024;
export const MAX_ATTACHMENTS = 3;
/** A multipart form with one attachment and the appeal's fields stays under this. */
export const ATTACHMENT_FORM_LIMIT_BYTES = MAX_ATTACHMENT_BYTES + 64 * 1024;
const MAX_FILE_NAME_CHARS = 120;

export const ATTACHMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

const SIGNATURES: { type: AttachmentType; bytes: readonly number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
];

/** The file's type from its first bytes, or null when it is none of the allowed ones. Reads at most 8 bytes. */
export function sniffAttachmentType(head: Uint8Array): AttachmentType | null {
  for (const signature of SIGNATURES) {
    if (head.length >= signature.bytes.length && signature.bytes.every((byte, i) => head[i] === byte)) return signature.type;
  }
  return null;
}

export const EXTENSIONS: Record<AttachmentType, string> = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg' };

/**
 * The name shown and offered on download: the uploaded name without any folder, control or
 * quoting characters, bounded, and ending in the extension of the type actually found.
 */
export function attachmentFileName(uploadedName: string, type: AttachmentType): string {
  const base = (uploadedName.split(/[\\/]/).at(-1) ?? '')
    .replace(/[\p{Cc}"<>|*?:]/gu, '')
    .trim()
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .slice(0, MAX_FILE_NAME_CHARS);
  return `${base || 'attachment'}.${EXTENSIONS[type]}`;
}

/**
 * Checks one file against the rules before anything is stored: the count on the appeal first
 * (no work for a file that cannot be kept), then the size, then the type from its first bytes.
 */
export function checkAttachment(file: { bytes: number; head: Uint8Array }, attachedAlready: number): AttachmentType {
  if (attachedAlready >= MAX_ATTACHMENTS) {
    throw ruleBroken('attachment-limit', `An appeal has at most ${MAX_ATTACHMENTS} attachments`, { limit: MAX_ATTACHMENTS, field: 'body.file' });
  }
  if (file.bytes === 0) throw new DomainError('invalid', 'attachment-empty', 'The attachment is empty', { field: 'body.file' });
  if (file.bytes > MAX_ATTACHMENT_BYTES) {
    throw ruleBroken('attachment-too-large', `An attachment may not exceed ${MAX_ATTACHMENT_BYTES} bytes`, {
      limit: MAX_ATTACHMENT_BYTES,
      limitMb: MAX_ATTACHMENT_BYTES / 1024 / 1024,
      field: 'body.file',
    });
  }
  const type = sniffAttachmentType(file.head);
  if (!type) throw ruleBroken('attachment-type', 'An attachment must be a PDF, PNG or JPEG file (recognised by its content)', { field: 'body.file' });
  return type;
}
