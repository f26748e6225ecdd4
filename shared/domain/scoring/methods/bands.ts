/**
 * Banded points: [lower, upper) → points, lower bound inclusive, the last band open-ended.
 * A value below the first band scores 0.
 */
import { type Explanation, shownLimit } from '../explain.ts';
import { type Ratio, ZERO } from '../ratio.ts';
import type { Unit } from '../sources.ts';
import type { MethodDetail, MethodOutcome } from './outcome.ts';

/** A band with exact limits, as compiled from the criteria. */
export interface CompiledBand {
  lower: Ratio;
  upper: Ratio | null;
  points: Ratio;
}

/** Index of the band holding `value`, or null when it lies below the first band. */
export function findBand(bands: readonly CompiledBand[], value: Ratio): number | null {
  for (let k = bands.length - 1; k >= 0; k--) {
    const band = bands[k] as CompiledBand;
    if (value.ge(band.lower)) return band.upper === null || value.lt(band.upper) ? k : null;
  }
  return null;
}

export function bandPoints(bands: readonly CompiledBand[], band: number | null): Ratio {
  return band === null ? ZERO : (bands[band]?.points ?? ZERO);
}

/** Where a value fell, per band, e.g. " in band 10–20" / "，位于 10–20 区间", and below the first band. */
export interface BandTexts {
  bands: Explanation[];
  below: Explanation;
}

export function bandTexts(bands: readonly CompiledBand[], unit: Unit): BandTexts {
  const first = bands[0];
  const lowest = first ? shownLimit(first.lower, unit) : { en: '?', zh: '?' };
  return {
    below: { en: ` below ${lowest.en}`, zh: `，低于 ${lowest.zh}` },
    bands: bands.map((band) => {
      const lower = shownLimit(band.lower, unit);
      if (band.upper === null) return { en: ` in band ≥ ${lower.en}`, zh: `，位于 ≥ ${lower.zh} 区间` };
      const upper = shownLimit(band.upper, unit);
      return { en: ` in band ${lower.en}–${upper.en}`, zh: `，位于 ${lower.zh}–${upper.zh} 区间` };
    }),
  };
}

const detailCache: MethodDetail[] = [];
const BELOW: MethodDetail = Object.freeze({ kind: 'bands', band: null });

function detailOf(band: number | null): MethodDetail {
  if (band === null) return BELOW;
  let detail = detailCache[band];
  if (!detail) {
    detail = Object.freeze({ kind: 'bands', band });
    detailCache[band] = detail;
  }
  return detail;
}

export function banded(bands: readonly CompiledBand[], texts: BandTexts, value: Ratio): MethodOutcome {
  const band = findBand(bands, value);
  const middle = band === null ? texts.below : (texts.bands[band] ?? texts.below);
  return { points: bandPoints(bands, band), detail: detailOf(band), middle };
}
