/**
 * The "new settlement" page: a form of the parameters (a GET form, so "Preview" computes the
 * settlement without storing anything and shows its totals and charts), and "Create draft",
 * which posts the same fields to create it.
 */
import { raw } from 'hono/html';
import { allowInlineScript } from '#shared/web/security-headers.ts';
import type { EvaluationRun } from '#shared/data/evaluations.ts';
import type { Settlement } from '#shared/data/settlements.ts';
import { describeMethod } from '#shared/domain/settlements/compute.ts';
import type { SettlementPreview } from '#shared/services/settlements-jobs.ts';
import { chinaTime, periodLabel } from '#shared/web/format.ts';
import type { Lang } from '#shared/web/lang.ts';
import { InstitutionBarsChart, PayoutHistogramChart } from './charts.tsx';
import { type FormErrors, MEASURES, METHOD_KINDS, type SettlementForm } from './settlement-form.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';
import { memberRoleName as roleName, memberRoleOrder as roleOrder } from '#shared/domain/role-names.ts';
import { lineText, TEXT, type Texts, yuan } from './texts.ts';

/** Shows the fields of the chosen method as soon as it is chosen; the form works without it. */
const METHOD_FIELDS_SCRIPT =
  allowInlineScript(`(()=>{const f=document.getElementById('settlement-form');if(!f)return;const s=f.querySelector('select[name=method]');
const apply=()=>f.querySelectorAll('[data-methods]').forEach((el)=>{el.hidden=!el.dataset.methods.split(' ').includes(s.value)});
s.addEventListener('change',apply);})();`);

export interface NewSettlementPageProps {
  lang: Lang;
  /** the staff shell: the signed-in person and the role's navigation */
  shell: Shell;
  districtId: string;
  runs: EvaluationRun[];
  corrigible: Settlement[];
  form: SettlementForm;
  errors: FormErrors;
  /** a problem the service reported (unknown evaluation, a correction of a draft, …) */
  problem?: string;
  /** a finished preview job's result */
  preview?: SettlementPreview;
}

function FieldError(props: { error: string | undefined; id: string }) {
  return props.error ? (
    <span class="error" id={props.id}>
      {props.error}
    </span>
  ) : null;
}

function Preview(props: { preview: SettlementPreview; t: Texts; lang: Lang; evaluation: { id: string; name: string } }) {
  const { preview, t, lang } = props;
  const totals = preview.totals;
  const top = preview.topTeams;
  const institutionNames = new Map(preview.institutions.map((i) => [i.institutionId, i.name]));
  return (
    <section class="card" aria-labelledby="preview-heading" data-testid="preview">
      <h2 id="preview-heading">{t.form.previewTitle}</h2>
      <p>{describeMethod(preview.parameters.method)[lang]}</p>
      <dl class="grid">
        <div>
          <dt>{t.pool}</dt>
          <dd>{yuan(totals.poolFen)}</dd>
        </div>
        <div>
          <dt>{t.paid}</dt>
          <dd data-testid="preview-paid">{yuan(totals.paidFen)}</dd>
        </div>
        <div>
          <dt>{t.unallocated}</dt>
          <dd>{yuan(totals.unallocatedFen)}</dd>
        </div>
        <div>
          <dt>{t.subsidy}</dt>
          <dd data-testid="preview-subsidy">{yuan(totals.subsidyFen)}</dd>
        </div>
        <div>
          <dt>{t.paidTeams}</dt>
          <dd>
            {totals.paidTeams} / {totals.teams}
          </dd>
        </div>
        <div>
          <dt>{t.subsidised}</dt>
          <dd>{String(totals.subsidisedContracts)}</dd>
        </div>
      </dl>
      <PayoutHistogramChart histogram={preview.histogram} t={t} lang={lang} />
      <InstitutionBarsChart bars={preview.institutions} t={t} lang={lang} limit={10} />
      <h3>{t.form.topTeams}</h3>
      <table>
        <thead>
          <tr>
            <th>{t.team}</th>
            <th class="num">{t.score}</th>
            <th class="num">{t.amount}</th>
            <th>{t.explanation}</th>
          </tr>
        </thead>
        <tbody>
          {top.map((line) => (
            <tr>
              <td>{line.teamName ?? line.teamId}</td>
              <td class="num">{line.score ?? t.notScored}</td>
              <td class="num">{yuan(line.amount)}</td>
              <td>{lineText(line, lang, props.evaluation, institutionNames)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function NewSettlementPage(props: NewSettlementPageProps) {
  const { lang, form, errors } = props;
  const t = TEXT[lang];
  const other = lang === 'zh' ? 'en' : 'zh';
  const message = (key: keyof FormErrors) => {
    const kind = errors[key];
    return kind ? t.errors[kind] : undefined;
  };
  const createAction = `/finance/districts/${props.districtId}/settlements?lang=${lang}`;
  const run = props.runs.find((r) => r.evaluationId === form.evaluationId);
  const previewed = { id: form.evaluationId, name: run ? periodLabel(run.period, lang) : form.evaluationId };
  const hasErrors = Object.keys(errors).length > 0 || props.problem !== undefined;
  /** a field of other methods is hidden (a changed method shows its fields on the next preview without the script) */
  const shownFor = (...methods: string[]) => (methods.includes(form.method) ? {} : { hidden: true });
  return (
    <StaffPage shell={props.shell} title={t.newSettlement} switchHref={`/finance/districts/${props.districtId}/settlements/new?lang=${other}`}>
      <style>{'label.field[hidden]{display:none}'}</style>
      <nav class="crumbs">
        <a href={`/finance/districts/${props.districtId}/settlements?lang=${lang}`}>{t.settlements}</a>
      </nav>
      <h1>{t.newSettlement}</h1>
      {hasErrors ? (
        <div class="card notice refused" role="alert">
          <p>
            <strong>{t.form.fix}</strong>
          </p>
          {props.problem ? <p>{props.problem}</p> : null}
        </div>
      ) : null}
      <form method="get" action={`/finance/districts/${props.districtId}/settlements/new`} class="card" id="settlement-form">
        <input type="hidden" name="lang" value={lang} />
        <div class="fields">
          <label class="field">
            {t.form.evaluation}
            {props.runs.length === 0 ? <span class="hint">{t.form.noEvaluation}</span> : null}
            <select name="evaluationId" required aria-describedby="e-evaluationId">
              {props.runs.map((run) => (
                <option value={run.evaluationId} selected={form.evaluationId === run.evaluationId}>
                  {t.form.runLabel(
                    periodLabel(run.period, props.lang),
                    run.criteriaVersion,
                    (run.completedAt ?? run.createdAt).slice(0, 10),
                    run.startedByName ?? run.startedBy,
                  )}
                </option>
              ))}
            </select>
            <FieldError error={message('evaluationId')} id="e-evaluationId" />
          </label>
          <label class="field">
            {t.form.pool}
            <input name="pool" value={form.pool} inputmode="decimal" placeholder="1,536,000" required aria-describedby="e-pool" />
            <FieldError error={message('pool')} id="e-pool" />
          </label>
          <label class="field">
            {t.form.method}
            <select name="method">
              {METHOD_KINDS.map((kind) => (
                <option value={kind} selected={form.method === kind}>
                  {t.form.methods[kind]}
                </option>
              ))}
            </select>
          </label>
          <label class="field" data-methods="score-weighted value-per-point" {...shownFor('score-weighted', 'value-per-point')}>
            {t.form.sizeMeasure}
            <select name="sizeMeasure">
              {MEASURES.map((m) => (
                <option value={m} selected={form.sizeMeasure === m}>
                  {t.form.measures[m]}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            {t.form.scoreFloor}
            <input name="scoreFloor" value={form.scoreFloor} inputmode="decimal" aria-describedby="e-scoreFloor" />
            <FieldError error={message('scoreFloor')} id="e-scoreFloor" />
          </label>
          <label class="field">
            {t.form.teamCap}
            <input name="teamCap" value={form.teamCap} inputmode="decimal" aria-describedby="e-teamCap" />
            <FieldError error={message('teamCap')} id="e-teamCap" />
          </label>
          <label class="field" data-methods="value-per-point" {...shownFor('value-per-point')}>
            {t.form.perPoint}
            <input name="perPoint" value={form.perPoint} inputmode="decimal" aria-describedby="e-perPoint" />
            <FieldError error={message('perPoint')} id="e-perPoint" />
          </label>
          <label class="field" data-methods="grade-tiers" {...shownFor('grade-tiers')}>
            {t.form.tiers}
            <textarea name="tiers" rows={4} aria-describedby="e-tiers">
              {form.tiers}
            </textarea>
            <FieldError error={message('tiers')} id="e-tiers" />
          </label>
          <label class="field" data-methods="capitation" {...shownFor('capitation')}>
            {t.form.capitation}
            <input name="capShare" value={form.capShare} inputmode="decimal" aria-describedby="e-capWeights" />
          </label>
          <label class="field" data-methods="capitation" {...shownFor('capitation')}>
            {t.form.capitationWeights}
            <input name="capWeights" value={form.capWeights} aria-describedby="e-capWeights" />
            <FieldError error={message('capWeights')} id="e-capWeights" />
          </label>
          <label class="field">
            {t.form.fundingSources} <code lang="zxx">{t.form.fundingExample}</code>
            <textarea name="funding" rows={3} aria-describedby="e-funding">
              {form.funding}
            </textarea>
            <FieldError error={message('funding')} id="e-funding" />
          </label>
          <label class="field">
            {t.form.keyPopulationWeight}
            <input name="keyPopulationWeight" value={form.keyPopulationWeight} inputmode="decimal" aria-describedby="e-keyPopulationWeight" />
            <FieldError error={message('keyPopulationWeight')} id="e-keyPopulationWeight" />
          </label>
          {Object.entries(form.shares)
            .sort(([a], [b]) => roleOrder(a) - roleOrder(b))
            .map(([role, share]) => (
              <label class="field">
                {t.roleShares}: {roleName(role, lang)}
                <input name={`share.${role}`} value={share} inputmode="decimal" aria-describedby={`e-share-${role}`} />
                <FieldError error={message(`share.${role}`)} id={`e-share-${role}`} />
              </label>
            ))}
          <label class="field">
            {t.form.correctionOf}
            <select name="correctionOf">
              <option value="">{t.form.none}</option>
              {props.corrigible.map((s) => (
                <option value={s.settlementId} selected={form.correctionOf === s.settlementId}>
                  {periodLabel(s.period, lang)} · {describeMethod(s.parameters.method)[lang]} · {t.status[s.status]} · {chinaTime(s.createdAt, lang)}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            {t.form.note}
            <input name="note" value={form.note} maxlength={500} />
          </label>
        </div>
        <div class="actions">
          <button type="submit" class="secondary" name="preview" value="1">
            {t.form.preview}
          </button>
          <button type="submit" formmethod="post" formaction={createAction}>
            {t.form.create}
          </button>
        </div>
      </form>
      {props.preview ? <Preview preview={props.preview} t={t} lang={lang} evaluation={previewed} /> : null}
      <script>{raw(METHOD_FIELDS_SCRIPT)}</script>
    </StaffPage>
  );
}
