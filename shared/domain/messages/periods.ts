/** Problem texts of a period's lifecycle (issue 14: shared/domain/period-lifecycle.ts, appeals). */
import type { MessageCatalogue } from './catalogue.ts';

export const PERIOD_MESSAGES: MessageCatalogue = {
  'period-state-conflict': {
    zh: '周期 {period} 当前为“{state}”状态，不能执行此操作（{action}）。',
    en: 'Period {period} is {state}; {action} is not possible now.',
  },
  'period-changed': { zh: '周期 {period} 刚被他人更改，请刷新后重试。', en: 'Period {period} changed meanwhile; reload and try again.' },
  'period-final': { zh: '周期 {period} 已确定（{state}），不能重新开放。', en: 'Period {period} is {state}; a final period cannot be reopened.' },
  'reason-required': { zh: '请填写原因。', en: 'A reason is required.' },
  'period-published': {
    zh: '周期 {period} 的结果已公示（{state}），只能通过申诉更正。',
    en: 'The results of period {period} are published ({state}); they change only through appeals.',
  },
  'rerun-reason-required': {
    zh: '周期 {period} 已有正式结果；重新考核将取代它们，请填写原因。',
    en: 'Period {period} has official results; a rerun that replaces them needs a reason.',
  },
  'period-not-final': {
    zh: '周期 {period} 当前为“{state}”状态；只有结果确定（final）的周期才能结算。',
    en: 'Period {period} is {state}; only final results can be settled.',
  },
  'run-not-official': {
    zh: '该考核不是周期 {period} 的正式考核（正式考核为 {official}）。',
    en: 'This evaluation is not the official run of period {period} ({official} is).',
  },
  'appeal-window-closed': {
    zh: '周期 {period} 的公示期已结束或结果尚未公示，不能再提出申诉。',
    en: 'The review window of period {period} is closed or its results are not published; appeals are no longer possible.',
  },
  'appeal-decided': { zh: '该申诉已处理（{status}）。', en: 'The appeal is already decided ({status}).' },
  'appeal-indicator-unknown': {
    zh: '指标 {indicator} 不在该团队的考核结果中。',
    en: "Indicator {indicator} is not in the team's scorecard.",
  },
  'appeal-metric-unknown': {
    zh: '更正值须针对本区指标目录中的上报指标（{metric}）。',
    en: "A corrected value must name a reported metric of the district's catalogue ({metric}).",
  },
  appeal: { zh: '未找到该申诉。', en: 'The appeal was not found.' },
  'appeal-value-invalid': {
    zh: '更正值不符合指标目录的要求（范围或格式）。',
    en: "The corrected value does not fit the metric catalogue's rules (range or format).",
  },
  'attachment-type': { zh: '附件须为 PDF、PNG 或 JPEG 文件。', en: 'An attachment must be a PDF, PNG or JPEG file.' },
  'attachment-too-large': { zh: '附件不能超过 {limitMb} MB。', en: 'An attachment may not exceed {limitMb} MB.' },
  'attachment-limit': { zh: '每项申诉最多 {limit} 个附件。', en: 'An appeal has at most {limit} attachments.' },
  'attachment-empty': { zh: '附件是空文件。', en: 'The attachment is empty.' },
  'attachment-refused': {
    zh: '该申诉已处理或已有 {limit} 个附件，不能再添加。',
    en: 'The appeal is decided or has {limit} attachments already; no more can be added.',
  },
  attachment: { zh: '未找到该附件。', en: 'The attachment was not found.' },
};
