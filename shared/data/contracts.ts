/**
 * Contracts repository: signing, renewal and cancellation as transactions, never
 * read-then-write alone.
 * Keys: CONTRACT#{contractId} / CONTRACT; gsi2 RESIDENT#{ref}#CONTRACTS / START#{date}#{id} lists a
 * resident's history; gsi3 INSTITUTION#{i}#CONTRACTS / TEAM#{t}#START#{date}#{id} lists all contracts
 * of an institution's teams at once (an evaluation run reads them per institution, not per team) and,
 * with the sort key prefix TEAM#{t}#START#, a team's contracts by start date. (A contract is in no
 * third index: every index copy is one more write unit per contract written.)
 * RESIDENT#{ref} / CURRENT_CONTRACT names the resident's latest contract and its last day
 * (`endDate`); it is never deleted, only replaced by the next signing. It enforces one contract
 * per resident per day, everywhere: a new contract is written only under the condition that the
 * current one ended before the new start (`endDate < :start`), so a cancellation, renewal or
 * other signing racing it either happened before (and is respected) or fails the signing.
 * `released` on it means the contract it names was cancelled with immediate effect.
 * The item repeats what a survey response needs of the contract (team, institution, district,
 * term), so taking one reads one item.
 *
 * Status and places: a contract is `active` from its signing until its end date has passed, and
 * every `active` contract holds one place of its team (including one that starts later): the team
 * item's `activeContracts` counter equals its `active` contracts (checked by `npm run reconcile`)
 * and enforces capacity. Every status change moves the counter in the same transaction: signing
 * +1 (the resident's previous contract, still active until its own end, is not touched), an
 * immediate cancellation −1, and the daily step (`endContractsDue`) −1 when it stores a contract
 * whose end date has passed as `ended`. To find those, each active contract has an end-schedule
 * item DISTRICT#{d}#CONTRACT_ENDS / END#{endDate}#{contractId}, written, moved and deleted in the
 * transactions that set, change or end the term. A renewal inside the window after the end
 * date revives a contract the daily step already ended (+1, within capacity).
 * A cancellation effective in the future keeps the contract `active` (and its place) until that
 * date, the term shortened to it. A historical contract an administrator enters as a correction
 * (`correction`) with its term already over is stored `ended` and holds no place.
 * Reads never write: a read that shows a contract derives `ended` from a passed end date
 * (shared/domain/contracts.ts, `statusOn`) before the daily step has stored it.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ContractStatus, KeyPopulation, ServicePackageKind } from '../domain/contracts.ts';
import { addDays } from '../domain/dates.ts';
import { mapLimited } from '../domain/map-limited.ts';
import { conflict } from '../domain/errors.ts';
import { batchGet, batchPut } from './batch.ts';
import type { Db } from './db.ts';
import { entityOf } from './items.ts';
import { keys } from './keys.ts';
import type { Page } from './pagination.ts';
import { queryAll, queryPage } from './query.ts';
import { transactWrite } from './transact.ts';
import { auditLogPut } from './audit-log.ts';

export interface Contract {
  contractId: string;
  teamId: string;
  institutionId: string;
  districtId: string;
  /** keyed hash of the identity number (shared/security/resident-key.ts) */
  residentRef: string;
  identityMasked: string;
  insured: boolean;
  keyPopulations: KeyPopulation[];
  servicePackage: { kind: ServicePackageKind; code: string; priceFen: number };
  startDate: string;
  endDate: string;
  status: ContractStatus;
  renewals: number;
  /** the term ends that renewals extended, oldest first */
  renewedEnds?: string[];
  /** when each of those renewals was recorded (same order); the days it added exist from then (docs/money-rules.md §9, rule 7) */
  renewedAt?: string[];
  cancellation?: { noticeDate: string; reason: string; effectiveDate: string };
  /** when the daily step stored the contract `ended` (its end date had passed) */
  endedAt?: string;
  /** an administrator's entry of a historical contract outside the signing window, with its reason */
  correction?: { reason: string; by: string; at: string };
  signedAt: string;
}

/** A team as its contracts are found: in its institution's contract index. */
type TeamRef = { institutionId: string; teamId: string };

/** The resident's current-contract item: names the latest contract; a new signing replaces it. */
interface CurrentContract {
  contractId: string;
  teamId: string;
  endDate: string;
  institutionId: string;
  districtId: string;
  startDate: string;
  /** the contract was cancelled with immediate effect */
  released?: boolean;
}

/** What the current-contract item says of the active contract it names. */
export type CurrentContractTerms = Pick<Contract, 'contractId' | 'teamId' | 'institutionId' | 'districtId' | 'startDate' | 'endDate'>;

function currentContractItem(contract: Contract): Record<string, unknown> {
  return {
    ...keys.residentCurrentContract(contract.residentRef),
    entity: 'current-contract',
    contractId: contract.contractId,
    teamId: contract.teamId,
    institutionId: contract.institutionId,
    districtId: contract.districtId,
    startDate: contract.startDate,
    endDate: contract.endDate,
  };
}

async function getCurrent(db: Db, residentRef: string): Promise<CurrentContract | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.residentCurrentContract(residentRef), ConsistentRead: true }));
  return result.Item ? entityOf<CurrentContract>(result.Item) : null;
}

/**
 * Items for importing a contract in bulk (seeding, migration) without the signing
 * transaction: the caller guarantees one contract per resident (this one is their latest) and
 * sets team counters to the `active` contracts.
 */
export function contractImportItems(contract: Contract): Record<string, unknown>[] {
  return [contractItem(contract), currentContractItem(contract), ...(contract.status === 'active' ? [endScheduleItem(contract)] : [])];
}

/** The active contract's entry in its district's end schedule. */
function endScheduleItem(contract: Pick<Contract, 'contractId' | 'teamId' | 'districtId' | 'endDate'>): Record<string, unknown> {
  return {
    ...keys.contractEnd(contract.districtId, contract.endDate, contract.contractId),
    entity: 'contract-end',
    contractId: contract.contractId,
    teamId: contract.teamId,
    endDate: contract.endDate,
  };
}

function putEndSchedule(db: Db, contract: Pick<Contract, 'contractId' | 'teamId' | 'districtId' | 'endDate'>) {
  return { Put: { TableName: db.tableName, Item: endScheduleItem(contract) } };
}

function deleteEndSchedule(db: Db, contract: Pick<Contract, 'contractId' | 'districtId' | 'endDate'>) {
  return { Delete: { TableName: db.tableName, Key: keys.contractEnd(contract.districtId, contract.endDate, contract.contractId) } };
}

function contractItem(contract: Contract): Record<string, unknown> {
  return {
    ...keys.contract(contract.contractId),
    ...keys.contractListEntries(contract.institutionId, contract.teamId, contract.residentRef, contract.startDate, contract.contractId),
    entity: 'contract',
    ...contract,
  };
}

/** An administrator's historical contract goes into the general audit log (./audit-log.ts): its team and term, never the resident. */
function correctionLog(db: Db, contract: Contract) {
  if (!contract.correction) return [];
  const { by, at, reason } = contract.correction;
  const summary = { teamId: contract.teamId, startDate: contract.startDate, endDate: contract.endDate, status: contract.status };
  const { contractId: entityId, districtId, institutionId } = contract;
  return [auditLogPut(db, { at, by, action: 'contract.correct', entityType: 'contract', entityId, districtId, institutionId, reason, summary })];
}

function teamCounter(db: Db, teamId: string, delta: 1 | -1) {
  return {
    Update: {
      TableName: db.tableName,
      Key: keys.team(teamId),
      UpdateExpression: 'SET activeContracts = activeContracts + :d',
      ConditionExpression: delta === 1 ? 'attribute_exists(pk) AND activeContracts < #capacity' : 'activeContracts > :zero',
      ...(delta === 1 ? { ExpressionAttributeNames: { '#capacity': 'capacity' } } : {}),
      ExpressionAttributeValues: delta === 1 ? { ':d': 1 } : { ':d': -1, ':zero': 0 },
    },
  };
}

/** Until when a resident is contracted, and from when a new contract may start. */
export function residentContractedUntil(until: string, details: Record<string, unknown> = {}) {
  const availableFrom = addDays(until, 1);
  return conflict(
    'resident-has-active-contract-until',
    `The resident has a contract until ${until}; a contract with another team can start on ${availableFrom} at the earliest`,
    { until, availableFrom, ...details },
  );
}

/** Holds while the institution still publishes exactly the packages the fee check read. */
function packagesCheck(db: Db, institutionId: string, servicePackages: unknown) {
  return {
    ConditionCheck: {
      TableName: db.tableName,
      Key: keys.institution(institutionId),
      ConditionExpression: 'servicePackages = :packages',
      ExpressionAttributeValues: { ':packages': servicePackages },
    },
  };
}

/**
 * Signs a new contract. It must start after the resident's current contract ends (the
 * condition is in the transaction) and takes a place of its team at once (capacity counts it
 * even if it starts later); the previous contract keeps its own place until the daily step ends
 * it after its end date. `publishedPackages` is what the caller checked
 * the fee against: the signing fails (`packages-changed`) if the institution changed them since.
 * A contract whose term is already over (`ended`, an administrator's correction) takes no place:
 * it only has to fit between the resident's other contracts.
 */
export async function signContract(db: Db, contract: Contract, publishedPackages?: unknown): Promise<Contract> {
  const guards = publishedPackages === undefined ? [] : [packagesCheck(db, contract.institutionId, publishedPackages)];
  if (contract.status === 'ended') return insertEndedContract(db, contract, guards);
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await getCurrent(db, contract.residentRef);
    if (current && current.endDate >= contract.startDate) {
      // Names no team or contract: the caller may not be allowed to see them (functions/contracts/app.ts decides).
      throw residentContractedUntil(current.endDate);
    }
    const lock = {
      Put: {
        TableName: db.tableName,
        Item: currentContractItem(contract),
        ...(current
          ? {
              ConditionExpression: 'contractId = :previous AND endDate < :start',
              ExpressionAttributeValues: { ':previous': current.contractId, ':start': contract.startDate },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    };
    const items = [
      { Put: { TableName: db.tableName, Item: contractItem(contract), ConditionExpression: 'attribute_not_exists(pk)' } },
      lock,
      teamCounter(db, contract.teamId, 1),
      putEndSchedule(db, contract),
      ...guards,
      ...correctionLog(db, contract),
    ];
    const result = await transactWrite(db, items);
    if (result.ok) return contract;
    const [contractReason, lockReason, teamReason] = result.reasons;
    if (contractReason === 'ConditionalCheckFailed') throw conflict('contract-exists', `Contract ${contract.contractId} already exists`);
    if (teamReason === 'ConditionalCheckFailed') {
      throw conflict('team-full', `Team ${contract.teamId} has no free place (capacity reached) or does not exist`);
    }
    if (guards.length > 0 && result.reasons.at(-1) === 'ConditionalCheckFailed') {
      throw conflict('packages-changed', 'The institution changed its published service packages meanwhile; check the package and fee again');
    }
    if (lockReason !== 'ConditionalCheckFailed') throw conflict('contract-not-signed', 'The contract could not be signed; retry');
    // The resident's current contract changed under us (a concurrent signing, cancellation or renewal): look again.
  }
  throw conflict('resident-has-contract', 'The resident signed another contract at the same moment');
}

/**
 * A historical contract: no overlap with any of the resident's contracts, no place taken. When it
 * is the resident's latest term it becomes their current-contract item, so a signing starting
 * inside the grace window can never overlap it.
 */
async function insertEndedContract(db: Db, contract: Contract, guards: ReturnType<typeof packagesCheck>[]): Promise<Contract> {
  for await (const raw of queryAll(db, { index: 'gsi2', partition: keys.contractsOfResident(contract.residentRef) })) {
    const other = entityOf<Contract>(raw);
    if (other.startDate <= contract.endDate && contract.startDate <= other.endDate) {
      throw conflict(
        'resident-contract-overlaps',
        `The resident had a contract from ${other.startDate} to ${other.endDate}; contracts of one resident never overlap`,
        {
          otherStart: other.startDate,
          otherEnd: other.endDate,
        },
      );
    }
  }
  const current = await getCurrent(db, contract.residentRef);
  const latest = current === null || current.endDate < contract.startDate;
  const currentItem = latest
    ? {
        Put: {
          TableName: db.tableName,
          Item: currentContractItem(contract),
          ...(current
            ? {
                ConditionExpression: 'contractId = :previous AND endDate < :start',
                ExpressionAttributeValues: { ':previous': current.contractId, ':start': contract.startDate },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      }
    : {
        ConditionCheck: {
          TableName: db.tableName,
          Key: keys.residentCurrentContract(contract.residentRef),
          ConditionExpression: 'startDate > :end',
          ExpressionAttributeValues: { ':end': contract.endDate },
        },
      };
  const result = await transactWrite(db, [
    { Put: { TableName: db.tableName, Item: contractItem(contract), ConditionExpression: 'attribute_not_exists(pk)' } },
    currentItem,
    ...guards,
    ...correctionLog(db, contract),
  ]);
  if (result.ok) return contract;
  if (result.reasons[0] === 'ConditionalCheckFailed') throw conflict('contract-exists', `Contract ${contract.contractId} already exists`);
  if (result.reasons[1] === 'ConditionalCheckFailed') throw conflict('resident-contract-overlaps', "The resident's current contract overlaps this term");
  throw conflict('packages-changed', 'The institution changed its published service packages meanwhile; check the package and fee again');
}

export async function getContract(db: Db, contractId: string): Promise<Contract | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.contract(contractId) }));
  return result.Item ? entityOf<Contract>(result.Item) : null;
}

/** The resident's current contract (in force or expired but not superseded; not one cancelled at once), if any. */
export async function getCurrentContractOf(db: Db, residentRef: string): Promise<Contract | null> {
  const current = await getCurrent(db, residentRef);
  return current && current.released !== true ? getContract(db, current.contractId) : null;
}

/** The terms of the resident's current contract from one consistent read of the current-contract item. */
export async function getCurrentContractTerms(db: Db, residentRef: string): Promise<CurrentContractTerms | null> {
  const current = await getCurrent(db, residentRef);
  if (!current || current.released === true) return null;
  const { contractId, teamId, institutionId, districtId, startDate, endDate } = current;
  return { contractId, teamId, institutionId, districtId, startDate, endDate };
}

/** A transaction item that holds only while the contract is still the resident's current one (not cancelled or superseded). */
export function currentContractCondition(db: Db, residentRef: string, contractId: string) {
  return {
    ConditionCheck: {
      TableName: db.tableName,
      Key: keys.residentCurrentContract(residentRef),
      ConditionExpression: 'contractId = :contract AND attribute_not_exists(released)',
      ExpressionAttributeValues: { ':contract': contractId },
    },
  };
}

/**
 * Extends the term; the contract must still be the resident's current one and unchanged since
 * read (status, end). Its end-schedule entry moves to the new end. A contract the daily step
 * already stored `ended` (renewed inside the window after its end) is revived: `active` again,
 * taking a place of its team within capacity.
 */
export async function renewContract(db: Db, contract: Contract, newEndDate: string, at = new Date().toISOString()): Promise<Contract> {
  const revives = contract.status === 'ended';
  const result = await transactWrite(db, [
    {
      Update: {
        TableName: db.tableName,
        Key: keys.contract(contract.contractId),
        UpdateExpression:
          'SET #status = :active, endDate = :end, renewals = renewals + :one, renewedEnds = list_append(if_not_exists(renewedEnds, :none), :oldEndList), ' +
          'renewedAt = list_append(if_not_exists(renewedAt, :none), :atList)',
        ConditionExpression: '#status = :read AND endDate = :oldEnd AND attribute_not_exists(cancellation)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':end': newEndDate,
          ':one': 1,
          ':active': 'active',
          ':read': contract.status,
          ':oldEnd': contract.endDate,
          ':none': [],
          ':oldEndList': [contract.endDate],
          ':atList': [at],
        },
      },
    },
    {
      Update: {
        TableName: db.tableName,
        Key: keys.residentCurrentContract(contract.residentRef),
        UpdateExpression: 'SET endDate = :end',
        ConditionExpression: 'contractId = :id AND attribute_not_exists(released)',
        ExpressionAttributeValues: { ':end': newEndDate, ':id': contract.contractId },
      },
    },
    putEndSchedule(db, { ...contract, endDate: newEndDate }),
    ...(revives ? [teamCounter(db, contract.teamId, 1)] : [deleteEndSchedule(db, contract)]),
  ]);
  if (!result.ok) {
    if (revives && result.reasons[3] === 'ConditionalCheckFailed') throw conflict('team-full', `Team ${contract.teamId} has no free place (capacity reached)`);
    throw conflict('contract-changed', 'The contract was renewed, cancelled, ended or superseded meanwhile');
  }
  return {
    ...contract,
    status: 'active',
    endDate: newEndDate,
    renewals: contract.renewals + 1,
    renewedEnds: [...(contract.renewedEnds ?? []), contract.endDate],
    renewedAt: [...(contract.renewedAt ?? []), at],
  };
}

/**
 * Cancels on written notice; the term ends on the effective date. Effective today or earlier: the
 * contract is `cancelled` and its team place given back at once. Effective later: it stays
 * `active` (and keeps its place) until that date, so the resident can sign elsewhere only from
 * the day after, and the daily step ends it then. The resident's current-contract item, while it
 * names the contract, takes the shortened end.
 */
export async function cancelContract(
  db: Db,
  contract: Contract,
  cancellation: { noticeDate: string; reason: string; effectiveDate: string },
  today: string,
): Promise<Contract> {
  const current = await getCurrent(db, contract.residentRef);
  const isCurrent = current?.contractId === contract.contractId;
  const immediate = cancellation.effectiveDate <= today;
  const end = cancellation.effectiveDate < contract.endDate ? cancellation.effectiveDate : contract.endDate;
  const schedule = immediate
    ? [deleteEndSchedule(db, contract), teamCounter(db, contract.teamId, -1)]
    : end === contract.endDate
      ? []
      : [deleteEndSchedule(db, contract), putEndSchedule(db, { ...contract, endDate: end })];
  const result = await transactWrite(db, [
    {
      Update: {
        TableName: db.tableName,
        Key: keys.contract(contract.contractId),
        UpdateExpression: 'SET #status = :status, endDate = :end, cancellation = :c',
        ConditionExpression: '#status = :active AND endDate = :readEnd AND attribute_not_exists(cancellation)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': immediate ? 'cancelled' : 'active',
          ':active': 'active',
          ':end': end,
          ':readEnd': contract.endDate,
          ':c': cancellation,
        },
      },
    },
    ...(isCurrent
      ? [
          {
            Update: {
              TableName: db.tableName,
              Key: keys.residentCurrentContract(contract.residentRef),
              UpdateExpression: immediate ? 'SET endDate = :end, released = :true' : 'SET endDate = :end',
              ConditionExpression: 'contractId = :id AND attribute_not_exists(released)',
              ExpressionAttributeValues: { ':id': contract.contractId, ':end': end, ...(immediate ? { ':true': true } : {}) },
            },
          },
        ]
      : []),
    ...schedule,
  ]);
  if (!result.ok) throw conflict('contract-changed', 'The contract was cancelled, renewed, ended or superseded meanwhile');
  return (await getContract(db, contract.contractId)) ?? contract;
}

/** An entry of a district's end schedule: an active contract and its last day. */
interface EndScheduleEntry {
  contractId: string;
  teamId: string;
  endDate: string;
}

/** The district's active contracts whose end date is before `today`, oldest end first. */
async function* endsDue(db: Db, districtId: string, today: string): AsyncGenerator<EndScheduleEntry> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :p AND sk < :before',
        ExpressionAttributeValues: { ':p': keys.contractEndsOfDistrict(districtId).pk, ':before': `END#${today}` },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) yield entityOf<EndScheduleEntry>(item);
    start = page.LastEvaluatedKey;
  } while (start);
}

/**
 * Stores one contract whose end date has passed as `ended` and gives its place back, in one
 * transaction conditioned on the contract being still `active` with that end date: a second
 * firing, or a renewal or cancellation that came first, makes it a no-op (`false`).
 */
export async function endContract(db: Db, contract: { contractId: string; teamId: string; districtId: string; endDate: string }, at: string): Promise<boolean> {
  const result = await transactWrite(db, [
    {
      Update: {
        TableName: db.tableName,
        Key: keys.contract(contract.contractId),
        UpdateExpression: 'SET #status = :ended, endedAt = :at',
        ConditionExpression: '#status = :active AND endDate = :end',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':ended': 'ended', ':active': 'active', ':end': contract.endDate, ':at': at },
      },
    },
    teamCounter(db, contract.teamId, -1),
    deleteEndSchedule(db, contract),
  ]);
  return result.ok;
}

/**
 * The daily step for one district: ends every active contract whose end date is before `today`
 * (`concurrency` transactions at a time). Returns how many it ended and how many had changed
 * meanwhile (renewed, cancelled, or ended by a concurrent firing).
 */
export async function endContractsDue(db: Db, districtId: string, today: string, at: string, concurrency = 8): Promise<{ ended: number; changed: number }> {
  const due: EndScheduleEntry[] = [];
  for await (const entry of endsDue(db, districtId, today)) due.push(entry);
  const outcomes = await mapLimited(due, concurrency, (entry) => endContract(db, { ...entry, districtId }, at));
  const ended = outcomes.filter(Boolean).length;
  return { ended, changed: due.length - ended };
}

/** The team's contracts: its institution's contract index narrowed to the team, by start date. */
const contractsOfTeamQuery = (team: TeamRef) =>
  ({ index: 'gsi3', partition: keys.contractsOfInstitution(team.institutionId), sortKeyPrefix: keys.contractsOfTeam(team.teamId) }) as const;

export function listContractsOfTeam(db: Db, team: TeamRef, limit: number, cursor?: string): Promise<Page<Contract>> {
  return queryPage(db, { ...contractsOfTeamQuery(team), limit, cursor }, entityOf<Contract>);
}

/** Every contract a team ever held, for registry figures in background jobs. */
export async function* allContractsOfTeam(db: Db, team: TeamRef): AsyncGenerator<Contract> {
  for await (const raw of queryAll(db, contractsOfTeamQuery(team))) yield entityOf<Contract>(raw);
}

/** Every contract of an institution's teams, by team and then start date: one query where a run would send one per team. */
export async function* allContractsOfInstitution(db: Db, institutionId: string): AsyncGenerator<Contract> {
  for await (const raw of queryAll(db, { index: 'gsi3', partition: keys.contractsOfInstitution(institutionId) })) yield entityOf<Contract>(raw);
}

/** Every contract of a resident, oldest start first (their history across districts). */
export async function allContractsOfResident(db: Db, residentRef: string): Promise<Contract[]> {
  const contracts: Contract[] = [];
  for await (const raw of queryAll(db, { index: 'gsi2', partition: keys.contractsOfResident(residentRef) })) contracts.push(entityOf<Contract>(raw));
  return contracts;
}

/** The active contracts among `contracts` that have no entry in their district's end schedule (written before it existed). */
export async function withoutEndSchedule(db: Db, contracts: readonly Contract[]): Promise<Contract[]> {
  const active = contracts.filter((c) => c.status === 'active');
  const found = await batchGet(
    db,
    active.map((c) => keys.contractEnd(c.districtId, c.endDate, c.contractId)),
  );
  const scheduled = new Set(found.map((item) => String(item.contractId)));
  return active.filter((c) => !scheduled.has(c.contractId));
}

/** Writes the end-schedule entries of active contracts (a migration of contracts signed before it existed; idempotent). */
export function scheduleEnds(db: Db, contracts: readonly Contract[]): Promise<void> {
  return batchPut(db, contracts.map(endScheduleItem));
}
