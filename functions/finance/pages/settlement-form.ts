/**
 * The "new settlement" form: its fields as strings (GET query for the preview, POST body to
 * create), turned into a settlement request with a message per field in both languages.
 * Amounts are typed in yuan and become fen through the money library's parseYuan.
 */
import { DomainError } from '#shared/domain/errors.ts';
import { parseYuan } from '#shared/domain/money/index.ts';
import type { FundingSourceInput, MethodInput, SettlementRequest } from '#shared/services/settlements.ts';
import type { TEXT } from './texts.ts';

export const METHOD_KINDS = ['score-weighted', 'value-per-point', 'grade-tiers', 'capitation'] as const;
export const MEASURES = ['active-contracts', 'weighted-residents', 'none'] as const;

export interface SettlementForm {
  evaluationId: string;
  pool: string;
  method: string;
  sizeMeasure: string;
  scoreFloor: string;
  teamCap: string;
  perPoint: string;
  tiers: string;
  /** capitation: share of the pool (%) and "catchment,insured,key-population" weights */
  capShare: string;
  capWeights: string;
  /** "code=name:incentive share:subsidy share" per line; empty: no funding sources */
  funding: string;
  keyPopulationWeight: string;
  correctionOf: string;
  note: string;
  /** role → share, from fields named share.{role} */
  shares: Record<string, string>;
}

export type FormErrors = Partial<Record<keyof SettlementForm | `share.${string}`, keyof (typeof TEXT)['zh']['errors']>>;

const SCORE = /^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/;
const WEIGHT = /^\d{1,6}(\.\d{1,2})?$/;

export function formFrom(values: Record<string, string>, defaults: { roleShares: Record<string, string>; keyPopulationWeight: string }): SettlementForm {
  const shares: Record<string, string> = {};
  for (const [role, share] of Object.entries(defaults.roleShares)) shares[role] = share;
  for (const [key, value] of Object.entries(values)) if (key.startsWith('share.')) shares[key.slice(6)] = value.trim();
  const get = (key: string) => (values[key] ?? '').trim();
  return {
    evaluationId: get('evaluationId'),
    pool: get('pool'),
    method: get('method') || 'score-weighted',
    sizeMeasure: get('sizeMeasure') || 'active-contracts',
    scoreFloor: get('scoreFloor'),
    teamCap: get('teamCap'),
    perPoint: get('perPoint'),
    tiers: values.tiers ?? '90=5000\n80=3000\n60=1000',
    capShare: get('capShare') || '100',
    capWeights: get('capWeights') || '40,60,0',
    funding: (values.funding ?? '').trim(),
    keyPopulationWeight: get('keyPopulationWeight') || defaults.keyPopulationWeight,
    correctionOf: get('correctionOf'),
    note: get('note'),
    shares,
  };
}

function yuanToFen(text: string): number | null {
  try {
    const fen = parseYuan(text);
    return fen >= 0 ? fen : null;
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

/** The request the form describes, or the fields to correct. */
export function requestFromForm(form: SettlementForm): { request: SettlementRequest | null; errors: FormErrors } {
  const errors: FormErrors = {};
  if (!form.evaluationId) errors.evaluationId = 'required';
  const pool = form.pool === '' ? null : yuanToFen(form.pool);
  if (form.pool === '') errors.pool = 'required';
  else if (pool === null) errors.pool = 'yuan';
  if (form.scoreFloor !== '' && !SCORE.test(form.scoreFloor)) errors.scoreFloor = 'score';
  const teamCap = form.teamCap === '' ? undefined : yuanToFen(form.teamCap);
  if (teamCap === null) errors.teamCap = 'yuan';
  if (!WEIGHT.test(form.keyPopulationWeight)) errors.keyPopulationWeight = 'decimal';
  const roleShares: Record<string, string> = {};
  for (const [role, share] of Object.entries(form.shares)) {
    if (share === '') continue;
    if (!WEIGHT.test(share)) errors[`share.${role}`] = 'decimal';
    else roleShares[role] = share;
  }
  const common = { ...(form.scoreFloor !== '' ? { scoreFloor: form.scoreFloor } : {}), ...(typeof teamCap === 'number' ? { teamCapFen: teamCap } : {}) };
  const measure = (MEASURES as readonly string[]).includes(form.sizeMeasure) ? (form.sizeMeasure as (typeof MEASURES)[number]) : 'active-contracts';
  let method: MethodInput | null = null;
  switch (form.method) {
    case 'value-per-point': {
      const perPoint = form.perPoint === '' ? null : yuanToFen(form.perPoint);
      if (perPoint === null) errors.perPoint = form.perPoint === '' ? 'required' : 'yuan';
      else method = { kind: 'value-per-point', fenPerPoint: perPoint, sizeMeasure: measure, ...common };
      break;
    }
    case 'grade-tiers': {
      const tiers: { minScore: string; amountFen: number }[] = [];
      for (const raw of form.tiers.split(/\r?\n/)) {
        const line = raw.trim();
        if (line === '') continue;
        const [score = '', amount = ''] = line.split(/[=＝:：]/).map((part) => part.trim());
        const fen = yuanToFen(amount);
        if (!SCORE.test(score) || fen === null) {
          errors.tiers = 'tiers';
          break;
        }
        tiers.push({ minScore: score, amountFen: fen });
      }
      if (tiers.length === 0) errors.tiers ??= 'tiers';
      method = { kind: 'grade-tiers', tiers, ...common };
      break;
    }
    case 'capitation': {
      const weights = form.capWeights.split(/[,，]/).map((w) => w.trim());
      if (!SCORE.test(form.capShare) || weights.length !== 3 || !weights.every((w) => WEIGHT.test(w))) errors.capWeights = 'capitation';
      else method = { kind: 'capitation', poolSharePercent: form.capShare, weights: { catchmentPopulation: weights[0]!, insuredContracts: weights[1]!, keyPopulationContracts: weights[2]! } };
      break;
    }
    default:
      method = { kind: 'score-weighted', sizeMeasure: measure === 'none' ? 'active-contracts' : measure, ...common };
  }
  const fundingSources: FundingSourceInput[] = [];
  for (const raw of form.funding.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const match = /^([a-z0-9][a-z0-9-]{0,39})\s*[=＝]\s*(.+?)\s*[:：]\s*(\S+)\s*[:：]\s*(\S+)$/.exec(line);
    if (!match || !WEIGHT.test(match[3]!) || !WEIGHT.test(match[4]!) || match[2]!.length > 60) {
      errors.funding = 'funding';
      break;
    }
    fundingSources.push({ code: match[1]!, name: match[2]!, incentiveShare: match[3]!, subsidyShare: match[4]! });
  }
  if (Object.keys(errors).length > 0 || pool === null || method === null) return { request: null, errors };
  return {
    request: {
      evaluationId: form.evaluationId,
      poolFen: pool,
      method,
      ...(Object.keys(roleShares).length > 0 ? { roleShares } : {}),
      residentWeights: { keyPopulation: form.keyPopulationWeight },
      ...(fundingSources.length > 0 ? { fundingSources } : {}),
      ...(form.correctionOf ? { correctionOf: form.correctionOf } : {}),
      ...(form.note ? { note: form.note.slice(0, 500) } : {}),
    },
    errors,
  };
}
