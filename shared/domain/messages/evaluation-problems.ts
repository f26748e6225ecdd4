/** Texts of the evaluation's problems: criteria versions, runs, the facts they score. */
import type { MessageCatalogue } from './catalogue.ts';

export const EVALUATION_PROBLEMS: MessageCatalogue = {
  criteria: { zh: '未找到该考核标准版本', en: 'The criteria version was not found' },
  'criteria-invalid': { zh: '考核标准无效', en: 'The criteria are not valid' },
  'criteria-document-invalid': { zh: '考核标准文档无效', en: 'The criteria document is not valid' },
  'criteria-published': {
    zh: '该版本已发布，不能再修改；请基于它创建新版本',
    en: 'The version is published and can no longer change; create a new version from it',
  },
  'criteria-not-published': { zh: '只有已发布的考核标准版本才能运行', en: 'Only a published criteria version can be run' },
  'stale-revision': {
    zh: '该版本已被他人保存（当前修订号 {currentRevision}），请刷新后重新修改',
    en: 'The version was saved by someone else meanwhile (now revision {currentRevision}); reload and reapply your change',
  },
  'period-type-mismatch': { zh: '该版本不适用于此类周期', en: 'The version is for another kind of period' },
  'period-not-closed': { zh: '不是已结束的周期（按北京时间）', en: 'Not a period that has ended (in China time)' },
  evaluation: { zh: '未找到该评价', en: 'The evaluation was not found' },
  'run-finished': { zh: '该评价已完成，不能再修改', en: 'The evaluation is complete and immutable' },
  'duplicate-team': { zh: '团队 {teamId} 出现了两次', en: 'Team {teamId} appears twice' },
  'facts-invalid': { zh: '团队 {teamId} 的 {field} 不是数字', en: 'Team {teamId}: {field} is not a number' },
};
