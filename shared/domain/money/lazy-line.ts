/**
 * Incentive lines whose explanation and text are written when first read. A district has
 * hundreds of thousands of lines, and most callers only sum their amounts; a settlement that
 * stores them reads both. They are own, enumerable properties, so JSON, spreads, deep equality
 * and storage see the line as a plain object; the values are written once and then kept. The
 * facts they are written from must not change in between.
 */
import type { IncentiveExplanation, IncentiveLine } from './incentive-types.ts';

type Text = IncentiveLine['text'];

interface Pending<Facts> {
  facts: Facts;
  explain: (facts: Facts) => IncentiveExplanation;
  describe: (facts: Facts, explanation: IncentiveExplanation) => Text;
  explanation: IncentiveExplanation | null;
  text: Text | null;
}

const PENDING = Symbol('pending line');
type Holder = { [PENDING]: Pending<unknown> };

// shared accessors (no closures per line), so every line keeps the same hidden class
const ACCESSORS: PropertyDescriptorMap = {
  explanation: {
    enumerable: true,
    configurable: true,
    get(this: Holder): IncentiveExplanation {
      const pending = this[PENDING];
      pending.explanation ??= pending.explain(pending.facts);
      return pending.explanation;
    },
    set(this: Holder, value: IncentiveExplanation) {
      this[PENDING].explanation = value;
    },
  },
  text: {
    enumerable: true,
    configurable: true,
    get(this: Holder & IncentiveLine): Text {
      const pending = this[PENDING];
      pending.text ??= pending.describe(pending.facts, this.explanation);
      return pending.text;
    },
    set(this: Holder, value: Text) {
      this[PENDING].text = value;
    },
  },
};

export function lazyLine<Facts>(
  teamId: string,
  amount: number,
  facts: Facts,
  explain: (facts: Facts) => IncentiveExplanation,
  describe: (facts: Facts, explanation: IncentiveExplanation) => Text,
): IncentiveLine {
  const line = { teamId, amount };
  const pending: Pending<Facts> = { facts, explain, describe, explanation: null, text: null };
  Object.defineProperty(line, PENDING, { value: pending });
  return Object.defineProperties(line, ACCESSORS) as IncentiveLine;
}
