/** Texts of the settlement jobs' problems (shared/services/settlements-jobs.ts, settlements-job-run.ts). */
import type { MessageCatalogue } from './catalogue.ts';

export const SETTLEMENT_JOB_PROBLEMS: MessageCatalogue = {
  'settlement-job-not-started': { zh: '结算计算未能启动，请稍后重试', en: 'The settlement job could not be started; try again shortly' },
  'settlement-job-stalled': { zh: '结算计算已 15 分钟没有进展，请重新提交', en: 'The settlement job made no progress for 15 minutes; request it again' },
  'settlement-job-failed': { zh: '结算未能计算完成，已记录错误，请重试', en: 'The settlement could not be computed; it has been logged. Try again' },
  'settlement-job-conflict': { zh: '该结算编号已被其他计算使用，请重新提交', en: 'The settlement id is already used by another computation; request it again' },
};
