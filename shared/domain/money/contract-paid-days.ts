/**
 * Which contract-days approved settlements paid (docs/money-rules.md §9, rule 7), per contract.
 *
 * A settlement is computed on the registry as it stood at one instant, its `asOf`: every day of a
 * contract's term is known from an instant on (the signing for the first term, each renewal for
 * the days it added: `knownSegments`). Contract dates never change retroactively otherwise: a
 * cancellation only shortens the term, and nothing else writes `startDate` or `endDate`
 * (shared/data/contracts.ts). So what an approved settlement paid is a set of "pieces": a date
 * range × a window of knowing instants `(from, until]` (`from` absent: since ever; `until` absent:
 * for ever, the ranges approved before contracts were tracked). A contract-day is paid by a piece
 * when the day is in its range and the day was known inside its window.
 *
 * An approval adds its period × (−∞, asOf] minus the pieces already there (those of the
 * settlement a correction replaces removed first): exactly the contract-days it paid. A contract
 * entered later (an administrator's correction, a late renewal) is known after every earlier
 * `asOf`, so its days stay payable; a contract-day once paid is inside a piece for good.
 */
import { addDays, overlapDays } from '../dates.ts';
import type { AlreadyPaid } from './subsidy.ts';
import { type DateRange, type PaidRange, subtractRanges } from './subsidy-days.ts';
import { rateSegments, type SubsidyRate } from './subsidy-rates.ts';

/** What a contract says of when its days became known. */
export interface ContractTerms {
  startDate: string;
  endDate: string;
  signedAt?: string | undefined;
  /** the ends renewals extended, oldest first */
  renewedEnds?: readonly string[] | undefined;
  /** when each renewal was recorded (same order); a renewal recorded before this was kept counts as known at signing */
  renewedAt?: readonly string[] | undefined;
}

export interface KnownSegment extends DateRange {
  /** the instant the days became known ('' when the registry does not say: known since ever) */
  since: string;
}

/** The stretches of the term, each with the instant its days became known. */
export function knownSegments(contract: ContractTerms): KnownSegment[] {
  const signed = contract.signedAt ?? '';
  const ends = contract.renewedEnds ?? [];
  const segments: KnownSegment[] = [];
  let start = contract.startDate;
  let since = signed;
  for (const [i, end] of ends.entries()) {
    const last = end < contract.endDate ? end : contract.endDate;
    if (start <= last) segments.push({ start, end: last, since });
    start = addDays(end, 1);
    since = contract.renewedAt?.[i] ?? signed;
  }
  if (start <= contract.endDate) segments.push({ start, end: contract.endDate, since });
  return segments;
}

/** The contract's terms as the registry knew them at `asOf`: null if signed later; renewals recorded later undone. */
export function termsAsOf<T extends ContractTerms>(contract: T, asOf: string): T | null {
  if ((contract.signedAt ?? '') > asOf) return null;
  const ends = contract.renewedEnds ?? [];
  const later = ends.findIndex((_, i) => (contract.renewedAt?.[i] ?? '') > asOf);
  if (later === -1) return contract;
  return { ...contract, endDate: ends[later]!, renewedEnds: ends.slice(0, later), renewedAt: contract.renewedAt?.slice(0, later) };
}

function paysKnown(piece: PaidRange, since: string): boolean {
  return (piece.from === undefined || since > piece.from) && (piece.until === undefined || since <= piece.until);
}

/**
 * One contract's days in `period`: those still to pay (each at the rate in force) and, per earlier
 * settlement, how many it already paid.
 */
export function contractPayableDays(
  contract: ContractTerms,
  period: DateRange,
  rates: readonly SubsidyRate[],
  pieces: readonly PaidRange[],
): { payable: { start: string; end: string; perYearFen: number }[]; paidBy: AlreadyPaid[] } {
  const payable: { start: string; end: string; perYearFen: number }[] = [];
  const paidBy = new Map<string, AlreadyPaid>();
  for (const segment of knownSegments(contract)) {
    const start = segment.start > period.start ? segment.start : period.start;
    const end = segment.end < period.end ? segment.end : period.end;
    if (start > end) continue;
    const paying = pieces.filter((p) => paysKnown(p, segment.since) && p.end >= start && p.start <= end);
    for (const piece of paying) {
      const days = overlapDays(start, end, piece.start, piece.end);
      const entry = paidBy.get(piece.settlementId) ?? { settlementId: piece.settlementId, period: piece.period, contractDays: 0 };
      entry.contractDays += days;
      paidBy.set(piece.settlementId, entry);
    }
    for (const range of subtractRanges({ start, end }, paying)) payable.push(...rateSegments(rates, range.start, range.end));
  }
  return { payable, paidBy: [...paidBy.values()] };
}

/** A window of knowing instants (from, until]; undefined ends are open. */
interface Window {
  from?: string | undefined;
  until?: string | undefined;
}

/** The parts of (−∞, asOf] no window covers. */
function uncovered(windows: readonly Window[], asOf: string): Window[] {
  const sorted = [...windows].sort((a, b) => ((a.from ?? '') < (b.from ?? '') ? -1 : (a.from ?? '') > (b.from ?? '') ? 1 : 0));
  const gaps: Window[] = [];
  // (−∞, pos] is settled (covered or already a gap); undefined: nothing yet
  let pos: string | undefined;
  const gapTo = (upper: string) => {
    if (pos === undefined || upper > pos) gaps.push({ ...(pos !== undefined ? { from: pos } : {}), until: upper });
  };
  for (const w of sorted) {
    if (w.from !== undefined) gapTo(w.from < asOf ? w.from : asOf);
    if (w.until === undefined) return gaps;
    if (pos === undefined || w.until > pos) pos = w.until;
    if (pos >= asOf) return gaps;
  }
  gapTo(asOf);
  return gaps;
}

/**
 * The district's pieces once a settlement over `range` computed on the registry at `asOf` is
 * approved: the pieces of the settlement it corrects removed, its own added (what it paid).
 */
export function piecesAfterApproval(
  existing: readonly PaidRange[],
  settlement: { settlementId: string; period: string; range: DateRange; asOf: string; correctionOf: string | null },
): PaidRange[] {
  const kept = existing.filter((p) => p.settlementId !== settlement.correctionOf);
  const { start, end } = settlement.range;
  const cuts = new Set<string>([start, addDays(end, 1)]);
  for (const p of kept) {
    if (p.start > start && p.start <= end) cuts.add(p.start);
    const after = addDays(p.end, 1);
    if (after > start && after <= end) cuts.add(after);
  }
  const bounds = [...cuts].sort();
  const added: PaidRange[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const from = bounds[i]!;
    const to = addDays(bounds[i + 1]!, -1);
    const covering = kept.filter((p) => p.start <= from && p.end >= to);
    for (const gap of uncovered(covering, settlement.asOf)) {
      const previous = added.find((a) => a.end === addDays(from, -1) && a.from === gap.from && a.until === gap.until);
      if (previous) previous.end = to;
      else
        added.push({
          start: from,
          end: to,
          settlementId: settlement.settlementId,
          period: settlement.period,
          ...(gap.from !== undefined ? { from: gap.from } : {}),
          until: gap.until!,
        });
    }
  }
  return [...kept, ...added];
}
