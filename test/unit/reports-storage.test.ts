/**
 * Report storage: the S3 writer against a mocked client (one PutObject for a small file, a
 * multipart upload part by part for a large one, an aborted upload when the report fails) and
 * its presigned links; the local directory (a file appears only when complete).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contentDisposition } from '#shared/services/reports/cells.ts';
import { assertReportKey, localReportStorage } from '#shared/services/reports/storage.ts';
import { s3ReportStorage } from '#shared/services/reports/storage-s3.ts';

const META = {
  contentType: 'text/csv; charset=utf-8',
  contentDisposition: contentDisposition('家庭医生结算报表-stl-1-草稿.csv', 'settlement-report-stl-1-DRAFT.csv'),
};
const KEY = 'reports/haidian/stl-1/rpt-1.csv';
const s3 = mockClient(S3Client);
const client = new S3Client({ region: 'cn-north-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });

function chunks(count: number, size: number): Readable {
  return Readable.from(Array.from({ length: count }, (_, i) => Buffer.alloc(size, 65 + i)));
}

beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({ ETag: '"whole"' });
  s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-1' });
  s3.on(UploadPartCommand).callsFake((input: { PartNumber: number }) => ({ ETag: `"etag-${input.PartNumber}"` }));
  s3.on(CompleteMultipartUploadCommand).resolves({});
  s3.on(AbortMultipartUploadCommand).resolves({});
});

describe('S3 report storage', () => {
  it('stores a small report with one PutObject, named for the download', async () => {
    const storage = s3ReportStorage({ bucket: 'gk-reports', client, partSize: 1024 });
    const writer = storage.createWriter(KEY, META);
    await pipeline(chunks(3, 100), writer.stream);
    expect(await writer.done).toEqual({ bytes: 300 });
    const puts = s3.commandCalls(PutObjectCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0]!.args[0].input).toMatchObject({
      Bucket: 'gk-reports',
      Key: KEY,
      ContentType: META.contentType,
      ContentDisposition: META.contentDisposition,
    });
    expect((puts[0]!.args[0].input.Body as Buffer).length).toBe(300);
    expect(s3.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
  });

  it('streams a large report as a multipart upload, one part in memory at a time', async () => {
    const storage = s3ReportStorage({ bucket: 'gk-reports', client, partSize: 1000 });
    const writer = storage.createWriter(KEY, META);
    await pipeline(chunks(7, 400), writer.stream);
    expect(await writer.done).toEqual({ bytes: 2800 });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(s3.commandCalls(CreateMultipartUploadCommand)[0]!.args[0].input).toMatchObject({
      Bucket: 'gk-reports',
      Key: KEY,
      ContentDisposition: META.contentDisposition,
    });
    const parts = s3.commandCalls(UploadPartCommand).map((call) => call.args[0].input);
    expect(parts.map((p) => [p.PartNumber, (p.Body as Buffer).length, p.UploadId])).toEqual([
      [1, 1200, 'upload-1'],
      [2, 1200, 'upload-1'],
      [3, 400, 'upload-1'],
    ]);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input).toEqual({
      Bucket: 'gk-reports',
      Key: KEY,
      UploadId: 'upload-1',
      MultipartUpload: {
        Parts: [
          { ETag: '"etag-1"', PartNumber: 1 },
          { ETag: '"etag-2"', PartNumber: 2 },
          { ETag: '"etag-3"', PartNumber: 3 },
        ],
      },
    });
    expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0);
  });

  it('aborts the multipart upload when a part fails or the report is abandoned', async () => {
    s3.on(UploadPartCommand).rejects(new Error('SlowDown'));
    const storage = s3ReportStorage({ bucket: 'gk-reports', client, partSize: 1000 });
    const failing = storage.createWriter(KEY, META);
    await expect(pipeline(chunks(4, 600), failing.stream)).rejects.toThrow('SlowDown');
    await expect(failing.done).rejects.toThrow('SlowDown');
    await new Promise((resolve) => setImmediate(resolve));
    expect(s3.commandCalls(AbortMultipartUploadCommand)[0]!.args[0].input).toEqual({ Bucket: 'gk-reports', Key: KEY, UploadId: 'upload-1' });

    s3.reset();
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-2' });
    s3.on(UploadPartCommand).resolves({ ETag: '"e"' });
    const abandoned = storage.createWriter(KEY, META);
    abandoned.stream.write(Buffer.alloc(1500));
    await new Promise((resolve) => setTimeout(resolve, 10));
    abandoned.stream.destroy(); // the report failed: writeReport destroys its destination without an error
    await expect(abandoned.done).rejects.toThrow(/abandoned/);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(s3.commandCalls(AbortMultipartUploadCommand).map((c) => c.args[0].input.UploadId)).toEqual(['upload-2']);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });

  it('presigns a short-lived GetObject link that names the file', async () => {
    const storage = s3ReportStorage({ bucket: 'gk-reports', client });
    const url = new URL((await storage.downloadUrl(KEY, META, 300))!);
    expect(url.hostname).toContain('gk-reports');
    expect(url.pathname).toBe(`/${KEY}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('response-content-disposition')).toBe(META.contentDisposition);
    expect(url.searchParams.get('response-content-type')).toBe(META.contentType);
    expect(await storage.openReader(KEY)).toBeNull();
    expect(s3.calls()).toHaveLength(0); // presigning signs locally, nothing is sent
  });

  it("presigns on the function's own region's endpoint: amazonaws.com.cn in Beijing and Ningxia", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' });
    try {
      for (const [region, host] of [
        ['cn-north-1', 'gk-reports.s3.cn-north-1.amazonaws.com.cn'],
        ['cn-northwest-1', 'gk-reports.s3.cn-northwest-1.amazonaws.com.cn'],
        ['eu-west-1', 'gk-reports.s3.eu-west-1.amazonaws.com'],
      ]) {
        process.env.AWS_REGION = region;
        // no client given: the storage creates one as a deployed function does, from the environment
        const url = new URL((await s3ReportStorage({ bucket: 'gk-reports' }).downloadUrl(KEY, META, 300))!);
        expect(url.hostname, region).toBe(host);
        expect(url.searchParams.get('X-Amz-Credential'), region).toContain(`/${region}/s3/aws4_request`);
      }
    } finally {
      process.env = saved;
    }
  });

  it('refuses keys that are not report keys', () => {
    for (const key of ['../etc/passwd', '/abs', 'a//b', 'a/../b', 'a b']) expect(() => assertReportKey(key)).toThrow();
    expect(() => s3ReportStorage({ bucket: 'b', client }).createWriter('reports/../x', META)).toThrow();
  });
});

describe('local report storage', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gk-storage-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('shows a file only once it is complete, and serves it', async () => {
    const storage = localReportStorage(dir);
    const writer = storage.createWriter(KEY, META);
    writer.stream.write(Buffer.from('\uFEFFa,b\r\n'));
    expect(await storage.openReader(KEY)).toBeNull();
    writer.stream.end(Buffer.from('1,2\r\n'));
    expect(await writer.done).toEqual({ bytes: 13 });
    const file = (await storage.openReader(KEY))!;
    expect(file.bytes).toBe(13);
    const chunksRead: Buffer[] = [];
    for await (const chunk of file.stream) chunksRead.push(chunk as Buffer);
    expect(Buffer.concat(chunksRead).toString('utf8')).toBe('\uFEFFa,b\r\n1,2\r\n');
    expect(await storage.downloadUrl(KEY, META, 300)).toBeNull();
  });

  it('drops an abandoned file', async () => {
    const storage = localReportStorage(dir);
    const key = 'reports/haidian/stl-1/rpt-2.xlsx';
    const writer = storage.createWriter(key, META);
    writer.stream.write(Buffer.alloc(100));
    await new Promise((resolve) => setTimeout(resolve, 10));
    writer.stream.destroy();
    await expect(writer.done).rejects.toThrow(/abandoned/);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await storage.openReader(key)).toBeNull();
    expect((await readdir(dir)).filter((name) => name.includes('rpt-2'))).toEqual([]);
    expect(await readFile(join(dir, KEY.replaceAll('/', '__')), 'utf8')).toContain('1,2');
  });
});
