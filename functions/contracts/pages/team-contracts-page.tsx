/** One team's contracts for its institution's clerk: find a resident, sign, renew, cancel with the written notice. */
import type { Contract } from '#shared/data/contracts.ts';
import type { Institution } from '#shared/data/institutions.ts';
import type { Team } from '#shared/data/teams.ts';
import { KEY_POPULATIONS } from '#shared/domain/contracts.ts';
import { dateLabel } from '#shared/web/format.ts';
import type { FormProblems } from '#shared/web/form-problems.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';
import { KEY_POPULATION_NAMES, TEXT } from './texts.ts';

export type Lookup = { kind: 'none' } | { kind: 'here'; teamName: string; endDate: string } | { kind: 'elsewhere'; endDate: string } | { kind: 'invalid' };

export interface SignValues {
  identityNumber: string;
  insured: boolean;
  startDate: string;
  packageCode: string;
  priceYuan: string;
  keyPopulations: string[];
}

export interface TeamContractsProps {
  shell: Shell;
  team: Team;
  institution: Institution;
  contracts: Contract[];
  nextCursor: string | null;
  window: { earliest: string; latest: string };
  lookup?: Lookup;
  sign: SignValues;
  signProblems?: FormProblems;
  cancelProblems?: { contractId: string; problems: FormProblems; values: Record<string, string> };
  rowProblems?: { contractId: string; problems: FormProblems };
  done?: 'signed' | 'cancelled' | 'renewed';
}

function FieldProblem(props: { id: string; text: string | undefined }) {
  return props.text ? (
    <span class="error" id={props.id}>
      {props.text}
    </span>
  ) : null;
}

function Alert(props: { problems: FormProblems | undefined; prefix: string; testId: string }) {
  const p = props.problems;
  if (!p || (!p.detail && p.other.length === 0)) return null;
  return (
    <div class="card notice refused" role="alert" data-testid={props.testId}>
      <p>
        {props.prefix}
        {p.detail ?? ''}
      </p>
      {p.other.length > 0 ? (
        <ul>
          {p.other.map((o) => (
            <li>{o.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function TeamContractsPage(props: TeamContractsProps) {
  const { shell, team, institution } = props;
  const { lang } = shell;
  const t = TEXT[lang];
  const base = `/clerk/teams/${encodeURIComponent(team.teamId)}`;
  const sp = props.signProblems?.fields ?? {};
  const field = (name: keyof SignValues, label: string, input: (describedBy: string | undefined) => unknown, hint?: string) => {
    const errorId = `sign-${name}-error`;
    const hintId = `sign-${name}-hint`;
    const describedBy = [sp[name] ? errorId : '', hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
    return (
      <label class="field" for={`sign-${name}`}>
        {label}
        {hint ? (
          <span class="hint" id={hintId}>
            {hint}
          </span>
        ) : null}
        {input(describedBy)}
        <FieldProblem id={errorId} text={sp[name]} />
      </label>
    );
  };
  return (
    <StaffPage shell={shell} title={t.title(team.name)}>
      <nav class="crumbs" aria-label={t.teams}>
        <a href={`/clerk/teams?lang=${lang}`}>{t.teams}</a>
      </nav>
      <h1>{t.title(team.name)}</h1>
      <p class="hint" data-testid="capacity">
        {institution.name} · {t.capacity(team.activeContracts, team.capacity)}
      </p>
      {props.done ? (
        <div class="card notice" role="status" data-testid="done">
          <p>{t[props.done]}</p>
        </div>
      ) : null}

      <section class="card" aria-labelledby="find-heading">
        <h2 id="find-heading">{t.find}</h2>
        <form method="get" action={base} class="actions">
          <input type="hidden" name="lang" value={lang} />
          <label class="field" for="find-identityNumber">
            {t.identityNumber}
            <span class="hint">{t.identityHint}</span>
            <input id="find-identityNumber" name="identityNumber" value={props.lookup ? props.sign.identityNumber : ''} autocomplete="off" inputmode="text" />
          </label>
          <div>
            <button type="submit" class="secondary">
              {t.findButton}
            </button>
          </div>
        </form>
        {props.lookup ? (
          <p data-testid="lookup" role="status" class={props.lookup.kind === 'invalid' ? 'error' : ''}>
            {props.lookup.kind === 'none'
              ? t.noContract
              : props.lookup.kind === 'here'
                ? t.contractHere(props.lookup.teamName, dateLabel(props.lookup.endDate, lang))
                : props.lookup.kind === 'elsewhere'
                  ? t.contractElsewhere(dateLabel(props.lookup.endDate, lang))
                  : t.identityInvalid}
          </p>
        ) : null}
      </section>

      <section class="card" aria-labelledby="sign-heading">
        <h2 id="sign-heading">{t.sign}</h2>
        <Alert problems={props.signProblems} prefix={t.problem} testId="sign-problem" />
        <form method="post" action={`${base}/contracts?lang=${lang}`} data-testid="sign-form">
          <div class="fields">
            {field(
              'identityNumber',
              t.identityNumber,
              (d) => (
                <input
                  id="sign-identityNumber"
                  name="identityNumber"
                  value={props.sign.identityNumber}
                  required
                  autocomplete="off"
                  aria-invalid={sp.identityNumber ? 'true' : undefined}
                  aria-describedby={d}
                />
              ),
              t.identityHint,
            )}
            {field(
              'startDate',
              t.startDate,
              (d) => (
                <input
                  id="sign-startDate"
                  name="startDate"
                  type="date"
                  value={props.sign.startDate}
                  required
                  aria-invalid={sp.startDate ? 'true' : undefined}
                  aria-describedby={d}
                />
              ),
              t.startHint(dateLabel(props.window.earliest, lang), dateLabel(props.window.latest, lang)),
            )}
            {field('packageCode', t.package, (d) => (
              <select id="sign-packageCode" name="packageCode" aria-invalid={sp.packageCode ? 'true' : undefined} aria-describedby={d}>
                {institution.servicePackages.map((p) => (
                  <option value={`${p.kind}:${p.code}`} selected={props.sign.packageCode === `${p.kind}:${p.code}`}>
                    {p.name}（{(p.feeFen / 100).toFixed(2)}）
                  </option>
                ))}
              </select>
            ))}
            {field(
              'priceYuan',
              t.price,
              (d) => (
                <input
                  id="sign-priceYuan"
                  name="priceYuan"
                  inputmode="decimal"
                  value={props.sign.priceYuan}
                  aria-invalid={sp.priceYuan ? 'true' : undefined}
                  aria-describedby={d}
                />
              ),
              t.priceHint,
            )}
          </div>
          <p>
            <label>
              <input type="checkbox" name="insured" value="yes" checked={props.sign.insured} /> {t.insured}
            </label>
          </p>
          <fieldset>
            <legend>{t.keyPopulations}</legend>
            <div class="checks">
              {KEY_POPULATIONS.map((k) => (
                <label>
                  <input type="checkbox" name="keyPopulations" value={k} checked={props.sign.keyPopulations.includes(k)} /> {KEY_POPULATION_NAMES[k][lang]}
                </label>
              ))}
            </div>
          </fieldset>
          <button type="submit">{t.signButton}</button>
        </form>
      </section>

      <section class="card" aria-labelledby="contracts-heading">
        <h2 id="contracts-heading">{t.contracts}</h2>
        {props.contracts.length === 0 ? (
          <p>{t.none}</p>
        ) : (
          <div class="scroll">
            <table data-testid="contracts">
              <thead>
                <tr>
                  <th scope="col">{t.masked}</th>
                  <th scope="col">{t.period}</th>
                  <th scope="col">{t.status}</th>
                  <th scope="col">{t.pkg}</th>
                  <th scope="col">{t.insured}</th>
                  <th scope="col">{t.actions}</th>
                </tr>
              </thead>
              <tbody>
                {props.contracts.map((contract) => (
                  <ContractRow {...props} contract={contract} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.nextCursor ? (
          <p>
            <a href={`${base}?lang=${lang}&cursor=${encodeURIComponent(props.nextCursor)}`}>{t.more}</a>
          </p>
        ) : null}
      </section>
    </StaffPage>
  );
}

function ContractRow(props: TeamContractsProps & { contract: Contract }) {
  const { contract, shell } = props;
  const { lang } = shell;
  const t = TEXT[lang];
  const action = `/clerk/contracts/${encodeURIComponent(contract.contractId)}`;
  const pkg = props.institution.servicePackages.find((p) => p.code === contract.servicePackage.code && p.kind === contract.servicePackage.kind);
  const mine = props.cancelProblems?.contractId === contract.contractId ? props.cancelProblems : undefined;
  const rowProblem = props.rowProblems?.contractId === contract.contractId ? props.rowProblems.problems : undefined;
  const cp = mine?.problems.fields ?? {};
  const id = (name: string) => `cancel-${contract.contractId}-${name}`;
  const open = contract.status === 'active' && !contract.cancellation;
  return (
    <tr data-testid="contract-row">
      <td>
        <code>{contract.identityMasked}</code>
      </td>
      <td>
        {dateLabel(contract.startDate, lang)} – {dateLabel(contract.endDate, lang)}
      </td>
      <td>
        {t.statuses[contract.status]}
        {contract.cancellation ? (
          <div class="hint">
            {t.cancelledOn(
              dateLabel(contract.cancellation.noticeDate, lang),
              dateLabel(contract.cancellation.effectiveDate, lang),
              contract.cancellation.reason,
            )}
          </div>
        ) : null}
      </td>
      <td>{pkg?.name ?? contract.servicePackage.code}</td>
      <td>{contract.insured ? t.yes : t.no}</td>
      <td>
        {open ? (
          <>
            {rowProblem ? (
              <p class="error" role="alert">
                {rowProblem.detail}
              </p>
            ) : null}
            <form method="post" action={`${action}/renew?lang=${lang}`} class="inline">
              <button type="submit" class="secondary">
                {t.renewButton}
                <span class="visually-hidden"> {contract.identityMasked}</span>
              </button>
            </form>
            <details open={mine !== undefined}>
              <summary>
                {t.cancel}
                <span class="visually-hidden"> {contract.identityMasked}</span>
              </summary>
              {mine && (mine.problems.detail || mine.problems.other.length > 0) ? (
                <p class="error" role="alert">
                  {mine.problems.detail}
                </p>
              ) : null}
              <form method="post" action={`${action}/cancel?lang=${lang}`}>
                <label class="field" for={id('noticeDate')}>
                  {t.noticeDate}
                  <input id={id('noticeDate')} name="noticeDate" type="date" required value={mine?.values.noticeDate ?? ''} />
                  <FieldProblem id={id('noticeDate-error')} text={cp.noticeDate} />
                </label>
                <label class="field" for={id('effectiveDate')}>
                  {t.effectiveDate}
                  <input id={id('effectiveDate')} name="effectiveDate" type="date" value={mine?.values.effectiveDate ?? ''} />
                  <FieldProblem id={id('effectiveDate-error')} text={cp.effectiveDate} />
                </label>
                <label class="field" for={id('reason')}>
                  {t.reason}
                  <input id={id('reason')} name="reason" required value={mine?.values.reason ?? ''} />
                  <FieldProblem id={id('reason-error')} text={cp.reason} />
                </label>
                <button type="submit">{t.cancelButton}</button>
              </form>
            </details>
          </>
        ) : null}
      </td>
    </tr>
  );
}
