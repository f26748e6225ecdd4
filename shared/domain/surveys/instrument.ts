/**
 * Survey instruments: versioned lists of questions a district asks residents about their
 * team. 5-point scales (top box = 5), an optional 0–10 recommendation question (top box =
 * 9–10, as in NPS) and a short free-text comment.
 */
export type QuestionType = 'scale5' | 'scale10' | 'text';

export interface Question {
  code: string;
  type: QuestionType;
  required: boolean;
  label: { zh: string; en: string };
  /** text questions only */
  maxLength?: number;
}

export interface Instrument {
  version: number;
  questions: Question[];
  publishedAt: string;
  publishedBy: string;
}

export const SCALE_RANGE: Record<Exclude<QuestionType, 'text'>, { min: number; max: number; topBoxFrom: number }> = {
  scale5: { min: 1, max: 5, topBoxFrom: 5 },
  scale10: { min: 0, max: 10, topBoxFrom: 9 },
};

export const DEFAULT_QUESTIONS: Question[] = [
  { code: 'overall', type: 'scale5', required: true, label: { zh: '您对家庭医生团队的总体满意度', en: 'Overall satisfaction with your family-doctor team' } },
  { code: 'attitude', type: 'scale5', required: true, label: { zh: '服务态度', en: 'Attitude of the team' } },
  { code: 'communication', type: 'scale5', required: true, label: { zh: '病情解释与沟通', en: 'Explanation and communication' } },
  { code: 'access', type: 'scale5', required: true, label: { zh: '联系团队的方便程度', en: 'Ease of reaching the team' } },
  {
    code: 'chronic-followup',
    type: 'scale5',
    required: false,
    label: { zh: '慢性病随访（如不适用可不填）', en: 'Follow-up of chronic conditions (skip if not applicable)' },
  },
  {
    code: 'recommend',
    type: 'scale10',
    required: false,
    label: { zh: '您向亲友推荐本团队的可能性（0–10）', en: 'How likely are you to recommend the team (0–10)' },
  },
  { code: 'comment', type: 'text', required: false, maxLength: 300, label: { zh: '其他意见或建议', en: 'Any other comments' } },
];

export type Answers = Record<string, number | string>;

export type AnswerProblemKind = 'unknown-question' | 'required' | 'out-of-range' | 'too-long' | 'not-text';

export interface AnswerProblem {
  code: string;
  kind: AnswerProblemKind;
  message: string;
}

/** Checks answers against an instrument; unknown codes, missing required answers and out-of-range values are problems. */
export function answerProblems(instrument: Pick<Instrument, 'questions'>, answers: Answers): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  const byCode = new Map(instrument.questions.map((q) => [q.code, q]));
  for (const code of Object.keys(answers)) {
    if (!byCode.has(code)) problems.push({ code, kind: 'unknown-question', message: 'Not a question of this survey' });
  }
  for (const question of instrument.questions) {
    const value = answers[question.code];
    if (value === undefined || value === '') {
      if (question.required) problems.push({ code: question.code, kind: 'required', message: 'An answer is required' });
      continue;
    }
    if (question.type === 'text') {
      if (typeof value !== 'string') problems.push({ code: question.code, kind: 'not-text', message: 'Must be text' });
      else if (value.length > (question.maxLength ?? 300))
        problems.push({ code: question.code, kind: 'too-long', message: `At most ${question.maxLength ?? 300} characters` });
      continue;
    }
    const range = SCALE_RANGE[question.type];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
      problems.push({ code: question.code, kind: 'out-of-range', message: `Must be a whole number from ${range.min} to ${range.max}` });
    }
  }
  return problems;
}

/** Instrument-level problems: duplicate codes, bad text lengths. */
export function instrumentProblems(questions: readonly Question[]): { path: string; message: string }[] {
  const seen = new Set<string>();
  const problems: { path: string; message: string }[] = [];
  questions.forEach((q, i) => {
    if (seen.has(q.code)) problems.push({ path: `body.questions.${i}.code`, message: `Duplicate question code ${q.code}` });
    seen.add(q.code);
  });
  if (!questions.some((q) => q.type === 'scale5')) problems.push({ path: 'body.questions', message: 'At least one 5-point question is needed' });
  return problems;
}
