/** How pages name periods and times: "2026年第三季度", and China time with the zone named, never bare UTC. */
import { parsePeriod } from '../domain/periods.ts';
import type { Lang } from './lang.ts';

const QUARTERS_ZH = ['一', '二', '三', '四'];

/** `2026Q3` → 2026年第三季度 / 2026 Q3; `2026` → 2026年度 / 2026; anything else as given. */
export function periodName(period: string, lang: Lang): string {
  const parsed = parsePeriod(period);
  if (!parsed) return period;
  const quarter = /Q([1-4])$/.exec(period)?.[1];
  if (!quarter) return lang === 'zh' ? `${period.slice(0, 4)}年度` : period.slice(0, 4);
  return lang === 'zh' ? `${period.slice(0, 4)}年第${QUARTERS_ZH[Number(quarter) - 1]}季度` : `${period.slice(0, 4)} Q${quarter}`;
}

const CHINA_TIME = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

/** An ISO instant in China time: `2026-11-22 16:00 北京时间` / `2026-11-22 16:00 China time (UTC+8)`. */
export function chinaTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${CHINA_TIME.format(date)} ${lang === 'zh' ? '北京时间' : 'China time (UTC+8)'}`;
}
