/**
 * Contracts repository: signing, renewal and cancellation as transactions, never
 * read-then-write alone.
 * Keys: CONTRACT#{contractId} / CONTRACT; gsi1 TEAM#{teamId}#CONTRACTS / START#{date}#{id}
 * lists a team's contracts.
 * RESIDENT#{ref} / CURRENT_CONTRACT names the resident's one current contract; creating it with
 * attribute_not_exists (or replacing an expired one by its contractId) enforces one active
 * contract per resident, and repeats what a survey response needs to know of the contract (team,
 * institution, district, term), so taking one reads one item. The team item's activeContracts
 * counter enforces capacity.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ContractStatus, KeyPopulation, ServicePackageKind } from '../domain/contracts.ts';
import { conflict, } from '../domain/errors.ts';
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
  const result = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: keys.residentCurrentContract(residentRef), ConsistentRead: true }),
  );
  return result.Item ? entityOf<CurrentContract>(result.Item) : null;
}

/**
 * Items for importing a contract in bulk (seeding, migration) without the signing
 * transaction: the caller guarantees one contract per resident and sets team counters.
 */
export function contractImportItems(contract: Contract): Record<string, unknown>[] {
  return [contractItem(contract), currentContractItem(contract)];
}

function contractItem(contract: Contract): Record<string, unknown> {
  return {
    ...keys.contract(contract.contractId),
    ...keys.contractListEntries(contract.teamId, contract.startDate, contract.contractId),
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

/**
 * Signs a new contract. A resident whose current contract has run out (endDate before the new
 * start) may sign again: the expired one is superseded and its team's place released in the
 * same transaction. A resident with a contract still in force gets a conflict: switching teams
 * needs a cancellation first.
 */
export async function signContract(db: Db, contract: Contract): Promise<Contract> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await getCurrent(db, contract.residentRef);
    if (current && current.endDate >= contract.startDate) {
      throw conflict('resident-has-contract', 'The resident already has a contract in force; cancel it before signing with another team', {
        currentTeamId: current.teamId,
        currentContractId: current.contractId,
      });
    }
    const lock = {
      Put: {
        TableName: db.tableName,
        Item: currentContractItem(contract),
        ...(current
          ? { ConditionExpression: 'contractId = :previous', ExpressionAttributeValues: { ':previous': current.contractId } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    };
    const sameTeam = current?.teamId === contract.teamId;
    const items = [
      { Put: { TableName: db.tableName, Item: contractItem(contract), ConditionExpression: 'attribute_not_exists(pk)' } },
      lock,
      ...(sameTeam ? [] : [teamCounter(db, contract.teamId, 1)]),
      ...(current && !sameTeam ? [teamCounter(db, current.teamId, -1)] : []),
    ];
    const result = await transactWrite(db, items);
    if (result.ok) return contract;
    const [contractReason, lockReason, teamReason] = result.reasons;
    if (contractReason === 'ConditionalCheckFailed') throw conflict('contract-exists', `Contract ${contract.contractId} already exists`);
    if (teamReason === 'ConditionalCheckFailed') {
      throw conflict('team-full', `Team ${contract.teamId} has no free place (capacity reached) or does not exist`);
    }
    if (lockReason !== 'ConditionalCheckFailed') throw conflict('contract-not-signed', 'The contract could not be signed; retry');
    // The resident's current contract changed under us (a concurrent signing): look again.
  }
  throw conflict('resident-has-contract', 'The resident signed another contract at the same moment');
}

export async function getContract(db: Db, contractId: string): Promise<Contract | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.contract(contractId) }));
  return result.Item ? entityOf<Contract>(result.Item) : null;
}

/** The resident's current contract (in force or expired but not superseded), if any. */
export async function getCurrentContractOf(db: Db, residentRef: string): Promise<Contract | null> {
  const current = await getCurrent(db, residentRef);
  return current ? getContract(db, current.contractId) : null;
}

/** The terms of the resident's current contract from one consistent read of the current-contract item. */
export async function getCurrentContractTerms(db: Db, residentRef: string): Promise<CurrentContractTerms | null> {
  const current = await getCurrent(db, residentRef);
  if (!current) return null;
  const { contractId, teamId, institutionId, districtId, startDate, endDate } = current;
  return { contractId, teamId, institutionId, districtId, startDate, endDate };
}

/** A transaction item that holds only while the contract is still the resident's current one (not cancelled or superseded). */
export function currentContractCondition(db: Db, residentRef: string, contractId: string) {
  return {
    ConditionCheck: {
      TableName: db.tableName,
      Key: keys.residentCurrentContract(residentRef),
      ConditionExpression: 'contractId = :contract',
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
        ConditionExpression: '#status = :active AND endDate = :oldEnd',
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
        ConditionExpression: 'contractId = :id',
        ExpressionAttributeValues: { ':end': newEndDate, ':id': contract.contractId },
      },
    },
  ]);
  if (!result.ok) throw conflict('contract-changed', 'The contract was renewed, cancelled or superseded meanwhile');
  return { ...contract, endDate: newEndDate, renewals: contract.renewals + 1, renewedEnds: [...(contract.renewedEnds ?? []), contract.endDate] };
}

/** Cancels on written notice: ends the term on the effective date and frees the team's place. */
export async function cancelContract(
  db: Db,
  contract: Contract,
  cancellation: { noticeDate: string; reason: string; effectiveDate: string },
): Promise<Contract> {
  const current = await getCurrent(db, contract.residentRef);
  const holdsPlace = current?.contractId === contract.contractId;
  const result = await transactWrite(db, [
    {
      Update: {
        TableName: db.tableName,
        Key: keys.contract(contract.contractId),
        UpdateExpression: 'SET #status = :cancelled, endDate = :end, cancellation = :c',
        ConditionExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':cancelled': 'cancelled',
          ':active': 'active',
          ':end': cancellation.effectiveDate < contract.endDate ? cancellation.effectiveDate : contract.endDate,
          ':c': cancellation,
        },
      },
    },
    ...(holdsPlace
      ? [
          {
            Delete: {
              TableName: db.tableName,
              Key: keys.residentCurrentContract(contract.residentRef),
              ConditionExpression: 'contractId = :id',
              ExpressionAttributeValues: { ':id': contract.contractId },
            },
          },
          teamCounter(db, contract.teamId, -1),
        ]
      : []),
  ]);
  if (!result.ok) throw conflict('contract-changed', 'The contract was cancelled or changed meanwhile');
  return (await getContract(db, contract.contractId)) ?? contract;
}

export function listContractsOfTeam(db: Db, teamId: string, limit: number, cursor?: string): Promise<Page<Contract>> {
  return queryPage(db, { index: 'gsi1', partition: keys.contractsOfTeam(teamId), limit, cursor }, entityOf<Contract>);
}

/** Every contract a team ever held, for registry figures in background jobs. */
export async function* allContractsOfTeam(db: Db, teamId: string): AsyncGenerator<Contract> {
  for await (const raw of queryAll(db, { index: 'gsi1', partition: keys.contractsOfTeam(teamId) })) yield entityOf<Contract>(raw);
}
