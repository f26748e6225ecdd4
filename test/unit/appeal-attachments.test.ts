/** What an appeal's attachment may be: typed by its first bytes, bounded in size and number, named safely (shared/domain/appeal-attachments.ts). */
import { describe, expect, it } from 'vitest';
import { attachmentFileName, checkAttachment, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, sniffAttachmentType } from '#shared/domain/appeal-attachments.ts';
import type { DomainError } from '#shared/domain/errors.ts';

const bytes = (...values: number[]) => new Uint8Array(values);
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as DomainError).code;
  }
  return null;
};

describe('appeal attachments', () => {
  it('recognises PDF, PNG and JPEG by their first bytes only', () => {
    expect(sniffAttachmentType(new TextEncoder().encode('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffAttachmentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('image/png');
    expect(sniffAttachmentType(bytes(0xff, 0xd8, 0xff, 0xdb))).toBe('image/jpeg');
    // a truncated signature, HTML, a GIF, a ZIP, nothing
    expect(sniffAttachmentType(bytes(0x89, 0x50, 0x4e, 0x47))).toBeNull();
    expect(sniffAttachmentType(new TextEncoder().encode('<html><script>'))).toBeNull();
    expect(sniffAttachmentType(new TextEncoder().encode('GIF89a'))).toBeNull();
    expect(sniffAttachmentType(bytes(0x50, 0x4b, 0x03, 0x04))).toBeNull();
    expect(sniffAttachmentType(bytes())).toBeNull();
  });

  it('checks the count first, then the size, then the type', () => {
    const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    expect(checkAttachment({ bytes: 100, head: png }, 0)).toBe('image/png');
    expect(checkAttachment({ bytes: MAX_ATTACHMENT_BYTES, head: png }, MAX_ATTACHMENTS - 1)).toBe('image/png');
    expect(codeOf(() => checkAttachment({ bytes: 100, head: png }, MAX_ATTACHMENTS))).toBe('attachment-limit');
    expect(codeOf(() => checkAttachment({ bytes: MAX_ATTACHMENT_BYTES + 1, head: png }, 0))).toBe('attachment-too-large');
    expect(codeOf(() => checkAttachment({ bytes: 0, head: bytes() }, 0))).toBe('attachment-empty');
    expect(codeOf(() => checkAttachment({ bytes: 5, head: new TextEncoder().encode('hello') }, 0))).toBe('attachment-type');
  });

  it('names the file after what it is, without folders, quotes or control characters', () => {
    expect(attachmentFileName('C:\\Users\\王\\上门记录.PDF', 'application/pdf')).toBe('上门记录.pdf');
    expect(attachmentFileName('../../etc/passwd', 'image/png')).toBe('passwd.png');
    expect(attachmentFileName('scan.pdf', 'image/jpeg')).toBe('scan.jpg');
    expect(attachmentFileName('a"b\r\n<c>.png', 'image/png')).toBe('abc.png');
    expect(attachmentFileName('', 'application/pdf')).toBe('attachment.pdf');
    expect(attachmentFileName(`${'长'.repeat(500)}.png`, 'image/png')).toHaveLength(124);
  });
});
