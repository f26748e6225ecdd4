/**
 * Where finished report files go: the reports bucket when deployed (./storage-s3.ts), a local
 * directory otherwise. Both stream: a writer takes the report as it is produced, so a large
 * file never sits in memory.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Writable } from 'node:stream';

export interface StoredObjectMeta {
  contentType: string;
  /** Content-Disposition the download gets (the file name) */
  contentDisposition: string;
}

export interface ReportWriter {
  /** write the file here and end it; destroying it (with or without an error) abandons the file */
  stream: Writable;
  /** settles once the file is stored in full (or failed) */
  done: Promise<{ bytes: number }>;
}

export interface ReportStorage {
  readonly kind: 'local' | 's3';
  createWriter(key: string, meta: StoredObjectMeta): ReportWriter;
  /** a short-lived link to download the object directly (S3), or null when the app serves it (local) */
  downloadUrl(key: string, meta: StoredObjectMeta, expiresInSeconds: number): Promise<string | null>;
  /** the stored file for the app to serve, or null when absent (S3: null, the link is used instead) */
  openReader(key: string): Promise<{ stream: Readable; bytes: number } | null>;
}

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Object keys are built from ids (reports/{district}/{settlement}/{job}.xlsx); anything else is refused. */
export function assertReportKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.includes('..')) throw new Error(`Not a report key: ${key}`);
}

/**
 * Files in a directory (`npm start`: `.data/reports/` via REPORTS_DIR; otherwise a temporary
 * directory). A file is written under a temporary name and renamed when complete, so a half-written
 * report is never served. Files older than `maxAgeMs` are swept now and then, like the bucket's
 * lifecycle rule.
 */
export function localReportStorage(directory: string, options: { maxAgeMs?: number } = {}): ReportStorage {
  const maxAgeMs = options.maxAgeMs ?? 24 * 3600 * 1000;
  const pathOf = (key: string) => {
    assertReportKey(key);
    return join(directory, key.replaceAll('/', '__'));
  };
  let lastSweep = 0;
  const sweep = async () => {
    if (Date.now() - lastSweep < 3600 * 1000) return;
    lastSweep = Date.now();
    try {
      for (const name of await readdir(directory)) {
        const path = join(directory, name);
        const info = await stat(path);
        if (Date.now() - info.mtimeMs > maxAgeMs) await rm(path, { force: true });
      }
    } catch {
      // sweeping is housekeeping; a failure costs disk space only
    }
  };

  return {
    kind: 'local',
    createWriter(key) {
      const path = pathOf(key);
      const partial = `${path}.partial`;
      let bytes = 0;
      let stored = false;
      let file: ReturnType<typeof createWriteStream> | undefined;
      const opened = mkdir(directory, { recursive: true }).then(() => {
        file = createWriteStream(partial);
        return file;
      });
      let settle!: { resolve: (value: { bytes: number }) => void; reject: (error: Error) => void };
      const done = new Promise<{ bytes: number }>((resolve, reject) => {
        settle = { resolve, reject };
      });
      done.catch(() => {});
      const stream = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          opened.then((f) => (f.write(chunk) ? callback() : f.once('drain', () => callback())), callback);
        },
        final(callback) {
          opened
            .then((f) => new Promise<void>((resolve, reject) => f.end((error?: Error | null) => (error ? reject(error) : resolve()))))
            .then(() => rename(partial, path))
            .then(() => {
              stored = true;
              settle.resolve({ bytes });
              void sweep();
              callback();
            }, callback);
        },
        destroy(error, callback) {
          if (!stored) {
            settle.reject(error ?? new Error('The report file was abandoned'));
            file?.destroy();
            void rm(partial, { force: true });
          }
          callback(error);
        },
      });
      stream.on('error', (error) => settle.reject(error));
      return { stream, done };
    },
    async downloadUrl() {
      return null;
    },
    async openReader(key) {
      const path = pathOf(key);
      try {
        const info = await stat(path);
        return { stream: createReadStream(path), bytes: info.size };
      } catch {
        return null;
      }
    },
  };
}
