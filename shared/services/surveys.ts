/**
 * Taking a survey response, the same way for a signed-in resident and an invitation link:
 * the resident's contract must be with the team and active in the period; answers must fit
 * the district's published instrument; then one transaction stores it (shared/data/surveys.ts).
 * The request reads one item (the resident's current contract); the instrument comes from
 * memory, and the transaction re-checks that the contract is still the current one.
 */
import { todayIso } from '../domain/dates.ts';
import { DomainError } from '../domain/errors.ts';
import { parsePeriod, quarterOf } from '../domain/periods.ts';
import { responseIncrements } from '../domain/surveys/aggregate.ts';
import { type AnswerProblem, answerProblems, type Answers, type Instrument } from '../domain/surveys/instrument.ts';
import { type CurrentContractTerms, getCurrentContractTerms } from '../data/contracts.ts';
import type { Db } from '../data/db.ts';
import { hashToken, type Invitation, noActiveContract, recordResponse, rememberedInstrument } from '../data/surveys.ts';
import type { Deps } from '../deps.ts';
import { count } from '../observability/telemetry.ts';

export function currentSurveyPeriod(now: Date): string {
  return quarterOf(todayIso(now));
}

/** The resident's contract if it was with the team and active during the period, else a 403-kind error. */
export async function contractForSurvey(deps: Deps, residentRef: string, period: string, teamId?: string): Promise<CurrentContractTerms> {
  const contract = await getCurrentContractTerms(deps.db, residentRef);
  const range = parsePeriod(period)!;
  const active =
    contract !== null && (teamId === undefined || contract.teamId === teamId) && contract.startDate <= range.end && contract.endDate >= range.start;
  if (!active) throw noActiveContract();
  return contract;
}

/** The instrument the answers are checked against: the remembered one, or the pointer read again when they do not fit it (a version published meanwhile). */
async function instrumentFor(db: Db, districtId: string, answers: Answers): Promise<{ instrument: Instrument; problems: AnswerProblem[] }> {
  const remembered = await rememberedInstrument(db, districtId);
  const problems = answerProblems(remembered, answers);
  if (problems.length === 0) return { instrument: remembered, problems };
  const instrument = await rememberedInstrument(db, districtId, { fresh: true });
  return { instrument, problems: instrument === remembered ? problems : answerProblems(instrument, answers) };
}

export interface SubmittedSurvey {
  period: string;
  teamId: string;
  instrumentVersion: number;
}

export async function submitSurvey(
  deps: Deps,
  input: { residentRef: string; answers: Answers; period: string; channel: 'app' | 'invitation'; invitation?: { token: string; record: Invitation } },
): Promise<SubmittedSurvey> {
  const contract = await contractForSurvey(deps, input.residentRef, input.period, input.invitation?.record.teamId);
  const { instrument, problems } = await instrumentFor(deps.db, contract.districtId, input.answers);
  if (problems.length > 0) {
    throw new DomainError('invalid', 'invalid-answers', 'Some answers are not valid', {
      errors: problems.map((p) => ({ field: `body.answers.${p.code}`, message: p.message, kind: p.kind })),
    });
  }
  const now = deps.now();
  await recordResponse(deps.db, {
    contractId: contract.contractId,
    districtId: contract.districtId,
    institutionId: contract.institutionId,
    teamId: contract.teamId,
    period: input.period,
    residentRef: input.residentRef,
    instrumentVersion: instrument.version,
    answers: input.answers,
    increments: responseIncrements(instrument, input.answers),
    channel: input.channel,
    submittedOn: todayIso(now),
    nowEpochSeconds: Math.floor(now.getTime() / 1000),
    ...(input.invitation ? { invitationTokenHash: hashToken(input.invitation.token) } : {}),
  });
  count('SurveySubmitted');
  return { period: input.period, teamId: contract.teamId, instrumentVersion: instrument.version };
}
