/**
 * The house defaults for every Lambda, in one place: Node.js 22 on arm64, one minified ESM
 * bundle per function built by the locally installed esbuild (never Docker) with the AWS SDK
 * inside, source maps on, an explicit log group with retention, X-Ray active, and a role
 * that starts with nothing but writing its own logs. Callers add what the function needs
 * with `allow(...)` (explicit statements, never grant*ReadWriteData by reflex).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Charset, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const HOUSE_DEFAULTS = {
  runtime: lambda.Runtime.NODEJS_22_X,
  architecture: lambda.Architecture.ARM_64,
  memorySize: 512,
  /** just under the HTTP API's 30 s integration limit, so Lambda times out first and logs it */
  timeout: Duration.seconds(29),
  logRetention: logs.RetentionDays.ONE_MONTH,
} as const;

/**
 * esbuild's ESM output cannot `require()`; a CommonJS dependency that requires a Node
 * built-in would fail at runtime with "Dynamic require of ... is not supported".
 */
const ESM_REQUIRE_BANNER = "import { createRequire as __houseCreateRequire } from 'node:module'; const require = __houseCreateRequire(import.meta.url);";

export interface HouseFunctionProps {
  /** folder under functions/; its lambda.ts exports `handler` */
  name: string;
  environment?: Record<string, string>;
  removalPolicy: RemovalPolicy;
  description?: string;
}

export class HouseFunction extends Construct {
  readonly function: NodejsFunction;
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

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, 'functions', props.name, 'lambda.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description ?? `Gatekeeper ${props.name}`,
      runtime: HOUSE_DEFAULTS.runtime,
      architecture: HOUSE_DEFAULTS.architecture,
      memorySize: HOUSE_DEFAULTS.memorySize,
      timeout: HOUSE_DEFAULTS.timeout,
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        platform: 'node',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        charset: Charset.UTF8,
        // bundle the AWS SDK too: pinned versions, no dependence on what the runtime ships
        externalModules: [],
        banner: ESM_REQUIRE_BANNER,
        forceDockerBundling: false,
      },
    });

    // The default policy exists from grantWrite above; tracing: ACTIVE adds X-Ray to it.
    Validations.of(this.role.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only xray:PutTraceSegments and xray:PutTelemetryRecords use Resource "*" (added by tracing: ACTIVE): ' +
        'X-Ray has no resource-level permissions for them. An infra test asserts no other statement uses "*".',
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
