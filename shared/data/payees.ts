/**
 * Payees repository: the bank details a district pays an institution to, under the four-eyes rule.
 *
 * Keys (./keys.ts, `payeeKeys`):
 *   INSTITUTION#{i} / PAYEE                       the approved payee (what payment files use)
 *     gsi1 DISTRICT#{d}#PAYEES / INSTITUTION#{i}#CURRENT
 *   INSTITUTION#{i} / PAYEE#PROPOSAL              a change waiting for a second officer (at most one)
 *     gsi1 DISTRICT#{d}#PAYEES / INSTITUTION#{i}#PROPOSAL
 *   INSTITUTION#{i} / PAYEE_AUDIT#{at}#{proposalId}#{1-propose|2-approve}   with the masked details
 *
 * The account number is only ever stored encrypted (`accountNumberCipher`, shared/security/payee-cipher.ts)
 * beside its last four digits for masking; audit entries carry only the last four.
 *
 * Approval is one transaction: the proposal deleted (condition: still the proposal the approver
 * reviewed, and proposed by someone else), the payee written (condition: still at the revision
 * the proposal was based on), and the audit entry. Two approvals of one proposal, or an approval
 * racing a new proposal, cannot both succeed.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PayeeDetails } from '../domain/payees.ts';
import type { Db } from './db.ts';
import { entityOf } from './items.ts';
import { payeeKeys } from './keys.ts';
import { transactWrite } from './transact.ts';
import { actingNameOf } from './acting-person.ts';
import { auditLogPut } from './audit-log.ts';

export interface StoredPayeeFields extends PayeeDetails {
  institutionId: string;
  districtId: string;
  accountNumberCipher: string;
  accountLast4: string;
}

export interface Payee extends StoredPayeeFields {
  /** 1 for the first approved payee, +1 per approved change */
  revision: number;
  proposalId: string;
  proposedBy: string;
  /** display names when recorded (./acting-person.ts); absent on payees from before names were kept */
  proposedByName?: string;
  proposedAt: string;
  approvedBy: string;
  approvedByName?: string;
  approvedAt: string;
}

export interface PayeeProposal extends StoredPayeeFields {
  proposalId: string;
  /** the revision of the approved payee this change was made against (0: none yet) */
  baseRevision: number;
  proposedBy: string;
  /** the proposing officer's display name when recorded (./acting-person.ts) */
  proposedByName?: string;
  proposedAt: string;
}

export interface PayeeAuditEntry extends PayeeDetails {
  institutionId: string;
  action: 'propose' | 'approve';
  proposalId: string;
  by: string;
  at: string;
  accountLast4: string;
  /** approve: the revision the payee now has */
  revision?: number;
}

/** The general audit log's entry (./audit-log.ts): which institution's payee, never its account. */
function payeeLogPut(db: Db, districtId: string, entry: PayeeAuditEntry) {
  const { institutionId, action, by, at, bank, budgetSubject, revision } = entry;
  const summary = { proposalId: entry.proposalId, bank, budgetSubject, ...(revision !== undefined ? { revision } : {}) };
  return auditLogPut(db, { at, by, action: `payee.${action}`, entityType: 'payee', entityId: institutionId, districtId, institutionId, summary });
}

function auditItem(entry: PayeeAuditEntry) {
  const { institutionId, action, proposalId, by, at, creditCode, accountName, bank, budgetSubject, accountLast4 } = entry;
  return {
    ...payeeKeys.audit(institutionId, at, proposalId, action),
    entity: 'payee-audit',
    institutionId,
    action,
    proposalId,
    by,
    at,
    creditCode,
    accountName,
    bank,
    budgetSubject,
    accountLast4,
    ...(entry.revision !== undefined ? { revision: entry.revision } : {}),
  };
}

export async function getPayee(db: Db, institutionId: string): Promise<Payee | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: payeeKeys.current(institutionId), ConsistentRead: true }));
  return result.Item ? entityOf<Payee>(result.Item) : null;
}

export async function getPayeeProposal(db: Db, institutionId: string): Promise<PayeeProposal | null> {
  const result = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: payeeKeys.proposal(institutionId), ConsistentRead: true }));
  return result.Item ? entityOf<PayeeProposal>(result.Item) : null;
}

/** Stores a proposal (replacing a pending one) with its audit entry. */
export async function putPayeeProposal(db: Db, proposal: PayeeProposal): Promise<void> {
  const audit: PayeeAuditEntry = { ...proposal, action: 'propose', by: proposal.proposedBy, at: proposal.proposedAt };
  const result = await transactWrite(db, [
    {
      Put: {
        TableName: db.tableName,
        Item: {
          ...payeeKeys.proposal(proposal.institutionId),
          ...payeeKeys.listEntry(proposal.districtId, proposal.institutionId, 'PROPOSAL'),
          entity: 'payee-proposal',
          ...proposal,
        },
      },
    },
    { Put: { TableName: db.tableName, Item: auditItem(audit), ConditionExpression: 'attribute_not_exists(pk)' } },
    payeeLogPut(db, proposal.districtId, audit),
  ]);
  if (!result.ok) throw new Error(`Payee audit entry for proposal ${proposal.proposalId} exists already`);
}

export type PayeeApprovalOutcome = { ok: true; payee: Payee } | { ok: false; failed: 'proposal' | 'payee' };

/** Approves the proposal: one transaction (see the header). */
export async function approvePayeeProposal(db: Db, proposal: PayeeProposal, approval: { by: string; at: string }): Promise<PayeeApprovalOutcome> {
  const { proposalId, baseRevision, ...fields } = proposal;
  const approvedByName = actingNameOf(approval.by) ?? approval.by;
  const payee: Payee = { ...fields, proposalId, revision: baseRevision + 1, approvedBy: approval.by, approvedByName, approvedAt: approval.at };
  const audit: PayeeAuditEntry = { ...proposal, action: 'approve', by: approval.by, at: approval.at, revision: payee.revision };
  const result = await transactWrite(db, [
    {
      Delete: {
        TableName: db.tableName,
        Key: payeeKeys.proposal(proposal.institutionId),
        ConditionExpression: 'proposalId = :id AND proposedBy <> :by',
        ExpressionAttributeValues: { ':id': proposalId, ':by': approval.by },
      },
    },
    {
      Put: {
        TableName: db.tableName,
        Item: {
          ...payeeKeys.current(proposal.institutionId),
          ...payeeKeys.listEntry(proposal.districtId, proposal.institutionId, 'CURRENT'),
          entity: 'payee',
          ...payee,
        },
        ConditionExpression: baseRevision === 0 ? 'attribute_not_exists(pk)' : 'revision = :base',
        ...(baseRevision === 0 ? {} : { ExpressionAttributeValues: { ':base': baseRevision } }),
      },
    },
    { Put: { TableName: db.tableName, Item: auditItem(audit), ConditionExpression: 'attribute_not_exists(pk)' } },
    payeeLogPut(db, proposal.districtId, audit),
  ]);
  if (result.ok) return { ok: true, payee };
  return { ok: false, failed: result.reasons[1] === 'ConditionalCheckFailed' ? 'payee' : 'proposal' };
}

/** A district's approved payees and pending proposals (one query; a district has at most a few hundred institutions). */
export async function payeesOfDistrict(db: Db, districtId: string): Promise<{ payees: Payee[]; proposals: PayeeProposal[] }> {
  const payees: Payee[] = [];
  const proposals: PayeeProposal[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': payeeKeys.ofDistrict(districtId).gsi1pk },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of result.Items ?? []) {
      if (item.entity === 'payee') payees.push(entityOf<Payee>(item));
      else if (item.entity === 'payee-proposal') proposals.push(entityOf<PayeeProposal>(item));
    }
    start = result.LastEvaluatedKey;
  } while (start);
  return { payees, proposals };
}

export async function listPayeeAudit(db: Db, institutionId: string): Promise<PayeeAuditEntry[]> {
  const entries: PayeeAuditEntry[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': payeeKeys.current(institutionId).pk, ':prefix': payeeKeys.auditPrefix },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of result.Items ?? []) entries.push(entityOf<PayeeAuditEntry>(item));
    start = result.LastEvaluatedKey;
  } while (start);
  return entries;
}
