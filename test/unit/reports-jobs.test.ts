/** What a poll of a report job shows: progress, the link when done, and a job whose runner died reported as failed. */
import { describe, expect, it } from 'vitest';
import type { ReportJob } from '#shared/data/report-jobs.ts';
import { reportJobEventOf, reportJobView } from '#shared/services/reports/jobs.ts';
import type { ReportStorage } from '#shared/services/reports/storage.ts';

const AT = '2026-11-22T08:00:00.000Z';
const job = (overrides: Partial<ReportJob>): ReportJob => ({
  jobId: 'rpt-1',
  settlementId: 'stl-1',
  districtId: 'haidian',
  format: 'xlsx',
  sheet: null,
  lang: 'zh',
  status: 'running',
  progress: { rows: 250, total: 1000 },
  fileName: '家庭医生结算报表-stl-1-草稿.xlsx',
  asciiFileName: 'settlement-report-stl-1-DRAFT.xlsx',
  contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  storageKey: 'reports/haidian/stl-1/rpt-1.xlsx',
  bytes: null,
  error: null,
  createdBy: 'finance-a',
  createdAt: AT,
  updatedAt: AT,
  expiresAt: 0,
  ...overrides,
});
const storage = (link: string | null): ReportStorage => ({
  kind: link ? 's3' : 'local',
  createWriter: () => {
    throw new Error('not used');
  },
  downloadUrl: async () => link,
  openReader: async () => null,
});
const options = (minutesLater: number) => ({
  linkTtlSeconds: 300,
  localDownload: '/report-jobs/rpt-1/file',
  now: new Date(Date.parse(AT) + minutesLater * 60_000),
});

describe('a report job as polled', () => {
  it('shows rows written of rows to write while running, and no link', async () => {
    const view = await reportJobView(job({}), storage(null), options(1));
    expect(view).toMatchObject({ status: 'running', progress: { rows: 250, total: 1000, percent: 25 }, downloadUrl: null });
  });

  it('links the app route locally and a presigned link from S3 when done', async () => {
    const done = job({ status: 'done', progress: { rows: 1003, total: 1003 }, bytes: 4096 });
    expect((await reportJobView(done, storage(null), options(1))).downloadUrl).toBe('/report-jobs/rpt-1/file');
    const s3 = await reportJobView(done, storage('https://bucket.s3.cn-north-1.amazonaws.com.cn/x?X-Amz-Signature=abc'), options(1));
    expect(s3).toMatchObject({ status: 'done', progress: { percent: 100 }, downloadUrl: expect.stringContaining('X-Amz-Signature') });
  });

  it('reports a job failed when it made no progress for 15 minutes (its runner never started or died)', async () => {
    expect((await reportJobView(job({ status: 'queued' }), storage(null), options(14))).status).toBe('queued');
    const stale = await reportJobView(job({ status: 'queued' }), storage(null), options(16));
    expect(stale).toMatchObject({ status: 'failed', downloadUrl: null });
    expect(stale.error).toContain('15 minutes');
    expect((await reportJobView(job({ status: 'running' }), storage(null), options(16))).status).toBe('failed');
    expect((await reportJobView(job({ status: 'done' }), storage(null), options(60))).status).toBe('done');
  });

  it('recognises the event a deployed runner would send the function', () => {
    expect(reportJobEventOf({ reportJobId: 'rpt-1' })).toEqual({ reportJobId: 'rpt-1' });
    expect(reportJobEventOf({ reportJobId: '../x' })).toBeNull();
    expect(reportJobEventOf({ version: '2.0', routeKey: 'GET /x' })).toBeNull();
    expect(reportJobEventOf(null)).toBeNull();
  });
});
