/**
 * Every partition and sort key value in the table is built here, so an access pattern can be
 * found by name. Prefixes are upper-case entity names; ids never contain '#'.
 */
export const keys = {
  district: (districtId: string) => ({ pk: `DISTRICT#${districtId}`, sk: 'DISTRICT' }),
  /** gsi1: all districts */
  districtList: () => ({ gsi1pk: 'DISTRICTS' }),
  districtListEntry: (districtId: string) => ({ gsi1pk: 'DISTRICTS', gsi1sk: `DISTRICT#${districtId}` }),

  institution: (institutionId: string) => ({ pk: `INSTITUTION#${institutionId}`, sk: 'INSTITUTION' }),
  /** gsi1: institutions of a district */
  institutionsOfDistrict: (districtId: string) => ({ gsi1pk: `DISTRICT#${districtId}#INSTITUTIONS` }),
  institutionListEntry: (districtId: string, institutionId: string) => ({
    gsi1pk: `DISTRICT#${districtId}#INSTITUTIONS`,
    gsi1sk: `INSTITUTION#${institutionId}`,
  }),

  team: (teamId: string) => ({ pk: `TEAM#${teamId}`, sk: 'TEAM' }),
  /** gsi1: teams of an institution; gsi2: teams of a district */
  teamsOfInstitution: (institutionId: string) => ({ gsi1pk: `INSTITUTION#${institutionId}#TEAMS` }),
  teamsOfDistrict: (districtId: string) => ({ gsi2pk: `DISTRICT#${districtId}#TEAMS` }),
  teamListEntries: (districtId: string, institutionId: string, teamId: string) => ({
    gsi1pk: `INSTITUTION#${institutionId}#TEAMS`,
    gsi1sk: `TEAM#${teamId}`,
    gsi2pk: `DISTRICT#${districtId}#TEAMS`,
    gsi2sk: `INSTITUTION#${institutionId}#TEAM#${teamId}`,
  }),

  contract: (contractId: string) => ({ pk: `CONTRACT#${contractId}`, sk: 'CONTRACT' }),
  /** gsi1: contracts of a team by start date; gsi2: a resident's contract history */
  contractsOfTeam: (teamId: string) => ({ gsi1pk: `TEAM#${teamId}#CONTRACTS` }),
  contractsOfResident: (residentRef: string) => ({ gsi2pk: `RESIDENT#${residentRef}#CONTRACTS` }),
  contractListEntries: (teamId: string, residentRef: string, startDate: string, contractId: string) => ({
    gsi1pk: `TEAM#${teamId}#CONTRACTS`,
    gsi1sk: `START#${startDate}#${contractId}`,
    gsi2pk: `RESIDENT#${residentRef}#CONTRACTS`,
    gsi2sk: `START#${startDate}#${contractId}`,
  }),
  /** The resident's one current contract: the item that enforces one active contract. */
  residentCurrentContract: (residentRef: string) => ({ pk: `RESIDENT#${residentRef}`, sk: 'CURRENT_CONTRACT' }),
} as const;

/** Surveys (shared/data/surveys.ts). */
export const surveyKeys = {
  instrument: (districtId: string, version: number) => ({ pk: `DISTRICT#${districtId}#SURVEY`, sk: `INSTRUMENT#${String(version).padStart(6, '0')}` }),
  currentInstrument: (districtId: string) => ({ pk: `DISTRICT#${districtId}#SURVEY`, sk: 'INSTRUMENT#CURRENT' }),
  /** marks that a resident answered for a team and period: the one-response rule */
  responseMarker: (residentRef: string, period: string, teamId: string) => ({ pk: `RESIDENT#${residentRef}`, sk: `SURVEYED#${period}#TEAM#${teamId}` }),
  /** raw answers, deliberately not linked to the resident */
  answers: (teamId: string, period: string, answerId: string) => ({ pk: `TEAM#${teamId}#ANSWERS#${period}`, sk: `ANSWER#${answerId}` }),
  answersOfTeam: (teamId: string, period: string) => ({ pk: `TEAM#${teamId}#ANSWERS#${period}` }),
  aggregate: (districtId: string, period: string, teamId: string) => ({ pk: `DISTRICT#${districtId}#SURVEYAGG#${period}`, sk: `TEAM#${teamId}` }),
  aggregatesOfDistrict: (districtId: string, period: string) => ({ pk: `DISTRICT#${districtId}#SURVEYAGG#${period}` }),
  invitation: (tokenHash: string) => ({ pk: `INVITATION#${tokenHash}`, sk: 'INVITATION' }),
} as const;

/**
 * Service metrics, their catalogue, period status and idempotency records (shared/data/metrics.ts,
 * metric-catalogue.ts, period-status.ts, idempotency.ts; design in docs/data-model.md).
 */
export const metricKeys = {
  /** a district's metric catalogue */
  catalogue: (districtId: string) => ({ pk: `DISTRICT#${districtId}`, sk: 'METRIC_CATALOGUE' }),
  /** open or closed to uploads, per district and period */
  periodStatus: (districtId: string, period: string) => ({ pk: `DISTRICT#${districtId}`, sk: `PERIOD#${period}#STATUS` }),
  /** partition of a district's metric uploads for a period: one current-version pointer per institution */
  uploadsOfDistrict: (districtId: string, period: string) => ({ pk: `DISTRICT#${districtId}#METRICS#${period}` }),
  pointerPrefix: 'CURRENT#INSTITUTION#',
  pointer: (districtId: string, period: string, institutionId: string) => ({
    pk: `DISTRICT#${districtId}#METRICS#${period}`,
    sk: `CURRENT#INSTITUTION#${institutionId}`,
  }),
  /** every version of an institution's upload for a period (the audit trail) */
  versionsOf: (institutionId: string, period: string) => ({ pk: `INSTITUTION#${institutionId}#METRICS#${period}` }),
  versionPrefix: 'VERSION#',
  version: (institutionId: string, period: string, version: number) => ({
    pk: `INSTITUTION#${institutionId}#METRICS#${period}`,
    sk: `VERSION#${String(version).padStart(6, '0')}`,
  }),
  /** the rows of one upload, one item per team; immutable once written */
  rowsOfUpload: (uploadId: string) => ({ pk: `METRICS_UPLOAD#${uploadId}` }),
  row: (uploadId: string, teamId: string) => ({ pk: `METRICS_UPLOAD#${uploadId}`, sk: `TEAM#${teamId}` }),
  /** an Idempotency-Key record; `scopeHash` is sha256(caller, route, key) */
  idempotency: (scopeHash: string) => ({ pk: `IDEMPOTENCY#${scopeHash}`, sk: 'IDEMPOTENCY' }),
} as const;
