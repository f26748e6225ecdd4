/** Texts of the problems the evaluator's pages raise. */
import type { MessageCatalogue } from './catalogue.ts';

export const EVALUATOR_PAGE_PROBLEMS: MessageCatalogue = {
  'results-run-not-completed': { zh: '该评价尚未完成，还没有结果可以导出', en: 'This evaluation has not completed; there are no results to export yet' },
};
