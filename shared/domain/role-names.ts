/**
 * Role names in Chinese and English, defined once: the roles of team members ("2 + X": GP,
 * nurse, the optional roles, then `other` for a settlement's share of everyone else) and the
 * roles people sign in with.
 */
export type RoleNameLang = 'zh' | 'en';

const MEMBER_ROLE_NAMES: Record<string, Record<RoleNameLang, string>> = {
  'general-practitioner': { zh: '全科医生', en: 'General practitioner' },
  'community-nurse': { zh: '社区护士', en: 'Community nurse' },
  'public-health-physician': { zh: '公卫医生', en: 'Public-health physician' },
  specialist: { zh: '专科医生', en: 'Specialist' },
  pharmacist: { zh: '药师', en: 'Pharmacist' },
  'health-manager': { zh: '健康管理师', en: 'Health manager' },
  'psychological-counsellor': { zh: '心理咨询师', en: 'Psychological counsellor' },
  nutritionist: { zh: '营养师', en: 'Nutritionist' },
  'rehabilitation-therapist': { zh: '康复治疗师', en: 'Rehabilitation therapist' },
  'social-worker': { zh: '社工（志愿者）', en: 'Social worker (volunteer)' },
  'grid-administrator': { zh: '社区网格员', en: 'Community grid administrator' },
  other: { zh: '其他成员', en: 'Other members' },
};

const MEMBER_ROLE_ORDER = Object.keys(MEMBER_ROLE_NAMES);

export function memberRoleName(role: string, lang: RoleNameLang): string {
  return MEMBER_ROLE_NAMES[role]?.[lang] ?? role;
}

/** Team roles in the order of the "2 + X" model: GP, nurse, the optional roles, then `other`. */
export function memberRoleOrder(role: string): number {
  const i = MEMBER_ROLE_ORDER.indexOf(role);
  return i < 0 ? MEMBER_ROLE_ORDER.length : i;
}

const ACCOUNT_ROLE_NAMES: Record<string, Record<RoleNameLang, string>> = {
  resident: { zh: '居民', en: 'Resident' },
  clerk: { zh: '机构数据员', en: 'Institution data clerk' },
  evaluator: { zh: '考核评价员', en: 'Evaluator' },
  finance: { zh: '财务人员', en: 'Finance officer' },
  admin: { zh: '系统管理员', en: 'Administrator' },
};

/** The name of a sign-in role (shared/http/principal.ts ROLES). */
export function accountRoleName(role: string, lang: RoleNameLang): string {
  return ACCOUNT_ROLE_NAMES[role]?.[lang] ?? role;
}
