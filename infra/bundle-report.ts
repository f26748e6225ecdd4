/**
 * `npm run bundle-report`: how big every Lambda bundle is and how long a fresh Node process
 * takes to load it, next to a hello-world hono Lambda bundled the same way in the same run.
 * Sizes (infra/bundle-files.ts, minified, source maps not counted): `cold KB` is index.mjs with
 * the chunks it imports statically, what a cold start loads; `total KB` adds the chunks that
 * only a dynamic import() loads, on first use (e.g. the xlsx writer and the S3 client).
 *
 * Every function of functions/catalog.ts and every task function (TASK_FUNCTIONS) is bundled
 * exactly as synth bundles it: infra/bundle.mjs with the arguments the house construct passes
 * (bundlerArguments, including the lazily imported SDK clients the function's grants leave
 * out). Two baselines: `new Hono().get('/', (c) => c.text('hi'))` behind hono's Lambda adapter
 * (hello-hono), and the fairer minimal-hono-dynamodb: one hono route reading one item through a
 * lib-dynamodb document client made at module scope, as every function's deps are; each
 * function's import time is shown as a multiple of both.
 * Load time is measured by spawning `node --enable-source-maps -e "await import(bundle)"` (the
 * deployed NODE_OPTIONS) several times per bundle, in interleaved rounds so that drift of the
 * machine affects every bundle alike: `import ms` is the import alone, timed inside the
 * process; `process ms` is the whole process, Node's own start included. The table shows
 * medians and each function's import time as a multiple of the baseline's.
 *
 * Bundles go to bench-results/bundle-report/ and the figures to bench-results/bundle-report.json
 * (bench-results/ is git-ignored). Nothing here is deployed or touches AWS.
 */
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { functionCatalog } from '../functions/catalog.ts';
import { bundleFiles } from './bundle-files.ts';
import { functionPermissions, TASK_FUNCTIONS, unusedModules } from './function-permissions.ts';
import { BUNDLER, bundlerArguments, PROJECT_ROOT } from './house-function.ts';

/** Fresh processes per bundle; the median is reported. */
const RUNS = 7;
const RESULTS_DIR = join(PROJECT_ROOT, 'bench-results');
const WORK_DIR = join(RESULTS_DIR, 'bundle-report');
const BASELINE = 'hello-hono';
const DYNAMODB_BASELINE = 'minimal-hono-dynamodb';

const HELLO_HONO = `// The baseline of npm run bundle-report (infra/bundle-report.ts): the smallest hono Lambda.
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';

export const handler = handle(new Hono().get('/', (c) => c.text('hi')));
`;

const MINIMAL_HONO_DYNAMODB = `// The cold-start baseline of issue 19 (infra/bundle-report.ts): hono and a lib-dynamodb client.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = handle(
  new Hono().get('/items/:id', async (c) => {
    const { Item } = await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: c.req.param('id'), sk: 'ITEM' } }));
    return Item ? c.json(Item) : c.notFound();
  }),
);
`;

/** What functions/lambda-deps.ts and the runner read at module scope; nothing connects while loading. */
const LOAD_ENV = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'cn-north-1',
  TABLE_NAME: 'bundle-report',
  JWKS_URL: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/pool/.well-known/jwks.json',
  JWT_ISSUER: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/pool',
  JWT_AUDIENCE: 'client',
  EVALUATION_STATE_MACHINE_ARN: 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:bundle-report',
};

interface Bundle {
  name: string;
  kind: 'baseline' | 'dynamodb-baseline' | 'http' | 'task';
  /** node infra/bundle.mjs arguments */
  args: string[];
  file: string;
}

interface Measured extends Bundle {
  /** loaded at cold start */
  bytes: number;
  /** every chunk */
  totalBytes: number;
  importMs: number[];
  processMs: number[];
}

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`node ${args.join(' ')} failed:\n${stderr}`))));
  });
}

/** Runs the bundler for every bundle, a few at a time. */
async function bundleAll(bundles: readonly Bundle[]): Promise<void> {
  const queue = [...bundles];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await run([BUNDLER, ...next.args]);
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), queue.length) }, worker));
}

/** One fresh Node process importing the bundle: [import ms, process ms]. */
function loadOnce(file: string): [number, number] {
  const report = 'process.stdout.write(String(performance.now() - t0));';
  const script = `const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); ${report}`;
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: LOAD_ENV,
    timeout: 30_000,
  });
  const processMs = Number(process.hrtime.bigint() - started) / 1e6;
  const importMs = Number(result.stdout);
  if (result.status !== 0 || !Number.isFinite(importMs))
    throw new Error(`Loading ${relative(PROJECT_ROOT, file)} failed: ${result.stderr || result.error?.message}`);
  return [importMs, processMs];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const started = Date.now();
  rmSync(WORK_DIR, { recursive: true, force: true });
  // inside the project, so that esbuild resolves hono and the SDK from its node_modules
  const entryOf = (name: string, source: string) => {
    mkdirSync(join(WORK_DIR, 'entries', name), { recursive: true });
    const entry = join(WORK_DIR, 'entries', name, 'lambda.ts');
    writeFileSync(entry, source);
    return relative(PROJECT_ROOT, entry);
  };
  const helloEntry = entryOf(BASELINE, HELLO_HONO);
  const dynamodbEntry = entryOf(DYNAMODB_BASELINE, MINIMAL_HONO_DYNAMODB);

  const out = (name: string) => join(WORK_DIR, name);
  const bundles: Bundle[] = [
    { name: BASELINE, kind: 'baseline', args: [helloEntry, out(BASELINE)], file: join(out(BASELINE), 'index.mjs') },
    { name: DYNAMODB_BASELINE, kind: 'dynamodb-baseline', args: [dynamodbEntry, out(DYNAMODB_BASELINE)], file: join(out(DYNAMODB_BASELINE), 'index.mjs') },
    ...[...functionCatalog.map((f) => ({ name: f.name, kind: 'http' as const })), ...TASK_FUNCTIONS.map((name) => ({ name, kind: 'task' as const }))].map(
      ({ name, kind }) => {
        const granted = functionPermissions[name];
        if (!granted) throw new Error(`infra/function-permissions.ts has no entry for ${name}`);
        return { name, kind, args: bundlerArguments(name, out(name), unusedModules(granted)), file: join(out(name), 'index.mjs') };
      },
    ),
  ];

  process.stdout.write(`Bundling ${bundles.length} entries with infra/bundle.mjs ... `);
  await bundleAll(bundles);
  const bundledAfter = (Date.now() - started) / 1000;
  process.stdout.write(`${bundledAfter.toFixed(1)} s\n`);

  process.stdout.write(`Loading each bundle in ${RUNS} fresh Node processes `);
  const measured: Measured[] = bundles.map((b) => {
    const files = bundleFiles(dirname(b.file));
    return { ...b, bytes: files.coldStartBytes, totalBytes: files.totalBytes, importMs: [], processMs: [] };
  });
  for (let round = 0; round < RUNS; round++) {
    // a different starting bundle each round, so no bundle always runs first (or last)
    for (let i = 0; i < measured.length; i++) {
      const m = measured[(i + round) % measured.length]!;
      const [importMs, processMs] = loadOnce(m.file);
      m.importMs.push(importMs);
      m.processMs.push(processMs);
    }
    process.stdout.write('.');
  }
  process.stdout.write('\n\n');

  const baseline = measured.find((m) => m.kind === 'baseline')!;
  const baselineImport = median(baseline.importMs);
  const dynamodbImport = median(measured.find((m) => m.kind === 'dynamodb-baseline')!.importMs);
  const rows = measured.map((m) => ({
    function: m.name,
    kind: m.kind,
    bytes: m.bytes,
    kb: round1(m.bytes / 1024),
    totalBytes: m.totalBytes,
    totalKb: round1(m.totalBytes / 1024),
    importMs: round1(median(m.importMs)),
    processMs: round1(median(m.processMs)),
    vsHello: Math.round((median(m.importMs) / baselineImport) * 100) / 100,
    vsDynamodb: Math.round((median(m.importMs) / dynamodbImport) * 100) / 100,
    importSamplesMs: m.importMs.map(round1),
    processSamplesMs: m.processMs.map(round1),
  }));

  const header = ['function', 'cold KB', 'total KB', 'import ms', '× hello', '× hono+dynamodb', 'process ms'];
  const table = rows.map((r) => [
    r.kind === 'task' ? `${r.function} (task)` : r.kind === 'http' ? r.function : `${r.function} (baseline)`,
    r.kb.toFixed(1),
    r.totalKb.toFixed(1),
    r.importMs.toFixed(1),
    `${r.vsHello.toFixed(2)}×`,
    `${r.vsDynamodb.toFixed(2)}×`,
    r.processMs.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));

  const seconds = (Date.now() - started) / 1000;
  const report = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: availableParallelism(),
    runsPerBundle: RUNS,
    bundler: 'infra/bundle.mjs (same arguments as synth: bundlerArguments in infra/house-function.ts)',
    loadCommand: 'node --enable-source-maps --input-type=module -e "await import(bundle)"',
    notes:
      'kb: index.mjs and the chunks it imports statically (loaded at cold start); ' +
      'totalKb: every .mjs file of the bundle; ' +
      'importMs: median time of the import() alone inside a fresh process; ' +
      'processMs: median wall time of that process; ' +
      'vsHello: importMs / the hello-hono baseline importMs; ' +
      'vsDynamodb: importMs / the minimal-hono-dynamodb baseline importMs (issue 19: at most 1.5)',
    baseline: BASELINE,
    dynamodbBaseline: DYNAMODB_BASELINE,
    seconds: round1(seconds),
    bundles: rows,
  };
  writeFileSync(join(RESULTS_DIR, 'bundle-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `\n${relative(PROJECT_ROOT, join(RESULTS_DIR, 'bundle-report.json'))} written; ${seconds.toFixed(1)} s in all (bundling ${bundledAfter.toFixed(1)} s).`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
