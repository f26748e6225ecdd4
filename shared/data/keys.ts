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
  /**
   * gsi2: teams of a district, grouped by institution; an institution's teams are the sort key prefix below (no index of
   * their own: every contract signed rewrites its team's counter, and each index the team is in would be rewritten with it)
   */
  teamsOfDistrict: (districtId: string) => ({ gsi2pk: `DISTRICT#${districtId}#TEAMS` }),
  teamsOfInstitution: (institutionId: string) => ({ attribute: 'gsi2sk', prefix: `INSTITUTION#${institutionId}#TEAM#` }),
  teamListEntries: (districtId: string, institutionId: string, teamId: string) => ({
    gsi2pk: `DISTRICT#${districtId}#TEAMS`,
    gsi2sk: `INSTITUTION#${institutionId}#TEAM#${teamId}`,
  }),

  contract: (contractId: string) => ({ pk: `CONTRACT#${contractId}`, sk: 'CONTRACT' }),
  /**
   * gsi2: a resident's contract history; gsi3: an institution's contracts by team, then start date. A team's contracts
   * are the gsi3 sort key prefix below (no index of their own: one copy less per contract written).
   */
  contractsOfResident: (residentRef: string) => ({ gsi2pk: `RESIDENT#${residentRef}#CONTRACTS` }),
  contractsOfInstitution: (institutionId: string) => ({ gsi3pk: `INSTITUTION#${institutionId}#CONTRACTS` }),
  contractsOfTeam: (teamId: string) => ({ attribute: 'gsi3sk', prefix: `TEAM#${teamId}#START#` }),
  contractListEntries: (institutionId: string, teamId: string, residentRef: string, startDate: string, contractId: string) => ({
    gsi2pk: `RESIDENT#${residentRef}#CONTRACTS`,
    gsi2sk: `START#${startDate}#${contractId}`,
    gsi3pk: `INSTITUTION#${institutionId}#CONTRACTS`,
    gsi3sk: `TEAM#${teamId}#START#${startDate}#${contractId}`,
  }),
  /** A district's active contracts by last day: the daily step ends those whose end date has passed. */
  contractEndsOfDistrict: (districtId: string) => ({ pk: `DISTRICT#${districtId}#CONTRACT_ENDS` }),
  contractEnd: (districtId: string, endDate: string, contractId: string) => ({
    pk: `DISTRICT#${districtId}#CONTRACT_ENDS`,
    sk: `END#${endDate}#${contractId}`,
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
  /** gsi1: a district's invitations of a period by team, for their status (never their tokens) */
  invitationsOfDistrict: (districtId: string, period: string) => ({ gsi1pk: `DISTRICT#${districtId}#INVITATIONS#${period}` }),
  invitationListEntry: (districtId: string, period: string, teamId: string, invitationId: string) => ({
    gsi1pk: `DISTRICT#${districtId}#INVITATIONS#${period}`,
    gsi1sk: `TEAM#${teamId}#${invitationId}`,
  }),
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
  /** the rows of one upload in chunks of teams, each keyed by its first team id; immutable once written */
  rowsOfUpload: (uploadId: string) => ({ pk: `METRICS_UPLOAD#${uploadId}` }),
  chunkPrefix: 'ROWS#',
  chunk: (uploadId: string, firstTeamId: string) => ({ pk: `METRICS_UPLOAD#${uploadId}`, sk: `ROWS#${firstTeamId}` }),
  /** an Idempotency-Key record; `scopeHash` is sha256(caller, route, key) */
  idempotency: (scopeHash: string) => ({ pk: `IDEMPOTENCY#${scopeHash}`, sk: 'IDEMPOTENCY' }),
} as const;

/** Criteria sets and evaluation runs (shared/data/criteria.ts, shared/data/evaluations.ts). */
export const evaluationKeys = {
  criteriaVersion: (districtId: string, version: number) => ({ pk: `DISTRICT#${districtId}#CRITERIA`, sk: `VERSION#${String(version).padStart(6, '0')}` }),
  criteriaOfDistrict: (districtId: string) => ({ pk: `DISTRICT#${districtId}#CRITERIA` }),
  criteriaCounter: (districtId: string) => ({ pk: `DISTRICT#${districtId}#CRITERIA`, sk: 'COUNTER' }),
  run: (evaluationId: string) => ({ pk: `EVALUATION#${evaluationId}`, sk: 'RUN' }),
  /** gsi1: a district's runs, newest last */
  runListEntry: (districtId: string, createdAt: string, evaluationId: string) => ({
    gsi1pk: `DISTRICT#${districtId}#EVALUATIONS`,
    gsi1sk: `${createdAt}#${evaluationId}`,
  }),
  runsOfDistrict: (districtId: string) => ({ gsi1pk: `DISTRICT#${districtId}#EVALUATIONS` }),
  statistic: (evaluationId: string, indicatorCode: string) => ({ pk: `EVALUATION#${evaluationId}`, sk: `STATISTIC#${indicatorCode}` }),
  statisticsOf: (evaluationId: string) => ({ pk: `EVALUATION#${evaluationId}` }),
  /** phase 1 output per batch: its teams' values, in one or a few parts */
  valuesPart: (evaluationId: string, batch: number, part: number) => ({
    pk: `EVALUATION#${evaluationId}#VALUES`,
    sk: `BATCH#${String(batch).padStart(6, '0')}#PART#${String(part).padStart(3, '0')}`,
  }),
  valuesOfBatch: (batch: number) => `BATCH#${String(batch).padStart(6, '0')}#`,
  valuesOf: (evaluationId: string) => ({ pk: `EVALUATION#${evaluationId}#VALUES` }),
  /** phase 3 output per team: the scorecard */
  score: (evaluationId: string, teamId: string) => ({ pk: `EVALUATION#${evaluationId}#SCORES`, sk: `TEAM#${teamId}` }),
  scoresOf: (evaluationId: string) => ({ pk: `EVALUATION#${evaluationId}#SCORES` }),
  /** phase 3 output per batch: its teams' totals, what phase 4 ranks */
  scoreTotals: (evaluationId: string, batch: number) => ({ pk: `EVALUATION#${evaluationId}`, sk: `TOTALS#${String(batch).padStart(6, '0')}` }),
  /** phase 4 output per team: rank and percentile only, joined into the scorecard when read */
  rank: (evaluationId: string, teamId: string) => ({ pk: `EVALUATION#${evaluationId}#RANKS`, sk: `TEAM#${teamId}` }),
  ranksOf: (evaluationId: string) => ({ pk: `EVALUATION#${evaluationId}#RANKS` }),
} as const;

/**
 * Settlements (shared/data/settlements.ts): the header and its audit log share a partition; the
 * lines of each computation live in their own partition, which the header's `computationId`
 * names, so a recompute swaps every line at once by moving one pointer.
 */
export const settlementKeys = {
  settlement: (settlementId: string) => ({ pk: `SETTLEMENT#${settlementId}`, sk: 'SETTLEMENT' }),
  /** gsi1: a district's settlements by creation time */
  settlementsOfDistrict: (districtId: string) => ({ gsi1pk: `DISTRICT#${districtId}#SETTLEMENTS` }),
  settlementListEntry: (districtId: string, createdAt: string, settlementId: string) => ({
    gsi1pk: `DISTRICT#${districtId}#SETTLEMENTS`,
    gsi1sk: `${createdAt}#${settlementId}`,
  }),
  /** one audit entry per action, numbered by the header's revision */
  auditPrefix: 'AUDIT#',
  audit: (settlementId: string, revision: number) => ({ pk: `SETTLEMENT#${settlementId}`, sk: `AUDIT#${String(revision).padStart(6, '0')}` }),
  /** the lines of one computation, in institution then team order within each kind */
  linesOf: (computationId: string) => ({ pk: `SETTLEMENT_LINES#${computationId}` }),
  linePrefix: { team: 'TEAM#', member: 'MEMBER#', institution: 'INSTITUTION#' } as const,
  teamLine: (computationId: string, institutionId: string, teamId: string) => ({
    pk: `SETTLEMENT_LINES#${computationId}`,
    sk: `TEAM#${institutionId}#${teamId}`,
  }),
  memberLine: (computationId: string, institutionId: string, teamId: string, memberId: string) => ({
    pk: `SETTLEMENT_LINES#${computationId}`,
    sk: `MEMBER#${institutionId}#${teamId}#${memberId}`,
  }),
  institutionLine: (computationId: string, institutionId: string) => ({ pk: `SETTLEMENT_LINES#${computationId}`, sk: `INSTITUTION#${institutionId}` }),
  /** the approved settlement in force for a district and period: at most one, corrections replace it */
  inForce: (districtId: string, period: string) => ({ pk: `DISTRICT#${districtId}`, sk: `SETTLEMENT#${period}#IN_FORCE` }),
  /** a district's finance defaults: role shares, key-population weights */
  financeSettings: (districtId: string) => ({ pk: `DISTRICT#${districtId}`, sk: 'FINANCE_SETTINGS' }),
  /** the date ranges of subsidy days approved settlements paid, with a version moved by each approval */
  subsidyPaid: (districtId: string) => ({ pk: `DISTRICT#${districtId}`, sk: 'SUBSIDY_PAID' }),
} as const;

/**
 * Report jobs (shared/data/report-jobs.ts): one item per job producing a large settlement report
 * in the background; it expires (TTL `expiresAt`) a day after it was requested.
 */
export const reportKeys = {
  job: (jobId: string) => ({ pk: `REPORT_JOB#${jobId}`, sk: 'REPORT_JOB' }),
} as const;

/** Settlement jobs (shared/data/settlement-jobs.ts): previews, creations and recomputes computed off the request path. */
export const settlementJobKeys = {
  job: (jobId: string) => ({ pk: `SETTLEMENT_JOB#${jobId}`, sk: 'SETTLEMENT_JOB' }),
} as const;

/** The item GET /health reads (shared/data/health.ts): never written, so the read is one cheap GetItem. */
export const healthKeys = {
  probe: () => ({ pk: 'HEALTH', sk: 'PROBE' }),
} as const;

/**
 * Payees (shared/data/payees.ts): per institution the approved payee and at most one proposal
 * waiting for a second officer, both listed per district on gsi1; one audit entry per action.
 */
export const payeeKeys = {
  current: (institutionId: string) => ({ pk: `INSTITUTION#${institutionId}`, sk: 'PAYEE' }),
  proposal: (institutionId: string) => ({ pk: `INSTITUTION#${institutionId}`, sk: 'PAYEE#PROPOSAL' }),
  /** gsi1: a district's payees and proposals, in institution order */
  ofDistrict: (districtId: string) => ({ gsi1pk: `DISTRICT#${districtId}#PAYEES` }),
  listEntry: (districtId: string, institutionId: string, kind: 'CURRENT' | 'PROPOSAL') => ({
    gsi1pk: `DISTRICT#${districtId}#PAYEES`,
    gsi1sk: `INSTITUTION#${institutionId}#${kind}`,
  }),
  auditPrefix: 'PAYEE_AUDIT#',
  /** in time order; a proposal's approval sorts after it even within one millisecond */
  audit: (institutionId: string, at: string, proposalId: string, action: 'propose' | 'approve') => ({
    pk: `INSTITUTION#${institutionId}`,
    sk: `PAYEE_AUDIT#${at}#${proposalId}#${action === 'propose' ? 1 : 2}-${action}`,
  }),
} as const;

/**
 * Appeals against published results (shared/data/appeals.ts): one item per appeal; gsi1 lists a
 * district period's appeals by filing time.
 */
export const appealKeys = {
  appeal: (appealId: string) => ({ pk: `APPEAL#${appealId}`, sk: 'APPEAL' }),
  appealsOfPeriod: (districtId: string, period: string) => ({ gsi1pk: `DISTRICT#${districtId}#APPEALS#${period}` }),
  appealListEntry: (districtId: string, period: string, filedAt: string, appealId: string) => ({
    gsi1pk: `DISTRICT#${districtId}#APPEALS#${period}`,
    gsi1sk: `${filedAt}#${appealId}`,
  }),
} as const;

/**
 * The general audit log (shared/data/audit-log.ts): one partition per district and UTC month,
 * entries sorted by time and a unique id, so a district's log reads newest first in a date range.
 */
export const auditLogKeys = {
  month: (districtId: string, month: string) => ({ pk: `DISTRICT#${districtId}#AUDIT#${month}` }),
  entry: (districtId: string, at: string, entryId: string) => ({ pk: `DISTRICT#${districtId}#AUDIT#${at.slice(0, 7)}`, sk: `${at}#${entryId}` }),
} as const;
