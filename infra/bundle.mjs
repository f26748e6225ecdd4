/**
 * Bundles one Lambda entry with the locally installed esbuild (the house construct,
 * infra/house-function.ts, runs this during synth; Docker is never used):
 *
 *   node infra/bundle.mjs <entry.ts> <output dir> [--external=<package> ...]
 *
 * One minified ESM file, index.mjs, with a source map beside it and everything inside,
 * the AWS SDK included. `--external` leaves out a package the function imports lazily but can
 * never reach (see `unusedModules` in house-function.ts). A plain .mjs script because CDK's bundling hook is synchronous
 * and esbuild plugins need the asynchronous API.
 *
 * The one plugin keeps zod's English messages only: @hono/zod-openapi extends the whole
 * `z` namespace, which defeats tree shaking, so every zod locale (~260 KB minified, half of
 * a bundle) would otherwise ship. zod configures `en` by default; nothing here selects
 * another locale (`z.locales.*` is undefined in the bundle).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** esbuild's ESM output cannot `require()`; CommonJS dependencies that require Node built-ins need this. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __gatekeeperCreateRequire } from 'node:module'; const require = __gatekeeperCreateRequire(import.meta.url);";

/** @type {esbuild.Plugin} */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'zod-english-only' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: PROJECT_ROOT,
      loader: 'js',
    }));
  },
};

async function main() {
  const args = process.argv.slice(2);
  const external = args.filter((a) => a.startsWith('--external=')).map((a) => a.slice('--external='.length));
  const metafile = args.find((a) => a.startsWith('--metafile='))?.slice('--metafile='.length);
  const [entry, outdir] = args.filter((a) => !a.startsWith('--'));
  if (!entry || !outdir) throw new Error('usage: node infra/bundle.mjs <entry> <outdir> [--external=<package>]... [--metafile=<file>]');
  const result = await esbuild.build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [entry],
    outfile: join(outdir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    charset: 'utf8',
    banner: { js: ESM_REQUIRE_BANNER },
    external,
    plugins: [zodEnglishOnly],
    metafile: metafile !== undefined,
    logLevel: 'warning',
  });
  if (metafile && result.metafile) writeFileSync(metafile, JSON.stringify(result.metafile));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
