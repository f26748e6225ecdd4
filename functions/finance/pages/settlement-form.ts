/**
 * The "new settlement" form: its fields as strings (GET query for the preview, POST body to
 * create), turned into a settlement request with a message per field in both languages.
 * Amounts are typed in yuan and become fen through the money library's parseYuan; scores,
 * weights and the whole request are checked with the API's zod schemas
 * (shared/schemas/settlements.ts), so the form accepts exactly what the API accepts.
 */
import { DomainError } from '#shared/domain/errors.ts';
import { parseYuan } from '#shared/domain/money/fen.ts';
import { createSettlementSchema, scoreLikeSchema, weightSchema } from '#shared/schemas/settlements.ts';
import type { FundingSourceInput, MethodInput, SettlementRequest } from '#shared/services/settlements.ts';
import { validateWith } from '#shared/web/forms.ts';
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

const isScore = (text: string) => scoreLikeSchema.safeParse(text).success;
const isWeight = (text: string) => weightSchema.safeParse(text).success;

/** Which form field, and which of its messages, a problem the API schema finds belongs to (its path below the request). */
function formFieldOf(path: string): [keyof FormErrors & string, FormErrors[keyof FormErrors]] {
  const [head = '', second = ''] = path.replace(/^body\./, '').split('.');
  if (head === 'poolFen') return ['pool', 'yuan'];
  if (head === 'roleShares') return [second ? `share.${second}` : 'shares', 'decimal'];
  if (head === 'residentWeights') return ['keyPopulationWeight', 'decimal'];
  if (head === 'fundingSources') return ['funding', 'funding'];
  if (head === 'method') {
    if (second === 'poolSharePercent' || second === 'weights') return ['capWeights', 'capitation'];
    if (second === 'fenPerPoint') return ['perPoint', 'yuan'];
    if (second === 'teamCapFen') return ['teamCap', 'yuan'];
    if (second === 'scoreFloor') return ['scoreFloor', 'score'];
    return ['tiers', 'tiers'];
  }
  return [head === 'correctionOf' || head === 'note' ? head : 'evaluationId', 'required'];
}

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
  if (form.scoreFloor !== '' && !isScore(form.scoreFloor)) errors.scoreFloor = 'score';
  const teamCap = form.teamCap === '' ? undefined : yuanToFen(form.teamCap);
  if (teamCap === null) errors.teamCap = 'yuan';
  if (!isWeight(form.keyPopulationWeight)) errors.keyPopulationWeight = 'decimal';
  const roleShares: Record<string, string> = {};
  for (const [role, share] of Object.entries(form.shares)) {
    if (share === '') continue;
    if (!isWeight(share)) errors[`share.${role}`] = 'decimal';
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
        if (!isScore(score) || fen === null) {
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
      if (!isScore(form.capShare) || weights.length !== 3 || !weights.every(isWeight)) errors.capWeights = 'capitation';
      else
        method = {
          kind: 'capitation',
          poolSharePercent: form.capShare,
          weights: { catchmentPopulation: weights[0]!, insuredContracts: weights[1]!, keyPopulationContracts: weights[2]! },
        };
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
    if (!match || !isWeight(match[3]!) || !isWeight(match[4]!) || match[2]!.length > 60) {
      errors.funding = 'funding';
      break;
    }
    fundingSources.push({ code: match[1]!, name: match[2]!, incentiveShare: match[3]!, subsidyShare: match[4]! });
  }
  if (Object.keys(errors).length > 0 || pool === null || method === null) return { request: null, errors };
  const request: SettlementRequest = {
    evaluationId: form.evaluationId,
    poolFen: pool,
    method,
    ...(Object.keys(roleShares).length > 0 ? { roleShares } : {}),
    residentWeights: { keyPopulation: form.keyPopulationWeight },
    ...(fundingSources.length > 0 ? { fundingSources } : {}),
    ...(form.correctionOf ? { correctionOf: form.correctionOf } : {}),
    ...(form.note ? { note: form.note.slice(0, 500) } : {}),
  };
  // what the field checks above cannot see (two tiers at one score, an id's shape) the API's schema does
  const checked = validateWith(createSettlementSchema, request);
  if (checked.ok) return { request, errors };
  for (const problem of checked.errors) {
    const [field, message] = formFieldOf(problem.field);
    errors[field] ??= message;
  }
  return { request: null, errors };
}
