/**
 * Every role's pages in one place: where each role lands after signing in (its home) and the
 * navigation the layout shows. The page owners (clerk, evaluator, finance, admin pages) extend
 * the lists here; a link whose page needs the district takes it from the principal.
 */
import type { Principal, Role } from '../http/principal.ts';
import { landingPath } from '../http/sign-in.ts';
import type { Lang } from './lang.ts';
import type { NavLink } from './layout.tsx';

/** The home page of the signed-in role (the table is shared/http/sign-in.ts HOME_PATHS, which the deployed sign-in also uses). */
export const homePathOf = (principal: Principal): string | undefined => landingPath(principal);

interface NavEntry {
  /** a stable key a page names to mark itself current */
  key: string;
  label: Record<Lang, string>;
  href: (principal: Principal) => string | undefined;
}

const district = (p: Principal) => (p.districtId ? encodeURIComponent(p.districtId) : undefined);
const home = (label: Record<Lang, string> = { zh: '首页', en: 'Home' }): NavEntry => ({ key: 'home', label, href: (p) => homePathOf(p) });

const NAVIGATION: Partial<Record<Role, NavEntry[]>> = {
  clerk: [
    home(),
    { key: 'teams', label: { zh: '团队与签约', en: 'Teams and contracts' }, href: () => '/clerk/teams' },
    { key: 'metrics', label: { zh: '服务数据上报', en: 'Service metrics' }, href: () => '/clerk/metrics' },
    { key: 'scorecards', label: { zh: '评分与满意度', en: 'Scorecards and surveys' }, href: () => '/clerk/scorecards' },
    { key: 'appeals', label: { zh: '结果申诉', en: 'Appeals' }, href: () => '/clerk/appeals' },
  ],
  evaluator: [
    home(),
    {
      key: 'criteria',
      label: { zh: '评价标准与评价', en: 'Criteria and runs' },
      href: (p) => (district(p) ? `/evaluator/districts/${district(p)}/criteria` : undefined),
    },
    {
      key: 'invitations',
      label: { zh: '满意度调查邀请', en: 'Survey invitations' },
      href: (p) => (district(p) ? `/evaluator/districts/${district(p)}/invitations` : undefined),
    },
    {
      key: 'periods',
      label: { zh: '考核周期与申诉', en: 'Periods and appeals' },
      href: (p) => (district(p) ? `/evaluator/districts/${district(p)}/periods` : undefined),
    },
  ],
  finance: [
    home(),
    { key: 'settlements', label: { zh: '结算', en: 'Settlements' }, href: (p) => (district(p) ? `/finance/districts/${district(p)}/settlements` : undefined) },
  ],
  admin: [home(), { key: 'districts', label: { zh: '辖区与机构', en: 'Districts and institutions' }, href: () => '/admin/districts' }],
};

/** The navigation of the signed-in role, the page `current` marked. */
export function navigationOf(principal: Principal, lang: Lang, current?: string): NavLink[] {
  const links: NavLink[] = [];
  for (const entry of NAVIGATION[principal.role] ?? []) {
    const href = entry.href(principal);
    if (href) links.push({ href, label: entry.label[lang], ...(entry.key === current ? { current: true } : {}) });
  }
  return links;
}
