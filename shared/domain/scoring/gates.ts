/**
 * Gates void or cap a team's incentive whatever its score. A floor gate triggers when its
 * value is below `min`; with insufficient data it is not applied (outcome `insufficient`), so
 * pair it with a missing-upload gate where missing data must cost money. Several triggered
 * gates combine to the strictest: any void voids, else the lowest cap applies.
 */
import type { CompiledCriteria, CompiledGate } from './compile.ts';
import type { GateEffect, Label } from './criteria.ts';
import { type Explanation, shownValue } from './explain.ts';
import { Ratio } from './ratio.ts';
import type { TeamValues } from './values.ts';

export type Eligibility = 'eligible' | 'capped' | 'void';

export interface GateOutcome {
  kind: CompiledGate['kind'];
  label: Label;
  status: 'passed' | 'triggered' | 'insufficient';
  effect: GateEffect;
  value: string | null;
  explanation: Explanation;
}

export interface GateVerdict {
  gates: GateOutcome[];
  eligibility: Eligibility;
  /** Share (0–100) of the score-based incentive the team may receive: 100 eligible, 0 void. */
  capPercent: number;
}

function effectText(effect: GateEffect): Explanation {
  return effect === 'void'
    ? { en: 'incentive void', zh: '取消激励' }
    : { en: `incentive capped at ${effect.capPercent} %`, zh: `激励封顶 ${effect.capPercent}%` };
}

function evaluateGate(gate: CompiledGate, values: TeamValues): GateOutcome {
  const { kind, label, effect } = gate;
  if (kind === 'missing-upload') {
    if (values.uploaded) {
      return { kind, label, status: 'passed', effect, value: null, explanation: { en: `${label.en}: uploaded for the period`, zh: `${label.zh}：本期已上报` } };
    }
    const what = effectText(effect);
    return {
      kind,
      label,
      status: 'triggered',
      effect,
      value: null,
      explanation: { en: `${label.en}: missing for the period: ${what.en}`, zh: `${label.zh}：本期未上报：${what.zh}` },
    };
  }
  const reading = values.gates[gate.index];
  const { min, minShown } = gate;
  if (reading?.status !== 'ok' || min === null || minShown === null) {
    return {
      kind,
      label,
      status: 'insufficient',
      effect,
      value: null,
      explanation: { en: `${label.en}: insufficient data, gate not applied`, zh: `${label.zh}：数据不足，不适用` },
    };
  }
  const value = Ratio.parse(reading.value);
  const v = shownValue(value, gate.unit);
  const floor = minShown;
  if (value.ge(min)) {
    return {
      kind,
      label,
      status: 'passed',
      effect,
      value: reading.value,
      explanation: { en: `${label.en} ${v.en} at or above floor ${floor.en}`, zh: `${label.zh} ${v.zh}，不低于底线 ${floor.zh}` },
    };
  }
  const what = effectText(effect);
  return {
    kind,
    label,
    status: 'triggered',
    effect,
    value: reading.value,
    explanation: {
      en: `${label.en} ${v.en} below floor ${floor.en}: ${what.en}`,
      zh: `${label.zh} ${v.zh}，低于底线 ${floor.zh}：${what.zh}`,
    },
  };
}

export function evaluateGates(criteria: CompiledCriteria, values: TeamValues): GateVerdict {
  const gates = criteria.gates.map((gate) => evaluateGate(gate, values));
  let capPercent = 100;
  for (const gate of gates) {
    if (gate.status !== 'triggered') continue;
    capPercent = Math.min(capPercent, gate.effect === 'void' ? 0 : gate.effect.capPercent);
  }
  const eligibility: Eligibility = capPercent === 0 ? 'void' : capPercent < 100 ? 'capped' : 'eligible';
  return { gates, eligibility, capPercent };
}
