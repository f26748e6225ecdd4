/**
 * The house defaults for every Lambda, HTTP functions and Step Functions tasks alike, in one
 * place: Node.js 22 on arm64, one minified ESM bundle per function with the AWS SDK inside and
 * source maps on (infra/bundle.mjs, run with the locally installed esbuild, never Docker;
 * lazily imported code in chunks/ beside index.mjs, loaded on first use), an
 * explicit log group with retention, no X-Ray (nothing records SDK calls in a trace, so traces
 * would show only the invocation; logs carry the request id), and a role that starts with nothing but
 * writing its own logs. Callers add what the function needs with `allow(...)`: explicit
 * statements, never grant*ReadWriteData by reflex.
 *
 * Why not NodejsFunction: its esbuild runs through the CLI, which takes no plugins, and the
 * plugins in infra/bundle.mjs (zod namespace imports and locales, the Lambda credential
 * provider) keep every function's cold-start code under 500 KB instead of ~900 KB. It
 * would also fall back to Docker silently when esbuild is missing; this construct fails.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLER = join(PROJECT_ROOT, 'infra', 'bundle.mjs');

export const HOUSE_DEFAULTS = {
  runtime: lambda.Runtime.NODEJS_22_X,
  architecture: lambda.Architecture.ARM_64,
  memorySize: 512,
  /** just under the HTTP API's 30 s integration limit, so Lambda times out first and logs it */
  timeout: Duration.seconds(29),
  /**
   * Step Functions tasks have no 30 s limit: an evaluation's statistics and ranking read every
   * team of a district in one invocation. Generous, so a big district is slow rather than failed.
   */
  taskTimeout: Duration.minutes(5),
  logRetention: logs.RetentionDays.ONE_MONTH,
  /** bundle.mjs writes index.mjs exporting `handler` */
  handler: 'index.handler',
} as const;

export interface HouseFunctionProps {
  /** folder under functions/; its lambda.ts exports `handler` */
  name: string;
  /**
   * What invokes it: the HTTP API (default: an entry of functions/catalog.ts, 29 s timeout) or
   * Step Functions (a task handler such as functions/evaluation-runner, HOUSE_DEFAULTS.taskTimeout).
   */
  invokedBy?: 'http-api' | 'step-functions';
  environment?: Record<string, string>;
  removalPolicy: RemovalPolicy;
  description?: string;
  /**
   * Packages the code imports lazily (dynamic `import()`) on a path this function can never
   * take, e.g. the Secrets Manager client in a function without the pepper: left out of the
   * bundle. A static import of one of them fails the bundle smoke test in test/infra.
   */
  unusedModules?: readonly string[];
  /** an explicit name, for a function whose own ARN must appear in its own policy (a self-invocation) */
  functionName?: string;
  /** instead of the default for `invokedBy`, e.g. for a function that also runs long jobs */
  timeout?: Duration;
}

function assertLocalEsbuild(): void {
  try {
    createRequire(join(PROJECT_ROOT, 'package.json')).resolve('esbuild');
  } catch {
    throw new Error('esbuild is not installed in this project (npm ci): Lambda bundles are built locally, never in Docker.');
  }
}

/**
 * The arguments of `node infra/bundle.mjs` for functions/<name>/lambda.ts: what synth runs, and
 * what `npm run bundle-report` (infra/bundle-report.ts) runs to measure the same bundles.
 */
export function bundlerArguments(name: string, outputDir: string, unusedModules: readonly string[] = []): string[] {
  const relativeEntry = relative(PROJECT_ROOT, join(PROJECT_ROOT, 'functions', name, 'lambda.ts'));
  return [relativeEntry, outputDir, ...[...unusedModules].sort().map((m) => `--external=${m}`)];
}

/** The function's code: functions/<name>/lambda.ts bundled by infra/bundle.mjs at synth. */
export function houseCode(name: string, unusedModules: readonly string[] = []): lambda.Code {
  return lambda.Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type; never pulled, because local bundling either succeeds or throws.
      image: DockerImage.fromRegistry('gatekeeper-local-bundling-only'),
      // What runs, also the asset cache key: without the entry, every function would share one bundle.
      command: ['node', 'infra/bundle.mjs', ...bundlerArguments(name, '/asset-output', unusedModules)],
      local: {
        tryBundle(outputDir: string): boolean {
          assertLocalEsbuild();
          const result = spawnSync(process.execPath, [BUNDLER, ...bundlerArguments(name, outputDir, unusedModules)], {
            cwd: PROJECT_ROOT,
            encoding: 'utf8',
            stdio: ['ignore', 'inherit', 'pipe'],
          });
          if (result.status !== 0) throw new Error(`Bundling functions/${name} failed: ${result.stderr || result.error?.message}`);
          return true;
        },
      },
    },
  });
}

export class HouseFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: HOUSE_DEFAULTS.logRetention,
      removalPolicy: props.removalPolicy,
    });

    // Our own role instead of the default one: no AWSLambdaBasicExecutionRole managed policy
    // (logs:CreateLogGroup on *), only writing to this function's own log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Gatekeeper ${props.name} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new lambda.Function(this, 'Function', {
      code: houseCode(props.name, props.unusedModules),
      handler: HOUSE_DEFAULTS.handler,
      description: props.description ?? `Gatekeeper ${props.name}`,
      runtime: HOUSE_DEFAULTS.runtime,
      architecture: HOUSE_DEFAULTS.architecture,
      memorySize: HOUSE_DEFAULTS.memorySize,
      ...(props.functionName ? { functionName: props.functionName } : {}),
      timeout: props.timeout ?? (props.invokedBy === 'step-functions' ? HOUSE_DEFAULTS.taskTimeout : HOUSE_DEFAULTS.timeout),
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        // stack traces through the bundle's source map
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 (an LTS line) is the pinned house runtime and the esbuild target; moving to a newer runtime ' +
        'is a deliberate, tested change to HOUSE_DEFAULTS rather than something to follow automatically.',
    });
  }

  /** Adds an explicit statement to this function's role. */
  allow(statement: iam.PolicyStatement): void {
    this.role.addToPrincipalPolicy(statement);
  }
}
