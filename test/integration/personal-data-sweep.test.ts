/**
 * Personal data sweep. A representative workload runs through the API on a stack of its own:
 * a district, contracts signed with real-looking valid identity numbers (real address codes, an
 * X check character, a lower-case x, invalid and duplicate ones, a resident signing for
 * themselves, a failure inside a signing), dev tokens, survey answers in the app and through
 * invitation links, a metrics upload, criteria and an evaluation run, a settlement created,
 * approved, read, and downloaded as reports, on a stack that is no demo (a fictional 99… number
 * is refused). Every log line written meanwhile (console and
 * stdout/stderr), every response body and every export (workbooks unpacked), and every item of the
 * table are then searched for an 18-character identity number (an isolated \d{17}[\dX]) and for
 * each number used: there must be none. Invitation tokens appear only in the response that
 * gave them out and on their own pages, never in a log line, an item or another response (their
 * status list included). The demo seed (local/seed) is swept the same way.
 */
import type ExcelJSModule from 'exceljs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkCharacter } from '#shared/domain/identity-number.ts';
import { DEFAULT_METRIC_CATALOGUE } from '#shared/domain/metrics/catalogue.ts';
import type { Db } from '#shared/data/db.ts';
import { seedDemoDistrict } from '../../local/seed/demo-district.ts';
import { seedDemoInvitation } from '../../local/seed/demo-invitation.ts';
import { seedDemoMetrics } from '../../local/seed/demo-metrics.ts';
import { seedDemoSurveys } from '../../local/seed/demo-surveys.ts';
import { routeSamples } from '../support/route-samples.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { finalizePeriod } from '../support/period-lifecycle.ts';
import { waitForSettlementJob } from '../support/settlement-jobs.ts';

/** An identity number standing alone (not inside a longer run of letters and digits, as in a hash). */
const IDENTITY_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const NOW = new Date('2026-11-22T08:00:00Z');
const D = 'sweep-d';

/** Valid numbers with real address codes (Haidian, Huangpu, Futian, Wuhou) rather than the fictional 99…. */
function realLooking(area: string, birthDate: string, sequence: number): string {
  const first17 = `${area}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

const AREAS = ['110108', '310101', '440304', '510107'];
const residents = Array.from({ length: 12 }, (_, i) => realLooking(AREAS[i % 4]!, `19${50 + i * 3}-0${(i % 9) + 1}-1${i % 9}`, 100 + i));
// one whose check character is X
for (let s = 0; ; s++) {
  const candidate = realLooking('110108', '1988-08-08', 500 + s);
  if (candidate.endsWith('X')) {
    residents.push(candidate);
    break;
  }
}
const invalid = `${residents[0]!.slice(0, 17)}${residents[0]!.endsWith('1') ? '2' : '1'}`;

interface Sweep {
  where: string;
  text: string;
}

const logs: string[] = [];
const responses: Sweep[] = [];
let stack: TestStack;
let spies: { mockRestore: () => void }[] = [];

function findings(sources: Sweep[], used: readonly string[]): string[] {
  const hits: string[] = [];
  for (const { where, text } of sources) {
    for (const match of text.matchAll(IDENTITY_NUMBER)) hits.push(`${where}: …${text.slice(Math.max(0, match.index - 60), match.index + 80)}…`);
    for (const number of used) if (text.includes(number) || text.includes(number.toLowerCase())) hits.push(`${where}: contains ${number.slice(0, 6)}…`);
  }
  return hits;
}

async function tableItems(db: Db): Promise<Sweep[]> {
  const items: Sweep[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(new ScanCommand({ TableName: db.tableName, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) items.push({ where: `item ${String(item.pk)} / ${String(item.sk)}`, text: JSON.stringify(item) });
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function textOf(response: Response): Promise<string> {
  const type = response.headers.get('content-type') ?? '';
  const bytes = Buffer.from(await response.arrayBuffer());
  if (!type.includes('spreadsheetml')) return bytes.toString('utf8');
  const { default: ExcelJS } = (await import('exceljs')) as { default: typeof ExcelJSModule };
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const cells: string[] = [];
  workbook.eachSheet((sheet) => {
    cells.push(sheet.name);
    sheet.eachRow((row) => cells.push(JSON.stringify(row.values)));
  });
  expect(cells.length, 'the workbook has rows').toBeGreaterThan(3);
  return cells.join('\n');
}

/** A request whose response body (and export) joins the sweep. */
async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; json: () => unknown }> {
  const response = await stack.request(method, path, options);
  const text = await textOf(response);
  responses.push({ where: `${method} ${path} → ${response.status}`, text });
  return { status: response.status, text, json: () => JSON.parse(text) };
}

beforeAll(() => {
  const capture =
    (name: string) =>
    (...args: unknown[]) => {
      logs.push(
        `${name}: ${args.map((a) => (typeof a === 'string' ? a : a instanceof Uint8Array ? Buffer.from(a).toString('utf8') : JSON.stringify(a))).join(' ')}`,
      );
    };
  spies = [
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(capture(`console.${m}`))),
    vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => {
      capture('stdout')(chunk);
      return true;
    }) as typeof process.stdout.write),
    vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: unknown) => {
      capture('stderr')(chunk);
      return true;
    }) as typeof process.stderr.write),
  ];
});

afterAll(() => {
  for (const spy of spies) spy.mockRestore();
});

describe('personal data sweep', () => {
  it('finds no identity number in any log line, response, export or table item after a representative workload', async () => {
    // a real deployment: no demo, so only numbers with a province code are taken
    stack = await createTestStack({ now: () => NOW, demo: false });
    const admin = await stack.token('admin');
    const evaluator = await stack.token('evaluator', { districtId: D, sub: 'evaluator-sweep' });
    const financeA = await stack.token('finance', { districtId: D, sub: 'finance-a' });
    const financeB = await stack.token('finance', { districtId: D, sub: 'finance-b' });

    // registry
    expect((await call('POST', '/districts', { token: admin, body: { districtId: D, name: '清扫区', province: '北京市' } })).status).toBe(201);
    const institution = (
      await call('POST', `/districts/${D}/institutions`, {
        token: admin,
        body: {
          name: '学院路社区卫生服务中心',
          ownership: 'government',
          level: 'community-health-centre',
          servicePackages: [{ code: 'basic', name: '基础包', kind: 'basic', feeFen: 0 }],
        },
      })
    ).json() as { institutionId: string };
    const clerk = await stack.token('clerk', { districtId: D, institutionId: institution.institutionId, sub: 'clerk-sweep' });
    const members = [
      { name: '王医生', role: 'general-practitioner', joinedOn: '2025-01-01' },
      { name: '李护士', role: 'community-nurse', joinedOn: '2025-01-01' },
    ];
    const teams = [0, 1].map(() => undefined);
    for (const i of teams.keys())
      teams[i] = (
        (await call('POST', `/institutions/${institution.institutionId}/teams`, { token: clerk, body: { name: `团队${i}`, members } })).json() as {
          teamId: string;
        }
      ).teamId as never;
    const teamIds = teams as unknown as string[];

    // contracts: valid, lower-case x, invalid, duplicate, a resident for themselves, and one that fails inside
    for (const [i, identityNumber] of residents.entries()) {
      const number = i === residents.length - 1 ? identityNumber.toLowerCase() : identityNumber;
      const signed = await call('POST', '/contracts', {
        token: clerk,
        body: { teamId: teamIds[i % 2]!, identityNumber: number, insured: true, keyPopulations: ['hypertension'], startDate: '2026-11-20' },
      });
      expect(signed.status, signed.text).toBe(201);
    }
    expect(
      (await call('POST', '/contracts', { token: clerk, body: { teamId: teamIds[0]!, identityNumber: invalid, insured: true, startDate: '2026-11-20' } }))
        .status,
    ).toBe(400);
    // the demo's fictional 99… numbers are refused outside a demo, without echoing them
    const fictional = realLooking('990108', '1971-01-01', 42);
    const refusedFictional = await call('POST', '/contracts', {
      token: clerk,
      body: { teamId: teamIds[0]!, identityNumber: fictional, insured: true, startDate: '2026-11-20' },
    });
    expect(refusedFictional.status).toBe(400);
    expect(refusedFictional.json()).toMatchObject({ code: 'identity-number-province' });
    expect(
      (await call('POST', '/contracts', { token: clerk, body: { teamId: teamIds[1]!, identityNumber: residents[0]!, insured: true, startDate: '2026-11-20' } }))
        .status,
    ).toBe(409);
    const self = realLooking('440304', '1979-12-01', 777);
    const selfToken = ((await call('POST', '/auth/dev-token', { body: { role: 'resident', identityNumber: self } })).json() as { token: string }).token;
    expect(
      (await call('POST', '/contracts', { token: selfToken, body: { teamId: teamIds[0]!, identityNumber: self, insured: false, startDate: '2026-11-20' } }))
        .status,
    ).toBe(201);
    const failing = realLooking('510107', '1966-06-16', 901);
    let failNext = true;
    stack.db.doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (failNext && context.commandName === 'TransactWriteItemsCommand') {
          failNext = false;
          throw new Error('simulated failure inside a signing');
        }
        return next(args);
      },
      { step: 'initialize', name: 'sweepFailure' },
    );
    expect(
      (await call('POST', '/contracts', { token: clerk, body: { teamId: teamIds[0]!, identityNumber: failing, insured: true, startDate: '2026-11-20' } }))
        .status,
    ).toBe(500);
    expect(logs.some((line) => line.includes('unhandled error'))).toBe(true);
    const used = [...residents, invalid, fictional, self, failing];

    // reading contracts back (masked)
    const page = (await call('GET', `/teams/${teamIds[0]}/contracts`, { token: clerk })).json() as { items: { contractId: string }[] };
    await call('GET', `/contracts/${page.items[0]!.contractId}`, { token: clerk });

    // surveys: in the app, then through invitation links
    for (const identityNumber of residents.slice(0, 8)) {
      const token = await stack.token('resident', { identityNumber });
      await call('GET', '/me/contract', { token });
      await call('GET', '/me/survey', { token });
      expect(
        (await call('POST', '/surveys', { token, body: { answers: { overall: 5, attitude: 4, communication: 4, access: 3, comment: '医生很耐心' } } })).status,
      ).toBe(201);
    }
    const drawnAt = responses.length;
    const drawn = (await call('POST', `/districts/${D}/survey-invitations`, { token: evaluator, body: { period: '2026Q4', samplePerTeam: 3 } })).json() as {
      invitations: { link: string }[];
    };
    const invitationTokens = drawn.invitations.map((i) => new URL(i.link).pathname.slice(3));
    expect(invitationTokens.length).toBeGreaterThan(2);
    for (const invitation of drawn.invitations) {
      const path = new URL(invitation.link).pathname;
      await call('GET', path);
      await call('POST', path, {
        body: 'overall=4&attitude=4&communication=5&access=4&lang=zh',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    }
    await call('POST', `/districts/${D}/survey-aggregates/reconcile`, { token: admin, body: { period: '2026Q4' } });
    // afterwards only their status: the API list and the evaluator page
    expect((await call('GET', `/districts/${D}/survey-invitations?period=2026Q4`, { token: evaluator })).status).toBe(200);
    expect((await call('GET', `/evaluator/districts/${D}/invitations?period=2026Q4`, { token: evaluator })).status).toBe(200);

    // metrics, criteria, an evaluation run
    const codes = DEFAULT_METRIC_CATALOGUE.definitions.map((d) => d.code);
    const csv = [`teamId,${codes.join(',')}`, ...teamIds.map((t) => [t, ...codes.map(() => '12')].join(','))].join('\n');
    // 2026Q3 is past its data deadline on 22 November (issue 14): an administrator reopens it for this upload
    expect((await call('POST', `/districts/${D}/periods/2026Q3/reopen`, { token: admin, body: { reason: '补报' } })).status).toBe(200);
    expect(
      (await call('PUT', `/institutions/${institution.institutionId}/metrics/2026Q3`, { token: clerk, body: csv, headers: { 'content-type': 'text/csv' } }))
        .status,
    ).toBe(201);
    const samples = routeSamples({ teamId: teamIds[0]! });
    expect((await call('POST', `/districts/${D}/criteria`, { token: evaluator, body: samples['POST /districts/{districtId}/criteria']!.body })).status).toBe(
      201,
    );
    expect((await call('POST', `/districts/${D}/criteria/1/publish`, { token: evaluator, body: {} })).status).toBe(200);
    const run = (await call('POST', `/districts/${D}/evaluations`, { token: evaluator, body: { period: '2026Q3', criteriaVersion: 1 } })).json() as {
      evaluationId: string;
    };
    for (let i = 0; i < 200; i++) {
      const status = ((await stack.request('GET', `/evaluations/${run.evaluationId}`, { token: evaluator }).then((r) => r.json())) as { status: string })
        .status;
      if (status === 'completed' || status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(((await call('GET', `/evaluations/${run.evaluationId}`, { token: evaluator })).json() as { status: string }).status).toBe('completed');
    // settling needs a final period: published with its window over (issue 14)
    await finalizePeriod(stack.db, D, '2026Q3', run.evaluationId);
    await call('GET', `/evaluations/${run.evaluationId}/scores`, { token: evaluator });
    await call('GET', `/evaluations/${run.evaluationId}/teams/${teamIds[0]}`, { token: clerk });

    // a settlement: created, approved by a second officer, read, exported
    const accepted = await call('POST', `/districts/${D}/settlements`, {
      token: financeA,
      body: { evaluationId: run.evaluationId, poolFen: 5_000_000, method: { kind: 'score-weighted', sizeMeasure: 'weighted-residents' } },
    });
    expect(accepted.status, accepted.text).toBe(202);
    const job = await waitForSettlementJob(stack, (accepted.json() as { jobId: string }).jobId, financeA);
    expect(job.status).toBe('done');
    await call('GET', `/settlement-jobs/${job.jobId}`, { token: financeA });
    const settlementId = job.settlementId!;
    expect((await call('POST', `/settlements/${settlementId}/approve`, { token: financeB, body: { comment: 'checked against the evaluation' } })).status).toBe(
      200,
    );
    for (const kind of ['team', 'member', 'institution']) await call('GET', `/settlements/${settlementId}/lines?kind=${kind}`, { token: financeA });
    await call('GET', `/settlements/${settlementId}/audit`, { token: financeA });
    await call('GET', `/finance/settlements/${settlementId}?lang=en`, { token: financeA });

    const doc = (await (await stack.request('GET', '/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema?: { enum?: string[] } }[] }>>;
    };
    const reports = Object.entries(doc.paths).filter(([path, methods]) => methods.get && /\/settlements\/\{settlementId\}\/report\./.test(path));
    for (const [path, methods] of reports) {
      const sheets = methods.get!.parameters?.find((p) => p.name === 'sheet')?.schema?.enum ?? [undefined];
      for (const sheet of sheets) {
        const exported = await call('GET', `${path.replace('{settlementId}', settlementId)}?lang=zh${sheet ? `&sheet=${sheet}` : ''}`, { token: financeA });
        expect([200, 202, 303], `${path} ${sheet}`).toContain(exported.status);
      }
    }

    // a report produced in the background, and its file
    if (doc.paths['/settlements/{settlementId}/reports']) {
      const requested = await call('POST', `/settlements/${settlementId}/reports`, { token: financeA, body: { format: 'xlsx', lang: 'en' } });
      expect(requested.status, requested.text).toBe(202);
      const { jobId } = requested.json() as { jobId: string };
      let job = { status: 'queued', downloadUrl: null as string | null };
      for (let i = 0; i < 200 && job.status !== 'done' && job.status !== 'failed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        job = (await call('GET', `/report-jobs/${jobId}`, { token: financeA })).json() as typeof job;
      }
      expect(job.status).toBe('done');
      expect((await call('GET', new URL(job.downloadUrl!, 'http://localhost').pathname, { token: financeA })).status).toBe(200);
    }

    // the sweep
    const items = await tableItems(stack.db);
    expect(items.length).toBeGreaterThan(60);
    expect(responses.length).toBeGreaterThan(60);
    const logLines = logs.map((text, i) => ({ where: `log line ${i}`, text }));
    expect(findings(items, used)).toEqual([]);
    expect(findings(responses, used)).toEqual([]);
    expect(findings(logLines, used)).toEqual([]);
    // invitation tokens: in the one response that gave them out and on their own pages, nowhere else
    const elsewhere = responses.filter((r, i) => i !== drawnAt && !r.where.includes(' /s/'));
    const tokenHits = [...items, ...elsewhere, ...logLines].flatMap(({ where, text }) =>
      invitationTokens.filter((token) => text.includes(token)).map(() => where),
    );
    expect(tokenHits).toEqual([]);
    expect(responses[drawnAt]!.text).toContain(invitationTokens[0]!);
    // and the sweep does see a number where one is: the masked form is all that is stored
    expect(findings([{ where: 'probe', text: `{"x":"${residents[3]}"}` }], [])).toHaveLength(1);
    expect(items.some((item) => item.text.includes(`***********${residents[3]!.slice(14)}`))).toBe(true);
  }, 120_000);

  it('finds no identity number in the demo seed', async () => {
    const seeded = await createTestStack({ now: () => NOW });
    const demo = await seedDemoDistrict(seeded.db, seeded.keyer, { residentsPerTeam: 1, today: '2026-11-22' });
    await seedDemoSurveys(seeded.db, demo, { period: '2026Q3' });
    await seedDemoMetrics(seeded.db, demo, { today: '2026-11-22', period: '2026Q3' });
    await seedDemoInvitation(seeded.db, demo, { period: '2026Q4', now: NOW });
    const items = await tableItems(seeded.db);
    expect(items.length).toBeGreaterThan(1000);
    expect(demo.sampleResidents.length).toBeGreaterThan(0);
    expect(
      findings(
        items,
        demo.sampleResidents.map((s) => s.identityNumber),
      ),
    ).toEqual([]);
  }, 120_000);
});
