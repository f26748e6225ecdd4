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

/** Returns the object it is given, so a subclass can add a private field to a plain object. */
class Given {
  constructor(target: object) {
    // biome-ignore lint/correctness/noConstructorReturn: the point of the class
    return target;
  }
}

/**
 * Attaches the pending facts to a line as a private field: invisible to keys, JSON and spreads
 * like a non-enumerable symbol, but added without Object.defineProperty, which costs a
 * descriptor per line (the line stays a plain Object).
 */
class PendingSlot extends Given {
  readonly #pending: Pending<unknown>;
  constructor(line: object, pending: Pending<unknown>) {
    super(line);
    this.#pending = pending;
  }
  static of(line: object): Pending<unknown> {
    return (line as PendingSlot).#pending;
  }
}

// shared descriptors and accessors (no closures per line), so every line keeps the same hidden class
const EXPLANATION: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: IncentiveLine): IncentiveExplanation {
    const pending = PendingSlot.of(this);
    pending.explanation ??= pending.explain(pending.facts);
    return pending.explanation;
  },
  set(this: IncentiveLine, value: IncentiveExplanation) {
    PendingSlot.of(this).explanation = value;
  },
};
const TEXT: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: IncentiveLine): Text {
    const pending = PendingSlot.of(this);
    pending.text ??= pending.describe(pending.facts, this.explanation);
    return pending.text;
  },
  set(this: IncentiveLine, value: Text) {
    PendingSlot.of(this).text = value;
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
  new PendingSlot(line, { facts, explain, describe, explanation: null, text: null } as Pending<unknown>);
  Object.defineProperty(line, 'explanation', EXPLANATION);
  Object.defineProperty(line, 'text', TEXT);
  return line as IncentiveLine;
}
