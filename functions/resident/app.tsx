/**
 * Resident function (signed-in residents, and invitation links without sign-in).
 *
 * GET  /me/contract     resident: their current contract and team
 * GET  /me/survey       resident: this period's survey for their team, and whether they answered
 * POST /surveys         resident: answer it (one response per resident, team and period)
 * GET  /s/{token}       public: the survey page of an invitation link (HTML, works without JavaScript)
 * POST /s/{token}       public: submit that page's form
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import type { Context } from 'hono';
import { statusOn } from '#shared/domain/contracts.ts';
import { todayIso } from '#shared/domain/dates.ts';
import { DomainError } from '#shared/domain/errors.ts';
import type { AnswerProblemKind } from '#shared/domain/surveys/instrument.ts';
import { getCurrentContractOf } from '#shared/data/contracts.ts';
import { currentInstrument, getInvitation, hasResponded } from '#shared/data/surveys.ts';
import { getTeam } from '#shared/data/teams.ts';
import { getInstitution } from '#shared/data/institutions.ts';
import type { Deps } from '#shared/deps.ts';
import { access, type ApiEnv, createApiApp, publicAccess } from '#shared/http/api.ts';
import { problems } from '#shared/http/problem.ts';
import { errorResponses, conflictResponse, jsonBody, jsonResponse } from '#shared/schemas/common.ts';
import { contractSchema, teamSchema } from '#shared/schemas/registry.ts';
import { instrumentSchema, submitSurveySchema } from '#shared/schemas/surveys.ts';
import { contractView } from '#shared/data/contract-view.ts';
import { currentSurveyPeriod, submitSurvey } from '#shared/services/surveys.ts';
import { langOf } from '#shared/web/lang.ts';
import { answersFromForm, SurveyPage, type SurveyPageState } from './pages/survey-page.tsx';

const teamView = teamSchema.pick({ teamId: true, name: true, members: true });

export function createResidentApp(deps: Deps) {
  const app = createApiApp();
  const { db } = deps;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/contract',
      tags: ['resident'],
      summary: "The signed-in resident's current contract and its team",
      ...access(deps, ['resident']),
      responses: { 200: jsonResponse(z.object({ contract: contractSchema, team: teamView }), 'The current contract'), ...errorResponses },
    }),
    async (c) => {
      const contract = await getCurrentContractOf(db, c.get('principal').residentRef!);
      if (!contract) throw problems.notFound('A current contract');
      const team = await getTeam(db, contract.teamId);
      if (!team) throw problems.notFound(`Team ${contract.teamId}`);
      return c.json({ contract: contractView(contract, todayIso(deps.now())), team: { teamId: team.teamId, name: team.name, members: team.members } }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/survey',
      tags: ['resident', 'surveys'],
      summary: "This period's survey for the signed-in resident's team",
      ...access(deps, ['resident']),
      responses: {
        200: jsonResponse(
          z.object({ period: z.string(), team: teamView, instrument: instrumentSchema, alreadyResponded: z.boolean() }),
          'The survey to answer',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const residentRef = c.get('principal').residentRef!;
      const contract = await getCurrentContractOf(db, residentRef);
      if (!contract || statusOn(contract, todayIso(deps.now())) !== 'active') throw problems.notFound('A current contract');
      const period = currentSurveyPeriod(deps.now());
      const [team, instrument, alreadyResponded] = await Promise.all([
        getTeam(db, contract.teamId),
        currentInstrument(db, contract.districtId),
        hasResponded(db, residentRef, period, contract.teamId),
      ]);
      if (!team) throw problems.notFound(`Team ${contract.teamId}`);
      return c.json({ period, team: { teamId: team.teamId, name: team.name, members: team.members }, instrument, alreadyResponded }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/surveys',
      tags: ['resident', 'surveys'],
      summary: "Answer this period's survey about the resident's own team (once per period)",
      ...access(deps, ['resident']),
      request: { body: jsonBody(submitSurveySchema) },
      responses: {
        201: jsonResponse(z.object({ period: z.string(), teamId: z.string(), instrumentVersion: z.number().int() }), 'Recorded'),
        ...errorResponses,
        ...conflictResponse,
      },
    }),
    async (c) => {
      const { answers } = c.req.valid('json');
      const submitted = await submitSurvey(deps, {
        residentRef: c.get('principal').residentRef!,
        answers,
        period: currentSurveyPeriod(deps.now()),
        channel: 'app',
      });
      return c.json(submitted, 201);
    },
  );

  const tokenParams = z.object({ token: z.string().max(200) });
  const htmlResponse = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });

  async function renderInvitation(c: Context<ApiEnv>, token: string, state: SurveyPageState | null, status: 200 | 201 | 400 | 403 | 404 | 409 | 410) {
    // the page's language: a switch pressed on the form, else ?lang= (the form posts to its own language)
    const lang = langOf(state?.kind === 'form' && state.values.switchLang ? state.values.switchLang : c.req.query('lang'));
    const invitation = await getInvitation(db, token);
    const action = `/s/${encodeURIComponent(token)}`;
    if (!invitation) return c.html(<SurveyPage lang={lang} action={action} state={{ kind: 'invalid' }} />, 404);
    const team = (await getTeam(db, invitation.teamId)) ?? undefined;
    const institution = team ? await getInstitution(db, team.institutionId) : null;
    const centre = institution ? { name: institution.name, phone: institution.phone } : undefined;
    const expired = invitation.expiresAt * 1000 <= deps.now().getTime();
    // a resident who has answered already (in the app, or by another link) is told so before any form
    const answered = !state && !invitation.usedOn && !expired && (await hasResponded(db, invitation.residentRef, invitation.period, invitation.teamId));
    const shown: SurveyPageState =
      state ??
      (invitation.usedOn ? { kind: 'refused' } : expired ? { kind: 'invalid' } : answered ? { kind: 'answered' } : { kind: 'form', errors: {}, values: {} });
    const instrument = await currentInstrument(db, invitation.districtId);
    const finalStatus = state ? status : invitation.usedOn ? 409 : expired ? 410 : answered ? 409 : 200;
    return c.html(
      <SurveyPage lang={lang} action={action} team={team} {...(centre ? { centre } : {})} period={invitation.period} instrument={instrument} state={shown} />,
      finalStatus,
    );
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/s/{token}',
      tags: ['resident', 'surveys'],
      summary: 'The survey page behind a single-use invitation link (zh-CN by default, ?lang=en)',
      ...publicAccess(),
      request: { params: tokenParams },
      responses: { 200: htmlResponse('The form'), 404: htmlResponse('Unknown link'), 409: htmlResponse('Already used'), 410: htmlResponse('Expired') },
    }),
    (c) => renderInvitation(c, c.req.valid('param').token, null, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/s/{token}',
      tags: ['resident', 'surveys'],
      summary: 'Submit the invitation survey form (application/x-www-form-urlencoded)',
      ...publicAccess({ bodyLimitBytes: 16 * 1024 }),
      request: { params: tokenParams },
      responses: {
        201: htmlResponse('Recorded: the confirmation'),
        400: htmlResponse('The form again, with what to correct'),
        403: htmlResponse('No active contract with the team'),
        404: htmlResponse('Unknown link'),
        409: htmlResponse('Already answered, or the link was used'),
        410: htmlResponse('Expired'),
      },
    }),
    async (c) => {
      const { token } = c.req.valid('param');
      const form = (await c.req.parseBody()) as Record<string, unknown>;
      const values = Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      const invitation = await getInvitation(db, token);
      if (!invitation) return renderInvitation(c, token, { kind: 'invalid' }, 404);
      if (invitation.usedOn) return renderInvitation(c, token, { kind: 'refused' }, 409);
      if (invitation.expiresAt * 1000 <= deps.now().getTime()) return renderInvitation(c, token, { kind: 'invalid' }, 410);
      // the language switch on the form: the same answers, shown again in the other language, nothing submitted
      if (values.switchLang === 'zh' || values.switchLang === 'en') return renderInvitation(c, token, { kind: 'form', errors: {}, values }, 200);
      const instrument = await currentInstrument(db, invitation.districtId);
      try {
        await submitSurvey(deps, {
          residentRef: invitation.residentRef,
          answers: answersFromForm(instrument, form),
          period: invitation.period,
          channel: 'invitation',
          invitation: { token, record: invitation },
        });
        return renderInvitation(c, token, { kind: 'thanks' }, 201);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error.code === 'invalid-answers') {
          const fieldErrors = (error.details.errors as { field: string; kind: AnswerProblemKind }[]) ?? [];
          const errors = Object.fromEntries(fieldErrors.map((e) => [e.field.replace('body.answers.', ''), e.kind]));
          return renderInvitation(c, token, { kind: 'form', errors, values }, 400);
        }
        if (error.kind === 'forbidden') return renderInvitation(c, token, { kind: 'no-contract' }, 403);
        if (error.kind === 'conflict') return renderInvitation(c, token, { kind: 'refused' }, 409);
        throw error;
      }
    },
  );

  return app;
}
