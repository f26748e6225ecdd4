/**
 * The evaluation run's baseline: reading what a run reads, with plain key-condition queries and
 * nothing else: the district's teams, for the period and its baseline period the metric
 * pointers and each current upload's row chunks and the survey aggregates, and every team's
 * contracts (8 queries in flight): one query per team (the baseline; gsi3 narrowed to the
 * team), or with `contractsBy: 'institution'` one gsi3 query per institution, the access pattern the run uses.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '#shared/data/db.ts';
import { keys, metricKeys, surveyKeys } from '#shared/data/keys.ts';
import { mapLimited } from '#shared/domain/map-limited.ts';

/** Items of one partition of the table or an index, page by page. */
async function queryItems(
  db: Db,
  partition: Record<string, string>,
  index?: string,
  sortKeyPrefix?: { attribute: string; prefix: string },
): Promise<Record<string, unknown>[]> {
  const [attribute, value] = Object.entries(partition)[0]!;
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        IndexName: index,
        KeyConditionExpression: sortKeyPrefix ? '#p = :p AND begins_with(#s, :s)' : '#p = :p',
        ExpressionAttributeNames: { '#p': attribute, ...(sortKeyPrefix ? { '#s': sortKeyPrefix.attribute } : {}) },
        ExpressionAttributeValues: { ':p': value, ...(sortKeyPrefix ? { ':s': sortKeyPrefix.prefix } : {}) },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

export interface PlainReadCounts {
  teams: number;
  metricChunks: number;
  aggregates: number;
  contracts: number;
}

async function readPeriod(db: Db, districtId: string, period: string): Promise<{ chunks: number; aggregates: number }> {
  const pointers = await queryItems(db, metricKeys.uploadsOfDistrict(districtId, period));
  const chunks = await Promise.all(pointers.map((p) => queryItems(db, metricKeys.rowsOfUpload(p.uploadId as string))));
  const aggregates = await queryItems(db, surveyKeys.aggregatesOfDistrict(districtId, period));
  return { chunks: chunks.reduce((sum, c) => sum + c.length, 0), aggregates: aggregates.length };
}

export async function readEvaluationInputs(
  db: Db,
  districtId: string,
  periods: readonly string[],
  contractsBy: 'team' | 'institution' = 'team',
): Promise<PlainReadCounts> {
  const teams = await queryItems(db, keys.teamsOfDistrict(districtId), 'gsi2');
  const perPeriod = await Promise.all(periods.map((p) => readPeriod(db, districtId, p)));
  const institutions = [...new Set(teams.map((team) => team.institutionId as string))];
  const contracts =
    contractsBy === 'team'
      ? await mapLimited(teams, 8, (team) =>
          queryItems(db, keys.contractsOfInstitution(team.institutionId as string), 'gsi3', keys.contractsOfTeam(team.teamId as string)),
        )
      : await mapLimited(institutions, 8, (institutionId) => queryItems(db, keys.contractsOfInstitution(institutionId), 'gsi3'));
  return {
    teams: teams.length,
    metricChunks: perPeriod.reduce((sum, p) => sum + p.chunks, 0),
    aggregates: perPeriod.reduce((sum, p) => sum + p.aggregates, 0),
    contracts: contracts.reduce((sum, c) => sum + c.length, 0),
  };
}
