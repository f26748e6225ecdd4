/**
 * One settlement: totals, charts, the team lines with their explanations and member splits, the
 * subsidy statement, the audit log, and approve / close for finance officers.
 */
import type { EvaluationRun } from '#shared/data/evaluations.ts';
import type { AuditEntry, Settlement } from '#shared/data/settlements.ts';
import type { Principal } from '#shared/http/principal.ts';
import { describeMethod, type InstitutionLine, type MemberLine, type TeamLine } from '#shared/domain/settlements/compute.ts';
import { chinaTime, periodLabel } from '#shared/web/format.ts';
import type { Lang } from '#shared/web/lang.ts';
import { ReportsSection } from '#shared/web/report-pages.tsx';
import { InstitutionBarsChart, PayoutHistogramChart } from './charts.tsx';
import { SettlementExtras } from './settlement-extras.tsx';
import { SettlementComparison, type SettlementComparisonData } from './settlement-comparison.tsx';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';
import { memberRoleName as roleName, memberRoleOrder as roleOrder } from '#shared/domain/role-names.ts';
import { lineText, signedYuan, TEXT, type Texts, yuan } from './texts.ts';

export type SettlementNotice = 'created' | 'approved' | 'closed';

export interface SettlementPageProps {
  lang: Lang;
  /** the staff shell: the signed-in person and the role's navigation */
  shell: Shell;
  settlement: Settlement;
  teamLines: TeamLine[];
  memberLines: MemberLine[];
  institutionLines: InstitutionLine[];
  audit: AuditEntry[];
  cursor?: string;
  nextCursor: string | null;
  viewer: Principal;
  notice?: SettlementNotice;
  comparison?: SettlementComparisonData;
  /** the evaluation run it settles, named by period, criteria version, date and who started it */
  run?: EvaluationRun | null;
}

function Diff(props: { fen: number | undefined }) {
  if (props.fen === undefined) return null;
  return <span class={props.fen < 0 ? 'neg' : props.fen > 0 ? 'pos' : ''}>{signedYuan(props.fen)}</span>;
}

function Totals(props: { s: Settlement; t: Texts; lang: Lang; run: EvaluationRun | null; nameOf: (subject: string) => string }) {
  const { s, t, run, lang, nameOf } = props;
  const totals = s.totals;
  const method = describeMethod(s.parameters.method)[props.lang];
  const row = (label: string, value: unknown, testId?: string) => (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
  return (
    <section class="card" aria-labelledby="totals-heading">
      <h2 id="totals-heading">{props.lang === 'zh' ? '合计' : 'Totals'}</h2>
      <dl class="grid">
        {row(t.period, periodLabel(s.period, lang))}
        {row(
          t.evaluation,
          run
            ? t.form.runLabel(
                periodLabel(run.period, lang),
                run.criteriaVersion,
                (run.completedAt ?? run.createdAt).slice(0, 10),
                run.startedByName ?? run.startedBy,
              )
            : '—',
          'evaluation',
        )}
        {row(t.method, method)}
        {row(t.pool, yuan(totals.poolFen), 'pool')}
        {row(t.paid, yuan(totals.paidFen), 'paid')}
        {row(t.unallocated, yuan(totals.unallocatedFen), 'unallocated')}
        {row(t.memberUnallocated, yuan(totals.memberUnallocatedFen))}
        {row(t.subsidy, yuan(totals.subsidyFen), 'subsidy')}
        {row(t.subsidised, String(totals.subsidisedContracts))}
        {row(t.uninsured, String(totals.uninsuredContracts))}
        {row(
          t.teams,
          props.lang === 'zh'
            ? `${totals.teams}（${t.scoredTeams} ${totals.scoredTeams}，${t.paidTeams} ${totals.paidTeams}）`
            : `${totals.teams} (${t.scoredTeams.toLowerCase()} ${totals.scoredTeams}, ${t.paidTeams.toLowerCase()} ${totals.paidTeams})`,
        )}
        {row(t.institutions, String(totals.institutions))}
        {row(
          t.roleShares,
          Object.entries(s.parameters.roleShares)
            .sort(([a], [b]) => roleOrder(a) - roleOrder(b))
            .map(([role, share]) => `${roleName(role, props.lang)} ${share}`)
            .join(props.lang === 'zh' ? '，' : ', '),
        )}
        {totals.previous ? row(`${t.correctionOf}: ${t.difference}`, <Diff fen={totals.paidDifference} />) : null}
        {totals.previous ? row(`${t.subsidy}: ${t.difference}`, <Diff fen={totals.subsidyDifference} />) : null}
        {row(t.createdBy, `${nameOf(s.createdBy)} · ${chinaTime(s.createdAt, lang)}`)}
        {row(t.computedBy, `${nameOf(s.computedBy)} · ${chinaTime(s.computedAt, lang)}`)}
        {s.approvedBy && s.approvedAt ? row(t.approvedBy, `${nameOf(s.approvedBy)} · ${chinaTime(s.approvedAt, lang)}`, 'approved-by') : null}
        {s.closedBy && s.closedAt ? row(t.closedBy, `${nameOf(s.closedBy)} · ${chinaTime(s.closedAt, lang)}`) : null}
      </dl>
    </section>
  );
}

function Actions(props: { s: Settlement; viewer: Principal; t: Texts; lang: Lang }) {
  const { s, viewer, t } = props;
  const officer = viewer.role === 'finance' && viewer.districtId === s.districtId;
  if (s.status === 'draft') {
    const own = viewer.subject === s.createdBy || viewer.subject === s.computedBy || (s.participants ?? []).includes(viewer.subject);
    if (!officer) return null;
    if (own) {
      return (
        <div class="card notice" role="note">
          <p>{t.ownDraft}</p>
        </div>
      );
    }
    return (
      <details class="card" data-testid="approve-step">
        <summary>{t.approve}</summary>
        <form method="post" action={`/finance/settlements/${s.settlementId}/approve?lang=${props.lang}`}>
          <input type="hidden" name="computationId" value={s.computationId} />
          <input type="hidden" name="lang" value={props.lang} />
          <p class="hint">{t.approveHint}</p>
          <label>
            {t.approveComment}
            <textarea name="comment" required maxlength={1000} rows={3} />
          </label>
          <button type="submit">{t.confirmApprove}</button>
        </form>
      </details>
    );
  }
  if (s.status === 'approved') {
    return (
      <div class="card notice" role="note">
        <p>{t.approvedNotice}</p>
        {officer ? (
          <form method="post" action={`/finance/settlements/${s.settlementId}/close?lang=${props.lang}`} class="inline">
            <input type="hidden" name="lang" value={props.lang} />
            <button type="submit" class="secondary">
              {t.close}
            </button>
          </form>
        ) : null}
      </div>
    );
  }
  return (
    <div class="card notice" role="note">
      <p>{t.closedNotice}</p>
    </div>
  );
}

function MemberSplit(props: { lines: MemberLine[]; t: Texts; lang: Lang }) {
  const { t } = props;
  if (props.lines.length === 0) return null;
  return (
    <details>
      <summary>{t.memberSplit}</summary>
      <table>
        <thead>
          <tr>
            <th>{t.member}</th>
            <th>{t.role}</th>
            <th class="num">{t.daysPresent}</th>
            <th class="num">{t.share}</th>
            <th class="num">{t.amount}</th>
          </tr>
        </thead>
        <tbody>
          {props.lines.map((m) => (
            <tr>
              <td>{m.name}</td>
              <td>{m.stints.map((s) => roleName(s.role, props.lang)).join(' → ')}</td>
              <td class="num">{String(m.daysPresent)}</td>
              <td class="num">{m.stints.map((s) => s.share).join(' / ')}</td>
              <td class="num">{yuan(m.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function TeamLines(props: {
  s: Settlement;
  lines: TeamLine[];
  members: MemberLine[];
  institutionNames: Map<string, string>;
  t: Texts;
  lang: Lang;
  cursor?: string;
  nextCursor: string | null;
}) {
  const { s, t, lang } = props;
  const correction = s.correctionOf !== null;
  const membersOf = new Map<string, MemberLine[]>();
  for (const m of props.members) membersOf.set(m.teamId, [...(membersOf.get(m.teamId) ?? []), m]);
  const base = `/finance/settlements/${s.settlementId}?lang=${lang}`;
  return (
    <section class="card" aria-labelledby="teams-heading">
      <h2 id="teams-heading">
        {t.teamLines} ({s.lineCounts.team})
      </h2>
      <div class="scroll">
        <table data-testid="team-lines">
          <thead>
            <tr>
              <th>{t.team}</th>
              <th class="num">{t.score}</th>
              <th>{t.gate}</th>
              <th class="num">{t.amount}</th>
              {correction ? <th class="num">{t.previous}</th> : null}
              {correction ? <th class="num">{t.difference}</th> : null}
              <th class="num">{t.teamSubsidy}</th>
              <th>{t.explanation}</th>
            </tr>
          </thead>
          <tbody>
            {props.lines.map((line) => (
              <tr data-team={line.teamId}>
                <td class="team">
                  {line.teamName ?? line.teamId}
                  <div class="hint">{props.institutionNames.get(line.institutionId) ?? line.institutionId}</div>
                </td>
                <td class="num">{line.score ?? t.notScored}</td>
                <td class="gate">
                  {line.eligibility ? t.eligibility[line.eligibility] : '—'}
                  {line.eligibility === 'capped' ? ` ${line.capPercent}%` : ''}
                  {line.explanation?.capApplied ? <div class="hint">{t.capApplied}</div> : null}
                  {line.gates.map((g) => (
                    <div class="hint">{g.explanation[lang]}</div>
                  ))}
                </td>
                <td class="num">{yuan(line.amount)}</td>
                {correction ? <td class="num">{yuan(line.previousAmount ?? 0)}</td> : null}
                {correction ? (
                  <td class="num">
                    <Diff fen={line.difference} />
                  </td>
                ) : null}
                <td class="num">{yuan(line.subsidyFen)}</td>
                <td>
                  {lineText(line, lang, { id: s.evaluationId, name: periodLabel(s.period, lang) }, props.institutionNames)}
                  <MemberSplit lines={membersOf.get(line.teamId) ?? []} t={t} lang={lang} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="actions">
        {props.cursor ? <a href={base}>{t.first}</a> : null}
        {props.nextCursor ? <a href={`${base}&cursor=${encodeURIComponent(props.nextCursor)}`}>{t.next}</a> : null}
        <a href={`/settlements/${s.settlementId}/lines?kind=team`}>{t.json}</a>
      </p>
    </section>
  );
}

function SubsidyStatement(props: { s: Settlement; lines: InstitutionLine[]; t: Texts; lang: Lang }) {
  const { t, lang } = props;
  const correction = props.s.correctionOf !== null;
  return (
    <section class="card" aria-labelledby="subsidy-heading">
      <h2 id="subsidy-heading">{t.subsidyStatement}</h2>
      <p class="hint">
        {lang === 'zh'
          ? `每位参保签约居民每年补助 ${yuan(props.s.parameters.subsidyPerResidentYearFen)}，按周期内签约天数折算（全年 ${props.s.totals.yearDays} 天），每机构四舍五入一次。`
          : `${yuan(props.s.parameters.subsidyPerResidentYearFen)} per insured contracted resident per year, ` +
            `pro-rated by contract-days (${props.s.totals.yearDays}-day year), rounded once per institution.`}
      </p>
      <div class="scroll">
        <table data-testid="subsidy-statement">
          <thead>
            <tr>
              <th>{t.institution}</th>
              <th>{t.ownershipHead}</th>
              <th class="num">{t.subsidisedShort}</th>
              <th class="num">{t.contractDays}</th>
              <th class="num">{t.teamSubsidy}</th>
              {correction ? <th class="num">{t.difference}</th> : null}
              <th class="num">{t.uninsuredShort}</th>
              <th>{t.feeStatement}</th>
            </tr>
          </thead>
          <tbody>
            {props.lines.map((line) => (
              <tr data-institution={line.institutionId}>
                <td>{line.name ?? line.institutionId}</td>
                <td>{line.ownership ? t.ownership[line.ownership] : '—'}</td>
                <td class="num">{String(line.subsidisedContracts)}</td>
                <td class="num">
                  {String(line.contractDays)}
                  {(line.alreadyPaid ?? []).map((p) => (
                    <div class="hint" data-testid="already-paid">
                      {t.alreadyPaid(p.contractDays, periodLabel(p.period, lang))}
                    </div>
                  ))}
                </td>
                <td class="num">{yuan(line.subsidyFen)}</td>
                {correction ? (
                  <td class="num">
                    <Diff fen={line.subsidyDifference} />
                  </td>
                ) : null}
                <td class="num">{String(line.uninsuredContracts)}</td>
                <td>
                  {line.feeStatement && line.feeStatement.length > 0 ? (
                    <table class="fees">
                      <thead>
                        <tr>
                          <th />
                          <th class="num">{t.packageFee}</th>
                          <th class="num">{t.subsidyPerResident}</th>
                          <th class="num">{t.maxCollect}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {line.feeStatement.map((f) => (
                          <tr title={f.text[lang]}>
                            <td>{f.packageName ?? f.packageCode}</td>
                            <td class="num">{yuan(f.publishedFeeFen)}</td>
                            <td class="num">{yuan(f.subsidyPerResidentYearFen)}</td>
                            <td class="num">{yuan(f.maxCollectFromSubsidisedResidentFen)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The ids and the fingerprint, for whoever checks a settlement against the API or the files: marked as code, not page text. */
function TechnicalDetails(props: { s: Settlement; t: Texts }) {
  const { s, t } = props;
  const row = (label: string, value: string) => (
    <div>
      <dt>{label}</dt>
      <dd>
        <code lang="zxx">{value}</code>
      </dd>
    </div>
  );
  return (
    <details class="card" data-testid="technical">
      <summary>{t.technical}</summary>
      <dl class="grid">
        {row(t.settlementId, s.settlementId)}
        {row(t.evaluationId, s.evaluationId)}
        {s.totals.previous ? row(t.correctionOf, s.totals.previous.settlementId) : null}
        {row(t.fingerprint, s.fingerprint)}
      </dl>
    </details>
  );
}

function AuditLog(props: { entries: AuditEntry[]; t: Texts; lang: Lang }) {
  const { t } = props;
  return (
    <section class="card" aria-labelledby="audit-heading">
      <h2 id="audit-heading">{t.audit}</h2>
      <ol data-testid="audit">
        {props.entries.map((e) => (
          <li>
            {chinaTime(e.at, props.lang)} · {t.action[e.action]} · {t.by} {e.byName ?? e.by}
            {e.totals ? ` · ${t.paid} ${yuan(e.totals.paidFen)} · ${t.subsidy} ${yuan(e.totals.subsidyFen)}` : ''}
            {e.comment ? ` · “${e.comment}”` : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}

const NOTICES: Record<SettlementNotice, { zh: string; en: string }> = {
  created: { zh: '草稿已创建。请另一位财务人员审批。', en: 'Draft created. Another finance officer approves it.' },
  approved: { zh: '结算已批准，本周期指标上报已关闭。', en: "Approved. The period's metric uploads are closed." },
  closed: { zh: '结算已关闭。', en: 'Closed.' },
};

export function SettlementPage(props: SettlementPageProps) {
  const { settlement: s, lang } = props;
  const t = TEXT[lang];
  const other = lang === 'zh' ? 'en' : 'zh';
  // officers by the names their audit entries recorded (no lookup by account)
  const names = new Map(props.audit.flatMap((e) => (e.byName ? [[e.by, e.byName] as const] : [])));
  const nameOf = (subject: string) => names.get(subject) ?? subject;
  return (
    <StaffPage shell={props.shell} title={`${t.settlement} ${periodLabel(s.period, lang)}`} switchHref={`/finance/settlements/${s.settlementId}?lang=${other}`}>
      <nav class="crumbs">
        <a href={`/finance/districts/${s.districtId}/settlements?lang=${lang}`}>{t.settlements}</a>
      </nav>
      <h1>
        {t.settlement} {periodLabel(s.period, lang)}{' '}
        <span class={`badge ${s.status}`} data-testid="status">
          {t.status[s.status]}
        </span>
      </h1>
      {props.notice ? (
        <div class="card notice" role="status">
          <p>{NOTICES[props.notice][lang]}</p>
        </div>
      ) : null}
      <Actions s={s} viewer={props.viewer} t={t} lang={lang} />
      <Totals s={s} t={t} lang={lang} run={props.run ?? null} nameOf={nameOf} />
      <ReportsSection s={s} lang={lang} />
      <SettlementExtras s={s} lang={lang} viewer={props.viewer} />
      {props.comparison ? <SettlementComparison lang={lang} data={props.comparison} /> : null}
      <section class="card" aria-labelledby="charts-heading">
        <h2 id="charts-heading">{lang === 'zh' ? '图表' : 'Charts'}</h2>
        <PayoutHistogramChart histogram={s.histogram} t={t} lang={lang} />
        <InstitutionBarsChart bars={props.institutionLines} t={t} lang={lang} />
      </section>
      <TeamLines
        s={s}
        lines={props.teamLines}
        members={props.memberLines}
        institutionNames={new Map(props.institutionLines.map((l) => [l.institutionId, l.name ?? l.institutionId]))}
        t={t}
        lang={lang}
        cursor={props.cursor}
        nextCursor={props.nextCursor}
      />
      <SubsidyStatement s={s} lines={props.institutionLines} t={t} lang={lang} />
      <AuditLog entries={props.audit} t={t} lang={lang} />
      <TechnicalDetails s={s} t={t} />
    </StaffPage>
  );
}
