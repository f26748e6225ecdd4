/**
 * Where a function's pages are: only page routes are under these prefixes, and all of them
 * (test/infra/lazy-pages.test.ts). A deployed function builds its pages with the first request
 * under them and its API with the first other request (functions/lambda-entry.ts).
 */
export const EVALUATION_PAGE_PREFIXES = ['/evaluator', '/clerk', '/public'] as const;
export const FINANCE_PAGE_PREFIXES = ['/finance'] as const;
