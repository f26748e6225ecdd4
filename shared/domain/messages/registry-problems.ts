/** Texts of the registry's problems: districts, institutions, teams. */
import type { MessageCatalogue } from './catalogue.ts';

export const REGISTRY_PROBLEMS: MessageCatalogue = {
  district: { zh: '未找到该辖区', en: 'The district was not found' },
  'district-exists': { zh: '该辖区已存在', en: 'The district already exists' },
  institution: { zh: '未找到该机构', en: 'The institution was not found' },
  'institution-exists': { zh: '该机构已存在', en: 'The institution already exists' },
  team: { zh: '未找到该团队', en: 'The team was not found' },
  'team-exists': { zh: '该团队已存在', en: 'The team already exists' },
  'team-roles': { zh: '团队需要一名全科医生和一名社区护士', en: 'A team needs a general practitioner and a community nurse' },
};
