/**
 * Payees under the four-eyes rule: one finance officer of the district proposes the payee of an
 * institution (credit code checked, account number encrypted at once), another approves it. The
 * views show the account number masked; only the payment file (./reports/payment-file.ts)
 * decrypts it.
 *
 * Errors: invalid 400 `invalid-credit-code`, `credit-code-check`, `invalid-account-number`;
 * forbidden 403 `four-eyes` (approving your own proposal); conflict 409 `no-payee-proposal`,
 * `payee-proposal-changed` (a newer proposal or approval came first); unavailable 503
 * `payee-key-unavailable` (a function without the key).
 */
import { conflict, DomainError } from '../domain/errors.ts';
import { maskAccountNumber, normaliseAccountNumber, type PayeeDetails, validatePayee } from '../domain/payees.ts';
import { actingNameOf } from '../data/acting-person.ts';
import type { Institution } from '../data/institutions.ts';
import { newId } from '../data/items.ts';
import { approvePayeeProposal, getPayee, getPayeeProposal, type Payee, type PayeeProposal, putPayeeProposal } from '../data/payees.ts';
import type { Deps } from '../deps.ts';
import type { PayeeCipher } from '../security/payee-cipher.ts';

export interface PayeeInput extends PayeeDetails {
  accountNumber: string;
}

export interface MaskedPayee extends PayeeDetails {
  institutionId: string;
  accountNumberMasked: string;
}

export interface PayeeView {
  institutionId: string;
  districtId: string;
  /** `…ByName`: the officers' display names as recorded (the subject for payees from before names were kept) */
  current:
    | (MaskedPayee & {
        revision: number;
        proposedBy: string;
        proposedByName: string;
        proposedAt: string;
        approvedBy: string;
        approvedByName: string;
        approvedAt: string;
      })
    | null;
  pending: (MaskedPayee & { proposalId: string; baseRevision: number; proposedBy: string; proposedByName: string; proposedAt: string }) | null;
}

export async function requirePayeeCipher(deps: Deps): Promise<PayeeCipher> {
  if (!deps.payeeCipher) throw new DomainError('unavailable', 'payee-key-unavailable', 'Payee bank details cannot be read or stored here');
  return deps.payeeCipher();
}

function masked(stored: PayeeDetails & { institutionId: string; accountLast4: string }): MaskedPayee {
  return {
    institutionId: stored.institutionId,
    creditCode: stored.creditCode,
    accountName: stored.accountName,
    bank: stored.bank,
    budgetSubject: stored.budgetSubject,
    accountNumberMasked: maskAccountNumber(stored.accountLast4),
  };
}

export function payeeView(institution: Pick<Institution, 'institutionId' | 'districtId'>, current: Payee | null, pending: PayeeProposal | null): PayeeView {
  return {
    institutionId: institution.institutionId,
    districtId: institution.districtId,
    current: current
      ? {
          ...masked(current),
          revision: current.revision,
          proposedBy: current.proposedBy,
          proposedByName: current.proposedByName ?? current.proposedBy,
          proposedAt: current.proposedAt,
          approvedBy: current.approvedBy,
          approvedByName: current.approvedByName ?? current.approvedBy,
          approvedAt: current.approvedAt,
        }
      : null,
    pending: pending
      ? {
          ...masked(pending),
          proposalId: pending.proposalId,
          baseRevision: pending.baseRevision,
          proposedBy: pending.proposedBy,
          proposedByName: pending.proposedByName ?? pending.proposedBy,
          proposedAt: pending.proposedAt,
        }
      : null,
  };
}

export async function readPayee(deps: Deps, institution: Institution): Promise<PayeeView> {
  const [current, pending] = await Promise.all([getPayee(deps.db, institution.institutionId), getPayeeProposal(deps.db, institution.institutionId)]);
  return payeeView(institution, current, pending);
}

/** The first officer: proposes the payee (replacing a proposal not yet approved). */
export async function proposePayee(deps: Deps, input: { institution: Institution; by: string; details: PayeeInput }): Promise<PayeeView> {
  const { institution, by, details } = input;
  const trimmed = {
    creditCode: details.creditCode.trim(),
    accountName: details.accountName.trim(),
    bank: details.bank.trim(),
    budgetSubject: details.budgetSubject.trim(),
  };
  validatePayee(trimmed);
  const accountNumber = normaliseAccountNumber(details.accountNumber);
  const cipher = await requirePayeeCipher(deps);
  const current = await getPayee(deps.db, institution.institutionId);
  const proposal: PayeeProposal = {
    institutionId: institution.institutionId,
    districtId: institution.districtId,
    ...trimmed,
    accountNumberCipher: cipher.encrypt(accountNumber, institution.institutionId),
    accountLast4: accountNumber.slice(-4),
    proposalId: newId('payee'),
    baseRevision: current?.revision ?? 0,
    proposedBy: by,
    proposedByName: actingNameOf(by) ?? by,
    proposedAt: deps.now().toISOString(),
  };
  await putPayeeProposal(deps.db, proposal);
  return payeeView(institution, current, proposal);
}

/** The second officer: approves the proposal they reviewed (its id). */
export async function approvePayee(deps: Deps, input: { institution: Institution; by: string; proposalId: string }): Promise<PayeeView> {
  const { institution, by, proposalId } = input;
  const proposal = await getPayeeProposal(deps.db, institution.institutionId);
  if (!proposal) throw conflict('no-payee-proposal', `Institution ${institution.institutionId} has no payee change waiting for approval`);
  if (proposal.proposalId !== proposalId) {
    throw conflict('payee-proposal-changed', 'The payee change was replaced after you reviewed it; review the new one', { proposalId: proposal.proposalId });
  }
  if (proposal.proposedBy === by) {
    throw new DomainError(
      'forbidden',
      'four-eyes',
      'A second finance officer must approve: you proposed this payee change, so another officer of the district approves it',
    );
  }
  const outcome = await approvePayeeProposal(deps.db, proposal, { by, at: deps.now().toISOString() });
  if (!outcome.ok) throw conflict('payee-proposal-changed', 'The payee or its pending change changed meanwhile; reload and review again');
  return payeeView(institution, outcome.payee, null);
}
