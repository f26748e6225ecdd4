/**
 * infra/function-permissions.ts must match what each function's code can do: the HTTP
 * functions of functions/catalog.ts and the Step Functions task functions (TASK_FUNCTIONS, e.g.
 * the evaluation runner). Each function is bundled (unminified, tree-shaken: only code its
 * handler can reach) and our own modules in
 * the bundle are read for the DynamoDB operations they send, transaction items included, and
 * for identity-number hashing (which needs the pepper). A grant the code does not use fails
 * (least privilege), and so does code the grants do not cover (AccessDenied in production).
 */
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionCatalog } from '../../functions/catalog.ts';
import { type DynamoDbAction, functionPermissions, permissionsFor, TASK_FUNCTIONS } from '../../infra/function-permissions.ts';
import { PROJECT_ROOT } from '../../infra/house-function.ts';

/** DynamoDB document / low-level commands → the IAM action that authorises them. */
const COMMAND_ACTIONS: Record<string, DynamoDbAction | 'Scan' | null> = {
  Get: 'GetItem',
  GetItem: 'GetItem',
  Put: 'PutItem',
  PutItem: 'PutItem',
  Update: 'UpdateItem',
  UpdateItem: 'UpdateItem',
  Delete: 'DeleteItem',
  DeleteItem: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchWrite: 'BatchWriteItem',
  BatchWriteItem: 'BatchWriteItem',
  BatchGet: 'BatchGetItem',
  BatchGetItem: 'BatchGetItem',
  DescribeTable: 'DescribeTable',
  // authorised per item (below), no action of their own
  TransactWrite: null,
  TransactWriteItems: null,
};
const TRANSACT_ITEM_ACTIONS: Record<string, DynamoDbAction> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};
/**
 * Commands of other services → their IAM action: the pepper and evaluation runs (functions/lambda-deps.ts),
 * report jobs, which the reports function starts by invoking itself (checked below), and the
 * registry's user invitations (Cognito).
 */
const OTHER_COMMANDS: Record<string, string> = {
  GetSecretValue: 'secretsmanager:GetSecretValue',
  StartExecution: 'states:StartExecution',
  Invoke: 'lambda:InvokeFunction',
  // inviting a user from the administrator pages (functions/registry/user-directory.ts), only when USER_POOL_ID is set
  AdminCreateUser: 'cognito-idp:AdminCreateUser',
  AdminAddUserToGroup: 'cognito-idp:AdminAddUserToGroup',
};

interface CodeUse {
  actions: Set<string>;
  hashesIdentityNumbers: boolean;
  startsEvaluations: boolean;
  /** IAM actions of the other services' commands its code sends */
  otherActions: Set<string>;
  unknownCommands: string[];
}

async function codeUseOf(name: string): Promise<CodeUse> {
  const result = await esbuild.build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [join('functions', name, 'lambda.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    write: false,
    outfile: 'analysis.mjs',
    logLevel: 'error',
  });
  const text = result.outputFiles[0]!.text;
  // esbuild starts each module's code with a `// path/to/module.ts` line
  const ownModules = text.split(/^\/\/ (?=\S+\.(?:ts|tsx|mts|js|mjs)$)/m).filter((section) => /^(shared|functions)\//.test(section));
  const use: CodeUse = { actions: new Set(), hashesIdentityNumbers: false, startsEvaluations: false, otherActions: new Set(), unknownCommands: [] };
  for (const section of ownModules) {
    const file = section.slice(0, section.indexOf('\n'));
    for (const [, command] of section.matchAll(/new (\w+?)Command\d*\(/g)) {
      if (command! in COMMAND_ACTIONS) {
        const action = COMMAND_ACTIONS[command!];
        if (action) use.actions.add(action);
      } else if (Object.hasOwn(OTHER_COMMANDS, command!)) {
        use.otherActions.add(OTHER_COMMANDS[command!]!);
      } else {
        use.unknownCommands.push(`${command}Command in ${file}`);
      }
    }
    for (const [, item] of section.matchAll(/\b(Put|Update|Delete|ConditionCheck)\s*:\s*\{/g)) use.actions.add(TRANSACT_ITEM_ACTIONS[item!]!);
    // the payee account-number key is derived from the pepper too (shared/security/payee-cipher.ts)
    if (/\.residentKeyer\(\)/.test(section) || /\.payeeCipher\(\)/.test(section)) use.hashesIdentityNumbers = true;
    if (/\.launchEvaluation\(/.test(section)) use.startsEvaluations = true;
  }
  return use;
}

const uses = new Map<string, CodeUse>();
const allFunctions = [...functionCatalog.map((f) => f.name), ...TASK_FUNCTIONS];

beforeAll(async () => {
  for (const name of allFunctions) uses.set(name, await codeUseOf(name));
}, 120_000);

describe('function permissions', () => {
  it('has an entry for every catalog and task function and none for others', () => {
    expect(Object.keys(functionPermissions).sort()).toEqual([...allFunctions].sort());
  });

  it('finds the self-invocation of report and settlement jobs in the reports and finance functions only', () => {
    const invokers = allFunctions.filter((name) => uses.get(name)!.otherActions.has('lambda:InvokeFunction'));
    expect(invokers).toEqual(['finance', 'reports']);
  });

  it('covers the evaluation runner, a task function outside the catalog', () => {
    expect(TASK_FUNCTIONS).toContain('evaluation-runner');
    expect(functionCatalog.map((f) => f.name)).not.toContain('evaluation-runner');
    expect(uses.get('evaluation-runner')!.actions.size).toBeGreaterThan(0);
  });

  for (const name of allFunctions) {
    describe(name, () => {
      it('grants exactly the DynamoDB actions its code sends', () => {
        const use = uses.get(name)!;
        expect(use.unknownCommands, 'commands this analysis does not know: map them in COMMAND_ACTIONS').toEqual([]);
        expect([...use.actions].sort()).toEqual([...(functionPermissions[name]?.dynamodb ?? [])].sort());
      });

      it('never scans', () => {
        expect(uses.get(name)!.actions.has('Scan')).toBe(false);
      });

      it('reads the pepper exactly when it hashes identity numbers or encrypts payee account numbers', () => {
        expect(functionPermissions[name]?.readsPepper === true).toBe(uses.get(name)!.hashesIdentityNumbers);
      });

      it('is marked startsEvaluations exactly when it starts evaluation runs', () => {
        expect(functionPermissions[name]?.startsEvaluations === true).toBe(uses.get(name)!.startsEvaluations);
      });

      it('is marked invitesUsers exactly when its code sends AdminCreateUser and AdminAddUserToGroup (Cognito)', () => {
        const actions = uses.get(name)!.otherActions;
        expect(functionPermissions[name]?.invitesUsers === true).toBe(actions.has('cognito-idp:AdminCreateUser'));
        expect(actions.has('cognito-idp:AdminCreateUser')).toBe(actions.has('cognito-idp:AdminAddUserToGroup'));
      });

      it('is marked invokesItself exactly when its code sends InvokeCommand (lambda:InvokeFunction)', () => {
        expect(functionPermissions[name]?.invokesItself === true).toBe(uses.get(name)!.otherActions.has('lambda:InvokeFunction'));
      });
    });
  }
});

describe('permissionsFor', () => {
  const names = Object.keys(functionPermissions);

  it('fails naming a function that has no entry', () => {
    const { resident: _dropped, ...withoutResident } = functionPermissions;
    expect(() => permissionsFor(names, withoutResident)).toThrow(/no entry for function\(s\) resident/);
  });

  it('fails naming a task function that has no entry', () => {
    const { 'evaluation-runner': _dropped, ...withoutRunner } = functionPermissions;
    expect(() => permissionsFor(names, withoutRunner)).toThrow(/no entry for function\(s\) evaluation-runner/);
  });

  it('fails on an entry for a function that does not exist', () => {
    expect(() => permissionsFor(names, { ...functionPermissions, billing: { dynamodb: ['GetItem'] } })).toThrow(/lists billing/);
  });

  it('refuses Scan and actions that are not IAM actions', () => {
    const withScan = { ...functionPermissions, registry: { dynamodb: ['Scan'] as unknown as DynamoDbAction[] } };
    expect(() => permissionsFor(names, withScan)).toThrow(/registry: DynamoDB action\(s\) not allowed here: Scan/);
    const withTransact = { ...functionPermissions, registry: { dynamodb: ['TransactWriteItems'] as unknown as DynamoDbAction[] } };
    expect(() => permissionsFor(names, withTransact)).toThrow(/TransactWriteItems/);
  });
});
