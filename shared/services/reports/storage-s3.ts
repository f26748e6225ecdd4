/**
 * Report files in the reports bucket (REPORTS_BUCKET). A report is streamed into S3 as it is
 * produced: a small one with one PutObject, a large one as a multipart upload of `partSize`
 * parts (S3 needs at least 5 MiB each, except the last), so at most one part is in memory.
 * A failed report aborts its multipart upload; the bucket's lifecycle rule also aborts stale
 * uploads and expires reports after 7 days (infra/gatekeeper-stack.ts).
 *
 * Downloads are presigned GetObject links, short-lived, that name the file through
 * response-content-disposition, so the browser saves it under its Chinese name.
 *
 * IAM (the reports function's role): s3:PutObject (also authorises the multipart calls),
 * s3:AbortMultipartUpload and s3:GetObject (a presigned link acts with the signer's rights) on
 * the bucket's objects: `reportsBucket: 'read-write'` in infra/function-permissions.ts.
 */
import { Writable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { assertReportKey, type ReportStorage, type ReportWriter, type StoredObjectMeta } from './storage.ts';

export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

export interface S3StorageOptions {
  bucket: string;
  /** a client to use (tests pass one); otherwise one is created on first use, in the function's region */
  client?: S3Client;
  /** bytes per multipart part; default 8 MiB (S3's minimum is 5 MiB) */
  partSize?: number;
}

type S3Module = typeof import('@aws-sdk/client-s3');

class S3ObjectWriter extends Writable {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private uploadId: string | undefined;
  private readonly parts: { ETag: string; PartNumber: number }[] = [];
  private stored = false;
  bytes = 0;

  constructor(
    private readonly s3: () => Promise<{ client: S3Client; sdk: S3Module }>,
    private readonly bucket: string,
    private readonly key: string,
    private readonly meta: StoredObjectMeta,
    private readonly partSize: number,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.bytes += chunk.length;
    if (this.buffered >= this.partSize) this.uploadPart().then(() => callback(), callback);
    else callback();
  }

  private async uploadPart(): Promise<void> {
    const { client, sdk } = await this.s3();
    const body = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    if (this.uploadId === undefined) {
      const created = await client.send(
        new sdk.CreateMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.key,
          ContentType: this.meta.contentType,
          ContentDisposition: this.meta.contentDisposition,
        }),
      );
      if (!created.UploadId) throw new Error('S3 returned no UploadId');
      this.uploadId = created.UploadId;
    }
    const partNumber = this.parts.length + 1;
    const part = await client.send(
      new sdk.UploadPartCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId, PartNumber: partNumber, Body: body }),
    );
    if (!part.ETag) throw new Error(`S3 returned no ETag for part ${partNumber}`);
    this.parts.push({ ETag: part.ETag, PartNumber: partNumber });
  }

  override _final(callback: (error?: Error | null) => void): void {
    (async () => {
      const { client, sdk } = await this.s3();
      if (this.uploadId === undefined) {
        await client.send(
          new sdk.PutObjectCommand({
            Bucket: this.bucket,
            Key: this.key,
            Body: Buffer.concat(this.chunks, this.buffered),
            ContentType: this.meta.contentType,
            ContentDisposition: this.meta.contentDisposition,
          }),
        );
        this.chunks = [];
        this.stored = true;
        return;
      }
      if (this.buffered > 0) await this.uploadPart();
      await client.send(
        new sdk.CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId, MultipartUpload: { Parts: this.parts } }),
      );
      this.stored = true;
    })().then(() => callback(), callback);
  }

  /** Destroyed before the object was stored (with or without an error): the multipart upload is aborted. */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.chunks = [];
    if (!this.stored && this.uploadId !== undefined) {
      const uploadId = this.uploadId;
      this.s3()
        .then(({ client, sdk }) => client.send(new sdk.AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: uploadId })))
        .catch(() => {
          // the bucket's lifecycle rule aborts what is left after a day
        })
        .finally(() => callback(error));
      return;
    }
    callback(error);
  }
}

export function s3ReportStorage(options: S3StorageOptions): ReportStorage {
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  let loaded: Promise<{ client: S3Client; sdk: S3Module }> | undefined;
  const s3 = () => {
    loaded ??= import('@aws-sdk/client-s3').then((sdk) => ({ sdk, client: options.client ?? new sdk.S3Client({}) }));
    return loaded;
  };
  return {
    kind: 's3',
    createWriter(key, meta): ReportWriter {
      assertReportKey(key);
      const stream = new S3ObjectWriter(s3, options.bucket, key, meta, partSize);
      const done = new Promise<{ bytes: number }>((resolve, reject) => {
        stream.once('finish', () => resolve({ bytes: stream.bytes }));
        stream.once('error', reject);
        stream.once('close', () => reject(new Error('The report upload was abandoned')));
      });
      done.catch(() => {});
      return { stream, done };
    },
    async downloadUrl(key, meta, expiresInSeconds) {
      assertReportKey(key);
      const [{ client, sdk }, { getSignedUrl }] = await Promise.all([s3(), import('@aws-sdk/s3-request-presigner')]);
      return getSignedUrl(
        client,
        new sdk.GetObjectCommand({
          Bucket: options.bucket,
          Key: key,
          ResponseContentDisposition: meta.contentDisposition,
          ResponseContentType: meta.contentType,
        }),
        { expiresIn: expiresInSeconds },
      );
    },
    async openReader() {
      return null;
    },
  };
}
