/**
 * The platform as `npm start -- --fresh` runs it (local/start.ts: DynamoDB Local persisted in
 * .data/, the table, every function app, the demo district seeded on first start), in its own
 * process and a temporary working directory so its .data/ never touches the checkout; on a free
 * port. `stop()` ends that process group (the script stops its DynamoDB Local on SIGTERM) and
 * removes the directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../local/dynamodb-local.ts';

export interface LocalApp {
  base: string;
  /** the DynamoDB Local endpoint the app uses (its .data/endpoint) */
  endpoint: string;
  tableName: string;
  stop: () => void;
}

const START = fileURLToPath(new URL('../../local/start.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

function stopGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

export async function startLocalApp(options: { seedTimeoutMs?: number; log?: (line: string) => void } = {}): Promise<LocalApp> {
  const dir = mkdtempSync(join(tmpdir(), 'gatekeeper-load-'));
  const port = await freePort();
  const tableName = 'gatekeeper';
  // its own DynamoDB Local, whatever this shell points at
  const { DYNAMODB_ENDPOINT: _ignored, ...environment } = process.env;
  const child = spawn(process.execPath, [TSX, START, '--fresh'], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...environment, PORT: String(port), TABLE_NAME: tableName, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const stop = () => {
    stopGroup(child);
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
  return { base: `http://127.0.0.1:${port}`, endpoint: readFileSync(join(dir, '.data', 'endpoint'), 'utf8').trim(), tableName, stop };
}
