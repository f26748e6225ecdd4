/**
 * Contracts repository: signing, renewal and cancellation as transactions, never
 * read-then-write alone.
 * Keys: CONTRACT#{contractId} / CONTRACT; gsi1 TEAM#{teamId}#CONTRACTS / START#{date}#{id}
 * lists a team's contracts; gsi2 RESIDENT#{ref}#CONTRACTS lists a resident's history; gsi3
 * INSTITUTION#{i}#CONTRACTS / TEAM#{t}#START#{date}#{id} lists all contracts of an institution's
 * teams at once (an evaluation run reads them per institution, not per team).
 * RESIDENT#{ref} / CURRENT_CONTRACT names the resident's latest contract and its last day
 * (`endDate`); it is never deleted, only replaced by the next signing. It enforces one contract
 * per resident per day, everywhere: a new contract is written only under the condition that the
 * current one ended before the new start (`endDate < :start`), so a cancellation, renewal or
 * other signing racing it either happened before (and is respected) or fails the signing.
 * `released` on it means its team place was already given back (an immediate cancellation);
 * otherwise the contract holds a place in its team until the resident's next signing replaces
 * it. The team item's `activeContracts` counter therefore equals the current-contract items
 * naming the team without `released` (checked by `npm run reconcile`), and enforces capacity.
 * The item repeats what a survey response needs of the contract (team, institution, district,
 * term), so taking one reads one item.
 * A cancellation effective in the future keeps the contract `active` (and its place) until that
 * date, the term shortened to it. A historical contract an administrator enters as a correction
 * (`correction`) with its term already over is stored `ended` and holds no place.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ContractStatus, KeyPopulation, ServicePackageKind } from '../domain/contracts.ts';
import { addDays } from '../domain/dates.ts';
import { conflict } from '../domain/errors.ts';
import { batchGet } from './batch.ts';
import type { Db } from './db.ts';
import { entityOf } from './items.ts';
import { keys } from './keys.ts';
import type { Page } from './pagination.ts';
import { queryAll, queryPage } from './query.ts';
import { transactWrite } from './transact.ts';

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
  cancellation?: { noticeDate: string; reason: string; effectiveDate: string };
  /** an administrator's entry of a historical contract outside the signing window, with its reason */
  correction?: { reason: string; by: string; at: string };
  signedAt: string;
}

/**
 * The resident's current-contract item. It exists only while the contract it names is active:
 * cancellation deletes it in the same transaction, a new signing replaces it.
 */
interface CurrentContract {
  contractId: string;
  teamId: string;
  endDate: string;
  institutionId: string;
  districtId: string;
  startDate: string;
  /** the team place was given back (immediate cancellation) */
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
 * transaction: the caller guarantees one contract per resident and sets team counters.
 */
export function contractImportItems(contract: Contract): Record<string, unknown>[] {
  return contract.status === 'ended' ? [contractItem(contract)] : [contractItem(contract), currentContractItem(contract)];
}

function contractItem(contract: Contract): Record<string, unknown> {
  return {
    ...keys.contract(contract.contractId),
    ...keys.contractListEntries(contract.institutionId, contract.teamId, contract.residentRef, contract.startDate, contract.contractId),
    entity: 'contract',
    ...contract,
  };
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
 * condition is in the transaction); the previous contract's place, unless already released,
 * moves to the new team in the same transaction. `publishedPackages` is what the caller checked
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
    const heldPlace = current !== null && current.released !== true;
    const lock = {
      Put: {
        TableName: db.tableName,
        Item: currentContractItem(contract),
        ...(current
          ? {
              ConditionExpression: `contractId = :previous AND endDate < :start AND ${heldPlace ? 'attribute_not_exists(released)' : 'released = :true'}`,
              ExpressionAttributeValues: { ':previous': current.contractId, ':start': contract.startDate, ...(heldPlace ? {} : { ':true': true }) },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    };
    const placeMoves = heldPlace && current.teamId === contract.teamId;
    const items = [
      { Put: { TableName: db.tableName, Item: contractItem(contract), ConditionExpression: 'attribute_not_exists(pk)' } },
      lock,
      ...(placeMoves ? [] : [teamCounter(db, contract.teamId, 1)]),
      ...(heldPlace && !placeMoves ? [teamCounter(db, current.teamId, -1)] : []),
      ...guards,
    ];
    const result = await transactWrite(db, items);
    if (result.ok) return contract;
    const [contractReason, lockReason, teamReason] = result.reasons;
    if (contractReason === 'ConditionalCheckFailed') throw conflict('contract-exists', `Contract ${contract.contractId} already exists`);
    if (!placeMoves && teamReason === 'ConditionalCheckFailed') {
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

/** A historical contract: no overlap with any of the resident's contracts, no place taken. */
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
  const result = await transactWrite(db, [
    { Put: { TableName: db.tableName, Item: contractItem(contract), ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      ConditionCheck: {
        TableName: db.tableName,
        Key: keys.residentCurrentContract(contract.residentRef),
        ConditionExpression: 'attribute_not_exists(pk) OR startDate > :end OR endDate < :start',
        ExpressionAttributeValues: { ':start': contract.startDate, ':end': contract.endDate },
      },
    },
    ...guards,
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

/** Extends the term; the contract must still be the resident's current one and unchanged since read. */
export async function renewContract(db: Db, contract: Contract, newEndDate: string): Promise<Contract> {
  const result = await transactWrite(db, [
    {
      Update: {
        TableName: db.tableName,
        Key: keys.contract(contract.contractId),
        UpdateExpression: 'SET endDate = :end, renewals = renewals + :one, renewedEnds = list_append(if_not_exists(renewedEnds, :none), :oldEndList)',
        ConditionExpression: '#status = :active AND endDate = :oldEnd AND attribute_not_exists(cancellation)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':end': newEndDate,
          ':one': 1,
          ':active': 'active',
          ':oldEnd': contract.endDate,
          ':none': [],
          ':oldEndList': [contract.endDate],
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
  ]);
  if (!result.ok) throw conflict('contract-changed', 'The contract was renewed, cancelled or superseded meanwhile');
  return { ...contract, endDate: newEndDate, renewals: contract.renewals + 1, renewedEnds: [...(contract.renewedEnds ?? []), contract.endDate] };
}

/**
 * Cancels on written notice; the term ends on the effective date. Effective today or earlier: the
 * contract is `cancelled` and its team place given back at once. Effective later: it stays
 * `active` (and keeps its place) until that date, so the resident can sign elsewhere only from
 * the day after. The resident's current-contract item keeps naming it with the shortened end.
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
  const releases = immediate && isCurrent && current.released !== true;
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
              UpdateExpression: releases ? 'SET endDate = :end, released = :true' : 'SET endDate = :end',
              ConditionExpression: 'contractId = :id AND attribute_not_exists(released)',
              ExpressionAttributeValues: { ':id': contract.contractId, ':end': end, ...(releases ? { ':true': true } : {}) },
            },
          },
          ...(releases ? [teamCounter(db, contract.teamId, -1)] : []),
        ]
      : []),
  ]);
  if (!result.ok) throw conflict('contract-changed', 'The contract was cancelled, renewed or superseded meanwhile');
  return (await getContract(db, contract.contractId)) ?? contract;
}

export function listContractsOfTeam(db: Db, teamId: string, limit: number, cursor?: string): Promise<Page<Contract>> {
  return queryPage(db, { index: 'gsi1', partition: keys.contractsOfTeam(teamId), limit, cursor }, entityOf<Contract>);
}

/** Every contract a team ever held, for registry figures in background jobs. */
export async function* allContractsOfTeam(db: Db, teamId: string): AsyncGenerator<Contract> {
  for await (const raw of queryAll(db, { index: 'gsi1', partition: keys.contractsOfTeam(teamId) })) yield entityOf<Contract>(raw);
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

/** The residents' current-contract items (contract named, team, whether its place was released), by resident. */
export async function currentContractsOf(
  db: Db,
  residentRefs: readonly string[],
): Promise<Map<string, { contractId: string; teamId: string; released: boolean }>> {
  const items = await batchGet(
    db,
    residentRefs.map((ref) => keys.residentCurrentContract(ref)),
  );
  const result = new Map<string, { contractId: string; teamId: string; released: boolean }>();
  for (const item of items) {
    const ref = String(item.pk).slice('RESIDENT#'.length);
    result.set(ref, { contractId: String(item.contractId), teamId: String(item.teamId), released: item.released === true });
  }
  return result;
}
