/**
 * A district ready to settle, for the finance tests (payees, payment files, funding sources,
 * capitation, the year view): institutions with teams, contracts signed through the API with
 * fictional identity numbers, and a completed evaluation run with scores per period, each period
 * walked to `final` with that run official (settling needs it, issue 14).
 */
import { expect } from 'vitest';
import type { TeamScore } from '#shared/domain/scoring/index.ts';
import { createRun, putScores } from '#shared/data/evaluations.ts';
import type { Team } from '#shared/data/teams.ts';
import { createTestDistrict, testIdentityNumbers } from './fixtures.ts';
import { finalizePeriod } from './period-lifecycle.ts';
import { afterJob } from './settlement-jobs.ts';
import type { TestStack } from './stack.ts';

export async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text.slice(0, 500)).toBe(status);
  return JSON.parse(text) as T;
}

export interface FinanceDistrict {
  districtId: string;
  institutionIds: string[];
  teams: Team[];
  identityNumbers: string[];
  /** evaluation id per period */
  runs: Record<string, string>;
}

/**
 * `contracts[i]` contracts for team i (insured unless `uninsuredEvery` divides the index), signed on
 * `startDate`; every period in `periods` gets a completed run scoring the teams with `scores`.
 */
export async function createFinanceDistrict(
  stack: TestStack,
  districtId: string,
  options: {
    institutions?: number;
    teamsPerInstitution?: number;
    contracts: number[];
    periods: string[];
    scores?: string[];
    startDate?: string;
    keyPopulationEvery?: number;
  },
): Promise<FinanceDistrict> {
  const district = await createTestDistrict(stack.db, districtId, {
    institutions: options.institutions ?? 2,
    teamsPerInstitution: options.teamsPerInstitution ?? 2,
  });
  const admin = await stack.token('admin');
  const total = options.contracts.reduce((a, b) => a + b, 0);
  // distinct per district id (fewer than 100 contracts each), so districts of one test never share a resident
  const identityNumbers = testIdentityNumbers(total, [...districtId].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) * 100);
  let n = 0;
  for (const [i, count] of options.contracts.entries()) {
    for (let k = 0; k < count; k++, n++) {
      const keyPopulations = options.keyPopulationEvery && n % options.keyPopulationEvery === 0 ? ['elderly-65'] : [];
      await json(
        await stack.request('POST', '/contracts', {
          token: admin,
          body: {
            teamId: district.teams[i]!.teamId,
            identityNumber: identityNumbers[n],
            insured: n % 5 !== 4,
            startDate: options.startDate ?? '2026-01-01',
            keyPopulations,
            correction: { reason: 'history entered for the test' },
          },
        }),
        201,
      );
    }
  }
  const runs: Record<string, string> = {};
  for (const period of options.periods) {
    const evaluationId = `eval-${districtId}-${period.toLowerCase()}`;
    runs[period] = evaluationId;
    await createRun(stack.db, {
      evaluationId,
      districtId,
      period,
      baselinePeriod: null,
      criteriaVersion: 1,
      status: 'completed',
      phase: 'done',
      progress: { done: district.teams.length, total: district.teams.length },
      startedBy: 'evaluator',
      createdAt: '2026-10-05T00:00:00.000Z',
      fingerprint: 'e'.repeat(64),
    });
    // settling needs the official run of a final period (issue 14)
    await finalizePeriod(stack.db, districtId, period, evaluationId);
    await putScores(
      stack.db,
      district.teams.map((team, i) => ({
        evaluationId,
        teamId: team.teamId,
        institutionId: team.institutionId,
        score: {
          teamId: team.teamId,
          status: 'scored',
          total: options.scores?.[i % options.scores.length] ?? '80.00',
          indicators: [],
          domains: [],
          gates: [],
          eligibility: 'eligible',
          capPercent: 100,
        } as TeamScore,
        rank: null,
        percentile: null,
      })),
    );
  }
  return { districtId, institutionIds: district.institutionIds, teams: district.teams, identityNumbers, runs };
}

export interface SettlementView {
  settlementId: string;
  status: string;
  period: string;
  computationId: string;
  fingerprint: string;
  parameters: Record<string, unknown>;
  totals: {
    poolFen: number;
    paidFen: number;
    subsidyFen: number;
    funding?: { source: string; name: string; incentiveFen: number; subsidyFen: number; totalFen: number }[];
  };
}

/** Creates a draft as `creator` and, unless `approver` is null, approves it as `approver`. */
export async function settle(
  stack: TestStack,
  districtId: string,
  body: Record<string, unknown>,
  creator = 'finance-a',
  approver: string | null = 'finance-b',
): Promise<SettlementView> {
  const token = await stack.token('finance', { districtId, sub: creator });
  const created = await json<SettlementView>(
    await afterJob(stack, await stack.request('POST', `/districts/${districtId}/settlements`, { token, body }), token),
    201,
  );
  if (approver === null) return created;
  return json<SettlementView>(
    await stack.request('POST', `/settlements/${created.settlementId}/approve`, {
      token: await stack.token('finance', { districtId, sub: approver }),
      body: { comment: 'checked' },
    }),
    200,
  );
}

/** Every line of a kind, through the API. */
export async function linesOf<T>(stack: TestStack, settlementId: string, kind: 'team' | 'member' | 'institution', token: string): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `kind=${kind}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { items: T[]; nextCursor: string | null } = await json(
      await stack.request('GET', `/settlements/${settlementId}/lines?${query}`, { token }),
      200,
    );
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** Yuan as read back (a number in a sheet, "12345.67" in a CSV) → fen, exactly. */
export function fenOf(value: unknown): number {
  const text = typeof value === 'object' && value !== null && 'result' in value ? String((value as { result: unknown }).result) : String(value);
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new Error(`not a yuan amount: ${text}`);
  const fen = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -fen : fen;
}

/** 18 characters shaped like a GB 11643 identity number, standing alone. */
export const IDENTITY_PATTERN = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;
