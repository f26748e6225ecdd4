/**
 * Settlement previews, creations and recomputes answer 202 with a job (issue 19); tests that care
 * about the outcome wait for it here. `afterJob` turns a 202 into the response the synchronous
 * route used to give: 201 with the created settlement, 200 with the recomputed settlement or the
 * preview, or the job's problem with its status (409, 422, …) when the job failed. Any other
 * response (a refusal before a job was stored) is returned as it is.
 */
import type { TestStack } from './stack.ts';

interface JobView {
  jobId: string;
  kind: 'preview' | 'create' | 'recompute';
  status: 'queued' | 'running' | 'done' | 'failed';
  settlementId: string | null;
  problem: { status: number; code: string; detail: string; details: Record<string, unknown> } | null;
  preview?: unknown;
}

/** Polls the job until it is done or failed. */
export async function waitForSettlementJob(stack: TestStack, jobId: string, token: string, timeoutMs = 120_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await stack.request('GET', `/settlement-jobs/${jobId}`, { token });
    if (response.status !== 200) throw new Error(`GET /settlement-jobs/${jobId}: ${response.status} ${await response.text()}`);
    const job = (await response.json()) as JobView;
    if (job.status === 'done' || job.status === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`Settlement job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function afterJob(stack: TestStack, response: Response, token: string): Promise<Response> {
  if (response.status !== 202) return response;
  const accepted = (await response.json()) as JobView;
  if (response.headers.get('location') !== `/settlement-jobs/${accepted.jobId}`)
    throw new Error(`202 without the job's Location: ${response.headers.get('location')}`);
  const job = await waitForSettlementJob(stack, accepted.jobId, token);
  if (job.status === 'failed') {
    const problem = job.problem!;
    return new Response(JSON.stringify({ status: problem.status, code: problem.code, detail: problem.detail, ...problem.details }), {
      status: problem.status,
      headers: { 'content-type': 'application/problem+json' },
    });
  }
  if (job.kind === 'preview') return new Response(JSON.stringify(job.preview), { status: 200, headers: { 'content-type': 'application/json' } });
  const settlement = await stack.request('GET', `/settlements/${job.settlementId}`, { token });
  return new Response(await settlement.text(), { status: job.kind === 'create' ? 201 : 200, headers: { 'content-type': 'application/json' } });
}

/** stack.request for a route that may answer with a settlement job: the response after the job (see afterJob). */
export async function settlementCall(
  stack: TestStack,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const response = await stack.request(method, path, options);
  return options.token ? afterJob(stack, response, options.token) : response;
}
