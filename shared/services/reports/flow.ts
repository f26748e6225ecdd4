/** Keeping a report's memory flat: wait for the destination to take what was written, and stop when it went away. */
import type { Writable } from 'node:stream';

export class ReportAbortedError extends Error {
  override readonly name = 'ReportAbortedError';
}

/** Progress: rows written so far (all sheets), every `every` rows and at the end. */
export interface ProgressOptions {
  onProgress?: (rows: number) => void | Promise<void>;
  /** rows between calls of onProgress and between waits for the destination (default 500) */
  every?: number;
}

/**
 * Waits until `out` has room again (its 'drain'), then yields to the event loop so the zip and
 * zlib stages run; throws when `out` was closed or failed (the client went away).
 */
export async function relieve(out: Writable): Promise<void> {
  if (out.destroyed || out.errored) throw new ReportAbortedError('The report destination was closed');
  if (out.writableNeedDrain) {
    await new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        out.off('drain', onDrain);
        out.off('close', onClose);
        out.off('error', onError);
      };
      const onDrain = () => {
        cleanup();
        resolve();
      };
      const onClose = () => {
        cleanup();
        reject(new ReportAbortedError('The report destination was closed'));
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      out.on('drain', onDrain);
      out.on('close', onClose);
      out.on('error', onError);
    });
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
}
