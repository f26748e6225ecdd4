/**
 * Results over time against DynamoDB Local (issue 14 item 6): a district publishes 2026Q1 and
 * 2026Q3 through the lifecycle and skips 2026Q2; the clerk's and the evaluator's scorecard of
 * 2026Q3 show the four periods before it with the totals stored by the official runs (periods
 * without results marked), and the public results page shows the distribution per period.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { allScores } from '#shared/data/evaluations.ts';
import { distributionOf } from '#shared/domain/trends.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { type PublishedPeriod, publishAnotherPeriod, publishedPeriod } from '../support/published-period.ts';

const D = 'trend-d';
let now = new Date('2026-04-05T08:00:00+08:00');
let stack: TestStack;
let p: PublishedPeriod;
let q1Run: string;
let q3Run: string;
const setNow = (iso: string) => {
  now = new Date(iso);
};

async function totalsOf(runId: string): Promise<Map<string, string | null>> {
  const totals = new Map<string, string | null>();
  for await (const s of allScores(stack.db, runId)) totals.set(s.teamId, s.score.total);
  return totals;
}

/** The cells of a table row (tags stripped). */
function rowCells(html: string, rowMarker: string, after = 0): string[] {
  const start = html.indexOf(rowMarker, after);
  expect(start, rowMarker).toBeGreaterThan(-1);
  const row = html.slice(start, html.indexOf('</tr>', start));
  return [...row.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
}

beforeAll(async () => {
  stack = await createTestStack({ now: () => now });
  p = await publishedPeriod(stack, setNow, { districtId: D, period: '2026Q1', before: '2026-04-05T08:00:00+08:00', after: '2026-04-12T09:00:00+08:00' });
  q1Run = p.officialRunId;
  // 2026Q2: nothing published; 2026Q3 with other values
  q3Run = (
    await publishAnotherPeriod(stack, setNow, p, {
      period: '2026Q3',
      before: '2026-10-05T08:00:00+08:00',
      after: '2026-10-12T09:00:00+08:00',
      value: (institution, team) => 12 - institution * 4 - team,
    })
  ).officialRunId;
});

describe('results over time', () => {
  it("shows a team's previous four periods on the clerk's and the evaluator's scorecard, from the official runs", async () => {
    const team = p.district.teams[0]!;
    const [q1, q3] = [(await totalsOf(q1Run)).get(team.teamId), (await totalsOf(q3Run)).get(team.teamId)];
    expect(q1).toMatch(/^\d+\.\d{2}$/);
    expect(q3).not.toBe(q1);
    for (const [token, path] of [
      [p.clerks[0]!, `/clerk/scorecards/${q3Run}/${team.teamId}`],
      [p.evaluator, `/evaluator/evaluations/${q3Run}/teams/${team.teamId}`],
    ] as const) {
      const html = await (await stack.request('GET', path, { token })).text();
      expect(html).toContain('近期各周期结果');
      expect(rowCells(html, '<tr data-testid="trend-total">')).toEqual(['总分', '无结果', '无结果', q1, '无结果', q3]);
      const header = html.slice(html.indexOf('<table data-testid="trend">'), html.indexOf('</thead>', html.indexOf('<table data-testid="trend">')));
      expect([...header.matchAll(/<th scope="col" class="num">(.*?)<\/th>/g)].map((m) => m[1])).toEqual([
        '2025年第三季度',
        '2025年第四季度',
        '2026年第一季度',
        '2026年第二季度',
        '2026年第三季度',
      ]);
      // the one indicator: its whole contribution is the total
      expect(rowCells(html, '<th scope="row">高龄老人上门服务</th>', html.indexOf('<table data-testid="trend">')).slice(1)).toEqual([
        '无结果',
        '无结果',
        q1,
        '无结果',
        q3,
      ]);
    }
  });

  it('shows the distribution of totals per period on the public results page, in zh and en', async () => {
    const html = await (await stack.request('GET', `/public/districts/${D}/results/2026Q3`)).text();
    for (const [period, runId] of [
      ['2026Q1', q1Run],
      ['2026Q3', q3Run],
    ] as const) {
      const expected = distributionOf(period, [...(await totalsOf(runId)).values()]);
      expect(expected.scored).toBe(4);
      expect(rowCells(html, `<tr data-period="${period}">`).slice(1)).toEqual([
        `${expected.scored} / ${expected.teams}`,
        expected.mean,
        expected.q1,
        expected.median,
        expected.q3,
        ...Object.values(expected.grades).map(String),
      ]);
    }
    for (const period of ['2025Q3', '2025Q4', '2026Q2']) expect(rowCells(html, `<tr data-period="${period}">`).slice(1)).toEqual(['无结果']);
    const en = await (await stack.request('GET', `/public/districts/${D}/results/2026Q3?lang=en`)).text();
    expect(en).toContain('Distribution over time');
    expect(rowCells(en, '<tr data-period="2026Q2">').slice(1)).toEqual(['no results']);
  });
});
