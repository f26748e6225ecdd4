/**
 * A team's result from scoreDistrict: total, status and gate verdict computed up front, the
 * scorecard (indicator lines with their explanations, domain scores, gate outcomes) built by
 * scoreTeam the first time it is read. A district of 420,000 teams then holds a few numbers per
 * team instead of some 16 KB of text. JSON.stringify and fingerprint see the full scorecard
 * (toJSON), in the same key order as a TeamScore.
 */
import type { CriteriaSet } from '../criteria.ts';
import type { Eligibility, GateOutcome } from '../gates.ts';
import type { DomainScore, IndicatorScore, TeamScore } from '../score-team.ts';
import { scoreTeam } from '../score-team.ts';
import type { TeamFacts } from '../sources.ts';
import type { DistrictStatistics } from '../statistics.ts';
import { computeIndicatorValues } from '../values.ts';

/** What a scorecard is built from; the facts are read again, so they must not change after scoring. */
export interface ScorecardSource {
  criteria: CriteriaSet;
  statistics: DistrictStatistics;
  teams: readonly TeamFacts[];
  baselineOf: (team: number) => TeamFacts | null;
}

export function fullScore(source: ScorecardSource, team: number): TeamScore {
  const facts = source.teams[team] as TeamFacts;
  return scoreTeam(source.criteria, source.statistics, computeIndicatorValues(source.criteria, facts, source.baselineOf(team)));
}

export class LazyTeamScore implements TeamScore {
  readonly teamId: string;
  readonly status: 'scored' | 'insufficient';
  readonly total: string | null;
  readonly eligibility: Eligibility;
  readonly capPercent: number;
  readonly #source: ScorecardSource;
  readonly #team: number;
  #card: TeamScore | null = null;

  constructor(source: ScorecardSource, team: number, total: string | null, eligibility: Eligibility, capPercent: number) {
    this.teamId = (source.teams[team] as TeamFacts).teamId;
    this.status = total === null ? 'insufficient' : 'scored';
    this.total = total;
    this.eligibility = eligibility;
    this.capPercent = capPercent;
    this.#source = source;
    this.#team = team;
  }

  #scorecard(): TeamScore {
    if (this.#card) return this.#card;
    const card = fullScore(this.#source, this.#team);
    if (card.total !== this.total || card.eligibility !== this.eligibility || card.capPercent !== this.capPercent) {
      throw new Error(`Scorecard of ${this.teamId} disagrees with its district result (were the facts changed after scoring?)`);
    }
    this.#card = card;
    return card;
  }

  get indicators(): IndicatorScore[] {
    return this.#scorecard().indicators;
  }

  get domains(): DomainScore[] {
    return this.#scorecard().domains;
  }

  get gates(): GateOutcome[] {
    return this.#scorecard().gates;
  }

  toJSON(): TeamScore {
    const card = this.#scorecard();
    return {
      teamId: this.teamId,
      status: this.status,
      total: this.total,
      indicators: card.indicators,
      domains: card.domains,
      gates: card.gates,
      eligibility: this.eligibility,
      capPercent: this.capPercent,
    };
  }
}
