/** Periods and times as pages show them, and upload problems of the real validator in Chinese. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_CATALOGUE } from '#shared/domain/metrics/catalogue.ts';
import { uploadProblemText } from '#shared/domain/metrics/problem-texts.ts';
import { validateUpload } from '#shared/domain/metrics/validate-upload.ts';
import { chinaTime, dateLabel, periodLabel } from '#shared/web/format.ts';

describe('page formats', () => {
  it('names periods in Chinese and English', () => {
    expect(periodLabel('2026Q3', 'zh')).toBe('2026年第三季度');
    expect(periodLabel('2026Q1', 'en')).toBe('2026 Q1');
    expect(periodLabel('2026', 'zh')).toBe('2026年');
  });

  it('gives instants in China time with the zone named, across the UTC date line', () => {
    expect(chinaTime('2026-10-05T17:30:00.000Z', 'zh')).toBe('2026-10-06 01:30（北京时间）');
    expect(chinaTime('2026-10-05T17:30:00.000Z', 'en')).toBe('2026-10-06 01:30 China time (UTC+8)');
    expect(dateLabel('2026-11-01', 'zh')).toBe('2026年11月1日');
  });
});

describe('upload problems in Chinese', () => {
  it('translates every problem the validator finds in a bad upload, naming metrics by their Chinese names', () => {
    const codes = DEFAULT_METRIC_CATALOGUE.definitions.map((d) => d.code);
    const good = Object.fromEntries(codes.map((c) => [c, '10']));
    const result = validateUpload(
      {
        columns: codes,
        rows: [
          { row: 2, teamId: 't1', values: { ...good, 'htn-followup-done': '九十' } },
          { row: 3, teamId: 't1', values: { ...good, 'htn-followup-done': '11' } },
          { row: 4, teamId: 'elsewhere', values: { ...good, 'dm-followup-due': '1.5' } },
        ],
      },
      DEFAULT_METRIC_CATALOGUE,
      new Set(['t1']),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const texts = result.problems.map((p) => uploadProblemText(p.message, 'zh', DEFAULT_METRIC_CATALOGUE));
    // no English left, apart from what the user typed (the team id)
    for (const text of texts) expect(text.replace('elsewhere', ''), text).not.toMatch(/[A-Za-z]{3,}/);
    expect(texts).toContain('不是数字：“九十”（只填数字，不要千位分隔符或单位）');
    expect(texts).toContain('“高血压患者已随访人次”（11）超过了“高血压患者应随访人次”（10）');
    expect(texts).toContain('团队编号 elsewhere 不是本机构的团队');
  });
});
