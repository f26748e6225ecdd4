/** The form editor's gate rows: a document's gates as rows and back, problems on the gate's row with its 1-based number. */
import { describe, expect, it } from 'vitest';
import type { CriteriaSet } from '#shared/domain/scoring/index.ts';
import { documentFromForm, formFieldOf, formFromDocument, rowLabel } from '../../../functions/evaluation/pages/criteria-form.ts';

const DOCUMENT: CriteriaSet = {
  insufficientData: 'redistribute',
  indicators: [
    {
      code: 'visits',
      label: { zh: '上门服务', en: 'Home visits' },
      weight: 100,
      source: { metric: 'home-visits-80plus' },
      higherIsBetter: true,
      method: { kind: 'relative-standing', maxPoints: 10 },
    },
  ],
  gates: [
    { kind: 'missing-upload', effect: 'void' },
    { kind: 'floor', label: { zh: '满意度', en: 'Satisfaction' }, source: { survey: 'topBoxShare' }, min: '40.50', minN: 10, effect: { capPercent: 50 } },
  ],
};

describe('gate rows of the form editor', () => {
  it('reads the rows back into the same gates, with one empty row to add a gate', () => {
    const form = formFromDocument(DOCUMENT);
    expect(form.gateRows).toBe('3');
    expect(form['gate.1.source']).toBe('survey:topBoxShare');
    expect(form['gate.1.cap']).toBe('50');
    const read = documentFromForm(form, 'zh');
    expect(read.problems).toEqual([]);
    expect(read.document.gates).toEqual(DOCUMENT.gates);
    expect(read.rowOfGate).toEqual([0, 1]);
  });

  it('adds, edits and removes gates; a document without gates has none', () => {
    const form = {
      ...formFromDocument(DOCUMENT),
      'gate.0.delete': '1',
      'gate.1.effect': 'void',
      'gate.2.kind': 'missing-upload',
      'gate.2.effect': 'cap',
      'gate.2.cap': '0',
    };
    const read = documentFromForm(form, 'en');
    expect(read.document.gates).toEqual([
      { kind: 'floor', label: { zh: '满意度', en: 'Satisfaction' }, source: { survey: 'topBoxShare' }, min: '40.50', minN: 10, effect: 'void' },
      { kind: 'missing-upload', effect: { capPercent: 0 } },
    ]);
    expect(read.rowOfGate).toEqual([1, 2]);
    const none = documentFromForm({ ...formFromDocument(DOCUMENT), 'gate.0.kind': '', 'gate.1.kind': '' }, 'zh');
    expect(none.document.gates).toBeUndefined();
  });

  it('puts problems on the gate row, numbered from 1, in the page language', () => {
    const form = { ...formFromDocument(DOCUMENT), 'gate.1.cap': '101', 'gate.1.effect': 'cap', 'gate.1.source': 'nonsense', 'gate.1.min': 'x' };
    const read = documentFromForm(form, 'zh');
    expect(read.problems).toEqual([
      { field: 'gate.1.cap', message: '请输入 0 至 100 的整数' },
      { field: 'gate.1.source', message: expect.stringContaining('来源写作') },
      { field: 'gate.1.min', message: '请输入数字，如 60 或 62.5' },
    ]);
    expect(rowLabel('gate.1.cap', 'zh')).toBe('门槛第 2 行');
    expect(rowLabel('gate.0.kind', 'en')).toBe('Gate row 1');
    // the service's paths of the document's gates (gate 0 of the document is form row 2 when row 1 was deleted)
    expect(formFieldOf('body.document.gates.0.source.metric', [0], [2])).toBe('gate.2.source');
    expect(formFieldOf('body.document.gates.0.effect.capPercent', [0], [2])).toBe('gate.2.cap');
    expect(formFieldOf('body.document.gates.0.label.zh', [0], [2])).toBe('gate.2.zh');
    expect(formFieldOf('body.document.gates.3', [0], [2])).toBeNull();
  });
});
