/**
 * Incentive allocation for a settlement: one entry point over the three methods a district
 * can choose. Every line carries an explanation object and a one-line English and Chinese text.
 */
import { allocateGradeTiers, allocateValuePerPoint } from './entitlement-methods.ts';
import type { IncentiveOptions, IncentiveResult, TeamIncentiveInput } from './incentive-types.ts';
import { invalidMoneyInput } from './money-errors.ts';
import { allocateScoreWeighted } from './score-weighted.ts';

export { allocateGradeTiers, allocateScoreWeighted, allocateValuePerPoint };

export function allocateIncentives(teams: readonly TeamIncentiveInput[], options: IncentiveOptions): IncentiveResult {
  switch (options.method) {
    case 'score-weighted':
      return allocateScoreWeighted(teams, options);
    case 'value-per-point':
      return allocateValuePerPoint(teams, options);
    case 'grade-tiers':
      return allocateGradeTiers(teams, options);
    default:
      throw invalidMoneyInput('unknown-method', `Unknown incentive method ${(options as { method: unknown }).method}`);
  }
}
