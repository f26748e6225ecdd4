/**
 * Browser sign-in for the HTML pages: the authorization-code flow with PKCE, returning to the
 * sign-in function (functions/sign-in: GET /login, GET /auth/callback, POST /logout) on the
 * API's own URL and on every allowed origin.
 * - Cognito: a Cognito domain (managed login, classic hosted UI) and the code flow switched on
 *   for the web app client. The function is told the domain (SIGN_IN_DOMAIN_URL).
 * - An external OpenID Connect issuer: the function is told the issuer (SIGN_IN_ISSUER) and
 *   finds its endpoints through discovery; the callback URLs (output SignInCallbackUrls) must be
 *   registered on that issuer's client (a public client, PKCE S256).
 * Either way the client id is JWT_AUDIENCE.
 *
 * Context `signInDomainPrefix` names the domain (<prefix>.auth.<region>.amazoncognito.com);
 * prefixes are unique per region across all AWS accounts, so the default includes the account.
 */
import { Aws, CfnOutput } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import { Fn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SIGN_IN_SCOPES } from '#shared/http/oauth-client.ts';
import { CALLBACK_PATH } from '#shared/http/sign-in.ts';
import type { GatekeeperConfig } from './config.ts';
import type { HouseFunction } from './house-function.ts';
import type { Identity } from './identity.ts';

export interface SignInProps {
  config: GatekeeperConfig;
  identity: Identity;
  /** the API stage's URL, ending in '/' */
  apiUrl: string;
  /** the catalog's sign-in function */
  handler: HouseFunction | undefined;
}

/** Cognito's rules for a prefix domain, checked at synth rather than at deploy. */
export function checkDomainPrefix(prefix: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix)) {
    throw new Error(`Context "signInDomainPrefix" must be 1-63 lower-case letters, digits and inner hyphens, got "${prefix}"`);
  }
  if (/aws|amazon|cognito/.test(prefix)) throw new Error(`Context "signInDomainPrefix" may not contain "aws", "amazon" or "cognito", got "${prefix}"`);
  return prefix;
}

export class SignIn extends Construct {
  /** Cognito only */
  readonly domain: cognito.UserPoolDomain | undefined;
  readonly callbackUrls: string[];
  readonly logoutUrls: string[];

  constructor(scope: Construct, id: string, props: SignInProps) {
    super(scope, id);
    if (!props.handler) throw new Error('functions/catalog.ts has no sign-in function: the pages would have no way to sign in');
    const bases = [props.apiUrl.replace(/\/$/, ''), ...props.config.allowedOrigins];
    this.callbackUrls = bases.map((base) => `${base}${CALLBACK_PATH}`);
    this.logoutUrls = bases.map((base) => `${base}/login`);
    new CfnOutput(scope, 'SignInUrl', { value: `${props.apiUrl}login`, description: 'Where people sign in to the pages' });

    const { userPool, userPoolClient } = props.identity;
    if (!userPool || !userPoolClient) {
      this.domain = undefined;
      props.handler.function.addEnvironment('SIGN_IN_ISSUER', props.identity.issuer);
      new CfnOutput(scope, 'SignInCallbackUrls', {
        value: Fn.join(' ', this.callbackUrls),
        description: "Register these as redirect URIs (and the /login URLs as post-logout redirect URIs) on the issuer's client",
      });
      return;
    }
    const configured = this.node.tryGetContext('signInDomainPrefix') as unknown;
    if (configured !== undefined && typeof configured !== 'string') throw new Error('Context "signInDomainPrefix" must be a string');
    const prefix = configured ? checkDomainPrefix(configured.trim()) : `gatekeeper-${props.config.stage}-${Aws.ACCOUNT_ID}`;
    this.domain = userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: prefix } });

    // The client is created with OAuth disabled, before the API (and so its URL) exists;
    // the flows are switched on here, on the CloudFormation resource.
    const client = userPoolClient.node.defaultChild as cognito.CfnUserPoolClient;
    client.allowedOAuthFlowsUserPoolClient = true;
    client.allowedOAuthFlows = ['code'];
    client.allowedOAuthScopes = [...SIGN_IN_SCOPES];
    client.supportedIdentityProviders = ['COGNITO'];
    client.callbackUrLs = this.callbackUrls;
    client.logoutUrLs = this.logoutUrls;

    props.handler.function.addEnvironment('SIGN_IN_DOMAIN_URL', this.domain.baseUrl());

    new CfnOutput(scope, 'SignInDomainUrl', { value: this.domain.baseUrl(), description: "Cognito's managed login domain" });
  }
}
