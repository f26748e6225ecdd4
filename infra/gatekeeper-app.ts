/**
 * Builds the CDK app: one Gatekeeper stack for the stage named in context, checked by
 * cdk-nag's AWS Solutions pack. cdk-nag v3 runs as a policy-validation plugin: synth fails
 * on any finding that is not acknowledged with Validations.of(construct).acknowledge(...)
 * on the construct it concerns. infra/app.ts (the `cdk` entry) and the infra tests share it.
 */
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config.ts';
import { GatekeeperStack, type GatekeeperStackProps } from './gatekeeper-stack.ts';

export interface GatekeeperApp {
  app: App;
  stack: GatekeeperStack;
}

export function stackName(stage: string): string {
  return `Gatekeeper-${stage}`;
}

export function createGatekeeperApp(appProps: AppProps = {}, stackProps: Omit<GatekeeperStackProps, 'config'> = {}): GatekeeperApp {
  const app = new App(appProps);
  const config = readConfig((key) => app.node.tryGetContext(key));
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  const stack = new GatekeeperStack(app, stackName(config.stage), {
    ...stackProps,
    ...(config.region ? { env: { region: config.region, ...(process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT } : {}) } } : {}),
    config,
    description: `Gatekeeper (${config.stage}): family-doctor contracting, evaluation and incentive payments`,
  });
  return { app, stack };
}
