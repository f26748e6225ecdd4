/** One appeal as both sides see it: team, indicator and metric by name, the claim, the decision, the changed results, the attachments. */
import type { Child } from 'hono/jsx';
import type { AppealView } from '#shared/services/appeals.ts';
import { chinaTime } from '#shared/web/format.ts';
import type { Lang } from '#shared/web/lang.ts';
import { APPEAL_TEXT, attachmentHref } from './appeal-texts.ts';

export interface AppealNames {
  teams: Map<string, string>;
  indicators: Map<string, string>;
  metrics: Map<string, string>;
}

export function AppealCard(props: { lang: Lang; appeal: AppealView; names: AppealNames; canDownload: boolean; anchor?: boolean; children?: Child }) {
  const { lang, appeal, names } = props;
  const t = APPEAL_TEXT[lang];
  const team = (teamId: string) => names.teams.get(teamId) ?? teamId;
  return (
    <section
      class="card appeal"
      data-testid={`appeal-${appeal.appealId}`}
      aria-label={`${team(appeal.teamId)} · ${names.indicators.get(appeal.indicator) ?? appeal.indicator}`}
    >
      <p>
        <strong>{team(appeal.teamId)}</strong> · {names.indicators.get(appeal.indicator) ?? appeal.indicator} ·{' '}
        <span class={`badge ${appeal.status === 'open' ? 'draft' : appeal.status === 'accepted' ? 'approved' : 'closed'}`} data-testid="appeal-status">
          {t.appealStatus[appeal.status]}
        </span>
      </p>
      <dl class="grid">
        <div>
          <dt>{t.metric}</dt>
          <dd>{names.metrics.get(appeal.metric) ?? appeal.metric}</dd>
        </div>
        <div>
          <dt>{t.claim}</dt>
          <dd>{appeal.claimedValue}</dd>
        </div>
        {appeal.acceptedValue !== undefined ? (
          <div>
            <dt>{t.acceptedValue}</dt>
            <dd>{appeal.acceptedValue}</dd>
          </div>
        ) : null}
      </dl>
      <p>
        {t.reason}: {appeal.reason}
      </p>
      <p class="hint">{t.filed(appeal.filedBy, chinaTime(appeal.filedAt, lang))}</p>
      {appeal.decidedAt ? (
        <p data-testid="appeal-decision">
          {t.decisionReason}: {appeal.decisionReason} <span class="hint">({t.decided(appeal.decidedBy ?? '', chinaTime(appeal.decidedAt, lang))})</span>
        </p>
      ) : null}
      {appeal.correctionRunId && !appeal.changes ? <p class="hint">{t.correctionPending}</p> : null}
      {appeal.changes?.length ? (
        <div>
          <p>{t.changed}:</p>
          <ul data-testid="appeal-changes">
            {appeal.changes.map((c) => (
              <li>{t.change(team(c.teamId), c.before.total ?? '—', c.after.total ?? '—')}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p>
        {t.attachments}:{' '}
        {appeal.attachments?.length ? (
          appeal.attachments.map((a, i) => (
            <>
              {i > 0 ? ' · ' : ''}
              {props.canDownload ? <a href={attachmentHref(appeal.appealId, a.attachmentId)}>{a.fileName}</a> : a.fileName} ({t.kb(a.bytes)})
            </>
          ))
        ) : (
          <span class="hint">{t.noAttachments}</span>
        )}
      </p>
      {props.children}
    </section>
  );
}
