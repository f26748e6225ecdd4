/** Every area's problem texts, joined; a code appears in one catalogue only (checked by a unit test). */
import { ADMIN_PAGE_PROBLEMS } from './admin-pages.ts';
import { AUDIT_LOG_MESSAGES } from './audit-log.ts';
import { type MessageCatalogue, type MessageLang, fillPlaceholders } from './catalogue.ts';
import { CLERK_PAGE_PROBLEMS } from './clerk-pages.ts';
import { CONTRACT_PROBLEMS } from './contract-problems.ts';
import { HARDENING_MESSAGES } from './hardening.ts';
import { IDENTITY_NUMBER_MESSAGES } from './identity-numbers.ts';
import { FINANCE_MESSAGES } from './finance.ts';
import { EVALUATION_PROBLEMS } from './evaluation-problems.ts';
import { EVALUATOR_PAGE_PROBLEMS } from './evaluator-pages.ts';
import { METRICS_PROBLEMS } from './metrics-problems.ts';
import { MONEY_MESSAGES } from './money.ts';
import { PERIOD_MESSAGES } from './periods.ts';
import { REGISTRY_PROBLEMS } from './registry-problems.ts';
import { REQUEST_PROBLEMS } from './request-problems.ts';
import { SETTLEMENT_PROBLEMS } from './settlement-problems.ts';
import { SETTLEMENT_JOB_PROBLEMS } from './settlement-jobs.ts';
import { SURVEY_PROBLEMS } from './survey-problems.ts';
import { TEAM_MEMBER_PROBLEMS } from './team-members.ts';

export const CATALOGUES: Record<string, MessageCatalogue> = {
  adminPages: ADMIN_PAGE_PROBLEMS,
  request: REQUEST_PROBLEMS,
  registry: REGISTRY_PROBLEMS,
  contracts: CONTRACT_PROBLEMS,
  surveys: SURVEY_PROBLEMS,
  metrics: METRICS_PROBLEMS,
  evaluation: EVALUATION_PROBLEMS,
  settlements: SETTLEMENT_PROBLEMS,
  settlementJobs: SETTLEMENT_JOB_PROBLEMS,
  money: MONEY_MESSAGES,
  identityNumbers: IDENTITY_NUMBER_MESSAGES,
  hardening: HARDENING_MESSAGES,
  periods: PERIOD_MESSAGES,
  finance: FINANCE_MESSAGES,
  clerkPages: CLERK_PAGE_PROBLEMS,
  auditLog: AUDIT_LOG_MESSAGES,
  teamMembers: TEAM_MEMBER_PROBLEMS,
  evaluatorPages: EVALUATOR_PAGE_PROBLEMS,
};

export function localizedMessage(code: string, lang: MessageLang, details: Record<string, unknown> = {}): string | undefined {
  for (const catalogue of Object.values(CATALOGUES)) {
    const text = catalogue[code];
    if (text) return fillPlaceholders(text[lang], details);
  }
  return undefined;
}
