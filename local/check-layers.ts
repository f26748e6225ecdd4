/**
 * `npm run lint`'s layer check: dependency-cruiser with the rules in .dependency-cruiser.cjs.
 *
 * dependency-cruiser parses TypeScript with the TypeScript 5 compiler API, which TypeScript 7
 * (the Go compiler this project uses) no longer ships. So this script hands it JavaScript:
 * every source file is transpiled with esbuild into a temporary tree with the same paths
 * (`x.ts` → `x.ts.js`), with type-only imports kept as plain imports first, so a cycle made of
 * type imports is still a cycle. The report names the original files.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type IConfiguration } from 'dependency-cruiser';
import { transformSync } from 'esbuild';

const ROOTS = ['shared', 'functions', 'local', 'bench', 'infra', 'test'];
const root = process.cwd();

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Type-only imports and re-exports of the project's own modules as plain ones, so they stay in the output. */
function keepTypeImports(source: string): string {
  return source.replace(
    /\b(import|export)\s+(type\s+)?(\{[^}]*\}|\*\s+as\s+\w+|\*|\w+)(\s*from\s*)(['"])((?:\.{1,2}\/|#shared\/)[^'"]+)\5/g,
    (_m, keyword: string, _type: string | undefined, names: string, from: string, quote: string, specifier: string) =>
      `${keyword} ${names.replace(/(^\{|,)(\s*)type\s+/g, '$1$2')}${from}${quote}${specifier}${quote}`,
  );
}

/** `./x.ts` → `./x.ts.js`: the transpiled tree's file names. */
function renameSpecifiers(code: string): string {
  return code.replace(/((?:from|import)\s*\(?\s*)(['"])((?:\.{1,2}\/|#shared\/)[^'"]+\.(?:ts|tsx|mjs))\2/g, '$1$2$3.js$2');
}

const out = mkdtempSync(join(tmpdir(), 'layers-'));
try {
  for (const file of ROOTS.flatMap(sourceFiles)) {
    const source = readFileSync(join(root, file), 'utf8');
    const { code } = transformSync(keepTypeImports(source), {
      loader: file.endsWith('.tsx') ? 'tsx' : 'ts',
      format: 'esm',
      jsx: 'automatic',
      jsxImportSource: 'hono/jsx',
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    });
    mkdirSync(join(out, dirname(file)), { recursive: true });
    writeFileSync(join(out, `${file}.js`), renameSpecifiers(code));
  }
  symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'));
  writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'module', imports: { '#shared/*': './shared/*' } }));
  const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as IConfiguration;
  process.chdir(out);
  const result = await cruise(ROOTS, {
    validate: true,
    ruleSet: { forbidden: config.forbidden ?? [] },
    doNotFollow: { path: 'node_modules' },
    preserveSymlinks: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], mainFields: ['module', 'main'] },
    outputType: 'err',
  });
  process.chdir(root);
  const report = String(result.output).replaceAll('.ts.js', '.ts').replaceAll('.tsx.js', '.tsx').replaceAll('.mjs.js', '.mjs');
  process.stdout.write(report);
  process.exitCode = result.exitCode;
} finally {
  rmSync(out, { recursive: true, force: true });
}
