/** Reading the evaluator forms: text fields, the JSON of a criteria document (with where it breaks), and the example template. */
import type { CriteriaSet } from '#shared/domain/scoring/criteria.ts';
import { criteriaSetSchema } from '#shared/domain/scoring/criteria-schema.ts';
import { PERIOD_PATTERN } from '#shared/domain/periods.ts';

/** A positive whole number written in a form field, or null. */
export function positiveInt(text: string | undefined): number | null {
  if (text === undefined || !/^\s*\d{1,9}\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 ? n : null;
}

export function isPeriod(text: string | undefined): text is string {
  return text !== undefined && PERIOD_PATTERN.test(text);
}

export type ParsedDocument = { ok: true; value: unknown } | { ok: false; message: string; line: number | null; column: number | null };

/** JSON.parse, and on failure the engine's message with the line and column it points at. */
export function parseDocument(text: string): ParsedDocument {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    if (!at) return { ok: false, message, line: null, column: null };
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    return { ok: false, message: message.replace(/\s*\(line \d+ column \d+\)/, ''), line, column: before.length - before.lastIndexOf('\n') };
  }
}

/** A stored document as JSON for reading and editing, its keys in the schema's order (the table does not keep the order they were written in). */
export function documentText(document: unknown): string {
  const parsed = criteriaSetSchema.safeParse(document);
  return JSON.stringify(parsed.success ? parsed.data : document, null, 2);
}

/** A small valid document that needs no uploaded metrics: satisfaction and renewals, and a missing-upload gate. */
export const STARTER_CRITERIA: CriteriaSet = {
  insufficientData: 'redistribute',
  indicators: [
    {
      code: 'satisfaction-top-box',
      label: { zh: '居民满意度（非常满意占比）', en: 'Satisfaction: share very satisfied' },
      weight: 60,
      source: { survey: 'topBoxShare' },
      higherIsBetter: true,
      minN: 10,
      method: { kind: 'threshold-linear', lower: 10, upper: 60, maxPoints: 10 },
    },
    {
      code: 'renewal-rate',
      label: { zh: '签约续约率', en: 'Contract renewal rate' },
      weight: 40,
      source: { registry: 'renewalRate' },
      higherIsBetter: true,
      minN: 5,
      method: { kind: 'threshold-linear', lower: 50, upper: 90, maxPoints: 10 },
    },
  ],
  gates: [{ kind: 'missing-upload', effect: 'void' }],
};
