/**
 * cfn-lint on the synthesized templates, for the global region with Cognito and for cn-north-1
 * with an external issuer (infra/lint-templates.ts, also `npm run lint:cfn`): zero errors.
 * cfn-lint is a Python tool; where it is not installed this test is skipped and says so
 * (README: it was not available on the machine this was written on).
 */
import { describe, expect, it } from 'vitest';
import { cfnLintCommand, hasErrors, LINT_TARGETS, lintTarget } from '../../infra/lint-templates.ts';

const command = cfnLintCommand();
if (!command) console.warn('cfn-lint is not installed (pip install cfn-lint): test/infra/cfn-lint.test.ts is skipped');

describe.runIf(command !== undefined)('cfn-lint', () => {
  it.each(LINT_TARGETS.map((t) => [t.name, t] as const))('finds no error in the template for %s', (_name, target) => {
    const result = lintTarget(command!, target);
    expect(hasErrors(result), result.output).toBe(false);
  });
});
