/**
 * What every function app is built from. Lambda entries build it from the environment
 * (functions/lambda-deps.ts), `npm start` from the local stack, tests from DynamoDB Local.
 */
import type { Db } from './data/db.ts';
import type { TokenVerifier } from './http/tokens.ts';
import type { PayeeCipher } from './security/payee-cipher.ts';
import type { ResidentKeyer } from './security/resident-key.ts';

export interface Deps {
  db: Db;
  verifyToken: TokenVerifier;
  /** resolves once (the pepper may come from Secrets Manager) */
  residentKeyer: () => Promise<ResidentKeyer>;
  /**
   * Encrypts and decrypts payees' bank account numbers; resolves once. Only the functions that
   * store payees or write payment files have it (finance, reports); elsewhere it is absent.
   */
  payeeCipher?: () => Promise<PayeeCipher>;
  now: () => Date;
  /**
   * Starts an evaluation run's phases: in this process locally and in tests
   * (shared/services/evaluation/phases.ts executeEvaluation), a Step Functions execution when deployed.
   */
  launchEvaluation: (evaluationId: string) => Promise<void>;
}
