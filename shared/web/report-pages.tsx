/**
 * The reports on the finance pages: the settlement page's "Reports" section (the workbook and each
 * CSV, in Chinese and English, and a form that prepares one in the background), and the page of a
 * background report job, which refreshes itself (meta refresh, no JavaScript) until the file is
 * ready and then links it.
 */
import type { Settlement } from '#shared/data/settlements.ts';
import type { ReportJobView } from '#shared/services/reports/index.ts';
import { Layout } from '#shared/web/layout.tsx';
import type { Lang } from '#shared/web/lang.ts';
import { STAFF_CSS } from './styles.ts';

export const REFRESH_SECONDS = 2;

const TEXT = {
  zh: {
    reports: '报表下载',
    workbook: 'Excel 工作簿（汇总、团队、成员、机构补助、收费说明）',
    csv: { teams: 'CSV：团队激励与补助', members: 'CSV：成员分配', institutions: 'CSV：机构补助结算', fees: 'CSV：收费说明' },
    chinese: '中文',
    english: '英文',
    file: '文件',
    draftHint: '草稿结算的报表带有“草稿”水印，文件名也标明草稿。',
    background: '后台生成',
    backgroundHint: '较大的报表可在后台生成，完成后从进度页下载。',
    report: '报表',
    language: '语言',
    start: '开始生成',
    job: '报表生成',
    status: { queued: '排队中', running: '正在生成', done: '已完成', failed: '失败' },
    progress: (rows: number, total: number) => `已写入 ${rows.toLocaleString('zh-CN')} / ${total.toLocaleString('zh-CN')} 行`,
    refreshing: `本页每 ${REFRESH_SECONDS} 秒自动刷新，完成后显示下载链接。`,
    download: '下载',
    size: (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`,
    backToSettlement: '返回结算',
    largeTitle: '报表较大，需在后台生成',
    largeHint: '这份报表太大，无法直接下载。请在后台生成，完成后从进度页下载。',
    failed: '报表未能生成：',
  },
  en: {
    reports: 'Reports',
    workbook: 'Excel workbook (summary, teams, members, institution subsidy, fee statement)',
    csv: { teams: 'CSV: teams', members: 'CSV: members', institutions: 'CSV: institution subsidy', fees: 'CSV: fee statement' },
    chinese: '中文',
    english: 'English',
    file: 'File',
    draftHint: 'Reports of a draft carry a DRAFT watermark, and their file names say so.',
    background: 'Prepare in the background',
    backgroundHint: 'A large report can be prepared in the background and downloaded from its progress page.',
    report: 'Report',
    language: 'Language',
    start: 'Start',
    job: 'Report',
    status: { queued: 'Queued', running: 'Being written', done: 'Ready', failed: 'Failed' },
    progress: (rows: number, total: number) => `${rows.toLocaleString('en')} of ${total.toLocaleString('en')} rows written`,
    refreshing: `This page refreshes itself every ${REFRESH_SECONDS} seconds and links the file when it is ready.`,
    download: 'Download',
    size: (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`,
    backToSettlement: 'Back to the settlement',
    largeTitle: 'A large report is prepared in the background',
    largeHint: 'This report is too large to download directly. Prepare it in the background and download it from its progress page.',
    failed: 'The report could not be produced: ',
  },
};

const CSV_SHEETS = ['teams', 'members', 'institutions', 'fees'] as const;

/** The settlement page's "Reports" section. */
export function ReportsSection(props: { s: Settlement; lang: Lang }) {
  const { s, lang } = props;
  const t = TEXT[lang];
  const base = `/finance/settlements/${s.settlementId}`;
  const row = (label: string, href: (l: Lang) => string, id: string) => (
    <tr>
      <td>{label}</td>
      <td>
        <a href={href('zh')} data-testid={`${id}-zh`} download>
          {t.chinese}
        </a>
      </td>
      <td>
        <a href={href('en')} data-testid={`${id}-en`} download>
          {t.english}
        </a>
      </td>
    </tr>
  );
  return (
    <section class="card" aria-labelledby="reports-heading" data-testid="reports">
      <h2 id="reports-heading">{t.reports}</h2>
      {s.status === 'draft' ? <p class="hint">{t.draftHint}</p> : null}
      <table>
        <thead>
          <tr>
            <th>{t.file}</th>
            <th>{t.chinese}</th>
            <th>{t.english}</th>
          </tr>
        </thead>
        <tbody>
          {row(t.workbook, (l) => `${base}/report.xlsx?lang=${l}`, 'report-xlsx')}
          {CSV_SHEETS.map((sheet) => row(t.csv[sheet], (l) => `${base}/report.csv?sheet=${sheet}&lang=${l}`, `report-csv-${sheet}`))}
        </tbody>
      </table>
      <form method="post" action={`${base}/reports?lang=${lang}`} class="inline" data-testid="report-job-form">
        <p class="hint">{t.backgroundHint}</p>
        <input type="hidden" name="pageLang" value={lang} />
        <label>
          {t.report}{' '}
          <select name="report">
            <option value="xlsx">{t.workbook}</option>
            {CSV_SHEETS.map((sheet) => (
              <option value={sheet}>{t.csv[sheet]}</option>
            ))}
          </select>
        </label>{' '}
        <label>
          {t.language}{' '}
          <select name="lang">
            <option value="zh" selected={lang === 'zh'}>
              {t.chinese}
            </option>
            <option value="en" selected={lang === 'en'}>
              {t.english}
            </option>
          </select>
        </label>{' '}
        <button type="submit" class="secondary">
          {t.background}
        </button>
      </form>
    </section>
  );
}

/** A background report job: progress while it runs (the page refreshes itself), the download link when done. */
export function ReportJobPage(props: { lang: Lang; job: ReportJobView; downloadHref: string | null }) {
  const { job, lang } = props;
  const t = TEXT[lang];
  const other = lang === 'zh' ? 'en' : 'zh';
  const working = job.status === 'queued' || job.status === 'running';
  return (
    <Layout lang={lang} title={`${t.job} ${job.fileName}`} switchHref={`/finance/report-jobs/${job.jobId}?lang=${other}`}>
      <style>{STAFF_CSS}</style>
      {working ? <meta http-equiv="refresh" content={String(REFRESH_SECONDS)} /> : null}
      <nav class="crumbs">
        <a href={`/finance/settlements/${job.settlementId}?lang=${lang}`}>{t.backToSettlement}</a>
      </nav>
      <h1>
        {t.job} <span data-testid="job-status">{t.status[job.status]}</span>
      </h1>
      <section class="card" aria-live="polite">
        <p>
          <code>{job.fileName}</code>
        </p>
        {working ? (
          <>
            <progress value={job.progress.rows} max={Math.max(1, job.progress.total)} aria-label={t.status.running} style="width:100%;height:1.2em" />
            <p data-testid="job-progress">
              {t.progress(job.progress.rows, job.progress.total)} ({job.progress.percent}%)
            </p>
            <p class="hint">{t.refreshing}</p>
          </>
        ) : null}
        {job.status === 'done' && props.downloadHref ? (
          <p>
            <a href={props.downloadHref} data-testid="job-download" download={job.fileName}>
              {t.download} {job.fileName}
            </a>{' '}
            {job.bytes !== null ? <span class="hint">({t.size(job.bytes)})</span> : null}
          </p>
        ) : null}
        {job.status === 'failed' ? (
          <p class="error" role="alert">
            {t.failed}
            {job.error}
          </p>
        ) : null}
      </section>
    </Layout>
  );
}

/** What a download link of a report too large to stream leads to: the form that prepares it (a GET starts no work). */
export function LargeReportPage(props: { lang: Lang; settlementId: string; report: string; reportLang: Lang }) {
  const { lang } = props;
  const t = TEXT[lang];
  const base = `/finance/settlements/${props.settlementId}`;
  return (
    <Layout lang={lang} title={t.largeTitle}>
      <style>{STAFF_CSS}</style>
      <nav class="crumbs">
        <a href={`${base}?lang=${lang}`}>{t.backToSettlement}</a>
      </nav>
      <h1>{t.largeTitle}</h1>
      <form method="post" action={`${base}/reports?lang=${lang}`} class="card" data-testid="large-report-form">
        <p>{t.largeHint}</p>
        <input type="hidden" name="report" value={props.report} />
        <input type="hidden" name="lang" value={props.reportLang} />
        <input type="hidden" name="pageLang" value={lang} />
        <button type="submit">{t.background}</button>
      </form>
    </Layout>
  );
}
