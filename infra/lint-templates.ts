/**
 * `npm run lint:cfn`: synthesizes the two deployment shapes (a global region with Cognito, and
 * Beijing, cn-north-1, with an external OpenID Connect issuer) and runs cfn-lint on each template
 * for its region. cfn-lint is a Python tool (pip install cfn-lint); where it is not installed this
 * says so and exits 0, unless --require is given. test/infra/cfn-lint.test.ts runs the same check
 * inside `npm test` wherever cfn-lint is on PATH.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGatekeeperApp } from './gatekeeper-app.ts';

export interface LintTarget {
  name: string;
  /** cfn-lint --regions */
  region: string;
  context: Record<string, string>;
}

export const LINT_TARGETS: LintTarget[] = [
  { name: 'global region, Cognito', region: 'eu-west-1', context: { stage: 'prod', region: 'eu-west-1' } },
  {
    name: 'Beijing, external OpenID Connect issuer',
    region: 'cn-north-1',
    context: { stage: 'prod', region: 'cn-north-1', oidcIssuer: 'https://idaas.example.cn/oidc', oidcAudience: 'gatekeeper-web' },
  },
];

/** How to run cfn-lint here: the command on PATH, or the Python module; undefined when neither exists. */
export function cfnLintCommand(): string[] | undefined {
  for (const command of [['cfn-lint'], ['python3', '-m', 'cfnlint']]) {
    const probe = spawnSync(command[0]!, [...command.slice(1), '--version'], { encoding: 'utf8' });
    if (probe.status === 0) return command;
  }
  return undefined;
}

export interface LintResult {
  target: LintTarget;
  /** cfn-lint's exit code: a bit mask, 2 = errors, 4 = warnings, 8 = informational, 1 = it failed to run */
  status: number;
  output: string;
}

export function hasErrors(result: LintResult): boolean {
  return (result.status & 3) !== 0;
}

/** Synthesizes a target's template (no bundling: cfn-lint reads the template only) and lints it. */
export function lintTarget(command: string[], target: LintTarget): LintResult {
  const outdir = mkdtempSync(join(tmpdir(), 'gatekeeper-cfn-lint-'));
  try {
    const { app, stack } = createGatekeeperApp({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...target.context } });
    const template = join(app.synth().directory, stack.templateFile);
    const run = spawnSync(command[0]!, [...command.slice(1), '--regions', target.region, '--', template], { encoding: 'utf8' });
    return { target, status: run.status ?? 1, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = cfnLintCommand();
  if (!command) {
    console.log('cfn-lint is not installed (pip install cfn-lint): templates not linted.');
    process.exit(process.argv.includes('--require') ? 1 : 0);
  }
  let failed = false;
  for (const target of LINT_TARGETS) {
    const result = lintTarget(command, target);
    console.log(`${target.name} (${target.region}): ${hasErrors(result) ? 'ERRORS' : 'no errors'}\n${result.output}`);
    failed ||= hasErrors(result);
  }
  process.exit(failed ? 1 : 0);
}
