/** Report cells and choices: exact yuan from fen, formula neutralisation, CJK widths, file names, ranks, the job threshold. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Settlement } from '#shared/data/settlements.ts';
import {
  asciiFileName,
  columnWidth,
  contentDisposition,
  displayWidth,
  neutralise,
  xlsxText,
  yuanDisplay,
  yuanOf,
  yuanText,
} from '#shared/services/reports/cells.ts';
import { chooseDelivery, estimateReportBytes, linesOf, reportFileNames, reportOptionsFromEnv } from '#shared/services/reports/report.ts';
import { rankTable, scoreHundredths } from '#shared/services/reports/source.ts';

describe('yuan from fen', () => {
  it('is exact: 1234567 fen is the double 12345.67, never 12345.670000000002', () => {
    expect(yuanText(1_234_567)).toBe('12345.67');
    expect(yuanOf(1_234_567)).toBe(12345.67);
    expect(String(yuanOf(1_234_567))).toBe('12345.67');
    // the products a naive conversion would store
    expect(123_456_789 * 0.01).toBe(1234567.8900000001);
    expect(yuanOf(123_456_789)).toBe(1234567.89);
    expect(1_999 * 0.01).toBe(19.990000000000002);
    expect(yuanOf(1_999)).toBe(19.99);
    expect(yuanText(5)).toBe('0.05');
    expect(yuanText(-5)).toBe('-0.05');
    expect(yuanText(-123_400)).toBe('-1234.00');
    expect(yuanText(0)).toBe('0.00');
    expect(yuanText(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
    expect(yuanDisplay(153_600_000)).toBe('¥1,536,000.00');
    expect(yuanDisplay(-1_234_567)).toBe('-¥12,345.67');
    expect(() => yuanText(1.5)).toThrow(RangeError);
  });

  it('round-trips every safe amount: the nearest double to the decimal, which prints back as it', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        const yuan = yuanOf(fen);
        expect(yuan).toBe(Number(yuanText(fen)));
        expect(Number(String(yuan))).toBe(yuan);
        expect(Number(yuan.toFixed(2))).toBe(yuan);
        // parsing what a reader sees ("12345.67") gives back the fen exactly
        const [whole, cents = ''] = yuanText(fen).replace('-', '').split('.');
        expect((fen < 0 ? -1 : 1) * (Number(whole) * 100 + Number(cents))).toBe(fen);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('neutralising text against formula injection', () => {
  it('prefixes a quote to text starting with = + - @ tab CR LF and their full-width forms', () => {
    for (const text of ['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(1+1)', '\t=1', '\r=1', '\n=1', '＝1+1', '＋1', '－1', '＠A1']) {
      expect(neutralise(text)).toBe(`'${text}`);
    }
    for (const text of ['王医生', 'Team 1', '1+1', ' =1', "'=1", '']) expect(neutralise(text)).toBe(text);
  });

  it('also removes characters an XLSX cannot hold', () => {
    expect(xlsxText('a\u0000b\u0007c\td\ne')).toBe('abc\td\ne');
    expect(xlsxText('=1\u0001')).toBe("'=1");
    expect(xlsxText('x'.repeat(40_000))).toHaveLength(32_767);
  });
});

describe('column widths', () => {
  it('count CJK and full-width characters double', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('测试团队')).toBe(8);
    expect(displayWidth('团队 A（一）')).toBe(12);
    expect(displayWidth('¥1,234.56')).toBe(9);
  });

  it('fit the header and the widest value, within limits', () => {
    expect(columnWidth('机构', ['测试社区卫生服务中心 1'])).toBe(displayWidth('测试社区卫生服务中心 1') + 2);
    expect(columnWidth('Rank', ['1', '12'])).toBe('Rank'.length + 3);
    expect(columnWidth('说明', ['很长'.repeat(100)], 60)).toBe(60);
    expect(columnWidth('x', [])).toBe(6);
    expect(columnWidth('x', ['short\n一二三四五六七八九十'])).toBe(22);
  });
});

describe('file names', () => {
  const settlement = (status: Settlement['status']) => ({ settlementId: 'stl-abc', status, lineCounts: { team: 3, member: 8, institution: 2 } }) as Settlement;

  it('name a draft as such, in Chinese with an ASCII fallback', () => {
    expect(reportFileNames(settlement('draft'), { format: 'xlsx', lang: 'zh' })).toEqual({
      fileName: '家庭医生结算报表-stl-abc-草稿.xlsx',
      asciiFileName: 'settlement-report-stl-abc-DRAFT.xlsx',
    });
    expect(reportFileNames(settlement('approved'), { format: 'csv', sheet: 'institutions', lang: 'zh' }).fileName).toBe(
      '家庭医生结算报表-stl-abc-机构补助结算.csv',
    );
    expect(reportFileNames(settlement('approved'), { format: 'csv', sheet: 'members', lang: 'en' })).toEqual({
      fileName: 'settlement-report-stl-abc-members.csv',
      asciiFileName: 'settlement-report-stl-abc-members.csv',
    });
  });

  it('go in Content-Disposition as an ASCII filename and an RFC 5987 filename*', () => {
    const header = contentDisposition("结算 (草稿)'s*.xlsx", 'settlement "x".xlsx');
    expect(header).toBe(`attachment; filename="settlement-x-.xlsx"; filename*=UTF-8''%E7%BB%93%E7%AE%97%20%28%E8%8D%89%E7%A8%BF%29%27s%2A.xlsx`);
    expect(decodeURIComponent(header.split("UTF-8''")[1]!)).toBe("结算 (草稿)'s*.xlsx");
    expect(asciiFileName('a/b\\c".csv')).toBe('a-b-c-.csv');
  });
});

describe('ranks', () => {
  it('are competition ranks by score ("1224"); unscored teams have none', () => {
    const counts = new Uint32Array(10_001);
    for (const score of ['91.50', '88', '88.00', '62.25', '100']) counts[scoreHundredths(score)!]! += 1;
    const rankOf = rankTable(counts);
    expect(['100', '91.5', '88.00', '88', '62.25'].map(rankOf)).toEqual([1, 2, 3, 3, 5]);
    expect(rankOf(null)).toBeNull();
    expect(rankOf('abc')).toBeNull();
    expect(scoreHundredths('100.01')).toBeNull();
    expect(scoreHundredths('0.5')).toBe(50);
  });
});

describe('streaming or a job', () => {
  const large = { settlementId: 'stl-big', status: 'approved', lineCounts: { team: 25_000, member: 90_000, institution: 2_500 } } as Settlement;
  const small = { settlementId: 'stl-small', status: 'approved', lineCounts: { team: 512, member: 1_900, institution: 51 } } as Settlement;
  const limits = { largeReportsAsJobs: true, inlineMaxLines: 20_000, inlineMaxBytes: 4 * 1024 * 1024 };

  it('counts the lines a report writes', () => {
    expect(linesOf(large, { format: 'xlsx', lang: 'zh' })).toBe(117_500);
    expect(linesOf(large, { format: 'csv', sheet: 'institutions', lang: 'zh' })).toBe(2_500);
    expect(estimateReportBytes(small, { format: 'xlsx', lang: 'zh' })).toBeLessThan(1024 * 1024);
  });

  it('streams small reports and makes large ones jobs, only where responses are limited', () => {
    expect(chooseDelivery(small, { format: 'xlsx', lang: 'zh' }, limits)).toBe('inline');
    expect(chooseDelivery(large, { format: 'xlsx', lang: 'zh' }, limits)).toBe('job');
    expect(chooseDelivery(large, { format: 'csv', sheet: 'institutions', lang: 'zh' }, limits)).toBe('inline');
    // 19,000 team lines are under the line threshold but over 4 MB of CSV
    const wide = { ...large, lineCounts: { team: 19_000, member: 0, institution: 0 } } as Settlement;
    expect(chooseDelivery(wide, { format: 'csv', sheet: 'teams', lang: 'zh' }, limits)).toBe('job');
    expect(chooseDelivery(large, { format: 'xlsx', lang: 'zh' }, { ...limits, largeReportsAsJobs: false })).toBe('inline');
  });

  it('reads its settings from the environment: S3 and jobs only with REPORTS_BUCKET', () => {
    const local = reportOptionsFromEnv({});
    expect(local.storage.kind).toBe('local');
    expect(local.largeReportsAsJobs).toBe(false);
    expect(local.inlineMaxLines).toBe(20_000);
    const deployed = reportOptionsFromEnv({ REPORTS_BUCKET: 'gk-reports', REPORT_INLINE_MAX_LINES: '500', REPORT_INLINE_MAX_BYTES: 'x' });
    expect(deployed.storage.kind).toBe('s3');
    expect(deployed.largeReportsAsJobs).toBe(true);
    expect(deployed.inlineMaxLines).toBe(500);
    expect(deployed.inlineMaxBytes).toBe(4 * 1024 * 1024);
  });
});
