/**
 * Deterministic synthetic districts for the engine bench: every team's facts for the period and
 * its baseline period, and its size (contracts, weighted residents) for score-weighted
 * allocation. Values follow the demo seed's shapes (local/seed/demo-metrics.ts): most teams do
 * 85-99 % of their due work, about one in eight clearly less; 3 % did not upload; some have too
 * few survey responses or registry renewals to be scored on those indicators.
 */
import type { TeamFacts } from '#shared/domain/scoring/index.ts';
import { type Random, seededRandom } from '../../local/seed/random.ts';

export interface TeamSize {
  activeContracts: number;
  /** contracts, each key-population contract counting twice */
  weightedResidents: number;
}

export interface SyntheticDistrict {
  teams: TeamFacts[];
  /** the same teams in the baseline period (achievement-improvement reads them) */
  baseline: TeamFacts[];
  sizes: TeamSize[];
}

export function teamIdOf(index: number): string {
  return `team-${String(index + 1).padStart(6, '0')}`;
}

function teamFacts(teamId: string, random: Random): TeamFacts {
  const performance = random.chance(0.12) ? 0.45 + random.next() * 0.25 : 0.85 + random.next() * 0.14;
  const done = (due: number) => Math.min(due, Math.round(due * Math.min(1, Math.max(0, performance + (random.next() - 0.5) * 0.08))));
  const contracts = random.int(300, 2000);
  const htnDue = Math.round(contracts * 0.22);
  const dmDue = Math.round(contracts * 0.1);
  const checkupDue = Math.round(contracts * 0.06);
  const vaccinationsDue = random.int(0, 40);
  const referralsDown = random.int(0, 60);
  const uploaded = !random.chance(0.03);
  const responses = random.chance(0.08) ? random.int(0, 9) : random.int(10, 120);
  const renewalsDue = random.int(0, 80);
  const keyPopulation = Math.round(contracts * (0.2 + random.next() * 0.4));
  return {
    teamId,
    uploaded,
    metrics: uploaded
      ? {
          'htn-followup-due': htnDue,
          'htn-followup-done': done(htnDue),
          'dm-followup-due': dmDue,
          'dm-followup-done': done(dmDue),
          'elderly-checkup-due': checkupDue,
          'elderly-checkup-done': done(checkupDue),
          'maternal-visits': random.int(0, 30),
          'newborn-visits': random.int(0, 15),
          'child-vaccinations-due': vaccinationsDue,
          'child-vaccinations-done': done(vaccinationsDue),
          'home-visits-80plus': Math.round(random.int(0, 40) * performance),
          'referrals-up': Math.round(referralsDown * (0.8 + random.next() * 2)),
          'referrals-down': referralsDown,
          'remote-consultations': Math.round(random.int(0, 25) * performance),
        }
      : {},
    registry: {
      contracts,
      insuredContracts: Math.round(contracts * (0.8 + random.next() * 0.15)),
      renewals: { due: renewalsDue, renewed: Math.min(renewalsDue, Math.round(renewalsDue * (0.75 + random.next() * 0.25))) },
      keyPopulation: { eligible: contracts, covered: keyPopulation },
    },
    survey: {
      responses,
      topBox: Math.round(responses * (0.05 + random.next() * 0.7)),
      mean100: Math.round((55 + random.next() * 40) * 10) / 10,
    },
  };
}

/** `count` teams from `seed`: the same district on every run and machine. */
export function syntheticDistrict(count: number, seed = 20_260_401): SyntheticDistrict {
  const current = seededRandom(seed);
  const previous = seededRandom(seed ^ 0x5bd1e995);
  const teams: TeamFacts[] = new Array(count);
  const baseline: TeamFacts[] = new Array(count);
  const sizes: TeamSize[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const teamId = teamIdOf(i);
    const facts = teamFacts(teamId, current);
    teams[i] = facts;
    baseline[i] = teamFacts(teamId, previous);
    const contracts = facts.registry?.contracts ?? 0;
    sizes[i] = { activeContracts: contracts, weightedResidents: contracts + (facts.registry?.keyPopulation?.covered ?? 0) };
  }
  return { teams, baseline, sizes };
}
