/**
 * The user directory of a deployed registry: Cognito when USER_POOL_ID is set (AdminCreateUser
 * with the e-mail, name and scope attributes, Cognito e-mailing the temporary password, then
 * AdminAddUserToGroup with the role's group); with an external OIDC issuer (IDENTITY_PROVIDER=oidc)
 * none: accounts are managed in that identity provider; else the local demo directory.
 * The Lambda needs cognito-idp:AdminCreateUser and cognito-idp:AdminAddUserToGroup on the pool.
 */
import { demoUserDirectory, externalUserDirectory, type Invitation, type UserDirectory } from '#shared/services/user-invites.ts';

export function cognitoUserDirectory(userPoolId: string): UserDirectory {
  return {
    async invite(invitation: Invitation) {
      const { CognitoIdentityProviderClient, AdminCreateUserCommand, AdminAddUserToGroupCommand } = await import('@aws-sdk/client-cognito-identity-provider');
      const client = new CognitoIdentityProviderClient({});
      const attributes = [
        { Name: 'email', Value: invitation.email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: invitation.name },
        ...(invitation.districtId ? [{ Name: 'custom:districtId', Value: invitation.districtId }] : []),
        ...(invitation.institutionId ? [{ Name: 'custom:institutionId', Value: invitation.institutionId }] : []),
      ];
      const created = await client.send(
        new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: invitation.email, UserAttributes: attributes, DesiredDeliveryMediums: ['EMAIL'] }),
      );
      const username = created.User?.Username ?? invitation.email;
      await client.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: invitation.role }));
      return { kind: 'invited' as const, username };
    },
  };
}

export function userDirectoryFromEnv(): UserDirectory {
  const pool = process.env.USER_POOL_ID;
  if (pool) return cognitoUserDirectory(pool);
  // the stack sets IDENTITY_PROVIDER=oidc when tokens come from an external issuer (infra/gatekeeper-stack.ts)
  return process.env.IDENTITY_PROVIDER === 'oidc' ? externalUserDirectory : demoUserDirectory;
}
