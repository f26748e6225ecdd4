/** The clerk's home: the quarters to report for, each with its status and whether metrics are uploaded, and the teams in short. */
import type { Institution } from '#shared/data/institutions.ts';
import type { Team } from '#shared/data/teams.ts';
import type { QuarterUploads } from '#shared/services/clerk-overview.ts';
import type { AppealSummary } from '#shared/services/appeal-summary.ts';
import { chinaTime, dateLabel, periodLabel } from '#shared/web/format.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';
import { TEXT } from './texts.ts';

export function ClerkHomePage(props: {
  shell: Shell;
  institution: Institution;
  teams: Team[];
  quarters: QuarterUploads[];
  appeals: AppealSummary;
  today: string;
}) {
  const { lang } = props.shell;
  const t = TEXT[lang];
  const contracts = props.teams.reduce((sum, team) => sum + team.activeContracts, 0);
  return (
    <StaffPage shell={props.shell} title={`${t.home} · ${props.institution.name}`}>
      <h1>{props.institution.name}</h1>
      <section class="card" aria-labelledby="todo-heading">
        <h2 id="todo-heading">{t.todo}</h2>
        <table data-testid="quarters">
          <thead>
            <tr>
              <th scope="col">{t.quarter}</th>
              <th scope="col">{t.dates}</th>
              <th scope="col">{t.state}</th>
              <th scope="col">{t.upload}</th>
            </tr>
          </thead>
          <tbody>
            {props.quarters.map((q) => (
              <tr data-testid={`quarter-${q.period}`}>
                <th scope="row">{periodLabel(q.period, lang)}</th>
                <td>
                  {dateLabel(q.start, lang)} – {dateLabel(q.end, lang)}
                </td>
                <td>
                  {q.closed ? t.closed : q.start > props.today ? t.notStarted : q.ended ? t.ended(dateLabel(q.end, lang)) : t.running(dateLabel(q.end, lang))}
                  <div class="hint" data-testid="deadline">
                    {t.deadline(chinaTime(q.deadlineAt, lang))}
                  </div>
                </td>
                <td>
                  {q.current ? (
                    t.uploaded(q.current.version, q.current.uploadedBy, chinaTime(q.current.uploadedAt, lang))
                  ) : (
                    <strong class={q.ended ? 'error' : ''}>{t.missing}</strong>
                  )}{' '}
                  {!q.closed && q.start <= props.today ? (
                    <a href={`/clerk/metrics?period=${q.period}&lang=${lang}`}>
                      {t.toUpload}
                      <span class="visually-hidden"> {periodLabel(q.period, lang)}</span>
                    </a>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card" aria-labelledby="appeals-heading" data-testid="appeals-summary">
        <h2 id="appeals-heading">{t.appealsOf(periodLabel(props.appeals.period, lang))}</h2>
        <p>
          {props.appeals.windowEndsAt ? t.appealWindow(chinaTime(props.appeals.windowEndsAt, lang)) : t.noAppealWindow}{' '}
          {t.appealCounts(props.appeals.open, props.appeals.decided)}
        </p>
        <p class="actions">
          <a href={`/clerk/appeals?period=${props.appeals.period}&lang=${lang}`}>{t.toAppeals}</a>
        </p>
      </section>
      <section class="card">
        <p>{t.teams(props.teams.length, contracts)}</p>
        <p class="actions">
          <a href={`/clerk/teams?lang=${lang}`}>{t.toTeams}</a>
          <a href={`/clerk/scorecards?lang=${lang}`}>{t.toScorecards}</a>
        </p>
      </section>
    </StaffPage>
  );
}
