/**
 * Inline SVG charts of a settlement: the histogram of team incentives and the bars by institution. No script, readable by screen readers through their titles.
 */
import { formatYuan } from '#shared/domain/money/index.ts';
import type { PayoutHistogram } from '#shared/domain/settlements/compute.ts';
import type { Lang } from '#shared/web/lang.ts';
import { type Texts, yuan } from './texts.ts';

const TEAL = '#0b5f58';
const AMBER = '#d99a00';
const GREY = '#9aa4ad';

/** Axis labels: whole yuan, or tens of thousands (万) with one decimal from 10,000 yuan up. */
function shortYuan(fen: number): string {
  if (fen >= 1_000_000) {
    const tenths = Math.floor((fen + 50_000) / 100_000);
    return `${Math.floor(tenths / 10)}${tenths % 10 === 0 ? '' : `.${tenths % 10}`}万`;
  }
  return formatYuan(fen).replace(/\.00$/, '');
}

export function PayoutHistogramChart(props: { histogram: PayoutHistogram; t: Texts; lang: Lang }) {
  const { histogram, t } = props;
  const bars = [{ label: t.histogramZero, count: histogram.zeroCount, zero: true }].concat(
    histogram.counts.map((count, i) => ({
      label: `${shortYuan(i * histogram.binWidthFen)}–${shortYuan((i + 1) * histogram.binWidthFen)}`,
      count,
      zero: false,
    })),
  );
  const max = Math.max(1, ...bars.map((b) => b.count));
  const width = 720;
  const height = 260;
  const left = 40;
  const bottom = 70;
  const top = 16;
  const plotHeight = height - bottom - top;
  const barWidth = (width - left - 10) / bars.length;
  const summary = bars.map((b) => `${b.label}: ${b.count}`).join('; ');
  return (
    <figure class="chart">
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="histogram-title">
        <title id="histogram-title">{`${t.histogram} (${props.lang === 'zh' ? '元' : 'yuan'}): ${summary}`}</title>
        <line x1={left} y1={top + plotHeight} x2={width - 5} y2={top + plotHeight} stroke="#57606a" />
        <text x={left - 6} y={top + 4} text-anchor="end">
          {String(max)}
        </text>
        <text x={left - 6} y={top + plotHeight} text-anchor="end">
          0
        </text>
        {bars.map((bar, i) => {
          const h = Math.round((bar.count / max) * plotHeight);
          const x = left + i * barWidth + 2;
          return (
            <g>
              <rect x={x} y={top + plotHeight - h} width={barWidth - 4} height={h} fill={bar.zero ? GREY : TEAL}>
                <title>{`${bar.label}: ${bar.count}`}</title>
              </rect>
              {bar.count > 0 ? (
                <text x={x + (barWidth - 4) / 2} y={top + plotHeight - h - 3} text-anchor="middle">
                  {String(bar.count)}
                </text>
              ) : null}
              <text x={x + 4} y={top + plotHeight + 14} text-anchor="start" transform={`rotate(35 ${x + 4} ${top + plotHeight + 14})`}>
                {bar.label}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="hint">
        {t.histogram} ({props.lang === 'zh' ? '按团队激励金额，元' : 'teams by incentive, yuan'}); {props.lang === 'zh' ? '最高' : 'highest'}{' '}
        {yuan(histogram.maxFen)}
      </figcaption>
    </figure>
  );
}

export interface InstitutionBar {
  institutionId: string;
  name: string | null;
  incentiveFen: number;
  subsidyFen: number;
}

export function InstitutionBarsChart(props: { bars: InstitutionBar[]; t: Texts; lang: Lang; limit?: number }) {
  const { t } = props;
  const limit = props.limit ?? 20;
  const sorted = [...props.bars]
    .sort((a, b) => b.incentiveFen + b.subsidyFen - (a.incentiveFen + a.subsidyFen) || (a.institutionId < b.institutionId ? -1 : 1))
    .slice(0, limit);
  const max = Math.max(1, ...sorted.map((b) => b.incentiveFen + b.subsidyFen));
  const labelWidth = 230;
  const width = 720;
  const row = 22;
  const top = 26;
  const height = top + row * sorted.length + 8;
  const plotWidth = width - labelWidth - 110;
  const amounts = sorted.map((b) => `${b.name ?? b.institutionId} ${yuan(b.incentiveFen)} + ${yuan(b.subsidyFen)}`).join('; ');
  return (
    <figure class="chart">
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="institutions-title">
        <title id="institutions-title">{`${t.byInstitution}: ${amounts}`}</title>
        <rect x={labelWidth} y={4} width={12} height={12} fill={TEAL} />
        <text x={labelWidth + 16} y={14}>
          {t.incentive}
        </text>
        <rect x={labelWidth + 90} y={4} width={12} height={12} fill={AMBER} />
        <text x={labelWidth + 106} y={14}>
          {t.teamSubsidy}
        </text>
        {sorted.map((bar, i) => {
          const y = top + i * row;
          const wIncentive = Math.round((bar.incentiveFen / max) * plotWidth);
          const wSubsidy = Math.round((bar.subsidyFen / max) * plotWidth);
          const name = bar.name ?? bar.institutionId;
          return (
            <g>
              <text x={labelWidth - 6} y={y + 14} text-anchor="end">
                {name.length > 16 ? `${name.slice(0, 15)}…` : name}
              </text>
              <rect x={labelWidth} y={y + 3} width={wIncentive} height={row - 6} fill={TEAL}>
                <title>{`${name} ${t.incentive} ${yuan(bar.incentiveFen)}`}</title>
              </rect>
              <rect x={labelWidth + wIncentive} y={y + 3} width={wSubsidy} height={row - 6} fill={AMBER}>
                <title>{`${name} ${t.teamSubsidy} ${yuan(bar.subsidyFen)}`}</title>
              </rect>
              <text x={labelWidth + wIncentive + wSubsidy + 4} y={y + 14}>
                {shortYuan(bar.incentiveFen + bar.subsidyFen)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="hint">
        {t.byInstitution} ({t.topOf(sorted.length, props.bars.length)})
      </figcaption>
    </figure>
  );
}
