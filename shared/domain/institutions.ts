/** Who runs an institution and what level of care it is: the registry's fixed lists. */
export const OWNERSHIPS = ['government', 'social'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];
export const INSTITUTION_LEVELS = ['community-health-centre', 'community-health-station', 'township-health-centre', 'first-level-hospital', 'clinic'] as const;
export type InstitutionLevel = (typeof INSTITUTION_LEVELS)[number];
