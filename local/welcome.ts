/** What `npm start` prints once the server listens: where things are and how to act as each role. */
import { DEMO_DISTRICT_ID } from './seed/demo-district.ts';

export function printWelcome(options: { port: number; endpoint: string; sampleResident: string | undefined; invitationToken: string | undefined }): void {
  const base = `http://localhost:${options.port}`;
  const token = (body: string) => `  curl -s -X POST ${base}/auth/dev-token -H 'content-type: application/json' -d '${body}'`;
  const survey = options.invitationToken ? `${base}/s/${options.invitationToken}` : '(draw invitations with POST /districts/{districtId}/survey-invitations)';
  console.log(`
Gatekeeper is running.
  API and pages  ${base}
  API docs       ${base}/docs   (OpenAPI: ${base}/openapi.json)
  DynamoDB       ${options.endpoint}

Pages (sign in as a demo identity at ${base}/login first):
  finance officer    ${base}/finance/districts/${DEMO_DISTRICT_ID}/settlements
  evaluator          ${base}/evaluator/districts/${DEMO_DISTRICT_ID}/criteria
  resident survey    ${survey}   (no sign-in: an invitation link)

Act as a role in the API: get a token, then send it as "Authorization: Bearer <token>".
  administrator
${token('{"role":"admin"}')}
  district evaluator (${DEMO_DISTRICT_ID})
${token(`{"role":"evaluator","districtId":"${DEMO_DISTRICT_ID}"}`)}
  finance officer (${DEMO_DISTRICT_ID})
${token(`{"role":"finance","districtId":"${DEMO_DISTRICT_ID}"}`)}
  institution data clerk (inst-001)
${token(`{"role":"clerk","districtId":"${DEMO_DISTRICT_ID}","institutionId":"inst-001"}`)}
  resident (a fictional demo resident)
${token(`{"role":"resident","identityNumber":"${options.sampleResident ?? '<identity number>'}"}`)}

Stop with Ctrl-C (DynamoDB Local stops with it).`);
}
