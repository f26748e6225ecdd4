/** A settlement job (preview, creation, recompute): progress while it runs (the page refreshes itself), then the way on, or what went wrong. */
import type { SettlementJobView } from '#shared/services/settlements-jobs.ts';
import type { Lang } from '#shared/web/lang.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';

const TEXT = {
  zh: {
    title: { preview: '正在计算预览', create: '正在计算结算', recompute: '正在重新计算结算' },
    status: { queued: '排队中', running: '计算中', done: '已完成', failed: '失败' },
    phase: { queued: '等待开始', facts: '读取团队与签约', compute: '计算金额', lines: '写入明细', done: '完成' },
    progress: (done: number, total: number) => `${done.toLocaleString('zh-CN')} / ${total.toLocaleString('zh-CN')}`,
    refreshing: (seconds: number) => `本页每 ${seconds} 秒自动刷新，完成后转到结果。`,
    failed: '未能完成：',
    open: '查看结果',
    back: '返回结算列表',
  },
  en: {
    title: { preview: 'Computing the preview', create: 'Computing the settlement', recompute: 'Recomputing the settlement' },
    status: { queued: 'Queued', running: 'Computing', done: 'Done', failed: 'Failed' },
    phase: { queued: 'Waiting to start', facts: 'Reading teams and contracts', compute: 'Computing amounts', lines: 'Writing lines', done: 'Done' },
    progress: (done: number, total: number) => `${done.toLocaleString('en')} / ${total.toLocaleString('en')}`,
    refreshing: (seconds: number) => `This page refreshes itself every ${seconds} s and then leads to the result.`,
    failed: 'Could not be completed: ',
    open: 'Open the result',
    back: 'Back to the settlements',
  },
} as const;

export function SettlementJobPage(props: {
  lang: Lang;
  shell: Shell;
  job: SettlementJobView;
  problem: string | null;
  resultHref: string | null;
  refreshSeconds: number;
}) {
  const { job, lang } = props;
  const t = TEXT[lang];
  const working = job.status === 'queued' || job.status === 'running';
  return (
    <StaffPage shell={props.shell} title={t.title[job.kind]}>
      {working ? <meta http-equiv="refresh" content={String(props.refreshSeconds)} /> : null}
      <nav class="crumbs">
        <a href={`/finance/districts/${job.districtId}/settlements?lang=${lang}`}>{t.back}</a>
      </nav>
      <h1>
        {t.title[job.kind]} · <span data-testid="job-status">{t.status[job.status]}</span>
      </h1>
      <section class="card" aria-live="polite">
        {working ? (
          <>
            <progress value={job.progress.percent} max={100} aria-label={t.phase[job.progress.phase]} style="width:100%;height:1.2em" />
            <p data-testid="job-progress">
              {t.phase[job.progress.phase]}
              {job.progress.total > 0 ? ` ${t.progress(job.progress.done, job.progress.total)}` : ''} ({job.progress.percent}%)
            </p>
            <p class="hint">{t.refreshing(props.refreshSeconds)}</p>
          </>
        ) : null}
        {job.status === 'done' && props.resultHref ? (
          <p>
            <a href={props.resultHref} data-testid="job-result">
              {t.open}
            </a>
          </p>
        ) : null}
        {job.status === 'failed' ? (
          <p class="error" role="alert" data-testid="job-problem">
            {t.failed}
            {props.problem}
          </p>
        ) : null}
      </section>
    </StaffPage>
  );
}
