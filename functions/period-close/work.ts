/**
 * What the period-close function does, loaded with its first invocation (./lambda.ts). Only these
 * functions: a dynamic import keeps every export of the module it names, so naming the services
 * themselves would bundle (and need grants for) all of their other work.
 */
export { endContractsPastTheirTerm } from '#shared/services/contracts.ts';
export { closePeriods, requireAllStarted } from '#shared/services/evaluation/period-close.ts';
export { finalizeDuePeriods } from '#shared/services/periods.ts';
