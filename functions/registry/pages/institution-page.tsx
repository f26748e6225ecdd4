/** One institution for the administrator: ownership, level, published packages and fees, its teams, and a new team. */
import type { District } from '#shared/data/districts.ts';
import type { Institution } from '#shared/data/institutions.ts';
import type { Team } from '#shared/data/teams.ts';
import { memberRoleName } from '#shared/domain/role-names.ts';
import { OPTIONAL_ROLES } from '#shared/domain/teams.ts';
import type { Lang } from '#shared/web/lang.ts';
import { Layout } from '#shared/web/layout.tsx';
import type { Session } from '#shared/web/session.ts';
import { STAFF_CSS } from '#shared/web/styles.ts';
import { ADMIN_CSS, type FormState, FormProblems, Notice, SelectField, TextField } from '#shared/web/fields.tsx';
import { EXTRA_MEMBER_ROWS } from './forms.ts';
import { adminNav } from '#shared/web/admin-nav.ts';
import { LEVEL_NAMES, OWNERSHIP_NAMES, PACKAGE_KIND_NAMES, TEXT, yuan } from './texts.ts';

export function InstitutionPage(props: {
  lang: Lang;
  session: Session;
  district: District;
  institution: Institution;
  teams: Team[];
  nextCursor: string | null;
  form: FormState;
  problem?: string | undefined;
  notice?: string | undefined;
}) {
  const { lang, institution, district, form } = props;
  const t = TEXT[lang];
  const base = `/admin/institutions/${institution.institutionId}`;
  const districtHref = `/admin/districts/${district.districtId}?lang=${lang}`;
  return (
    <Layout
      lang={lang}
      title={`${institution.name} · ${t.admin}`}
      switchHref={`${base}?lang=${lang === 'zh' ? 'en' : 'zh'}`}
      session={props.session}
      nav={adminNav(lang, 'districts', district.districtId)}
    >
      <style>{STAFF_CSS + ADMIN_CSS}</style>
      <nav class="crumbs" aria-label={t.districts}>
        <a href={`/admin/districts?lang=${lang}`}>{t.districts}</a> › <a href={districtHref}>{district.name}</a> › {institution.name}
      </nav>
      <h1>{institution.name}</h1>
      <Notice text={props.notice} />
      <section class="card">
        <dl class="grid">
          <div>
            <dt>{t.ownership}</dt>
            <dd>{OWNERSHIP_NAMES[institution.ownership][lang]}</dd>
          </div>
          <div>
            <dt>{t.level}</dt>
            <dd>{LEVEL_NAMES[institution.level][lang]}</dd>
          </div>
        </dl>
        <h2>{t.packages}</h2>
        {institution.servicePackages.length === 0 ? (
          <p class="hint">{t.noPackages}</p>
        ) : (
          <table data-testid="packages">
            <thead>
              <tr>
                <th>{t.packageName}</th>
                <th>{t.packageKind}</th>
                <th class="num">{t.fee}</th>
              </tr>
            </thead>
            <tbody>
              {institution.servicePackages.map((p) => (
                <tr>
                  <td>{p.name}</td>
                  <td>{PACKAGE_KIND_NAMES[p.kind]?.[lang] ?? p.kind}</td>
                  <td class="num">{yuan(p.feeFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="card" aria-labelledby="teams-h">
        <h2 id="teams-h">{t.teams}</h2>
        {props.teams.length === 0 ? (
          <p class="hint">{t.noTeams}</p>
        ) : (
          <table data-testid="teams">
            <thead>
              <tr>
                <th>{t.team}</th>
                <th>{t.members}</th>
                <th class="num">{t.contracts}</th>
                <th class="num">{t.capacity}</th>
              </tr>
            </thead>
            <tbody>
              {props.teams.map((team) => (
                <tr>
                  <td>{team.name}</td>
                  <td>
                    {team.members
                      .filter((m) => !m.leftOn)
                      .map((m) => `${m.name}（${memberRoleName(m.role, lang)}）`)
                      .join(lang === 'zh' ? '、' : ', ')}
                  </td>
                  <td class="num">{team.activeContracts}</td>
                  <td class="num">{team.capacity}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {props.nextCursor ? (
          <p>
            <a href={`${base}?lang=${lang}&cursor=${encodeURIComponent(props.nextCursor)}`}>{t.next}</a>
          </p>
        ) : null}
        <h3>{t.newTeam}</h3>
        <FormProblems title={t.problems} problem={props.problem} form={form} />
        <form method="post" action={`${base}/teams`} data-testid="team-form">
          <input type="hidden" name="lang" value={lang} />
          <div class="fields">
            <TextField name="name" label={t.teamName} form={form} />
            <TextField name="gp" label={t.gp} form={form} />
            <TextField name="nurse" label={t.nurse} form={form} />
            <TextField name="joinedOn" label={t.joinedOn} type="date" form={form} />
            <TextField name="capacity" label={`${t.capacityOptional}: ${district.settings.teamCapacity}`} inputmode="numeric" form={form} />
          </div>
          {Array.from({ length: EXTRA_MEMBER_ROWS }, (_, i) => (
            <fieldset>
              <legend>
                {t.otherMember} {i + 1}
              </legend>
              <div class="fields">
                <TextField name={`member.${i}.name`} label={t.otherName} form={form} />
                <SelectField
                  name={`member.${i}.role`}
                  label={t.otherRole}
                  form={form}
                  options={OPTIONAL_ROLES.map((r) => ({ value: r, label: memberRoleName(r, lang) }))}
                />
              </div>
            </fieldset>
          ))}
          <button type="submit">{t.createTeam}</button>
        </form>
      </section>
    </Layout>
  );
}
