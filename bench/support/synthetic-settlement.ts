/**
 * A synthetic settlement of any size for the report writers' memory check and the export
 * benchmark (./memory-check.ts, bench/export.ts); no function uses it. N teams with 4 members
 * each, 10 teams per institution, whose lines add up like a real settlement's (the report checks
 * them against the header). Every line is a pure function of its index, so the settlement can be
 *
 * - stored in DynamoDB (`seedSyntheticSettlement`), or
 * - served from memory (`syntheticSettlementDb`): a Db whose client answers the settlement
 *   header's GetItem and the line Queries page by page (1,000 lines, the page size the report
 *   code asks for), generating each page when asked, so nothing grows with N. The report code
 *   runs unchanged on top of it; only DynamoDB's network and storage are left out. Anything else
 *   sent to it throws, so a benchmark cannot silently measure something else.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '#shared/data/db.ts';
import { settlementKeys } from '#shared/data/keys.ts';
import { insertSettlement, type Settlement, writeLines } from '#shared/data/settlements.ts';
import type { InstitutionLine, MemberLine, SettlementLine, TeamLine } from '#shared/domain/settlements/compute.ts';

export interface SyntheticSize {
  teams: number;
  membersPerTeam?: number;
  teamsPerInstitution?: number;
}

interface Shape {
  teams: number;
  membersPerTeam: number;
  perInstitution: number;
  institutions: number;
}

const ROLES = ['general-practitioner', 'community-nurse', 'pharmacist', 'health-manager'] as const;
const NAMES = ['王医生', '李护士', '张药师', '赵健康管理师'] as const;
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const institutionIdOf = (i: number) => `inst-${pad(i, 6)}`;
const teamIdOf = (n: number) => `team-${pad(n, 7)}`;

function shapeOf(size: SyntheticSize): Shape {
  const perInstitution = size.teamsPerInstitution ?? 10;
  return { teams: size.teams, membersPerTeam: size.membersPerTeam ?? 4, perInstitution, institutions: Math.ceil(size.teams / perInstitution) };
}

function teamLine(shape: Shape, n: number): TeamLine {
  const amount = 100_000 + ((n * 7919) % 250_000);
  const contracts = 400 + (n % 1600);
  const score = (50 + ((n * 37) % 5000) / 100).toFixed(2);
  return {
    kind: 'team',
    institutionId: institutionIdOf(Math.floor(n / shape.perInstitution)),
    teamId: teamIdOf(n),
    teamName: `合成团队 ${n + 1}`,
    scored: true,
    score,
    eligibility: 'eligible',
    capPercent: 100,
    gates: [],
    activeContracts: contracts,
    weightedResidents: String(contracts),
    amount,
    explanation: null,
    text: {
      en: `Team ${n + 1}: score ${score} × ${contracts} active contracts = a share of the pool; paid ¥${(amount / 100).toFixed(2)}.`,
      zh: `合成团队 ${n + 1}：得分 ${score} × 有效签约数 ${contracts} = 奖励池的一部分；实发 ${(amount / 100).toFixed(2)} 元。`,
    },
    membersFen: amount,
    memberUnallocatedFen: 0,
    subsidyFen: 30_000 + ((n * 104_729) % 9_000),
    subsidisedContracts: contracts,
    contractDays: contracts * 92,
  };
}

function memberLines(shape: Shape, team: TeamLine): MemberLine[] {
  const amounts = Array.from({ length: shape.membersPerTeam }, () => Math.floor(team.amount / shape.membersPerTeam));
  amounts[0]! += team.amount - amounts.reduce((a, b) => a + b, 0);
  return amounts.map((amount, m) => ({
    kind: 'member',
    institutionId: team.institutionId,
    teamId: team.teamId,
    memberId: `${team.teamId}-m${m}`,
    name: NAMES[m % 4]!,
    amount,
    daysPresent: 92,
    weight: '1',
    stints: [{ role: ROLES[m % 4]!, joinedOn: '2025-01-01', leftOn: null, daysPresent: 92, share: '10', shareSource: 'role' }],
  }));
}

function institutionLine(shape: Shape, i: number): InstitutionLine {
  const line: InstitutionLine = {
    kind: 'institution',
    institutionId: institutionIdOf(i),
    name: `合成社区卫生服务中心 ${i + 1}`,
    ownership: i % 10 === 9 ? 'social' : 'government',
    teams: 0,
    incentiveFen: 0,
    subsidisedContracts: 0,
    contractDays: 0,
    uninsuredContracts: 0,
    exactSubsidyFen: '0',
    subsidyFen: 0,
    feeStatement: null,
  };
  for (let n = i * shape.perInstitution; n < Math.min((i + 1) * shape.perInstitution, shape.teams); n++) {
    const team = teamLine(shape, n);
    line.teams += 1;
    line.incentiveFen += team.amount;
    line.subsidyFen += team.subsidyFen;
    line.subsidisedContracts += team.subsidisedContracts;
    line.contractDays += team.contractDays;
  }
  line.exactSubsidyFen = String(line.subsidyFen);
  return line;
}

/** The header: totals from one pass over the team lines (nothing kept). */
export function syntheticSettlement(size: SyntheticSize, settlementId = `stl-synthetic-${size.teams}`): Settlement {
  const shape = shapeOf(size);
  const totals = { paid: 0, subsidy: 0, contracts: 0, days: 0 };
  for (let n = 0; n < shape.teams; n++) {
    const team = teamLine(shape, n);
    totals.paid += team.amount;
    totals.subsidy += team.subsidyFen;
    totals.contracts += team.subsidisedContracts;
    totals.days += team.contractDays;
  }
  const at = '2026-10-10T00:00:00.000Z';
  return {
    settlementId,
    districtId: 'synthetic',
    period: '2026Q3',
    evaluationId: 'eval-synthetic',
    status: 'draft',
    parameters: {
      evaluationId: 'eval-synthetic',
      period: '2026Q3',
      poolFen: totals.paid,
      method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' },
      roleShares: { 'general-practitioner': '40', 'community-nurse': '30', other: '10' },
      residentWeights: { keyPopulation: '2', byPopulation: {} },
      subsidyPerResidentYearFen: 12_000,
    },
    totals: {
      poolFen: totals.paid,
      paidFen: totals.paid,
      unallocatedFen: 0,
      scaledDown: false,
      membersFen: totals.paid,
      memberUnallocatedFen: 0,
      subsidyFen: totals.subsidy,
      subsidisedContracts: totals.contracts,
      contractDays: totals.days,
      uninsuredContracts: 0,
      yearDays: 365,
      teams: shape.teams,
      scoredTeams: shape.teams,
      paidTeams: shape.teams,
      members: shape.teams * shape.membersPerTeam,
      institutions: shape.institutions,
    },
    histogram: { binWidthFen: 1, counts: [], zeroCount: 0, maxFen: 0 },
    fingerprint: 'f'.repeat(64),
    computationId: `cmp-${settlementId}`,
    lineCounts: { team: shape.teams, member: shape.teams * shape.membersPerTeam, institution: shape.institutions },
    revision: 1,
    correctionOf: null,
    note: null,
    createdBy: 'memory-check',
    createdAt: at,
    computedBy: 'memory-check',
    computedAt: at,
  };
}

/** Stores the synthetic settlement (header and lines) in DynamoDB; returns its header. */
export async function seedSyntheticSettlement(db: Db, size: SyntheticSize, settlementId = `stl-synthetic-${size.teams}`): Promise<Settlement> {
  const shape = shapeOf(size);
  const settlement = syntheticSettlement(size, settlementId);
  let batch: SettlementLine[] = [];
  for (let i = 0; i < shape.institutions; i++) {
    for (let n = i * shape.perInstitution; n < Math.min((i + 1) * shape.perInstitution, shape.teams); n++) {
      const team = teamLine(shape, n);
      batch.push(team, ...memberLines(shape, team));
    }
    batch.push(institutionLine(shape, i));
    if (batch.length >= 2000) {
      await writeLines(db, settlementId, settlement.computationId, batch);
      batch = [];
    }
  }
  if (batch.length > 0) await writeLines(db, settlementId, settlement.computationId, batch);
  await insertSettlement(db, settlement, {
    settlementId,
    revision: 1,
    action: 'create',
    by: 'memory-check',
    at: settlement.createdAt,
    status: 'draft',
    computationId: settlement.computationId,
    fingerprint: settlement.fingerprint,
  });
  return settlement;
}

/** The page size served when a query names none (DynamoDB's 1 MB pages hold a few thousand projected lines). */
const DEFAULT_PAGE = 4000;

/** Lines of one kind from position `from` (team index, member index, institution index), at most `limit`. */
function linesFrom(shape: Shape, kind: SettlementLine['kind'], from: number, limit: number): SettlementLine[] {
  const lines: SettlementLine[] = [];
  if (kind === 'team') {
    for (let n = from; n < shape.teams && lines.length < limit; n++) lines.push(teamLine(shape, n));
  } else if (kind === 'institution') {
    for (let i = from; i < shape.institutions && lines.length < limit; i++) lines.push(institutionLine(shape, i));
  } else {
    for (let n = Math.floor(from / shape.membersPerTeam); n < shape.teams && lines.length < limit; n++) {
      const members = memberLines(shape, teamLine(shape, n));
      const first = n === Math.floor(from / shape.membersPerTeam) ? from % shape.membersPerTeam : 0;
      lines.push(...members.slice(first, first + limit - lines.length));
    }
  }
  return lines;
}

/** The position after the line with this sort key. */
function positionAfter(shape: Shape, kind: SettlementLine['kind'], sk: string): number {
  const parts = sk.split('#');
  if (kind === 'institution') return Number(parts[1]!.slice('inst-'.length)) + 1;
  const n = Number(parts[2]!.slice('team-'.length));
  if (kind === 'team') return n + 1;
  return n * shape.membersPerTeam + Number(parts[3]!.slice(parts[3]!.lastIndexOf('-m') + 2)) + 1;
}

function sortKeyOf(computationId: string, line: SettlementLine): string {
  if (line.kind === 'team') return settlementKeys.teamLine(computationId, line.institutionId, line.teamId).sk;
  if (line.kind === 'member') return settlementKeys.memberLine(computationId, line.institutionId, line.teamId, line.memberId).sk;
  return settlementKeys.institutionLine(computationId, line.institutionId).sk;
}

/** A Db that serves the synthetic settlement from memory, page by page (see the header). */
export function syntheticSettlementDb(size: SyntheticSize, settlementId = `stl-synthetic-${size.teams}`): { db: Db; settlement: Settlement } {
  const shape = shapeOf(size);
  const settlement = syntheticSettlement(size, settlementId);
  const headerKey = settlementKeys.settlement(settlementId);
  const linesPk = settlementKeys.linesOf(settlement.computationId).pk;
  const kinds = Object.entries(settlementKeys.linePrefix) as [SettlementLine['kind'], string][];

  function query(input: QueryCommand['input']): { Items: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> } {
    const values = input.ExpressionAttributeValues ?? {};
    const kind = kinds.find(([, prefix]) => prefix === values[':prefix'])?.[0];
    if (input.KeyConditionExpression !== 'pk = :pk AND begins_with(sk, :prefix)' || values[':pk'] !== linesPk || !kind) {
      throw new Error(`The synthetic settlement serves only its line queries, not ${JSON.stringify(input)}`);
    }
    const after = input.ExclusiveStartKey?.sk;
    const from = typeof after === 'string' ? positionAfter(shape, kind, after) : 0;
    const limit = input.Limit ?? DEFAULT_PAGE;
    const lines = linesFrom(shape, kind, from, limit);
    const projected = input.ProjectionExpression?.split(',').map((name) => input.ExpressionAttributeNames?.[name.trim()] ?? name.trim());
    const items = lines.map((line) => {
      const item: Record<string, unknown> = {
        pk: linesPk,
        sk: sortKeyOf(settlement.computationId, line),
        entity: `settlement-${line.kind}-line`,
        settlementId,
        computationId: settlement.computationId,
        ...line,
      };
      return projected ? Object.fromEntries(projected.filter((name) => name in item).map((name) => [name, item[name]])) : item;
    });
    const last = lines[lines.length - 1];
    const more = lines.length === limit && last !== undefined;
    return { Items: items, ...(more ? { LastEvaluatedKey: { pk: linesPk, sk: sortKeyOf(settlement.computationId, last) } } : {}) };
  }

  const doc = {
    async send(command: unknown) {
      if (command instanceof GetCommand) {
        const key = command.input.Key ?? {};
        // the header; the district and the evaluation run are absent, as in a seeded synthetic settlement
        return key.pk === headerKey.pk && key.sk === headerKey.sk ? { Item: { ...headerKey, entity: 'settlement', ...settlement } } : {};
      }
      if (command instanceof QueryCommand) return query(command.input);
      throw new Error(`The synthetic settlement does not serve ${(command as object)?.constructor?.name}`);
    },
  };
  return { db: { doc: doc as unknown as DynamoDBDocumentClient, tableName: 'synthetic' }, settlement };
}
