/** The administrator's navigation: districts (settings, institutions, teams) and, within a district, its periods. */
import type { Lang } from './lang.ts';
import type { NavLink } from './layout.tsx';

const LABELS = {
  zh: { districts: '辖区与机构', periods: '考核周期' },
  en: { districts: 'Districts and institutions', periods: 'Periods' },
} as const;

export function adminNav(lang: Lang, current: 'districts' | 'periods', districtId?: string): NavLink[] {
  const t = LABELS[lang];
  return [
    { href: `/admin/districts?lang=${lang}`, label: t.districts, current: current === 'districts' },
    ...(districtId ? [{ href: `/admin/districts/${districtId}/periods?lang=${lang}`, label: t.periods, current: current === 'periods' }] : []),
  ];
}
