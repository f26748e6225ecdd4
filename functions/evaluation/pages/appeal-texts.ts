/** Texts the period and appeal pages share (evaluator, clerk): period states, appeal statuses, attachments. */
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from '#shared/domain/appeal-attachments.ts';

export const PERIOD_STATES = {
  zh: { open: '数据上报中', 'deadline-passed': '上报已截止', evaluated: '已考核', published: '公示中', final: '结果已确定', settled: '已结算' },
  en: {
    open: 'Open for data',
    'deadline-passed': 'Data deadline passed',
    evaluated: 'Evaluated',
    published: 'Published for review',
    final: 'Final',
    settled: 'Settled',
  },
} as const;

const MB = MAX_ATTACHMENT_BYTES / 1024 / 1024;

export const APPEAL_TEXT = {
  zh: {
    appealStatus: { open: '待处理', accepted: '已采纳', rejected: '已驳回' },
    team: '团队',
    indicator: '指标',
    metric: '上报指标',
    claim: '申诉值',
    reason: '申诉理由',
    filed: (by: string, at: string) => `${by} 于 ${at} 提出`,
    decided: (by: string, at: string) => `${by} 于 ${at} 处理`,
    decisionReason: '处理意见',
    acceptedValue: '采纳值',
    changed: '结果变化',
    change: (team: string, before: string, after: string) => `${team}：总分 ${before} → ${after}`,
    correctionPending: '更正计算进行中',
    attachments: '附件',
    noAttachments: '无附件',
    attachment: `附件（可选：PDF、PNG 或 JPEG，每个不超过 ${MB} MB，最多 ${MAX_ATTACHMENTS} 个）`,
    addAttachment: '添加附件',
    kb: (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`,
  },
  en: {
    appealStatus: { open: 'open', accepted: 'accepted', rejected: 'rejected' },
    team: 'Team',
    indicator: 'Indicator',
    metric: 'Reported metric',
    claim: 'Claimed value',
    reason: 'Reason for the appeal',
    filed: (by: string, at: string) => `Filed by ${by} on ${at}`,
    decided: (by: string, at: string) => `Decided by ${by} on ${at}`,
    decisionReason: 'Reason for the decision',
    acceptedValue: 'Accepted value',
    changed: 'Results changed',
    change: (team: string, before: string, after: string) => `${team}: total ${before} → ${after}`,
    correctionPending: 'Correction run in progress',
    attachments: 'Attachments',
    noAttachments: 'No attachments',
    attachment: `Attachment (optional: PDF, PNG or JPEG, at most ${MB} MB each, ${MAX_ATTACHMENTS} per appeal)`,
    addAttachment: 'Add an attachment',
    kb: (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`,
  },
} as const;

export const attachmentHref = (appealId: string, attachmentId: string) =>
  `/appeals/${encodeURIComponent(appealId)}/attachments/${encodeURIComponent(attachmentId)}`;
