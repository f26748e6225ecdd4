/**
 * The administrator's navigation on the administration pages: home, districts (settings,
 * institutions, teams) and, within a district, its periods (./navigation.ts has home and districts
 * for the pages that know no district).
 */
import type { Lang } from './lang.ts';
import type { NavLink } from './layout.tsx';

const LABELS = {
  zh: { home: '首页', districts: '辖区与机构', periods: '考核周期', users: '用户邀请' },
  en: { home: 'Home', districts: 'Districts and institutions', periods: 'Periods', users: 'Invite users' },
} as const;

export function adminNav(lang: Lang, current: 'districts' | 'periods' | 'users', districtId?: string): NavLink[] {
  const t = LABELS[lang];
  return [
    { href: `/admin?lang=${lang}`, label: t.home },
    { href: `/admin/districts?lang=${lang}`, label: t.districts, current: current === 'districts' },
    ...(districtId ? [{ href: `/admin/districts/${districtId}/periods?lang=${lang}`, label: t.periods, current: current === 'periods' }] : []),
    { href: `/admin/users?lang=${lang}`, label: t.users, current: current === 'users' },
  ];
}
