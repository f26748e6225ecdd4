/** Texts of the evaluator pages in Chinese (default) and English, their stylesheet, and small helpers. */
import type { Lang } from '#shared/web/lang.ts';

export const TEXT = {
  zh: {
    criteria: '评价标准',
    criteriaOf: (district: string) => `评价标准 · ${district}`,
    versions: '标准版本',
    version: '版本',
    versionNo: (v: number) => `第 ${v} 版`,
    name: '名称',
    periodType: '周期类型',
    periodTypes: { quarter: '季度', year: '年度' },
    statusHead: '状态',
    status: { draft: '草稿', published: '已发布' },
    revision: '修订',
    updated: '最后保存',
    publishedAt: '发布',
    basedOn: '基于',
    noVersions: '还没有评价标准版本。请在下方新建草稿。',
    open: '编辑',
    view: '查看',
    next: '下一页',
    first: '第一页',
    newDraft: '新建草稿',
    newDraftHint: '新草稿复制所选版本的标准文档；“示例模板”是一个可直接修改的小例子。',
    starter: '示例模板',
    create: '创建草稿',
    newFromThis: '基于此版本新建草稿',
    editor: '编辑草稿',
    document: '评价标准文档（JSON）',
    documentHint: '指标、可选的领域、门槛条件和数据不足规则。保存时按与接口相同的规则检查，并标出每个问题所在的字段。',
    save: '保存草稿',
    publish: '发布此版本',
    publishHint: '发布后此版本永不再改变，才能用于正式评价；发布的是已保存的内容（第 {revision} 次修订），未保存的修改不会发布。',
    readOnly: '此版本已发布，不可更改。如需修改，请基于它新建草稿。',
    readOnlyFinance: '只读：财务人员可查看标准，不能编辑。',
    indicators: '指标',
    code: '代码',
    weight: '权重',
    source: '数据来源',
    method: '评分方法',
    methods: {
      'threshold-linear': '线性阈值',
      'achievement-improvement': '达标与改进（CMS）',
      bands: '分段计分',
      'relative-standing': '相对排名',
      'pass-fail': '达标 / 未达标',
    },
    gates: '门槛条件',
    notices: {
      created: '草稿已创建。',
      saved: '草稿已保存。',
      published: '此版本已发布，可以用于正式评价。',
    },
    fix: '评价标准文档有以下问题，请修改后再保存：',
    fixForm: '请修改以下问题：',
    notJson: (detail: string) => `不是有效的 JSON：${detail}`,
    atLine: (line: number, column: number) => `（第 ${line} 行第 ${column} 列）`,
    staleTitle: '保存失败：此版本已被他人修改',
    stale: (current: number, edited: number) =>
      `在您编辑期间，此版本已被他人保存（现为第 ${current} 次修订，您编辑的是第 ${edited} 次）。您的修改没有保存，下方仍保留您输入的内容。`,
    staleWhat: '请重新加载最新版本，再把您的修改应用上去。',
    reload: '重新加载最新版本',
    publishedConflict: '此版本已经发布，不能再修改。请基于它新建草稿。',
    preview: '预览',
    previewTitle: '预览（不保存）',
    previewHint: '用此版本为所选周期的全部团队评分，但不保存任何结果；与对比版本的差异列在“变化最大的团队”中。',
    period: '周期',
    periodHint: '季度如 2026Q3，年度如 2026',
    compareWith: '对比版本',
    noCompare: '不对比',
    latestPublished: '最新发布',
    runPreview: '预览',
    teams: '团队',
    scored: '已评分',
    eligibility: { eligible: '合格', capped: '限额', void: '作废' },
    eligibilityHead: '激励资格',
    topTeams: '得分最高的团队',
    movers: '变化最大的团队',
    moversVs: (v: number) => `与第 ${v} 版相比`,
    noMovers: '与对比版本相比，没有团队的总分发生变化。',
    rank: '名次',
    team: '团队',
    total: '总分',
    compareTotal: '对比版本总分',
    delta: '变化',
    histogram: '总分分布',
    histogramX: '总分',
    histogramY: '团队数',
    notScored: '未评分',
    startTitle: '开始评价',
    startHint: '用一个已发布的版本为一个周期的全部团队评分并保存结果；运行在后台进行，可在进度页面查看。',
    startVersion: '已发布的版本',
    noPublished: '还没有已发布的版本：请先发布一个版本。',
    start: '开始评价',
    runs: '评价运行',
    noRuns: '还没有评价运行。',
    created: '创建时间',
    progress: '进度',
    run: '评价',
    runTitle: (period: string, version: number) => `评价 ${period} · 第 ${version} 版标准`,
    versionLabel: (version: number) => `（第 ${version} 版）`,
    resultsFile: (period: string) => `考核结果-${period}`,
    runStatus: { queued: '排队中', running: '运行中', completed: '已完成', failed: '失败' },
    phase: '阶段',
    phases: { values: '计算指标值', statistics: '区级统计', scores: '评分', ranking: '排名', done: '完成' },
    refreshing: '此页每 2 秒自动刷新，直到评价完成。',
    refresh: '立即刷新',
    failed: '评价运行失败：',
    summary: '结果概要',
    mean: '平均分',
    fingerprint: '指纹',
    baseline: '基线周期',
    startedBy: '发起人',
    completedAt: '完成时间',
    results: '团队结果',
    institution: '机构',
    scorecard: '评分卡',
    scorecardOf: (team: string) => `评分卡 · ${team}`,
    percentile: '百分位',
    capPercent: (p: number) => `（封顶 ${p}%）`,
    indicator: '指标',
    value: '数值',
    points: '得分',
    contribution: '贡献',
    explanation: '说明',
    indicatorStatus: { scored: '已评分', insufficient: '数据不足' },
    domains: '领域',
    domain: '领域',
    gateOutcomes: '门槛条件结果',
    noGates: '此标准没有门槛条件。',
    gateStatus: { passed: '通过', triggered: '触发', insufficient: '数据不足' },
    gateKinds: { floor: '最低值', 'missing-upload': '未上报数据' },
    effect: '后果',
    effectVoid: '取消激励',
    effectCap: (p: number) => `激励封顶 ${p}%`,
    back: '返回',
    signIn: '请先登录',
    signInLink: '登录',
    errorTitle: '无法完成请求',
    problems: '问题',
    field: '字段',
  },
  en: {
    criteria: 'Evaluation criteria',
    criteriaOf: (district: string) => `Evaluation criteria · ${district}`,
    versions: 'Versions',
    version: 'Version',
    versionNo: (v: number) => `version ${v}`,
    name: 'Name',
    periodType: 'Period type',
    periodTypes: { quarter: 'quarter', year: 'year' },
    statusHead: 'Status',
    status: { draft: 'Draft', published: 'Published' },
    revision: 'Revision',
    updated: 'Last saved',
    publishedAt: 'Published',
    basedOn: 'Based on',
    noVersions: 'No criteria versions yet. Create a draft below.',
    open: 'Edit',
    view: 'View',
    next: 'Next page',
    first: 'First page',
    newDraft: 'New draft',
    newDraftHint: 'A new draft copies the chosen version’s document; “Example template” is a small example to adapt.',
    starter: 'Example template',
    create: 'Create draft',
    newFromThis: 'New draft from this version',
    editor: 'Edit the draft',
    document: 'Criteria document (JSON)',
    documentHint:
      'Indicators, optional domains, gates and the insufficient-data rule. ' +
      'Saving checks it by the same rules as the API; each problem names its field path, e.g. indicators.0.method.upper.',
    save: 'Save draft',
    publish: 'Publish this version',
    publishHint:
      'A published version never changes again and can then be run; what is published is the saved content (revision {revision}), not unsaved edits.',
    readOnly: 'This version is published and cannot change. Create a new draft from it to make changes.',
    readOnlyFinance: 'Read only: finance officers see the criteria but do not edit them.',
    indicators: 'Indicators',
    code: 'Code',
    weight: 'Weight',
    source: 'Source',
    method: 'Method',
    methods: {
      'threshold-linear': 'threshold, linear',
      'achievement-improvement': 'achievement and improvement (CMS)',
      bands: 'bands',
      'relative-standing': 'relative standing',
      'pass-fail': 'pass / fail',
    },
    gates: 'Gates',
    notices: {
      created: 'The draft was created.',
      saved: 'The draft was saved.',
      published: 'This version is published and can be run.',
    },
    fix: 'The criteria document has these problems; correct them and save again:',
    fixForm: 'Please correct the following:',
    notJson: (detail: string) => `Not valid JSON: ${detail}`,
    atLine: (line: number, column: number) => ` (line ${line}, column ${column})`,
    staleTitle: 'Not saved: someone else changed this version',
    stale: (current: number, edited: number) =>
      `Someone else saved this version while you were editing (it is now at revision ${current}; you edited revision ${edited}). ` +
      `Your change was not saved; what you typed is still below.`,
    staleWhat: 'Reload the latest version and apply your change to it again.',
    reload: 'Reload the latest version',
    publishedConflict: 'This version is published and can no longer change. Create a new draft from it.',
    preview: 'Preview',
    previewTitle: 'Preview (not stored)',
    previewHint:
      'Scores every team for the chosen period with this version without storing anything; ' +
      'the differences from the compared version are listed as the biggest movers.',
    period: 'Period',
    periodHint: 'a quarter such as 2026Q3, or a year such as 2026',
    compareWith: 'Compare with version',
    noCompare: 'no comparison',
    latestPublished: 'latest published',
    runPreview: 'Preview',
    teams: 'Teams',
    scored: 'Scored',
    eligibility: { eligible: 'eligible', capped: 'capped', void: 'void' },
    eligibilityHead: 'Incentive eligibility',
    topTeams: 'Top teams',
    movers: 'Biggest movers',
    moversVs: (v: number) => `against version ${v}`,
    noMovers: 'No team’s total differs from the compared version.',
    rank: 'Rank',
    team: 'Team',
    total: 'Total',
    compareTotal: 'Compared total',
    delta: 'Change',
    histogram: 'Distribution of totals',
    histogramX: 'Total score',
    histogramY: 'Teams',
    notScored: 'not scored',
    startTitle: 'Start an evaluation',
    startHint:
      'Scores every team for a period with a published version and stores the results; it runs in the background and its progress page shows how far it is.',
    startVersion: 'Published version',
    noPublished: 'No published version yet: publish one first.',
    start: 'Start evaluation',
    runs: 'Evaluation runs',
    noRuns: 'No evaluation runs yet.',
    created: 'Created',
    progress: 'Progress',
    run: 'Evaluation',
    runTitle: (period: string, version: number) => `Evaluation ${period} · criteria version ${version}`,
    versionLabel: (version: number) => `(version ${version})`,
    resultsFile: (period: string) => `Results ${period}`,
    runStatus: { queued: 'Queued', running: 'Running', completed: 'Completed', failed: 'Failed' },
    phase: 'Phase',
    phases: { values: 'indicator values', statistics: 'district statistics', scores: 'scores', ranking: 'ranking', done: 'done' },
    refreshing: 'This page refreshes itself every 2 seconds until the evaluation is complete.',
    refresh: 'Refresh now',
    failed: 'The evaluation failed: ',
    summary: 'Summary',
    mean: 'Mean total',
    fingerprint: 'Fingerprint',
    baseline: 'Baseline period',
    startedBy: 'Started by',
    completedAt: 'Completed',
    results: 'Team results',
    institution: 'Institution',
    scorecard: 'Scorecard',
    scorecardOf: (team: string) => `Scorecard · ${team}`,
    percentile: 'Percentile',
    capPercent: (p: number) => ` (capped at ${p} %)`,
    indicator: 'Indicator',
    value: 'Value',
    points: 'Points',
    contribution: 'Contribution',
    explanation: 'Explanation',
    indicatorStatus: { scored: 'scored', insufficient: 'insufficient data' },
    domains: 'Domains',
    domain: 'Domain',
    gateOutcomes: 'Gate outcomes',
    noGates: 'These criteria have no gates.',
    gateStatus: { passed: 'passed', triggered: 'triggered', insufficient: 'insufficient data' },
    gateKinds: { floor: 'floor', 'missing-upload': 'missing upload' },
    effect: 'Effect',
    effectVoid: 'incentive void',
    effectCap: (p: number) => `incentive capped at ${p} %`,
    back: 'Back',
    signIn: 'Please sign in',
    signInLink: 'Sign in',
    errorTitle: 'The request could not be completed',
    problems: 'Problems',
    field: 'Field',
  },
};

export type Texts = (typeof TEXT)['zh'];

/** On top of shared/web/layout.tsx, in the look of the finance pages. */
export const EVALUATOR_CSS = `
main{max-width:1120px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:8px 16px;margin:0}
.grid div{display:flex;flex-direction:column}
.grid dt{color:#57606a;font-size:.85rem}.grid dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table{font-size:.92rem}
.scroll{overflow-x:auto}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-size:.85rem;font-weight:600;vertical-align:middle}
.badge.draft,.badge.queued,.badge.running,.badge.capped,.badge.triggered{background:#fff4ce;color:#6b4e00}
.badge.published,.badge.completed,.badge.eligible,.badge.passed{background:#dafbe1;color:#116329}
.badge.failed,.badge.void{background:#fdecea;color:#b42318}
.badge.insufficient{background:#e5e7eb;color:#333}
.neg{color:#b42318}.pos{color:#116329}
label.field,div.field{display:flex;flex-direction:column;gap:4px;margin:0 0 10px;font-weight:600}
.field input,.field select,.field textarea{font:inherit;font-weight:400;padding:8px;border:1px solid #d0d7de;border-radius:6px}
.field .hint{font-weight:400}
textarea.code{font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;min-height:24em;white-space:pre;tab-size:2}
pre.code{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f6f8fa;padding:12px;border-radius:6px;overflow:auto;max-height:32em}
.fields{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:0 16px}
.actions{display:flex;gap:12px;flex-wrap:wrap;align-items:center}
button.secondary{background:#fff;color:#0b5f58;border:2px solid #0b5f58}
a:focus-visible,input:focus,select:focus,textarea:focus,summary:focus-visible{outline:3px solid #f4b400;outline-offset:1px}
.card .notice{margin:0 0 14px;border-radius:6px}
ul.problems{margin:.4em 0;padding-left:1.2em}ul.problems code{background:#fff;padding:0 4px;border-radius:4px;font-weight:600}
figure.chart{margin:12px 0}
svg.histogram{width:100%;max-width:720px;height:auto}
svg text{font:12px system-ui,sans-serif;fill:#1b1f24}
progress{width:100%;max-width:480px;height:18px}
nav.crumbs{margin:0 0 8px;font-size:.9rem}
tbody.indicator tr.figures td{border-bottom:0;padding-bottom:0}
tbody.indicator td.explanation{padding-top:2px}
@media (max-width:600px){.wide{display:none}main{padding:12px 8px}.card{padding:12px}}
`;

/** "2026-11-22T08:00:00.000Z" → "2026-11-22 08:00" (UTC, as stored). */
export function shortTime(iso: string | undefined): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '—';
}

export function signed(delta: string | null): string {
  if (delta === null) return '—';
  return delta.startsWith('-') ? `−${delta.slice(1)}` : `+${delta}`;
}

/** `?lang=…` plus the other query parameters given, for links that keep the page's language. */
export function withQuery(path: string, lang: Lang, params: Record<string, string | number | undefined> = {}): string {
  const query = new URLSearchParams({ lang });
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, String(value));
  return `${path}?${query.toString()}`;
}

export const paths = {
  list: (districtId: string) => `/evaluator/districts/${encodeURIComponent(districtId)}/criteria`,
  version: (districtId: string, version: number) => `/evaluator/districts/${encodeURIComponent(districtId)}/criteria/${version}`,
  publish: (districtId: string, version: number) => `/evaluator/districts/${encodeURIComponent(districtId)}/criteria/${version}/publish`,
  preview: (districtId: string, version: number) => `/evaluator/districts/${encodeURIComponent(districtId)}/criteria/${version}/preview`,
  start: (districtId: string) => `/evaluator/districts/${encodeURIComponent(districtId)}/evaluations`,
  run: (evaluationId: string) => `/evaluator/evaluations/${encodeURIComponent(evaluationId)}`,
  scorecard: (evaluationId: string, teamId: string) => `/evaluator/evaluations/${encodeURIComponent(evaluationId)}/teams/${encodeURIComponent(teamId)}`,
};
