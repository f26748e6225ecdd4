/**
 * The data sheets of a settlement report, one definition for both formats: the columns (header
 * and kind) and the rows, streamed from the settlement's lines. XLSX (./xlsx.ts) and CSV (./csv.ts)
 * only turn each cell into their format by its column's kind:
 *
 *   text   neutralised against formula injection         money  whole fen → yuan with two decimals
 *   int    a count or a number of days                    score  a decimal string such as "91.50"
 *   decimal  a decimal string ("40") written as a number; any other text (a share that changed, "40 → 30") stays text
 *
 * Columns marked `sum` get a SUM formula in the workbook's totals row.
 *
 * Residents appear only as counts (active, subsidised, uninsured contracts); no identity number
 * is on any line.
 */
import type { CsvSheet } from '../../domain/reports.ts';
import { allLines } from '../../data/settlements.ts';
import type { InstitutionLine, MemberLine, TeamLine } from '../../domain/settlements/compute.ts';
import { type ReportContext, ReportIntegrityError, TeamNames } from './source.ts';
import { memberRoleName } from '../../domain/role-names.ts';

export type ColumnKind = 'text' | 'money' | 'int' | 'score' | 'decimal';
export type Cell = string | number | null;

export interface Column {
  header: string;
  kind: ColumnKind;
  /** widest the column gets, in character cells (long texts wrap in the viewer instead) */
  maxWidth?: number;
  /** summed in the workbook's totals row (a SUM formula) */
  sum?: true;
}

export interface SheetSource {
  id: CsvSheet;
  name: string;
  columns: Column[];
  /** the rows the header expects; null when only the lines tell (fee statement rows) */
  expectedRows: number | null;
  rows: () => AsyncGenerator<Cell[]>;
  /** after the last row: the sums of what was written against the header (throws ReportIntegrityError) */
  finish: () => void;
}

function check(settlementId: string, sheet: string, problems: string[]): void {
  if (problems.length > 0) throw new ReportIntegrityError(`Settlement ${settlementId}, ${sheet}: ${problems.join('; ')}`);
}

function institutionName(context: ReportContext, institutionId: string): string {
  return context.institutions.get(institutionId)?.name ?? institutionId;
}

function ownershipLabel(context: ReportContext, ownership: 'government' | 'social' | null): string {
  return ownership ? context.t.ownership[ownership] : '';
}

function eligibilityText(context: ReportContext, line: TeamLine): string {
  const { t } = context;
  if (!line.scored) return t.notInRun;
  const parts: string[] = [];
  if (line.score === null) parts.push(t.insufficient);
  if (line.eligibility === 'capped') parts.push(`${t.eligibility.capped} ${line.capPercent ?? 100}%`);
  else if (line.eligibility) parts.push(t.eligibility[line.eligibility]);
  return parts.join(t.separator);
}

function gatesText(context: ReportContext, line: TeamLine): string {
  const { t, lang } = context;
  const parts = line.gates.map((gate) => `${gate.label[lang]}${lang === 'zh' ? '：' : ': '}${gate.explanation[lang]}`);
  if (line.explanation?.capApplied) parts.push(t.capApplied);
  return parts.join(t.separator);
}

export function teamsSheet(context: ReportContext): SheetSource {
  const { settlement, t, lang } = context;
  const c = t.columns;
  const correction = settlement.correctionOf !== null;
  const columns: Column[] = [
    { header: c.institution, kind: 'text' },
    { header: c.institutionId, kind: 'text' },
    { header: c.team, kind: 'text' },
    { header: c.teamId, kind: 'text' },
    { header: c.score, kind: 'score' },
    { header: c.rank, kind: 'int' },
    { header: c.eligibility, kind: 'text' },
    { header: c.gates, kind: 'text', maxWidth: 60 },
    { header: c.activeContracts, kind: 'int', sum: true },
    { header: c.subsidisedContracts, kind: 'int', sum: true },
    { header: c.incentive, kind: 'money', sum: true },
    { header: c.subsidy, kind: 'money', sum: true },
    { header: c.total, kind: 'money', sum: true },
    ...(correction ? correctionColumns(c) : []),
    { header: c.explanation, kind: 'text', maxWidth: 80 },
  ];
  const sums = { count: 0, amountFen: 0, subsidyFen: 0 };
  return {
    id: 'teams',
    name: t.sheets.teams,
    columns,
    expectedRows: settlement.lineCounts.team,
    rows: async function* () {
      for await (const line of allLines<TeamLine>(context.db, settlement.computationId, 'team')) {
        sums.count += 1;
        sums.amountFen += line.amount;
        sums.subsidyFen += line.subsidyFen;
        yield [
          institutionName(context, line.institutionId),
          line.institutionId,
          line.teamName ?? line.teamId,
          line.teamId,
          line.score,
          context.rankOf(line.score),
          eligibilityText(context, line),
          gatesText(context, line),
          line.activeContracts,
          line.subsidisedContracts,
          line.amount,
          line.subsidyFen,
          line.amount + line.subsidyFen,
          ...(correction
            ? [line.previousAmount ?? 0, line.difference ?? line.amount, line.previousSubsidyFen ?? 0, line.subsidyDifference ?? line.subsidyFen]
            : []),
          line.text[lang],
        ];
      }
    },
    finish: () =>
      check(settlement.settlementId, 'team lines', [
        ...(sums.count === settlement.lineCounts.team ? [] : [`${sums.count} lines, the header counts ${settlement.lineCounts.team}`]),
        ...(sums.amountFen === settlement.totals.paidFen ? [] : ['incentives do not add up to the incentives allocated']),
        ...(sums.subsidyFen === settlement.totals.subsidyFen ? [] : ['subsidies do not add up to the subsidy total']),
      ]),
  };
}

/** A member's role share: one number while it stayed the same, "40 → 30" when a change of role changed it. */
function shareOf(line: MemberLine): string {
  const shares = line.stints.map((stint) => stint.share).filter((share, i, all) => i === 0 || share !== all[i - 1]);
  return shares.join(' → ');
}

export function membersSheet(context: ReportContext): SheetSource {
  const { settlement, t, lang } = context;
  const c = t.columns;
  const columns: Column[] = [
    { header: c.institution, kind: 'text' },
    { header: c.team, kind: 'text' },
    { header: c.teamId, kind: 'text' },
    { header: c.member, kind: 'text' },
    { header: c.memberId, kind: 'text' },
    { header: c.role, kind: 'text' },
    { header: c.daysPresent, kind: 'int' },
    { header: c.share, kind: 'decimal' },
    { header: c.amount, kind: 'money', sum: true },
  ];
  const sums = { count: 0, amountFen: 0 };
  return {
    id: 'members',
    name: t.sheets.members,
    columns,
    expectedRows: settlement.lineCounts.member,
    rows: async function* () {
      const names = new TeamNames(context.db, settlement.computationId);
      try {
        for await (const line of allLines<MemberLine>(context.db, settlement.computationId, 'member')) {
          sums.count += 1;
          sums.amountFen += line.amount;
          yield [
            institutionName(context, line.institutionId),
            (await names.of(line.institutionId, line.teamId)) ?? line.teamId,
            line.teamId,
            line.name,
            line.memberId,
            line.stints.map((stint) => memberRoleName(stint.role, lang)).join(' → '),
            line.daysPresent,
            shareOf(line),
            line.amount,
          ];
        }
      } finally {
        await names.close();
      }
    },
    finish: () =>
      check(settlement.settlementId, 'member lines', [
        ...(sums.count === settlement.lineCounts.member ? [] : [`${sums.count} lines, the header counts ${settlement.lineCounts.member}`]),
        ...(sums.amountFen === settlement.totals.membersFen ? [] : ['member amounts do not add up to the total split among members']),
      ]),
  };
}

export function institutionsSheet(context: ReportContext): SheetSource {
  const { settlement, t, lang } = context;
  const c = t.columns;
  const correction = settlement.correctionOf !== null;
  const columns: Column[] = [
    { header: c.institution, kind: 'text' },
    { header: c.institutionId, kind: 'text' },
    { header: c.ownership, kind: 'text' },
    { header: c.teams, kind: 'int', sum: true },
    { header: c.incentive, kind: 'money', sum: true },
    { header: c.subsidisedContracts, kind: 'int', sum: true },
    { header: c.contractDays, kind: 'int', sum: true },
    { header: c.uninsuredContracts, kind: 'int', sum: true },
    { header: c.subsidy, kind: 'money', sum: true },
    ...(correction ? correctionColumns(c) : []),
    { header: c.feeStatement, kind: 'text', maxWidth: 80 },
  ];
  const sums = { count: 0, subsidyFen: 0 };
  return {
    id: 'institutions',
    name: t.sheets.institutions,
    columns,
    expectedRows: settlement.lineCounts.institution,
    rows: async function* () {
      for await (const line of allLines<InstitutionLine>(context.db, settlement.computationId, 'institution')) {
        sums.count += 1;
        sums.subsidyFen += line.subsidyFen;
        yield [
          line.name ?? line.institutionId,
          line.institutionId,
          ownershipLabel(context, line.ownership),
          line.teams,
          line.incentiveFen,
          line.subsidisedContracts,
          line.contractDays,
          line.uninsuredContracts,
          line.subsidyFen,
          ...(correction
            ? [
                line.previousIncentiveFen ?? 0,
                line.incentiveDifference ?? line.incentiveFen,
                line.previousSubsidyFen ?? 0,
                line.subsidyDifference ?? line.subsidyFen,
              ]
            : []),
          (line.feeStatement ?? []).map((fee) => fee.text[lang]).join('\n'),
        ];
      }
    },
    finish: () =>
      check(settlement.settlementId, 'institution lines', [
        ...(sums.count === settlement.lineCounts.institution ? [] : [`${sums.count} lines, the header counts ${settlement.lineCounts.institution}`]),
        ...(sums.subsidyFen === settlement.totals.subsidyFen ? [] : ['subsidies do not add up to the subsidy total']),
      ]),
  };
}

/** The fee statement: one row per institution and service package (what a subsidised resident may still be charged). */
export function feesSheet(context: ReportContext): SheetSource {
  const { settlement, t, lang } = context;
  const c = t.columns;
  const columns: Column[] = [
    { header: c.institution, kind: 'text' },
    { header: c.institutionId, kind: 'text' },
    { header: c.ownership, kind: 'text' },
    { header: c.package, kind: 'text' },
    { header: c.packageCode, kind: 'text' },
    { header: c.publishedFee, kind: 'money' },
    { header: c.subsidyPerResident, kind: 'money' },
    { header: c.maxCollect, kind: 'money' },
    { header: c.rule, kind: 'text', maxWidth: 80 },
  ];
  return {
    id: 'fees',
    name: t.sheets.fees,
    columns,
    expectedRows: null,
    rows: async function* () {
      for await (const line of allLines<InstitutionLine>(context.db, settlement.computationId, 'institution')) {
        for (const fee of line.feeStatement ?? []) {
          yield [
            line.name ?? line.institutionId,
            line.institutionId,
            ownershipLabel(context, line.ownership),
            fee.packageName ?? fee.packageCode,
            fee.packageCode,
            fee.publishedFeeFen,
            fee.subsidyPerResidentYearFen,
            fee.maxCollectFromSubsidisedResidentFen,
            fee.text[lang],
          ];
        }
      }
    },
    finish: () => {},
  };
}

export function sheetSource(context: ReportContext, sheet: CsvSheet): SheetSource {
  switch (sheet) {
    case 'teams':
      return teamsSheet(context);
    case 'members':
      return membersSheet(context);
    case 'institutions':
      return institutionsSheet(context);
    case 'fees':
      return feesSheet(context);
  }
}

/** The columns a correction adds to the team and institution sheets: what was paid before and the difference. */
function correctionColumns(c: { previousIncentive: string; incentiveDifference: string; previousSubsidy: string; subsidyDifference: string }): Column[] {
  return [
    { header: c.previousIncentive, kind: 'money', sum: true },
    { header: c.incentiveDifference, kind: 'money', sum: true },
    { header: c.previousSubsidy, kind: 'money', sum: true },
    { header: c.subsidyDifference, kind: 'money', sum: true },
  ];
}
