/** Texts of the finance pages in Chinese (default) and English, and small formatting helpers. */
import { formatYuan } from '#shared/domain/money/index.ts';
import type { Lang } from '#shared/web/lang.ts';

export const TEXT = {
  zh: {
    app: '财务结算',
    settlements: '结算列表',
    settlement: '结算',
    newSettlement: '新建结算',
    status: { draft: '草稿', approved: '已批准', closed: '已关闭' },
    period: '周期',
    statusHead: '状态',
    evaluation: '评价',
    method: '分配方法',
    pool: '奖励池',
    paid: '已分配激励',
    unallocated: '未分配',
    memberUnallocated: '无成员可分（团队内）',
    subsidy: '签约补助合计',
    subsidised: '享受补助的签约（参保）',
    uninsured: '未参保签约（不补助）',
    subsidisedShort: '补助签约数',
    uninsuredShort: '未参保签约',
    contractDays: '签约天数',
    teams: '团队',
    scoredTeams: '已评分团队',
    paidTeams: '获得激励的团队',
    members: '成员分配行',
    institutions: '机构',
    fingerprint: '指纹',
    createdBy: '创建人',
    computedBy: '最近计算人',
    approvedBy: '批准人',
    closedBy: '关闭人',
    at: '时间',
    correctionOf: '更正的结算',
    difference: '差额',
    previous: '原金额',
    roleShares: '角色分配比例',
    approve: '批准（第二位财务人员）',
    close: '关闭结算（已支付）',
    approveHint: '批准后结算不可更改，本周期指标上报同时关闭。',
    ownDraft: '您参与了此结算（创建、重新计算或设定参数），需由本区另一位财务人员审批（四眼原则）。',
    confirmApprove: '确认批准',
    approveComment: '审批意见（必填）',
    approvedNotice: '结算已批准，不可更改；如需更改，请新建更正结算。',
    closedNotice: '结算已关闭。',
    histogram: '团队激励分布',
    histogramZero: '未获激励',
    byInstitution: '按机构：激励与补助',
    topOf: (n: number, total: number) => `金额最高的 ${n} 家（共 ${total} 家）`,
    incentive: '激励',
    teamLines: '团队明细',
    team: '团队',
    institution: '机构',
    score: '得分',
    gate: '门槛',
    amount: '激励金额',
    teamSubsidy: '补助',
    explanation: '说明',
    memberSplit: '成员分配',
    member: '成员',
    role: '角色',
    daysPresent: '在岗天数',
    share: '比例',
    capApplied: '触及封顶',
    notScored: '未评分',
    eligibility: { eligible: '合格', capped: '限额', void: '作废' },
    subsidyStatement: '签约补助结算单（按机构）',
    ownership: { government: '政府办', social: '社会办' },
    ownershipHead: '举办性质',
    feeStatement: '收费说明（每人每年）',
    packageFee: '公布收费',
    subsidyPerResident: '补助',
    maxCollect: '最多可收取',
    audit: '操作记录',
    action: { create: '创建', recompute: '重新计算', approve: '批准', close: '关闭' },
    by: '操作人',
    next: '下一页',
    first: '第一页',
    json: 'JSON 数据',
    form: {
      evaluation: '已完成的评价',
      noEvaluation: '本区还没有已完成的评价。',
      pool: '奖励池（元）',
      method: '分配方法',
      methods: { 'score-weighted': '按得分加权', 'value-per-point': '每分单价', 'grade-tiers': '分档奖励' },
      sizeMeasure: '规模指标',
      measures: { 'active-contracts': '有效签约数', 'weighted-residents': '重点人群加权居民数', none: '不按规模（每队）' },
      scoreFloor: '最低分（可选）',
      teamCap: '团队封顶（元，可选）',
      perPoint: '每分单价（元，每分单价方法）',
      tiers: '分档（分档奖励方法，每行“最低分=金额（元）”）',
      keyPopulationWeight: '重点人群权重',
      correctionOf: '更正已批准的结算（可选）',
      none: '（无）',
      note: '备注',
      preview: '预览',
      create: '创建草稿',
      previewTitle: '预览（未保存）',
      fix: '请修改以下问题：',
      topTeams: '激励最高的团队',
    },
    errors: {
      required: '必填',
      yuan: '请输入金额（元），最多两位小数，如 1,536,000.00',
      decimal: '请输入非负数，最多两位小数',
      score: '请输入 0–100 的分数，最多两位小数',
      tiers: '每行写“最低分=金额”，如 90=5000',
    },
    signIn: '请先登录',
    signInLink: '登录',
    errorTitle: '无法完成请求',
    back: '返回',
  },
  en: {
    app: 'Finance settlements',
    settlements: 'Settlements',
    settlement: 'Settlement',
    newSettlement: 'New settlement',
    status: { draft: 'Draft', approved: 'Approved', closed: 'Closed' },
    period: 'Period',
    statusHead: 'Status',
    evaluation: 'Evaluation',
    method: 'Method',
    pool: 'Incentive pool',
    paid: 'Incentives allocated',
    unallocated: 'Unallocated',
    memberUnallocated: 'No member present to take (within teams)',
    subsidy: 'Contract subsidy total',
    subsidised: 'Subsidised (insured) contracts',
    uninsured: 'Uninsured contracts (no subsidy)',
    subsidisedShort: 'Subsidised',
    uninsuredShort: 'Uninsured',
    contractDays: 'Contract-days',
    teams: 'Teams',
    scoredTeams: 'Scored teams',
    paidTeams: 'Teams paid an incentive',
    members: 'Member lines',
    institutions: 'Institutions',
    fingerprint: 'Fingerprint',
    createdBy: 'Created by',
    computedBy: 'Last computed by',
    approvedBy: 'Approved by',
    closedBy: 'Closed by',
    at: 'at',
    correctionOf: 'Corrects settlement',
    difference: 'Difference',
    previous: 'Before',
    roleShares: 'Role shares',
    approve: 'Approve (second officer)',
    close: 'Close (paid out)',
    approveHint: "Once approved the settlement never changes, and the period's metric uploads close.",
    ownDraft: 'You took part in this settlement (created, recomputed or set its parameters): another finance officer of the district approves it (four-eyes rule).',
    confirmApprove: 'Confirm the approval',
    approveComment: 'Approval comment (required)',
    approvedNotice: 'Approved: this settlement never changes; to change it, create a correction.',
    closedNotice: 'This settlement is closed.',
    histogram: 'Team incentives',
    histogramZero: 'nothing',
    byInstitution: 'By institution: incentives and subsidy',
    topOf: (n: number, total: number) => `the ${n} largest of ${total}`,
    incentive: 'Incentive',
    teamLines: 'Teams',
    team: 'Team',
    institution: 'Institution',
    score: 'Score',
    gate: 'Gate',
    amount: 'Incentive',
    teamSubsidy: 'Subsidy',
    explanation: 'Explanation',
    memberSplit: 'Split among members',
    member: 'Member',
    role: 'Role',
    daysPresent: 'Days present',
    share: 'Share',
    capApplied: 'cap applied',
    notScored: 'not scored',
    eligibility: { eligible: 'eligible', capped: 'capped', void: 'void' },
    subsidyStatement: 'Subsidy statement per institution',
    ownership: { government: 'government-run', social: 'social-run' },
    ownershipHead: 'Ownership',
    feeStatement: 'Fees (per resident per year)',
    packageFee: 'Published fee',
    subsidyPerResident: 'Subsidy',
    maxCollect: 'May collect at most',
    audit: 'Audit log',
    action: { create: 'created', recompute: 'recomputed', approve: 'approved', close: 'closed' },
    by: 'By',
    next: 'Next page',
    first: 'First page',
    json: 'JSON',
    form: {
      evaluation: 'Completed evaluation',
      noEvaluation: 'The district has no completed evaluation yet.',
      pool: 'Incentive pool (yuan)',
      method: 'Method',
      methods: { 'score-weighted': 'Score-weighted', 'value-per-point': 'Value per point', 'grade-tiers': 'Grade tiers' },
      sizeMeasure: 'Size measure',
      measures: { 'active-contracts': 'Active contracts', 'weighted-residents': 'Key-population-weighted residents', none: 'None (per team)' },
      scoreFloor: 'Score floor (optional)',
      teamCap: 'Team cap (yuan, optional)',
      perPoint: 'Yuan per point (value per point)',
      tiers: 'Tiers (grade tiers; one "min score=yuan" per line)',
      keyPopulationWeight: 'Key-population weight',
      correctionOf: 'Corrects an approved settlement (optional)',
      none: '(none)',
      note: 'Note',
      preview: 'Preview',
      create: 'Create draft',
      previewTitle: 'Preview (not saved)',
      fix: 'Please correct the following:',
      topTeams: 'Best-paid teams',
    },
    errors: {
      required: 'Required',
      yuan: 'Enter yuan with at most two decimals, e.g. 1,536,000.00',
      decimal: 'Enter a non-negative number with at most two decimals',
      score: 'Enter a score from 0 to 100 with at most two decimals',
      tiers: 'One "min score=yuan" per line, e.g. 90=5000',
    },
    signIn: 'Please sign in first',
    signInLink: 'Sign in',
    errorTitle: 'The request could not be completed',
    back: 'Back',
  },
};

export type Texts = (typeof TEXT)['zh'];

export const ROLE_NAMES: Record<string, { zh: string; en: string }> = {
  'general-practitioner': { zh: '全科医生', en: 'General practitioner' },
  'community-nurse': { zh: '社区护士', en: 'Community nurse' },
  'public-health-physician': { zh: '公卫医生', en: 'Public-health physician' },
  specialist: { zh: '专科医生', en: 'Specialist' },
  pharmacist: { zh: '药师', en: 'Pharmacist' },
  'health-manager': { zh: '健康管理师', en: 'Health manager' },
  'psychological-counsellor': { zh: '心理咨询师', en: 'Psychological counsellor' },
  nutritionist: { zh: '营养师', en: 'Nutritionist' },
  'rehabilitation-therapist': { zh: '康复治疗师', en: 'Rehabilitation therapist' },
  'social-worker': { zh: '社工（志愿者）', en: 'Social worker (volunteer)' },
  'grid-administrator': { zh: '社区网格员', en: 'Community grid administrator' },
  other: { zh: '其他成员', en: 'Other members' },
};

const ROLE_ORDER = Object.keys(ROLE_NAMES);

/** Team roles in the order of the "2 + X" model: GP, nurse, the optional roles, then `other`. */
export function roleOrder(role: string): number {
  const i = ROLE_ORDER.indexOf(role);
  return i < 0 ? ROLE_ORDER.length : i;
}

export function roleName(role: string, lang: Lang): string {
  return ROLE_NAMES[role]?.[lang] ?? role;
}

export function yuan(fen: number): string {
  return `¥${formatYuan(fen)}`;
}

/** A signed difference: "+¥12.00", "−¥3.00", "¥0.00". */
export function signedYuan(fen: number): string {
  if (fen === 0) return yuan(0);
  return `${fen > 0 ? '+' : '−'}¥${formatYuan(Math.abs(fen))}`;
}

/** Extra styles of the finance pages: wider main column, tables, status badges. */
export const FINANCE_CSS = `
main{max-width:1120px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:8px 16px}
.grid div{display:flex;flex-direction:column}
.grid dt{color:#57606a;font-size:.85rem}.grid dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table{font-size:.92rem}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-size:.85rem;font-weight:600;vertical-align:middle}
.badge.draft{background:#fff4ce;color:#6b4e00}.badge.approved{background:#dafbe1;color:#116329}.badge.closed{background:#e5e7eb;color:#333}
.neg{color:#b42318}.pos{color:#116329}
details summary{cursor:pointer;color:#0b5f58}
form.inline{display:inline}
label.field{display:flex;flex-direction:column;gap:4px;margin:0 0 10px;font-weight:600}
label.field input,label.field select,label.field textarea{font:inherit;font-weight:400;padding:8px;border:1px solid #d0d7de;border-radius:6px}
.fields{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:0 16px}
.actions{display:flex;gap:12px;flex-wrap:wrap}
button.secondary{background:#fff;color:#0b5f58;border:2px solid #0b5f58}
svg text{font:12px system-ui,sans-serif;fill:#1b1f24}
.chart{overflow-x:auto}
nav.crumbs{margin:0 0 8px;font-size:.9rem}
td.team{min-width:9em}td.gate{min-width:5em}
.scroll{overflow-x:auto}
table.fees td,table.fees th{white-space:nowrap;padding:2px 6px}
`;
