/**
 * Phase 1 for a whole district at once, without text: every team's value of every indicator
 * (and floor gate) as an exact pair of safe integers num/den (not reduced) with its nearest
 * double, in flat typed arrays. Inputs that are not plain safe-integer counts (decimal strings,
 * fractional or huge numbers) go through the reference reader (`readSource`), so the same
 * inputs are accepted, the same errors raised and the same exact values kept.
 */
import type { CompiledCriteria, CompiledIndicator } from '../compile.ts';
import type { ValueSource } from '../criteria.ts';
import { Ratio } from '../ratio.ts';
import { type InsufficientReason, readSource, type TeamFacts } from '../sources.ts';

export const OK = 0;
const STATE_OF: Record<InsufficientReason, number> = { missing: 1, 'below-minimum': 2, 'zero-denominator': 3, 'no-statistics': 1 };

/** Values of some sources for `teams` teams, row-major (team × column). */
export class ValueColumns {
  readonly width: number;
  /** the column of each source (indicator or gate index), −1 when it is not kept */
  private readonly columnOf: Int32Array;
  readonly num: Float64Array;
  /** 0 marks a value too large for safe integers, kept exactly in `large` */
  readonly den: Float64Array;
  readonly approx: Float64Array;
  /** OK, or why not: 1 missing, 2 below the minimum, 3 zero denominator (the scorecard says which) */
  readonly state: Uint8Array;
  private readonly large = new Map<number, Ratio>();

  /** `kept`: which of `sources` sources get a column (all by default). */
  constructor(
    readonly teams: number,
    sources: number,
    kept: readonly number[] = Array.from({ length: sources }, (_, i) => i),
  ) {
    this.width = kept.length;
    this.columnOf = new Int32Array(sources).fill(-1);
    kept.forEach((source, column) => {
      this.columnOf[source] = column;
    });
    const cells = teams * this.width;
    this.num = new Float64Array(cells);
    this.den = new Float64Array(cells);
    this.approx = new Float64Array(cells);
    this.state = new Uint8Array(cells);
  }

  /** Forgets the values kept outside the arrays, before the columns are read again for other teams. */
  reset(): void {
    this.large.clear();
  }

  /** The cell of a team's value of a source (which must be kept). */
  cellOf(team: number, source: number): number {
    return team * this.width + (this.columnOf[source] as number);
  }

  /** The exact value of a sufficient cell. */
  exact(cell: number): Ratio {
    const den = this.den[cell] as number;
    return den === 0 ? (this.large.get(cell) as Ratio) : Ratio.of(this.num[cell] as number, den);
  }

  /** Whether the cell's double is its exact value correctly rounded (one division of safe integers). */
  isRounded(cell: number): boolean {
    return this.den[cell] !== 0;
  }

  /** Whether the cell's value is a whole number that its double holds exactly. */
  isWhole(cell: number): boolean {
    return this.den[cell] === 1;
  }

  private set(cell: number, num: number, den: number): undefined {
    this.num[cell] = num;
    this.den[cell] = den;
    this.approx[cell] = den === 1 ? num : num / den;
    this.state[cell] = OK;
  }

  private insufficient(cell: number, state: number): undefined {
    this.state[cell] = state;
  }

  private setExact(cell: number, value: Ratio): undefined {
    if (typeof value.num === 'number' && typeof value.den === 'number') {
      this.set(cell, value.num, value.den);
      return;
    }
    this.large.set(cell, value);
    this.num[cell] = Number.NaN;
    this.den[cell] = 0;
    this.approx[cell] = value.toNumber();
    this.state[cell] = OK;
  }

  /** The reference reader, for everything but plain counts. */
  private slow(cell: number, source: ValueSource, facts: TeamFacts, minN: number): undefined {
    const read = readSource(source, facts, minN);
    if (read.status === 'ok') this.setExact(cell, Ratio.parse(read.value));
    else this.insufficient(cell, STATE_OF[read.reason]);
  }

  /** n checks in the order of sources.ts (checkedN): below the minimum first, then a zero denominator. */
  private percent(cell: number, top: unknown, bottom: unknown, minN: number, source: ValueSource, facts: TeamFacts): undefined {
    if (
      typeof top !== 'number' ||
      typeof bottom !== 'number' ||
      !Number.isSafeInteger(top) ||
      !Number.isSafeInteger(100 * top) ||
      !Number.isSafeInteger(bottom)
    ) {
      this.slow(cell, source, facts, minN);
    } else if (bottom < minN) this.insufficient(cell, 2);
    else if (bottom === 0) this.insufficient(cell, 3);
    else if (bottom < 0) this.slow(cell, source, facts, minN);
    else this.set(cell, 100 * top, bottom);
  }

  private plain(cell: number, value: unknown, source: ValueSource, facts: TeamFacts, minN: number): undefined {
    if (value === null || value === undefined) this.insufficient(cell, 1);
    else if (typeof value === 'number' && Number.isSafeInteger(value)) this.set(cell, value, 1);
    else this.slow(cell, source, facts, minN);
  }

  /** Reads one source of one team into cell (team × width + column). */
  read(cell: number, reader: SourceReader, facts: TeamFacts): undefined {
    const { source, minN } = reader;
    switch (reader.kind) {
      case METRIC:
        return this.plain(cell, facts.metrics[reader.key], source, facts, minN);
      case RATIO: {
        const top = facts.metrics[reader.key];
        const bottom = facts.metrics[reader.bottomKey];
        if (top === null || top === undefined || bottom === null || bottom === undefined) return this.insufficient(cell, 1);
        return this.percent(cell, top, bottom, minN, source, facts);
      }
      case CONTRACTS:
        return this.plain(cell, facts.registry?.contracts, source, facts, minN);
      case INSURED:
        return this.plain(cell, facts.registry?.insuredContracts, source, facts, minN);
      case RENEWALS: {
        const r = facts.registry?.renewals;
        return r ? this.percent(cell, r.renewed, r.due, minN, source, facts) : this.insufficient(cell, 1);
      }
      case KEY_POPULATION: {
        const k = facts.registry?.keyPopulation;
        return k ? this.percent(cell, k.covered, k.eligible, minN, source, facts) : this.insufficient(cell, 1);
      }
      case TOP_BOX: {
        const survey = facts.survey;
        return survey ? this.percent(cell, survey.topBox, survey.responses, minN, source, facts) : this.insufficient(cell, 1);
      }
      default:
        return this.mean(cell, source, facts, minN);
    }
  }

  private mean(cell: number, source: ValueSource, facts: TeamFacts, minN: number): undefined {
    const survey = facts.survey;
    if (!survey) return this.insufficient(cell, 1);
    const mean = survey.mean100;
    if (mean === null || mean === undefined) return this.insufficient(cell, 1);
    if (typeof survey.responses !== 'number' || typeof mean !== 'number' || !Number.isFinite(mean)) return this.slow(cell, source, facts, minN);
    if (survey.responses < minN) return this.insufficient(cell, 2);
    if (survey.responses === 0) return this.insufficient(cell, 3);
    if (Number.isSafeInteger(mean)) return this.set(cell, mean, 1);
    return this.setExact(cell, decimalOf(mean));
  }
}

// Survey means repeat (one decimal, 0–100): their exact fractions are looked up.
const decimals = new Map<number, Ratio>();
function decimalOf(x: number): Ratio {
  let r = decimals.get(x);
  if (!r) {
    r = Ratio.decimal(x);
    if (decimals.size < 100_000) decimals.set(x, r);
  }
  return r;
}

const METRIC = 0;
const RATIO = 1;
const CONTRACTS = 2;
const INSURED = 3;
const RENEWALS = 4;
const KEY_POPULATION = 5;
const TOP_BOX = 6;
const MEAN = 7;

/** A value source resolved once: which figure to read, under which keys, with its minimum n. */
export interface SourceReader {
  kind: number;
  key: string;
  bottomKey: string;
  source: ValueSource;
  minN: number;
}

export function readerOf(source: ValueSource, minN: number): SourceReader {
  const reader = (kind: number, key = '', bottomKey = ''): SourceReader => ({ kind, key, bottomKey, source, minN });
  if ('metric' in source) return reader(METRIC, source.metric);
  if ('ratio' in source) return reader(RATIO, source.ratio.numerator, source.ratio.denominator);
  if ('registry' in source) {
    const kinds = { contracts: CONTRACTS, insuredContracts: INSURED, renewalRate: RENEWALS, keyPopulationCoverage: KEY_POPULATION };
    return reader(kinds[source.registry]);
  }
  return reader(source.survey === 'topBoxShare' ? TOP_BOX : MEAN);
}

/** The district's values: indicators, floor gates, and own baselines of achievement-improvement indicators. */
export interface DistrictColumns {
  values: ValueColumns;
  gates: ValueColumns;
  /** own baseline per team and indicator; state 1 (missing) where there is none */
  ownBaseline: ValueColumns;
  uploaded: Uint8Array;
}

/** Empty columns for `teams` teams. */
export function districtColumns(criteria: CompiledCriteria, teams: number): DistrictColumns {
  const k = criteria.indicators.length;
  const cms = criteria.indicators.flatMap((x) => (x.method.kind === 'achievement-improvement' ? [x.index] : []));
  return {
    values: new ValueColumns(teams, k),
    gates: new ValueColumns(teams, criteria.gates.length),
    ownBaseline: new ValueColumns(teams, k, cms),
    uploaded: new Uint8Array(teams),
  };
}

export function readDistrict(criteria: CompiledCriteria, teams: readonly TeamFacts[], baselineOf: (team: number) => TeamFacts | null): DistrictColumns {
  const columns = districtColumns(criteria, teams.length);
  readTeams(criteria, teams, baselineOf, 0, teams.length, columns);
  return columns;
}

/** Reads teams[first, first + count) into rows 0 to count − 1 of `into` (columns for at least `count` teams, reused). */
export function readTeams(
  criteria: CompiledCriteria,
  teams: readonly TeamFacts[],
  baselineOf: (team: number) => TeamFacts | null,
  first: number,
  count: number,
  into: DistrictColumns,
): void {
  const { values, gates, ownBaseline, uploaded } = into;
  values.reset();
  gates.reset();
  ownBaseline.reset();
  const k = criteria.indicators.length;
  const g = criteria.gates.length;
  const cms = criteria.indicators.flatMap((x) => (x.method.kind === 'achievement-improvement' ? [x.index] : []));
  const readers = criteria.indicators.map((x) => readerOf(x.source, x.minN));
  const gateReaders = criteria.gates.map((gate) => (gate.source === null ? null : readerOf(gate.source, gate.minN)));
  for (let row = 0; row < count; row++) {
    const facts = teams[first + row] as TeamFacts;
    uploaded[row] = facts.uploaded ? 1 : 0;
    for (let i = 0; i < k; i++) values.read(row * k + i, readers[i] as SourceReader, facts);
    const baseline = baselineOf(first + row);
    for (const i of cms) {
      if (baseline) ownBaseline.read(ownBaseline.cellOf(row, i), readers[i] as SourceReader, baseline);
      else ownBaseline.state[ownBaseline.cellOf(row, i)] = 1;
    }
    for (let j = 0; j < g; j++) {
      const reader = gateReaders[j];
      if (reader) gates.read(row * g + j, reader, facts);
      else gates.state[row * g + j] = 1;
    }
  }
}

/** The values of the indicators in `kept` only, for all teams (no other source is read). */
export function readKept(criteria: CompiledCriteria, teams: readonly TeamFacts[], kept: readonly number[]): ValueColumns {
  const values = new ValueColumns(teams.length, criteria.indicators.length, kept);
  const readers = kept.map((i) => {
    const x = criteria.indicators[i] as CompiledIndicator;
    return readerOf(x.source, x.minN);
  });
  for (let t = 0; t < teams.length; t++) {
    const facts = teams[t] as TeamFacts;
    for (let c = 0; c < kept.length; c++) values.read(values.cellOf(t, kept[c] as number), readers[c] as SourceReader, facts);
  }
  return values;
}

/**
 * Baseline-period values of the indicators in `kept` (those district statistics need). Every
 * other source is read too, into a scratch cell, so invalid facts fail as they do in phase 1.
 */
export function readBaseline(criteria: CompiledCriteria, baseline: readonly TeamFacts[], kept: readonly number[]): ValueColumns {
  const values = new ValueColumns(baseline.length, criteria.indicators.length, kept);
  const scratch = new ValueColumns(1, 1);
  const readers = criteria.indicators.map((x) => readerOf(x.source, x.minN));
  const gateReaders = criteria.gates.flatMap((gate) => (gate.source === null ? [] : [readerOf(gate.source, gate.minN)]));
  const isKept = criteria.indicators.map((x) => kept.includes(x.index));
  for (let t = 0; t < baseline.length; t++) {
    const facts = baseline[t] as TeamFacts;
    for (let i = 0; i < readers.length; i++) {
      if (isKept[i]) values.read(values.cellOf(t, i), readers[i] as SourceReader, facts);
      else scratch.read(0, readers[i] as SourceReader, facts);
    }
    for (const reader of gateReaders) scratch.read(0, reader, facts);
  }
  return values;
}
