/** The evaluator's home: runs in progress or recent, criteria drafts waiting to be published. */
import type { CriteriaVersion } from '#shared/data/criteria.ts';
import type { EvaluationRun } from '#shared/data/evaluations.ts';
import { chinaTime, periodLabel } from '#shared/web/format.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';
import { paths, TEXT as EVALUATOR_TEXT, withQuery } from './texts.ts';

const TEXT = {
  zh: {
    title: '评价员首页',
    runs: '最近的评价计算',
    drafts: '待发布的评价标准草稿',
    noRuns: '还没有评价计算。',
    noDrafts: '没有草稿。',
    edited: (by: string, at: string) => `${by} 于 ${at} 修改`,
    all: '全部评价标准与评价',
  },
  en: {
    title: 'Evaluator home',
    runs: 'Recent evaluation runs',
    drafts: 'Criteria drafts waiting to be published',
    noRuns: 'No evaluation runs yet.',
    noDrafts: 'No drafts.',
    edited: (by: string, at: string) => `edited by ${by} at ${at}`,
    all: 'All criteria and runs',
  },
};

export function EvaluatorHomePage(props: { shell: Shell; districtId: string; runs: EvaluationRun[]; drafts: CriteriaVersion[] }) {
  const { lang } = props.shell;
  const t = TEXT[lang];
  const e = EVALUATOR_TEXT[lang];
  return (
    <StaffPage shell={props.shell} title={t.title}>
      <h1>{t.title}</h1>
      <section class="card" aria-labelledby="drafts-heading">
        <h2 id="drafts-heading">{t.drafts}</h2>
        {props.drafts.length === 0 ? (
          <p>{t.noDrafts}</p>
        ) : (
          <ul>
            {props.drafts.map((d) => (
              <li>
                <a href={withQuery(paths.version(props.districtId, d.version), lang)}>{d.name}</a>{' '}
                <span class="hint">{t.edited(d.updatedBy, chinaTime(d.updatedAt, lang))}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card" aria-labelledby="runs-heading">
        <h2 id="runs-heading">{t.runs}</h2>
        {props.runs.length === 0 ? (
          <p>{t.noRuns}</p>
        ) : (
          <ul>
            {props.runs.map((r) => (
              <li>
                <a href={withQuery(paths.run(r.evaluationId), lang)}>{periodLabel(r.period, lang)}</a> · {e.runStatus[r.status]} ·{' '}
                <span class="hint">{chinaTime(r.createdAt, lang)}</span>
              </li>
            ))}
          </ul>
        )}
        <p>
          <a href={withQuery(paths.list(props.districtId), lang)}>{t.all}</a>
        </p>
      </section>
    </StaffPage>
  );
}
