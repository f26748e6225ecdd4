/**
 * infra/bundle.mjs on its own, on two real functions: the registry (the smallest) and reports
 * (the one with lazy chunks: S3, Lambda, the xlsx writer). What the synthesized stack's bundles
 * must satisfy (budgets, the 401 smoke test) is in gatekeeper-stack.test.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFiles } from '../../infra/bundle-files.ts';
import { functionPermissions, unusedModules } from '../../infra/function-permissions.ts';
import { BUNDLER, bundlerArguments, PROJECT_ROOT } from '../../infra/house-function.ts';

const FUNCTIONS = ['registry', 'reports'] as const;
let workDir: string;
const dirOf = (name: string) => join(workDir, name);
const metafileOf = (name: string) => join(workDir, `${name}.meta.json`);

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'gatekeeper-bundle-'));
  for (const name of FUNCTIONS) {
    const args = [...bundlerArguments(name, dirOf(name), unusedModules(functionPermissions[name]!)), `--metafile=${metafileOf(name)}`];
    const result = spawnSync(process.execPath, [BUNDLER, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`bundling ${name} failed: ${result.stderr}`);
  }
}, 120_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function allCode(name: string): string {
  return bundleFiles(dirOf(name))
    .all.map((f) => readFileSync(join(dirOf(name), f), 'utf8'))
    .join('\n');
}

/**
 * Runs a module script in a fresh Node process with only the given environment, as Lambda
 * would; asynchronously, so that the test's own HTTP server can answer it.
 */
async function runNode(script: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', HOME: workDir, AWS_REGION: 'cn-north-1', ...env },
    timeout: 30_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await once(child, 'close');
  return { stdout, stderr };
}

describe('bundle files', () => {
  it('counts as cold start exactly the files esbuild says index.mjs imports statically', () => {
    for (const name of FUNCTIONS) {
      const meta = JSON.parse(readFileSync(metafileOf(name), 'utf8')) as {
        outputs: Record<string, { imports: { path: string; kind: string }[]; entryPoint?: string }>;
      };
      const outputs = Object.keys(meta.outputs).filter((o) => o.endsWith('.mjs'));
      // the handler's output: a module the code imports lazily is an entry point of its own in the metafile too
      const entry = outputs.find((o) => o.endsWith('index.mjs') && meta.outputs[o]!.entryPoint)!;
      const reached = new Set<string>();
      const visit = (output: string) => {
        if (reached.has(output)) return;
        reached.add(output);
        for (const i of meta.outputs[output]!.imports) if (i.kind === 'import-statement' && outputs.includes(i.path)) visit(i.path);
      };
      visit(entry);
      const prefix = `${entry.slice(0, -'index.mjs'.length)}`;
      const files = bundleFiles(dirOf(name));
      expect(files.coldStart.sort(), name).toEqual([...reached].map((o) => o.slice(prefix.length)).sort());
      expect(files.all.sort(), name).toEqual(outputs.map((o) => o.slice(prefix.length)).sort());
    }
  });

  it('puts the reports function’s lazily imported S3 client and xlsx writer in chunks that a cold start does not load', () => {
    const files = bundleFiles(dirOf('reports'));
    const coldCode = files.coldStart.map((f) => readFileSync(join(dirOf('reports'), f), 'utf8')).join('\n');
    const lazy = files.all.filter((f) => !files.coldStart.includes(f));
    const lazyCode = lazy.map((f) => readFileSync(join(dirOf('reports'), f), 'utf8')).join('\n');
    expect(lazy.length).toBeGreaterThan(0);
    // the S3 client's service namespace and a file name the xlsx writer writes
    for (const marker of ['com.amazonaws.s3', 'xl/sharedStrings.xml']) {
      expect(coldCode.includes(marker), `${marker} loaded at cold start`).toBe(false);
      expect(lazyCode.includes(marker), `${marker} in a lazy chunk`).toBe(true);
    }
  });

  it('loads every chunk on Node as an ES module, CommonJS parts included', async () => {
    const files = bundleFiles(dirOf('reports'));
    const script = `for (const f of ${JSON.stringify(files.all.map((f) => join(dirOf('reports'), f)))}) await import(f); process.stdout.write('loaded');`;
    const result = await runNode(script, { TABLE_NAME: 'bundle-test', JWKS_URL: 'https://example.invalid/jwks.json' });
    expect(result.stderr).not.toMatch(/Dynamic require|ERR_|SyntaxError/);
    expect(result.stdout, result.stderr).toBe('loaded');
  });
});

describe('credentials in a bundle', () => {
  const requests: { target: string | undefined; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests.push({ target: req.headers['x-amz-target'] as string | undefined, headers: req.headers });
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      res.end(JSON.stringify({ Table: { TableName: 'bundle-test', TableStatus: 'ACTIVE' } }));
    });
  });
  let endpoint: string;

  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  /** GET /health of the registry bundle: it sends DescribeTable to the DynamoDB endpoint */
  async function health(env: Record<string, string>): Promise<{ status: number; body: string }> {
    const event = {
      version: '2.0',
      routeKey: 'GET /health',
      rawPath: '/health',
      rawQueryString: '',
      headers: {},
      requestContext: { http: { method: 'GET', path: '/health', sourceIp: '127.0.0.1' }, requestId: 'test', stage: '$default' },
      isBase64Encoded: false,
    };
    const script = `const { handler } = await import(${JSON.stringify(join(dirOf('registry'), 'index.mjs'))});
      const r = await handler(${JSON.stringify(event)}, { awsRequestId: 'test', getRemainingTimeInMillis: () => 29000 });
      process.stdout.write('\\n' + JSON.stringify({ status: r.statusCode, body: r.body }));`;
    const result = await runNode(script, {
      TABLE_NAME: 'bundle-test',
      JWKS_URL: 'https://example.invalid/jwks.json',
      // the SDK's service-specific endpoint setting: DescribeTable goes to the server above
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      ...env,
    });
    expect(result.stderr).not.toMatch(/Dynamic require|ERR_|SyntaxError/);
    return JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}');
  }

  it('signs SDK requests with the credentials Lambda puts in the environment', async () => {
    requests.length = 0;
    const answer = await health({ AWS_ACCESS_KEY_ID: 'AKIDBUNDLETEST', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'session-token' });
    expect(answer).toEqual({ status: 200, body: JSON.stringify({ status: 'ok' }) });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.target).toBe('DynamoDB_20120810.DescribeTable');
    expect(requests[0]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDBUNDLETEST\/\d{8}\/cn-north-1\/dynamodb\/aws4_request, /);
    expect(requests[0]!.headers['x-amz-security-token']).toBe('session-token');
  });

  it('looks nowhere else: a shared credentials file, which the default chain would use, is ignored', async () => {
    requests.length = 0;
    const credentialsFile = join(workDir, 'credentials');
    writeFileSync(credentialsFile, '[default]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = secret\n');
    const answer = await health({ AWS_SHARED_CREDENTIALS_FILE: credentialsFile });
    expect(answer).toEqual({ status: 503, body: JSON.stringify({ status: 'unavailable' }) });
    expect(requests).toEqual([]);
  });

  it('leaves the default chain’s providers and their STS / SSO clients out of every file', () => {
    for (const name of FUNCTIONS) {
      const code = allCode(name);
      for (const marker of ['AssumeRoleWithWebIdentity', 'credential-provider-ini', 'credential_process', 'AWS_CONTAINER_CREDENTIALS_FULL_URI']) {
        expect(code.includes(marker), `${name}: ${marker}`).toBe(false);
      }
      expect(code.includes('AWS_SESSION_TOKEN'), name).toBe(true);
    }
  });
});

describe('zod and OpenAPI in a bundle', () => {
  it('keeps validation and route registration but not the OpenAPI generator or zod’s unused parts', () => {
    for (const name of FUNCTIONS) {
      const code = allCode(name);
      expect(code.includes('OpenAPI documents are not generated in a Lambda bundle'), name).toBe(true);
      expect(code.includes('Невалиден'), `${name}: a zod Bulgarian message`).toBe(false);
      expect(code.includes('z.compile does not support'), `${name}: z.compile(), which nothing calls`).toBe(false);
      expect(code.includes('External $ref is not supported'), `${name}: z.fromJSONSchema(), which nothing calls`).toBe(false);
    }
  });
});
