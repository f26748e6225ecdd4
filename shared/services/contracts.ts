/**
 * Contract use cases the API (functions/contracts/app.ts) and the clerk's pages both call:
 * signing, renewal and cancellation with the rules of docs/money-rules.md. The caller has already
 * checked that the team or contract is in the principal's scope (shared/http/scope.ts).
 */
import { addDays, todayIso, toDayNumber } from '../domain/dates.ts';
import { asOfToday, contractStartWindow, maxChargeFen, renewedEnd, termEnd, withDerivedKeyPopulations } from '../domain/contracts.ts';
import { MAX_PAGE_SIZE } from '../domain/paging.ts';
import { localDateAt } from '../domain/period-close.ts';
import { DomainError, ruleBroken } from '../domain/errors.ts';
import { birthDateOf, maskIdentityNumber } from '../domain/identity-number.ts';
import { subsidyRateOn } from '../domain/money/subsidy-rates.ts';
import {
  cancelContract,
  type Contract,
  endContractsDue,
  getContract,
  getCurrentContractOf,
  listContractsOfTeam,
  renewContract,
  signContract,
} from '../data/contracts.ts';
import { type District, listDistricts, requireDistrict, subsidyRatesOf } from '../data/districts.ts';
import { type Institution, requireInstitution } from '../data/institutions.ts';
import { newId } from '../data/items.ts';
import { getTeam, type Team } from '../data/teams.ts';
import type { Deps } from '../deps.ts';

/** Renewal opens this many days before the end of the term and stays open this long after. */
export const RENEWAL_WINDOW = { daysBefore: 60, daysAfter: 30 } as const;

/** Who acts: the token subject and role (an administrator may enter a historical contract as a correction). */
export interface Actor {
  subject: string;
  role: string;
}

export interface SignInput {
  insured: boolean;
  keyPopulations: Contract['keyPopulations'];
  servicePackage: Contract['servicePackage'];
  startDate: string;
  correction?: { reason: string } | undefined;
}

/** The start date is inside the signing window, or an administrator enters a historical contract as a correction. */
function checkStartDate(actor: Actor, district: District, startDate: string, today: string, correction: { reason: string } | undefined): void {
  if (correction && actor.role !== 'admin') {
    throw new DomainError('forbidden', 'correction-admin-only', 'Only an administrator enters a historical contract as a correction', {
      field: 'body.correction',
    });
  }
  const { earliest, latest } = contractStartWindow(today, district.settings.contractStartGraceDays);
  if (!correction && (startDate < earliest || startDate > latest)) {
    throw ruleBroken(
      'contract-start-outside-window',
      `A contract starts between ${earliest} and ${latest}; an earlier start is an administrator's correction`,
      {
        field: 'body.startDate',
        earliest,
        latest,
      },
    );
  }
}

/** The package is one the institution publishes, and the price at most what the fee rules allow. */
function checkFee(
  institution: Institution,
  district: District,
  body: { insured: boolean; startDate: string; servicePackage: Contract['servicePackage'] },
): void {
  const { kind, code, priceFen } = body.servicePackage;
  const published = institution.servicePackages.find((p) => p.code === code && p.kind === kind);
  if (!published) {
    throw ruleBroken('package-not-published', `${institution.name} does not publish a ${kind} package ${code}`, {
      field: 'body.servicePackage.code',
      packageCode: code,
    });
  }
  const maxFen = maxChargeFen({
    ownership: institution.ownership,
    kind,
    publishedFeeFen: published.feeFen,
    insured: body.insured,
    subsidyPerYearFen: subsidyRateOn(subsidyRatesOf(district.settings), body.startDate),
  });
  if (priceFen > maxFen) {
    throw ruleBroken('fee-above-allowed', `At most ${maxFen} fen may be charged for package ${code} (published fee ${published.feeFen} fen)`, {
      field: 'body.servicePackage.priceFen',
      maxFen,
      publishedFeeFen: published.feeFen,
    });
  }
}

/** Signs a contract of the resident (already identified by their keyed hash) with a team in the actor's scope. */
export async function signResidentContract(
  deps: Deps,
  actor: Actor,
  team: Team,
  resident: { residentRef: string; identityNumber: string },
  body: SignInput,
): Promise<Contract> {
  const { db } = deps;
  const [district, institution] = await Promise.all([requireDistrict(db, team.districtId), requireInstitution(db, team.institutionId)]);
  const now = deps.now();
  const today = todayIso(now);
  checkStartDate(actor, district, body.startDate, today, body.correction);
  checkFee(institution, district, body);
  const endDate = termEnd(body.startDate, district.settings.contractTermMonths);
  return signContract(
    db,
    {
      contractId: newId('contract'),
      teamId: team.teamId,
      institutionId: team.institutionId,
      districtId: team.districtId,
      residentRef: resident.residentRef,
      identityMasked: maskIdentityNumber(resident.identityNumber),
      insured: body.insured,
      keyPopulations: withDerivedKeyPopulations(body.keyPopulations, birthDateOf(resident.identityNumber), body.startDate),
      servicePackage: body.servicePackage,
      startDate: body.startDate,
      endDate,
      // never stored active once over: a historical correction whose term ended is recorded as ended
      status: endDate < today ? 'ended' : 'active',
      renewals: 0,
      ...(body.correction ? { correction: { reason: body.correction.reason, by: actor.subject, at: now.toISOString() } } : {}),
      signedAt: now.toISOString(),
    },
    institution.servicePackages,
  );
}

/**
 * Renews for another term inside the renewal window, which stays open after the end date: a
 * contract the daily step already ended is revived (rule of docs/money-rules.md §9, rule 3).
 */
export async function renewResidentContract(deps: Deps, contract: Contract): Promise<Contract> {
  if (contract.status === 'cancelled' || contract.cancellation) throw ruleBroken('contract-cancelled', 'A cancelled contract cannot be renewed');
  const today = todayIso(deps.now());
  const daysToEnd = toDayNumber(contract.endDate) - toDayNumber(today);
  if (daysToEnd > RENEWAL_WINDOW.daysBefore || -daysToEnd > RENEWAL_WINDOW.daysAfter) {
    throw ruleBroken(
      'outside-renewal-window',
      `Renewal is possible from ${addDays(contract.endDate, -RENEWAL_WINDOW.daysBefore)} to ${addDays(contract.endDate, RENEWAL_WINDOW.daysAfter)}`,
    );
  }
  const district = await requireDistrict(deps.db, contract.districtId);
  return renewContract(deps.db, contract, renewedEnd(contract.endDate, district.settings.contractTermMonths), deps.now().toISOString());
}

/** Records a written cancellation (notice on or before the effective date, which defaults to today). */
export async function cancelResidentContract(
  deps: Deps,
  contract: Contract,
  body: { noticeDate: string; reason: string; effectiveDate?: string | undefined },
): Promise<Contract> {
  const effectiveDate = body.effectiveDate ?? todayIso(deps.now());
  if (body.noticeDate > effectiveDate) {
    throw ruleBroken('notice-after-effective-date', 'The written notice must come on or before the effective date', { field: 'body.noticeDate' });
  }
  if (effectiveDate < contract.startDate) {
    throw ruleBroken('effective-before-start', 'A contract cannot end before it starts', { field: 'body.effectiveDate' });
  }
  return cancelContract(deps.db, contract, { noticeDate: body.noticeDate, reason: body.reason, effectiveDate }, todayIso(deps.now()));
}

/**
 * The daily step (run by the period-close schedule and `npm run period-close`): in every district,
 * stores the active contracts whose end date has passed as `ended` and gives their places back.
 * "Today" is the date in China, where the schedule fires at night. Idempotent: a second firing,
 * concurrent or not, finds nothing left to end.
 */
export async function endContractsPastTheirTerm(deps: Pick<Deps, 'db' | 'now'>): Promise<{ today: string; districts: number; ended: number; changed: number }> {
  const now = deps.now();
  const today = localDateAt(now);
  const report = { today, districts: 0, ended: 0, changed: 0 };
  let cursor: string | undefined;
  do {
    const page = await listDistricts(deps.db, MAX_PAGE_SIZE, cursor);
    for (const district of page.items) {
      const { ended, changed } = await endContractsDue(deps.db, district.districtId, today, now.toISOString());
      report.districts++;
      report.ended += ended;
      report.changed += changed;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return report;
}

/** Reads the clerk's contract pages make (the caller checks scope); the list shows each status as of today (statusOn). */
export const contractById = (deps: Deps, contractId: string) => getContract(deps.db, contractId);
export const contractsOfTeam = async (deps: Deps, team: { institutionId: string; teamId: string }, limit: number, cursor?: string) => {
  const page = await listContractsOfTeam(deps.db, team, limit, cursor);
  return { ...page, items: page.items.map((c) => asOfToday(c, todayIso(deps.now()))) };
};
export const currentContractOfResident = (deps: Deps, residentRef: string) => getCurrentContractOf(deps.db, residentRef);
export const teamById = (deps: Deps, teamId: string) => getTeam(deps.db, teamId);
