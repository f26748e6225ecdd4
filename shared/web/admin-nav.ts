/**
 * The administrator's navigation on the administration pages: home, districts (settings,
 * institutions, teams) and, within a district, its periods and audit log (./navigation.ts has home and districts
 * for the pages that know no district).
 */
import type { Lang } from './lang.ts';
import type { NavLink } from './layout.tsx';

const LABELS = {
  zh: { home: '首页', districts: '辖区与机构', periods: '考核周期', audit: '审计日志', users: '用户邀请' },
  en: { home: 'Home', districts: 'Districts and institutions', periods: 'Periods', audit: 'Audit log', users: 'Invite users' },
} as const;

export function adminNav(lang: Lang, current: 'districts' | 'periods' | 'audit' | 'users', districtId?: string): NavLink[] {
  const t = LABELS[lang];
  return [
    { href: `/admin?lang=${lang}`, label: t.home },
    { href: `/admin/districts?lang=${lang}`, label: t.districts, current: current === 'districts' },
    ...(districtId
      ? [
          { href: `/admin/districts/${districtId}/periods?lang=${lang}`, label: t.periods, current: current === 'periods' },
          { href: `/admin/districts/${districtId}/audit-log?lang=${lang}`, label: t.audit, current: current === 'audit' },
        ]
      : []),
    { href: `/admin/users?lang=${lang}`, label: t.users, current: current === 'users' },
  ];
}
