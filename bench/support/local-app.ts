/**
 * The platform as `npm start -- --fresh` runs it (local/start.ts: the table, every function app,
 * the demo district seeded on first start), in its own process and a temporary working directory so
 * its .data/ never touches the checkout, on a free port. Its database is a DynamoDB Local in memory
 * handed to it with DYNAMODB_ENDPOINT (npm start's own option): the persisted one npm start embeds
 * took over eight minutes to seed the demo district on the shared bench machine. `stop()` ends that
 * process group, the DynamoDB Local and removes the directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startDynamoDbLocal } from '../../local/dynamodb-local.ts';

export interface LocalApp {
  base: string;
  /** the DynamoDB Local endpoint the app uses */
  endpoint: string;
  tableName: string;
  stop: () => void;
}

const START = fileURLToPath(new URL('../../local/start.ts', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));
const TSX = join(NODE_MODULES, 'tsx', 'dist', 'cli.mjs');

function stopGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** residentsPerTeam: SEED_RESIDENTS_PER_TEAM of the demo district (512 teams); npm start's default when omitted */
export async function startLocalApp(options: { residentsPerTeam?: number; seedTimeoutMs?: number; log?: (line: string) => void } = {}): Promise<LocalApp> {
  const dir = mkdtempSync(join(tmpdir(), 'gatekeeper-load-'));
  // the settlement job worker thread loads TypeScript with `--import tsx`, resolved from the working directory
  symlinkSync(NODE_MODULES, join(dir, 'node_modules'));
  const port = await freePort();
  const tableName = 'gatekeeper';
  const database = await startDynamoDbLocal();
  const child = spawn(process.execPath, [TSX, START, '--fresh'], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DYNAMODB_ENDPOINT: database.endpoint,
      PORT: String(port),
      TABLE_NAME: tableName,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...(options.residentsPerTeam ? { SEED_RESIDENTS_PER_TEAM: String(options.residentsPerTeam) } : {}),
    },
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const stop = () => {
    stopGroup(child);
    database.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', () => stopGroup(child));
  const deadline = Date.now() + (options.seedTimeoutMs ?? 600_000);
  const seeded = join(dir, '.data', 'seeded.json');
  while (!existsSync(seeded)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      stop();
      throw new Error(`npm start did not finish seeding (${child.exitCode === null ? 'timed out' : `exited ${child.exitCode}`}): ${output.slice(-800)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  options.log?.(`local app seeded on port ${port}`);
  return { base: `http://127.0.0.1:${port}`, endpoint: database.endpoint, tableName, stop };
}
