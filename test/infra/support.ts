/**
 * Shared by the infra tests: synthesize the app once per test file (through the same
 * createGatekeeperApp that `cdk synth` runs, cdk-nag included) and small readers for the
 * template. Bundling is skipped unless a test file needs the bundles.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { createGatekeeperApp, type GatekeeperApp } from '../../infra/gatekeeper-app.ts';
import type { FunctionRoute } from '../../infra/function-routes.ts';
import type { GatekeeperStackProps } from '../../infra/gatekeeper-stack.ts';

export interface Synthesized extends GatekeeperApp {
  template: Template;
  assembly: CloudAssembly;
  /** the logical id of a construct's CloudFormation resource */
  logicalId: (element: { node: { defaultChild?: unknown } } | CfnElement) => string;
  cleanup: () => void;
}

export interface SynthOptions {
  context?: Record<string, unknown>;
  /** build the Lambda bundles (slow); otherwise CDK skips bundling */
  bundle?: boolean;
  /** CDK's built-in CloudFormation schema validation (slow: ~10 s on two cores) */
  cfnValidation?: boolean;
  stackProps?: Omit<GatekeeperStackProps, 'config'>;
}

export function synthesize(options: SynthOptions = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'gatekeeper-infra-test-'));
  let built: GatekeeperApp;
  let assembly: CloudAssembly;
  try {
    built = createGatekeeperApp(
      {
        outdir,
        builtinCloudFormationValidation: options.cfnValidation ?? false,
        context: { ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...options.context },
      },
      options.stackProps,
    );
    assembly = built.app.synth();
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  const template = Template.fromStack(built.stack);
  const logicalId = (element: { node: { defaultChild?: unknown } } | CfnElement): string => {
    const cfn = ('logicalId' in element ? element : element.node.defaultChild) as CfnElement;
    return built.stack.resolve(cfn.logicalId) as string;
  };
  return { ...built, template, assembly, logicalId, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

export type CfnResource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

export function resourcesOf(template: Template, type: string): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

export function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** Every statement of the IAM policies attached to the given role logical id. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([{ Ref: roleLogicalId }]))
    .flatMap((policy) => (policy.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** The API Gateway route keys the stack makes of a function route: a GET also answers HEAD. */
export function routeKeysOf(route: FunctionRoute): string[] {
  return route.method === 'GET' ? [`GET ${route.path}`, `HEAD ${route.path}`] : [`${route.method} ${route.path}`];
}
