/** A team line's explanation on the finance pages names the team, its institution and the evaluation, not their ids (functions/finance/pages/texts.ts). */
import { describe, expect, it } from 'vitest';
import { lineText } from '../../functions/finance/pages/texts.ts';

const line = {
  teamId: 'd-inst-1-team-1',
  teamName: '全科团队一',
  institutionId: 'd-inst-1',
  text: {
    zh: '团队 d-inst-1-team-1：按人头分配；机构 d-inst-1 服务人口 0；评价 run-7；机构 d-inst-10 另计。',
    en: 'Team d-inst-1-team-1: capitation; institution d-inst-1 catchment 0; evaluation run-7; institution d-inst-10 apart.',
  },
};
const evaluation = { id: 'run-7', name: '2026年第三季度' };

describe('lineText', () => {
  it('replaces whole ids only, so a longer id that starts with the same characters is left to its own name', () => {
    const names = new Map([['d-inst-1', '海淀社区卫生服务中心']]);
    expect(lineText(line, 'zh', evaluation, names)).toBe(
      '团队 全科团队一：按人头分配；机构 海淀社区卫生服务中心 服务人口 0；评价 2026年第三季度；机构 d-inst-10 另计。',
    );
    expect(lineText(line, 'en', evaluation, names)).toBe(
      'Team 全科团队一: capitation; institution 海淀社区卫生服务中心 catchment 0; evaluation 2026年第三季度; institution d-inst-10 apart.',
    );
  });

  it('keeps an id whose name is unknown', () => {
    expect(lineText({ ...line, teamName: null }, 'zh', evaluation)).toBe(
      '团队 d-inst-1-team-1：按人头分配；机构 d-inst-1 服务人口 0；评价 2026年第三季度；机构 d-inst-10 另计。',
    );
  });
});
