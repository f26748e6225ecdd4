/**
 * The histogram of team totals (ten 10-point bands, 0–10 … 90–100) as inline SVG: no script,
 * labelled axes, a count over each bar, and a title that a screen reader reads out.
 */
import type { Texts } from './texts.ts';

const TEAL = '#0b5f58';

export function ScoreHistogram(props: { bins: readonly number[]; t: Texts; id: string; caption?: string }) {
  const { bins, t } = props;
  const max = Math.max(1, ...bins);
  const width = 640;
  const height = 280;
  const left = 56;
  const right = 12;
  const top = 20;
  const bottom = 64;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const barWidth = plotWidth / bins.length;
  const band = (i: number) => `${i * 10}–${(i + 1) * 10}`;
  const summary = bins.map((count, i) => `${band(i)}: ${count}`).join('; ');
  // whole-number ticks on the count axis: 0, the middle (when whole) and the maximum
  const ticks = [...new Set([0, max % 2 === 0 ? max / 2 : null, max].filter((v): v is number => v !== null))];
  const y = (count: number) => top + plotHeight - (count / max) * plotHeight;
  return (
    <figure class="chart">
      <svg class="histogram" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${props.id}-title`} data-testid={props.id}>
        <title id={`${props.id}-title`}>{`${t.histogram} (${t.histogramX} → ${t.histogramY}): ${summary}`}</title>
        {ticks.map((tick) => (
          <g>
            <line x1={left - 4} y1={y(tick)} x2={width - right} y2={y(tick)} stroke={tick === 0 ? '#57606a' : '#e5e7eb'} />
            <text x={left - 8} y={y(tick) + 4} text-anchor="end">
              {String(tick)}
            </text>
          </g>
        ))}
        <line x1={left} y1={top} x2={left} y2={top + plotHeight} stroke="#57606a" />
        {bins.map((count, i) => {
          const h = (count / max) * plotHeight;
          const x = left + i * barWidth + 3;
          return (
            <g>
              <rect x={x} y={top + plotHeight - h} width={barWidth - 6} height={h} fill={TEAL}>
                <title>{`${band(i)}: ${count}`}</title>
              </rect>
              {count > 0 ? (
                <text x={x + (barWidth - 6) / 2} y={top + plotHeight - h - 4} text-anchor="middle">
                  {String(count)}
                </text>
              ) : null}
              <text x={x + (barWidth - 6) / 2} y={top + plotHeight + 16} text-anchor="middle">
                {band(i)}
              </text>
            </g>
          );
        })}
        <text x={left + plotWidth / 2} y={height - 12} text-anchor="middle" font-weight="600">
          {t.histogramX}
        </text>
        <text x={14} y={top + plotHeight / 2} text-anchor="middle" font-weight="600" transform={`rotate(-90 14 ${top + plotHeight / 2})`}>
          {t.histogramY}
        </text>
      </svg>
      <figcaption class="hint">{props.caption ?? t.histogram}</figcaption>
    </figure>
  );
}
