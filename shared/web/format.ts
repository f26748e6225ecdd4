/** How pages show periods and instants: "2026年第三季度" / "2026 Q3", and China time (Asia/Shanghai) with the zone named. */
import type { Lang } from './lang.ts';

const QUARTERS_ZH = ['一', '二', '三', '四'] as const;

/** "2026Q3" → "2026年第三季度" / "2026 Q3"; "2026" → "2026年" / "2026"; anything else as it is. */
export function periodLabel(period: string, lang: Lang): string {
  const match = /^(\d{4})(?:Q([1-4]))?$/.exec(period);
  if (!match) return period;
  const [, year, quarter] = match;
  if (!quarter) return lang === 'zh' ? `${year}年` : `${year}`;
  return lang === 'zh' ? `${year}年第${QUARTERS_ZH[Number(quarter) - 1]}季度` : `${year} Q${quarter}`;
}

const CHINA_TIME = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant (ISO string) in China time with the zone named: "2026-10-05 08:30 北京时间" / "2026-10-05 08:30 China time (UTC+8)". */
export function chinaTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const part = (type: string) => CHINA_TIME.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  const text = `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
  return lang === 'zh' ? `${text}（北京时间）` : `${text} China time (UTC+8)`;
}

/** A calendar date as a clerk reads it: "2026年11月22日" / "22 Nov 2026". */
export function dateLabel(date: string, lang: Lang): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const [, y, m, d] = match;
  if (lang === 'zh') return `${y}年${Number(m)}月${Number(d)}日`;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(m) - 1];
  return `${Number(d)} ${month} ${y}`;
}
