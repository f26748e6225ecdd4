/**
 * The one lookup the clerk-institution check needs (./lambda-deps.ts), loaded with the first
 * clerk's token. Only this function: a dynamic import keeps every export of the module it names,
 * so importing the institutions repository itself would bundle (and need grants for) all of it.
 */
export { getInstitution } from '#shared/data/institutions.ts';
