/** The clerk's metrics page: pick the period, download the template, upload a file, every problem with its row and column, the upload history. */
import type { MetricsVersion } from '#shared/data/metrics.ts';
import type { MetricCatalogue } from '#shared/domain/metrics/catalogue.ts';
import { uploadColumnName, uploadProblemText } from '#shared/domain/metrics/problem-texts.ts';
import type { UploadProblem } from '#shared/domain/metrics/validate-upload.ts';
import { chinaTime, periodLabel } from '#shared/web/format.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';
import { TEXT } from './texts.ts';

export interface MetricsPageProps {
  shell: Shell;
  institutionName: string;
  periods: string[];
  period: string;
  closed: boolean;
  catalogue: MetricCatalogue;
  history: MetricsVersion[];
  stored?: number;
  problems?: { list: UploadProblem[]; total: number };
  /** a refusal of the whole upload (period closed, not started, file type) */
  refusal?: string;
}

export function MetricsPage(props: MetricsPageProps) {
  const { lang } = props.shell;
  const t = TEXT[lang];
  const q = `period=${props.period}&lang=${lang}`;
  return (
    <StaffPage shell={props.shell} title={`${t.metrics} · ${periodLabel(props.period, lang)}`}>
      <h1>
        {t.metrics} · {periodLabel(props.period, lang)}
      </h1>
      <p class="hint">{props.institutionName}</p>
      <form method="get" action="/clerk/metrics" class="actions card">
        <input type="hidden" name="lang" value={lang} />
        <label class="field" for="period-select">
          {t.period}
          <select id="period-select" name="period">
            {props.periods.map((p) => (
              <option value={p} selected={p === props.period}>
                {periodLabel(p, lang)}
              </option>
            ))}
          </select>
        </label>
        <div>
          <button type="submit" class="secondary">
            {t.show}
          </button>
        </div>
      </form>
      {props.stored !== undefined ? (
        <div class="card notice" role="status" data-testid="stored">
          <p>{t.stored(props.stored)}</p>
        </div>
      ) : null}
      {props.refusal ? (
        <div class="card notice refused" role="alert" data-testid="refusal">
          <p>{props.refusal}</p>
        </div>
      ) : null}
      {props.problems ? (
        <section class="card notice refused" aria-labelledby="problems-heading" data-testid="upload-problems">
          <h2 id="problems-heading" role="alert">
            {t.problems(props.problems.total)}
          </h2>
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col" class="num">
                    {t.row}
                  </th>
                  <th scope="col">{t.column}</th>
                  <th scope="col">{t.problem}</th>
                </tr>
              </thead>
              <tbody>
                {props.problems.list.map((p) => (
                  <tr data-testid="upload-problem">
                    <td class="num">{p.row}</td>
                    <td>{uploadColumnName(p.column, lang, props.catalogue)}</td>
                    <td>{uploadProblemText(p.message, lang, props.catalogue)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      <section class="card" aria-labelledby="template-heading">
        <h2 id="template-heading">{t.template}</h2>
        <p class="hint">{t.templateHint}</p>
        <p class="actions">
          <a href={`/clerk/metrics/template.csv?${q}`} download data-testid="template-csv">
            {t.templateCsv}
          </a>
          <a href={`/clerk/metrics/template.xlsx?${q}`} download data-testid="template-xlsx">
            {t.templateXlsx}
          </a>
        </p>
      </section>
      <section class="card" aria-labelledby="upload-heading">
        <h2 id="upload-heading">{t.toUpload}</h2>
        {props.closed ? (
          <p>{t.closedHint}</p>
        ) : (
          <form method="post" action={`/clerk/metrics?${q}`} enctype="multipart/form-data" data-testid="upload-form">
            <label class="field" for="upload-file">
              {t.file}
              <input
                id="upload-file"
                name="file"
                type="file"
                required
                accept=".csv,.xlsx,text/csv,application/vnd.ms-excel,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              />
            </label>
            <button type="submit">{t.uploadButton}</button>
          </form>
        )}
      </section>
      <section class="card" aria-labelledby="history-heading">
        <h2 id="history-heading">{t.history}</h2>
        {props.history.length === 0 ? (
          <p>{t.noHistory}</p>
        ) : (
          <table data-testid="history">
            <thead>
              <tr>
                <th scope="col" class="num">
                  {t.version}
                </th>
                <th scope="col">{t.by}</th>
                <th scope="col">{t.at}</th>
                <th scope="col" class="num">
                  {t.rows}
                </th>
                <th scope="col">{t.format}</th>
              </tr>
            </thead>
            <tbody>
              {props.history.map((v) => (
                <tr>
                  <td class="num">{v.version}</td>
                  <td>{v.uploadedBy}</td>
                  <td>{chinaTime(v.uploadedAt, lang)}</td>
                  <td class="num">{v.rowCount}</td>
                  <td>{t.formats[v.format] ?? v.format}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </StaffPage>
  );
}
