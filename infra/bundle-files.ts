/**
 * What a bundle written by infra/bundle.mjs weighs: index.mjs plus the chunks it imports
 * statically, transitively (what Lambda loads at cold start), and all of its .mjs files (what is
 * deployed; the rest are chunks a dynamic import() loads on first use). Source maps are not
 * counted. Read from the files themselves, so synth output and `npm run bundle-report` are
 * measured alike.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export interface BundleFiles {
  /** paths relative to the bundle directory, index.mjs first */
  coldStart: string[];
  coldStartBytes: number;
  all: string[];
  totalBytes: number;
}

/** esbuild's minified static imports of its own chunks: `import{a as b}from"./chunks/x.mjs"`, `import"./x.mjs"` (never `import(`) */
const STATIC_CHUNK_IMPORT = /\bimport\s*(?:[\w$*{}\s,]*?from\s*)?"(\.\.?\/[^"]+\.mjs)"/g;

function mjsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => f.split('\\').join('/'))
    .sort();
}

export function bundleFiles(dir: string): BundleFiles {
  const all = mjsFiles(dir);
  const coldStart: string[] = [];
  const pending = ['index.mjs'];
  for (let file = pending.shift(); file !== undefined; file = pending.shift()) {
    if (coldStart.includes(file)) continue;
    coldStart.push(file);
    const code = readFileSync(join(dir, file), 'utf8');
    for (const [, specifier] of code.matchAll(STATIC_CHUNK_IMPORT)) {
      pending.push(
        relative(dir, join(dir, dirname(file), specifier!))
          .split('\\')
          .join('/'),
      );
    }
  }
  const bytes = (files: string[]) => files.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
  return { coldStart, coldStartBytes: bytes(coldStart), all, totalBytes: bytes(all) };
}
