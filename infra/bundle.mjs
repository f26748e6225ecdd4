/**
 * Bundles one Lambda entry with the locally installed esbuild (the house construct,
 * infra/house-function.ts, runs this during synth; Docker is never used):
 *
 *   node infra/bundle.mjs <entry.ts> <output dir> [--external=<package> ...] [--metafile=<file>]
 *
 * Minified ESM with source maps and everything inside, the AWS SDK included: index.mjs holds
 * what the handler imports statically; code it reaches only through a dynamic `import()` (the
 * Step Functions, Secrets Manager, S3 and Lambda clients, the xlsx writer) goes to chunks/ and
 * loads on first use, not at cold start. `--external` leaves out a package the function imports
 * lazily but can never reach (see `unusedModules` in infra/function-permissions.ts). A plain
 * .mjs script because CDK's bundling hook is synchronous and esbuild plugins need the
 * asynchronous API. infra/bundle-files.ts measures the output; README "Lambda bundles" lists
 * what each contains.
 *
 * The plugins leave out code a deployed function never runs (sizes minified, per bundle):
 * - zodNamespaceImports: @hono/zod-openapi imports `{ z }` from zod, a re-exported namespace that
 *   defeats esbuild's tree shaking (~190 KB of zod instead of ~100 KB); its import and its
 *   `extendZodWithOpenApi(z)` are bundled as `import * as z`, the same object. Our own modules
 *   import zod that way already (shared/schemas/zod.ts).
 * - zodEnglishOnly: whatever still reaches zod's locale index gets the two locales the problem
 *   texts use (`en`, zod's default, and `zhCN`: shared/domain/field-messages.ts, loaded with the first problem in Chinese), never the ~260 KB
 *   of all locales. A locale used but left out here fails the bundle at load
 *   (test/infra/gatekeeper-stack.test.ts and the deployed-artefact test load every bundle).
 * - lambdaCredentialsFromEnv: the SDK clients' default credential chain (SSO, ini files,
 *   process, web identity, container and instance metadata, and the STS / SSO clients they
 *   embed, ~90 KB) becomes `fromEnv()`: Lambda always puts the role's credentials in
 *   AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN. Bundles only; local runs and
 *   tests use the real chain from node_modules.
 * - noOpenApiGenerator: the OpenAPI document generators of @asteasolutions/zod-to-openapi
 *   (~20 KB). No Lambda serves /openapi.json (the local server does, from the same schemas),
 *   so generating a document throws in a bundle; route registration and validation are untouched.
 * - sdkPackageVersion: the SDK clients read only `version` from their package.json.
 * Plus BROWSER_ONLY: packages only the SDK's browser code paths import.
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** esbuild's ESM output cannot `require()`; CommonJS dependencies that require Node built-ins need this. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __gatekeeperCreateRequire } from 'node:module'; const require = __gatekeeperCreateRequire(import.meta.url);";

/** The SDK's browser user-agent parser (bowser, 34 KB), imported lazily by code Node never runs. */
const BROWSER_ONLY = ['bowser'];

/** @type {esbuild.Plugin} */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'zod-english-only' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js'; export { default as zhCN } from 'zod/v4/locales/zh-CN.js';",
      resolveDir: PROJECT_ROOT,
      loader: 'js',
    }));
  },
};

/**
 * Resolves `@aws-sdk/credential-provider-env` from where the real chain lives, so the bundle
 * uses the same fromEnv the chain would have called.
 * @type {esbuild.Plugin}
 */
const lambdaCredentialsFromEnv = {
  name: 'lambda-credentials-from-env',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, async (args) => {
      if (args.pluginData === 'real chain') return undefined;
      const chain = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real chain' });
      if (chain.errors.length > 0) return { errors: chain.errors };
      return { path: chain.path, namespace: 'lambda-credentials' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lambda-credentials' }, (args) => ({
      contents: "export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';",
      resolveDir: join(dirname(args.path), '..'),
      loader: 'js',
    }));
  },
};

const OPENAPI_GENERATOR_LEFT_OUT =
  'OpenAPI documents are not generated in a Lambda bundle (infra/bundle.mjs leaves the generator out); the local server serves /openapi.json';

/** @type {esbuild.Plugin} */
const noOpenApiGenerator = {
  name: 'no-openapi-generator',
  setup(build) {
    build.onResolve({ filter: /^@asteasolutions\/zod-to-openapi$/ }, (args) =>
      /[\\/]node_modules[\\/]@hono[\\/]zod-openapi[\\/]/.test(args.importer) ? { path: 'zod-to-openapi', namespace: 'no-openapi-generator' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-openapi-generator' }, () => ({
      contents: [
        "export { OpenAPIRegistry, extendZodWithOpenApi, getOpenApiMetadata } from '@asteasolutions/zod-to-openapi';",
        `class LeftOut { constructor() { throw new Error(${JSON.stringify(OPENAPI_GENERATOR_LEFT_OUT)}); } }`,
        'export { LeftOut as OpenApiGeneratorV3, LeftOut as OpenApiGeneratorV31 };',
      ].join('\n'),
      resolveDir: PROJECT_ROOT,
      loader: 'js',
    }));
  },
};

const HONO_ZOD_OPENAPI_EXTEND = 'extendZodWithOpenApi(z);';

/** @type {esbuild.Plugin} */
const zodNamespaceImports = {
  name: 'zod-namespace-imports',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]@hono[\\/]zod-openapi[\\/]dist[\\/]index\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const importZ = 'import { z } from "zod";';
      if (!source.includes(importZ) || !source.includes(HONO_ZOD_OPENAPI_EXTEND)) {
        return { errors: [{ text: `${args.path} changed: review the zod-namespace-imports plugin in infra/bundle.mjs` }] };
      }
      return {
        contents: source.replace(importZ, 'import * as z from "zod";').replace(HONO_ZOD_OPENAPI_EXTEND, 'extendZodWithOpenApi({ ZodType: z.ZodType });'),
        loader: 'js',
      };
    });
  },
};

/** `export { a, b as c } from "x";` */
const NAMED_REEXPORT = /export\s*\{([^}]*)\}\s*from\s*["']([^"']+)["']\s*;?/g;
/** The SDK's ES modules (packages under @smithy/ and @aws-sdk/) */
const SDK_MODULE = /[\\/]node_modules[\\/]@(smithy|aws-sdk)[\\/].*[\\/]dist-es[\\/].*\.js$/;
/** `import { a, b as c } from "x";` */
const NAMED_IMPORT = /import\s*\{([^}]*)\}\s*from\s*["']([^"']+)["']\s*;?/g;

/** "a, b as c," → [['a', 'a'], ['b', 'c']]: [the name in the module imported from, the name here] */
function namedSpecifiers(list) {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [imported, local = imported] = s.split(/\s+as\s+/);
      return [imported, local];
    });
}

/**
 * The SDK's modules import what they use from the module that defines it, not through the
 * entry points that re-export it (every @smithy/core and @aws-sdk/core entry point is such a
 * barrel of `export { … } from` lines). Why: with code splitting, esbuild puts a module in the
 * chunk of every entry that reaches its file through any import, used or not; DynamoDB's client
 * imports those barrels, so the REST-JSON protocol and waiter code that only a lazily imported
 * client (Lambda, S3) runs was reached from the handler and loaded at cold start (~20 KB).
 * What each module uses is unchanged, only the path to it; a name a module defines itself is
 * still imported from it. The SDK's packages declare `sideEffects: false`.
 * @type {esbuild.Plugin}
 */
const sdkDirectImports = {
  name: 'sdk-direct-imports',
  setup(build) {
    /** module → whether the package declares it free of side effects (from esbuild's resolution) */
    const sideEffectFree = new Map();
    const resolveFile = async (spec, resolveDir) => {
      const result = await build.resolve(spec, { kind: 'import-statement', resolveDir });
      if (result.errors.length > 0 || result.namespace !== 'file' || result.external) return null;
      sideEffectFree.set(result.path, result.sideEffects === false);
      return result.path;
    };
    /**
     * The names a module passes on from others, each traced to [defining module, its name there];
     * null when importing through it may not be skipped: it or a module it re-exports from has side
     * effects (e.g. @aws-sdk/core's endpoint functions register themselves), or the re-exports loop.
     * @type {Map<string, Promise<Map<string, [string, string]> | null>>}
     */
    const passedOn = new Map();
    const reexportsOf = (path, visiting = new Set()) => {
      if (visiting.has(path)) return Promise.resolve(null);
      if (!passedOn.has(path)) {
        passedOn.set(
          path,
          (async () => {
            if (!SDK_MODULE.test(path) || !sideEffectFree.get(path)) return null;
            const map = new Map();
            const code = (await readFile(path, 'utf8')).replace(/\/\*[\s\S]*?\*\//g, '');
            for (const [, list, spec] of code.matchAll(NAMED_REEXPORT)) {
              const target = await resolveFile(spec, dirname(path));
              if (!target || !sideEffectFree.get(target)) return null;
              const nested = SDK_MODULE.test(target) ? await reexportsOf(target, new Set([...visiting, path])) : new Map();
              for (const [imported, exported] of namedSpecifiers(list)) map.set(exported, nested?.get(imported) ?? [target, imported]);
            }
            return map;
          })(),
        );
      }
      return passedOn.get(path);
    };
    build.onLoad({ filter: SDK_MODULE, namespace: 'file' }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const replacements = new Map();
      for (const [statement, list, spec] of source.matchAll(NAMED_IMPORT)) {
        const target = await resolveFile(spec, dirname(args.path));
        const names = target ? await reexportsOf(target) : null;
        if (!names || names.size === 0) continue;
        const direct = namedSpecifiers(list).map(([imported, local]) => {
          const [from, name] = names.get(imported) ?? [target, imported];
          return `import { ${name} as ${local} } from ${JSON.stringify(from)};`;
        });
        replacements.set(statement, direct.join(' '));
      }
      if (replacements.size === 0) return undefined;
      let contents = source;
      for (const [statement, direct] of replacements) contents = contents.split(statement).join(direct);
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/** @type {esbuild.Plugin} */
const sdkPackageVersion = {
  name: 'sdk-package-version',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]package\.json$/ }, async (args) => {
      const { name, version } = JSON.parse(await readFile(args.path, 'utf8'));
      return { contents: JSON.stringify({ name, version }), loader: 'json' };
    });
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
    outdir,
    entryNames: 'index',
    // code reached only through a dynamic import() loads when first used, not at cold start
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
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
    external: [...BROWSER_ONLY, ...external],
    plugins: [zodNamespaceImports, zodEnglishOnly, lambdaCredentialsFromEnv, noOpenApiGenerator, sdkDirectImports, sdkPackageVersion],
    metafile: metafile !== undefined,
    logLevel: 'warning',
  });
  if (metafile && result.metafile) writeFileSync(metafile, JSON.stringify(result.metafile));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
