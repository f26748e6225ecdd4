/**
 * Funding sources: a settlement can draw from several named sources (the medical-insurance fund,
 * basic public-health funds, residents' own share, others a district names). Each source funds a
 * share of the incentives and a share of the subsidy (only ratios matter; a source may fund one
 * stream only). Every institution line is split by the largest-remainder method, so each line
 * says exactly how much comes from which source, a line's parts add up to the line, and a
 * source's total is the sum of its parts on the lines.
 */
import { DomainError } from '../errors.ts';
import { parseDecimal, unitsAtScale } from './exact-decimal.ts';
import type { Fen } from './fen.ts';
import { largestRemainder } from './largest-remainder.ts';

export interface FundingSource {
  /** a short stable code, e.g. "insurance-fund" */
  code: string;
  name: string;
  /** weights (decimal strings, at most two decimals); only ratios within a stream matter */
  incentiveShare: string;
  subsidyShare: string;
}

export interface FundingPart {
  source: string;
  incentiveFen: Fen;
  subsidyFen: Fen;
}

export interface FundingTotal extends FundingPart {
  name: string;
  totalFen: Fen;
}

const SHARE_DECIMALS = 2;

function weightsOf(sources: readonly FundingSource[], stream: 'incentiveShare' | 'subsidyShare') {
  return sources.map((s) => ({
    id: s.code,
    weight: unitsAtScale(parseDecimal(s[stream], `fundingSources.${s.code}.${stream}`, SHARE_DECIMALS), SHARE_DECIMALS),
  }));
}

/** Checks the sources before anything is computed: distinct codes, and each stream with money has a source. */
export function validateFundingSources(sources: readonly FundingSource[], streams: { incentiveFen: Fen; subsidyFen: Fen }): void {
  const codes = new Set<string>();
  for (const source of sources) {
    if (codes.has(source.code))
      throw new DomainError('invalid', 'duplicate-funding-source', `Funding source ${source.code} is named twice`, {
        field: 'body.fundingSources',
        source: source.code,
      });
    codes.add(source.code);
  }
  for (const [stream, amount] of [
    ['incentiveShare', streams.incentiveFen],
    ['subsidyShare', streams.subsidyFen],
  ] as const) {
    if (amount > 0 && weightsOf(sources, stream).every((w) => w.weight === 0n)) {
      throw new DomainError('rule', 'unfunded-stream', `No funding source has a ${stream} above 0, but the settlement pays ${amount} fen of it`, {
        field: 'body.fundingSources',
        stream,
      });
    }
  }
}

/** One line's incentive and subsidy, split over the sources (in the sources' order). */
export function splitFunding(sources: readonly FundingSource[], amounts: { incentiveFen: Fen; subsidyFen: Fen }): FundingPart[] {
  const incentive = largestRemainder(BigInt(amounts.incentiveFen), weightsOf(sources, 'incentiveShare'));
  const subsidy = largestRemainder(BigInt(amounts.subsidyFen), weightsOf(sources, 'subsidyShare'));
  return sources.map((s, i) => ({ source: s.code, incentiveFen: Number(incentive[i]!), subsidyFen: Number(subsidy[i]!) }));
}

/** The sources' totals over the lines' parts. */
export function fundingTotals(sources: readonly FundingSource[], lines: Iterable<readonly FundingPart[]>): FundingTotal[] {
  const totals = sources.map((s) => ({ source: s.code, name: s.name, incentiveFen: 0, subsidyFen: 0, totalFen: 0 }));
  const index = new Map(sources.map((s, i) => [s.code, i]));
  for (const parts of lines) {
    for (const part of parts) {
      const total = totals[index.get(part.source)!]!;
      total.incentiveFen += part.incentiveFen;
      total.subsidyFen += part.subsidyFen;
      total.totalFen += part.incentiveFen + part.subsidyFen;
    }
  }
  return totals;
}
