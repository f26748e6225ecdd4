/**
 * A valid request for every route that takes a body or needs a query, so the authorization
 * matrix reaches each handler's scope check rather than stopping at validation. A route
 * added without a sample fails the matrix test.
 */
const SAMPLE_CRITERIA = {
  insufficientData: 'redistribute',
  indicators: [
    {
      code: 'home-visits',
      label: { zh: '上门服务', en: 'Home visits' },
      weight: 100,
      source: { metric: 'home-visits-80plus' },
      higherIsBetter: true,
      method: { kind: 'relative-standing', maxPoints: 10 },
    },
  ],
};

export interface RouteSample {
  body?: unknown;
  query?: string;
}

export function routeSamples(ids: Record<string, string>): Record<string, RouteSample> {
  const members = [
    { name: '王医生', role: 'general-practitioner', joinedOn: '2026-01-01' },
    { name: '李护士', role: 'community-nurse', joinedOn: '2026-01-01' },
  ];
  return {
    'POST /districts': { body: { districtId: 'matrix-new', name: '新区', province: '测试省' } },
    'POST /districts/{districtId}/institutions': { body: { name: '新中心', ownership: 'government', level: 'clinic' } },
    'POST /institutions/{institutionId}/teams': { body: { name: '新团队', members } },
    'POST /teams/{teamId}/members': { body: { name: '赵药师', role: 'pharmacist', joinedOn: '2026-01-01' } },
    'POST /teams/{teamId}/members/{memberId}/leave': { body: { leftOn: '2026-12-31' } },
    'POST /contracts': { body: { teamId: ids.teamId, identityNumber: ids.homeResident, insured: true, startDate: '2026-07-01' } },
    'POST /contracts/{contractId}/cancel': { body: { noticeDate: '2026-11-01', reason: '测试', effectiveDate: '2026-11-20' } },
    'POST /surveys': { body: { answers: { overall: 5, attitude: 5, communication: 4, access: 4 } } },
    'POST /districts/{districtId}/survey-instrument': {
      body: { questions: [{ code: 'overall', type: 'scale5', required: true, label: { zh: '总体满意度', en: 'Overall' } }] },
    },
    'POST /districts/{districtId}/survey-invitations': { body: { period: '2026Q4', samplePerTeam: 1 } },
    'POST /districts/{districtId}/survey-aggregates/reconcile': { body: { period: '2026Q4' } },
    'GET /districts/{districtId}/survey-invitations': { query: '?period=2026Q4' },
    // results are shown once the period has ended (the tests run in 2026Q4)
    'GET /teams/{teamId}/survey-results': { query: '?period=2026Q3' },
    'POST /districts/{districtId}/criteria': { body: { name: '矩阵', periodType: 'quarter', document: SAMPLE_CRITERIA } },
    'PUT /districts/{districtId}/criteria/{version}': { body: { revision: 1, name: '矩阵', document: SAMPLE_CRITERIA } },
    'POST /districts/{districtId}/criteria/{version}/publish': { body: {} },
    'POST /districts/{districtId}/criteria/{version}/preview': { body: { period: '2026Q3' } },
    'POST /districts/{districtId}/evaluations': { body: { period: '2026Q3', criteriaVersion: 1 } },
    'POST /districts/{districtId}/periods/{period}/reopen': { body: { reason: '补报数据' } },
    'POST /districts/{districtId}/periods/{period}/appeals': {
      body: { teamId: ids.teamId, indicator: 'home-visits', metric: 'home-visits-80plus', claimedValue: 3, reason: '上报有误' },
    },
    'POST /appeals/{appealId}/decision': { body: { decision: 'reject', reason: '数据已核实' } },
    // Service metrics (CSV is accepted too; the JSON form is enough to reach the scope checks).
    'PUT /institutions/{institutionId}/metrics/{period}': {
      body: { rows: [{ teamId: ids.teamId, values: { 'htn-followup-due': 10, 'htn-followup-done': 8 } }] },
    },
    // Settlements (the settlementId routes get unknown-settlementId: 404 after the role check).
    'PATCH /districts/{districtId}/settings': { body: { contractStartGraceDays: 7 } },
    'GET /districts/{districtId}/audit-log': { query: '?from=2026-06-01&to=2026-11-22&entityType=contract&limit=20' },
    'POST /districts/{districtId}/subsidy-rates': { body: { from: '2027-01-01', perYearFen: 12_000 } },
    'PUT /districts/{districtId}/finance-settings': { body: { roleShares: { 'general-practitioner': 40, 'community-nurse': 30, other: 10 } } },
    'POST /districts/{districtId}/settlements/preview': {
      body: { evaluationId: ids.evaluationId ?? 'eval-home', poolFen: 100_000, method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' } },
    },
    'POST /districts/{districtId}/settlements': {
      body: { evaluationId: ids.evaluationId ?? 'eval-home', poolFen: 100_000, method: { kind: 'score-weighted', sizeMeasure: 'active-contracts' } },
    },
    'POST /settlements/{settlementId}/recompute': { body: { poolFen: 200_000 } },
    'POST /settlements/{settlementId}/approve': { body: { comment: 'checked' } },
    // Payees (the approve sample names no pending proposal: 409 after the scope check)
    'PUT /institutions/{institutionId}/payee': {
      body: { creditCode: '91350100M000100Y43', accountName: '测试中心', bank: '测试银行', accountNumber: '6222020200001234567', budgetSubject: '2100408' },
    },
    'POST /institutions/{institutionId}/payee/approve': { body: { proposalId: 'payee-none' } },
    // Settlement reports (unknown-settlementId: 404 after the role check)
    'POST /settlements/{settlementId}/reports': { body: { format: 'csv', sheet: 'teams', lang: 'zh' } },
  };
}
