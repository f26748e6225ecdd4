/**
 * An appeal's attachments (issue 14 item 5): the clerk who may see the appeal attaches a PDF or
 * an image while it is open; the institution's clerk and the district's evaluators download them.
 * Files go through the storage report files use (./reports/storage.ts): the reports bucket when
 * deployed (under appeals/, which the bucket's expiry rule for reports/ leaves alone), a local
 * directory otherwise (`npm start`: .data/attachments), never swept.
 *
 * A file is stored before the appeal lists it: when the append is refused (decided meanwhile, or
 * a third attachment won the race) the stored file is unreferenced and never served.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppealAttachment, addAppealAttachment, type Appeal } from '../data/appeals.ts';
import { newId } from '../data/items.ts';
import type { Deps } from '../deps.ts';
import { attachmentFileName, checkAttachment, EXTENSIONS, MAX_ATTACHMENTS } from '../domain/appeal-attachments.ts';
import { conflict, notFound } from '../domain/errors.ts';
import { type Caller, visibleAppeal } from './appeal-access.ts';
import { contentDisposition } from './reports/cells.ts';
import { localReportStorage, type ReportStorage, type StoredObjectMeta } from './reports/storage.ts';
import { s3ReportStorage } from './reports/storage-s3.ts';

/** The reports bucket when REPORTS_BUCKET is set, else ATTACHMENTS_DIR (or a temporary directory). */
export function attachmentStorageFromEnv(env: Record<string, string | undefined> = process.env): ReportStorage {
  const bucket = env.REPORTS_BUCKET;
  if (bucket) return s3ReportStorage({ bucket });
  return localReportStorage(env.ATTACHMENTS_DIR ?? join(tmpdir(), 'gatekeeper-attachments'), { maxAgeMs: Number.POSITIVE_INFINITY });
}

const metaOf = (attachment: AppealAttachment): StoredObjectMeta => ({
  contentType: attachment.contentType,
  contentDisposition: contentDisposition(attachment.fileName, `appeal-attachment.${attachment.fileName.split('.').at(-1) ?? 'bin'}`),
});

/** Only the clerk of the appeal's institution adds files, while the appeal is open and has room. */
export async function attachToAppeal(
  deps: Pick<Deps, 'db' | 'now'>,
  storage: ReportStorage,
  input: { appealId: string; caller: Caller; file: { name: string; content: Uint8Array } },
): Promise<AppealAttachment> {
  const appeal = await visibleAppeal(deps, input.appealId, input.caller);
  if (input.caller.role !== 'clerk') throw notFound('appeal', `Appeal ${input.appealId}`);
  if (appeal.status !== 'open') throw conflict('appeal-decided', `Appeal ${appeal.appealId} is already decided`, { status: appeal.status });
  const type = checkAttachment({ bytes: input.file.content.byteLength, head: input.file.content.subarray(0, 8) }, appeal.attachments?.length ?? 0);
  const attachmentId = newId('att');
  const attachment: AppealAttachment = {
    attachmentId,
    fileName: attachmentFileName(input.file.name, type),
    contentType: type,
    bytes: input.file.content.byteLength,
    storageKey: `appeals/${appeal.districtId}/${appeal.appealId}/${attachmentId}.${EXTENSIONS[type]}`,
    uploadedBy: input.caller.subject,
    uploadedAt: deps.now().toISOString(),
  };
  const writer = storage.createWriter(attachment.storageKey, metaOf(attachment));
  writer.stream.end(Buffer.from(input.file.content.buffer, input.file.content.byteOffset, input.file.content.byteLength));
  await writer.done;
  if (!(await addAppealAttachment(deps.db, appeal.appealId, attachment, MAX_ATTACHMENTS))) {
    throw conflict('attachment-refused', `Appeal ${appeal.appealId} is decided or has ${MAX_ATTACHMENTS} attachments already`, { limit: MAX_ATTACHMENTS });
  }
  return attachment;
}

export type AttachmentDelivery =
  | { kind: 'redirect'; url: string }
  | { kind: 'stream'; meta: StoredObjectMeta; reader: NonNullable<Awaited<ReturnType<ReportStorage['openReader']>>> };

/** The institution's clerk and the district's evaluators only; anyone else, and an unknown file, 404. */
export async function attachmentDownload(
  deps: Pick<Deps, 'db'>,
  storage: ReportStorage,
  input: { appealId: string; attachmentId: string; caller: Caller },
): Promise<AttachmentDelivery> {
  const appeal: Appeal = await visibleAppeal(deps, input.appealId, input.caller);
  const attachment = appeal.attachments?.find((a) => a.attachmentId === input.attachmentId);
  if (!attachment || (input.caller.role !== 'clerk' && input.caller.role !== 'evaluator')) throw notFound('attachment', `Attachment ${input.attachmentId}`);
  const meta = metaOf(attachment);
  const url = await storage.downloadUrl(attachment.storageKey, meta, 300);
  if (url) return { kind: 'redirect', url };
  const reader = await storage.openReader(attachment.storageKey);
  if (!reader) throw notFound('attachment', `Attachment ${input.attachmentId}`);
  return { kind: 'stream', meta, reader };
}
