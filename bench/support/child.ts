/**
 * Running a bench worker in its own Node process (fresh heap, its own max RSS, a heap limit of
 * its own) through tsx, and getting its one result back over IPC.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildOptions {
  /** --max-old-space-size in MB */
  heapMb?: number;
  /** extra node flags, e.g. --cpu-prof */
  nodeFlags?: string[];
  timeoutMs?: number;
}

/** Forks `script` (a URL or path of a .ts file) with `args`; resolves with the first message it sends. */
export function runChild<T>(script: string | URL, args: string[], options: ChildOptions = {}): Promise<T> {
  const path = script instanceof URL ? fileURLToPath(script) : script;
  const execArgv = ['--import', 'tsx', ...(options.heapMb ? [`--max-old-space-size=${options.heapMb}`] : []), ...(options.nodeFlags ?? [])];
  return new Promise<T>((resolve, reject) => {
    const child = fork(path, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: { value: T } | null = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path} ${args.join(' ')} took longer than ${options.timeoutMs} ms`));
    }, options.timeoutMs ?? 600_000);
    child.once('message', (message) => {
      result = { value: message as T };
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (result) resolve(result.value);
      else reject(new Error(`${path} ${args.join(' ')} exited (${signal ?? code}) without a result`));
    });
  });
}

/** In a worker: hands the result to the parent, or prints it when run by hand. */
export function reportToParent(result: unknown): void {
  if (process.send) process.send(result, () => process.exit(0));
  else console.log(JSON.stringify(result, null, 2));
}
