/**
 * What a settlement report reads, page by page, in constant memory (apart from one small entry
 * per institution):
 *
 * - the header (totals, status, fingerprint, who approved), the district's name and the
 *   evaluation's criteria version;
 * - the institution lines (few: one per institution) for names, ownership and the subsidy sum;
 * - for team sheets, a first pass over the team lines reading only `score`, `amount` and
 *   `subsidyFen` (a projection): the sums shown in the summary's reconciliation and a count of
 *   teams per score in hundredths (10,001 counters), from which each team's competition rank
 *   ("1224", as the evaluation ranks) is one lookup;
 * - for the member sheet, the team lines again (projected on names) beside the member lines, both
 *   in the same key order (institution, team), so a team's name is found by walking forward.
 *
 * The lines are of the computation the header names when the report starts. Lines are written
 * before a header names them and deleted only after a recompute moved the header away, so the
 * report re-reads the header when it ends: if the computation changed meanwhile (a draft was
 * recomputed), the report fails (`recomputed`) instead of mixing or missing lines. Sums that do
 * not match the header fail it as well: a report never shows a reconciliation that is not true.
 *
 * The projected queries read the settlement line items directly (key design in
 * shared/data/settlements.ts); they are here because only reports need these projections.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, notFound } from '../../domain/errors.ts';
import type { Db } from '../../data/db.ts';
import { getDistrict } from '../../data/districts.ts';
import { getRun } from '../../data/evaluations.ts';
import { settlementKeys } from '../../data/keys.ts';
import type { ReportLang } from '../../domain/reports.ts';
import { allLines, getSettlement, type Settlement } from '../../data/settlements.ts';
import type { InstitutionLine } from '../../domain/settlements/compute.ts';
import { REPORT_TEXT, type ReportTexts } from './texts.ts';

export interface InstitutionInfo {
  name: string | null;
  ownership: 'government' | 'social' | null;
}

export interface LineSums {
  count: number;
  amountFen: number;
  subsidyFen: number;
}

export interface ReportContext {
  db: Db;
  settlement: Settlement;
  lang: ReportLang;
  t: ReportTexts;
  districtName: string | null;
  criteriaVersion: number | null;
  generatedAt: Date;
  /** one small entry per institution */
  institutions: Map<string, InstitutionInfo>;
  /** Σ over the institution lines: count, incentives (amountFen), subsidies */
  institutionSums: LineSums;
  /** Σ over the team lines (first pass); null when the report has no team sheet */
  teamSums: LineSums | null;
  /** a team's competition rank by score among the scored teams; null without a score */
  rankOf: (score: string | null) => number | null;
}

/** Lines that do not add up to their header: never expected (settlements are checked when stored); a 500, logged. */
export class ReportIntegrityError extends Error {
  override readonly name = 'ReportIntegrityError';
}

/** Every item of one kind of a computation's lines, only the given attributes, page by page. */
async function* projectedLines(db: Db, computationId: string, prefix: string, attributes: readonly string[]): AsyncGenerator<Record<string, unknown>> {
  const names = Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a]));
  let start: Record<string, unknown> | undefined;
  do {
    const result = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': settlementKeys.linesOf(computationId).pk, ':prefix': prefix },
        ExpressionAttributeNames: names,
        ProjectionExpression: Object.keys(names).join(', '),
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    yield* result.Items ?? [];
    start = result.LastEvaluatedKey;
  } while (start);
}

/** Score "87.5" → 8750 hundredths; null for anything that is not a 0–100 score with at most two decimals. */
export function scoreHundredths(score: string | null): number | null {
  if (score === null) return null;
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(score);
  if (!match) return null;
  const value = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return value <= 10_000 ? value : null;
}

/** Competition ranks from a count of scores per hundredth: rank = 1 + the number of higher scores. */
export function rankTable(counts: Uint32Array): (score: string | null) => number | null {
  // higher[h]: how many scores are above h hundredths
  const higher = new Uint32Array(counts.length);
  for (let h = counts.length - 2; h >= 0; h--) higher[h] = higher[h + 1]! + counts[h + 1]!;
  return (score) => {
    const h = scoreHundredths(score);
    return h === null ? null : 1 + higher[h]!;
  };
}

async function teamFirstPass(db: Db, computationId: string): Promise<{ sums: LineSums; rankOf: ReportContext['rankOf'] }> {
  const counts = new Uint32Array(10_001);
  const sums: LineSums = { count: 0, amountFen: 0, subsidyFen: 0 };
  for await (const item of projectedLines(db, computationId, settlementKeys.linePrefix.team, ['score', 'amount', 'subsidyFen'])) {
    sums.count += 1;
    sums.amountFen += Number(item.amount ?? 0);
    sums.subsidyFen += Number(item.subsidyFen ?? 0);
    const h = scoreHundredths(typeof item.score === 'string' ? item.score : null);
    if (h !== null) counts[h] = counts[h]! + 1;
  }
  return { sums, rankOf: rankTable(counts) };
}

/** The team names of a computation, walked forward in key order beside the member lines. */
export class TeamNames {
  private readonly source: AsyncGenerator<Record<string, unknown>>;
  private current: { key: string; name: string | null } | null | undefined;

  constructor(db: Db, computationId: string) {
    this.source = projectedLines(db, computationId, settlementKeys.linePrefix.team, ['institutionId', 'teamId', 'teamName']);
  }

  private async advance(): Promise<void> {
    const next = await this.source.next();
    this.current = next.done
      ? null
      : { key: `${String(next.value.institutionId)}#${String(next.value.teamId)}`, name: typeof next.value.teamName === 'string' ? next.value.teamName : null };
  }

  /** The name of a team; calls must come in key order (institution, then team), as member lines do. */
  async of(institutionId: string, teamId: string): Promise<string | null> {
    const key = `${institutionId}#${teamId}`;
    if (this.current === undefined) await this.advance();
    while (this.current && this.current.key < key) await this.advance();
    return this.current?.key === key ? this.current.name : null;
  }

  async close(): Promise<void> {
    await this.source.return(undefined);
  }
}

export interface ContextNeeds {
  /** the team first pass (sums and ranks): team sheets and the workbook */
  teams: boolean;
}

/** Reads what every sheet needs before the first row is written; fails early (404, 503) before any byte is sent. */
export async function loadReportContext(
  db: Db,
  settlementOrId: Settlement | string,
  lang: ReportLang,
  needs: ContextNeeds,
  now: Date = new Date(),
): Promise<ReportContext> {
  const settlement = typeof settlementOrId === 'string' ? await getSettlement(db, settlementOrId) : settlementOrId;
  if (!settlement) throw notFound('not-found', `Settlement ${String(settlementOrId)}`);
  const [district, run] = await Promise.all([getDistrict(db, settlement.districtId), getRun(db, settlement.evaluationId)]);
  const institutions = new Map<string, InstitutionInfo>();
  const institutionSums: LineSums = { count: 0, amountFen: 0, subsidyFen: 0 };
  for await (const line of allLines<InstitutionLine>(db, settlement.computationId, 'institution')) {
    institutions.set(line.institutionId, { name: line.name, ownership: line.ownership });
    institutionSums.count += 1;
    institutionSums.amountFen += line.incentiveFen;
    institutionSums.subsidyFen += line.subsidyFen;
  }
  const first = needs.teams ? await teamFirstPass(db, settlement.computationId) : null;
  const context: ReportContext = {
    db,
    settlement,
    lang,
    t: REPORT_TEXT[lang],
    districtName: district?.name ?? null,
    criteriaVersion: run?.criteriaVersion ?? null,
    generatedAt: now,
    institutions,
    institutionSums,
    teamSums: first?.sums ?? null,
    rankOf: first?.rankOf ?? (() => null),
  };
  const problems = [
    ...(institutionSums.count === settlement.lineCounts.institution
      ? []
      : [`${institutionSums.count} institution lines, the header counts ${settlement.lineCounts.institution}`]),
    ...(institutionSums.subsidyFen === settlement.totals.subsidyFen ? [] : ['the institution subsidies do not add up to the subsidy total']),
    ...(first && first.sums.count !== settlement.lineCounts.team ? [`${first.sums.count} team lines, the header counts ${settlement.lineCounts.team}`] : []),
    ...(first && first.sums.amountFen !== settlement.totals.paidFen ? ['the team incentives do not add up to the incentives allocated'] : []),
    ...(first && first.sums.subsidyFen !== settlement.totals.subsidyFen ? ['the team subsidies do not add up to the subsidy total'] : []),
  ];
  if (problems.length > 0) {
    await assertSameComputation(context);
    throw new ReportIntegrityError(`Settlement ${settlement.settlementId}: ${problems.join('; ')}`);
  }
  return context;
}

/** Fails with 409 `recomputed` when the header no longer names the computation the report read. */
export async function assertSameComputation(context: ReportContext): Promise<void> {
  const now = await getSettlement(context.db, context.settlement.settlementId);
  if (now?.computationId !== context.settlement.computationId) {
    throw conflict('recomputed', 'The settlement was recomputed while the report was being written; request it again');
  }
}

/**
 * A sheet's own check after its last row; when it fails, a recompute that replaced the lines
 * meanwhile is the likelier cause, so that is reported first (409 rather than 500).
 */
export async function finishSheet(context: ReportContext, sheet: { finish: () => void }): Promise<void> {
  try {
    sheet.finish();
  } catch (error) {
    await assertSameComputation(context);
    throw error;
  }
}
