/** The administrator's districts: the list, and one district with its settings, subsidy rates and institutions. */
import type { District } from '#shared/data/districts.ts';
import { subsidyRatesOf } from '#shared/data/districts.ts';
import type { Institution } from '#shared/data/institutions.ts';
import { INSTITUTION_LEVELS, OWNERSHIPS } from '#shared/domain/institutions.ts';
import { SERVICE_PACKAGE_KINDS } from '#shared/domain/contracts.ts';
import { DEFAULT_DATA_DEADLINE_DAYS, DEFAULT_REVIEW_WINDOW_DAYS } from '#shared/domain/period-lifecycle.ts';
import type { Lang } from '#shared/web/lang.ts';
import { Layout } from '#shared/web/layout.tsx';
import type { Session } from '#shared/web/session.ts';
import { STAFF_CSS } from '#shared/web/styles.ts';
import { ADMIN_CSS, type FormState, FormProblems, Notice, SelectField, TextField } from '#shared/web/fields.tsx';
import { PACKAGE_ROWS } from './forms.ts';
import { adminNav } from '#shared/web/admin-nav.ts';
import { LEVEL_NAMES, OWNERSHIP_NAMES, PACKAGE_KIND_NAMES, TEXT, yuan } from './texts.ts';

const other = (lang: Lang) => (lang === 'zh' ? 'en' : 'zh');

export function DistrictListPage(props: { lang: Lang; session: Session; districts: District[]; nextCursor: string | null }) {
  const { lang } = props;
  const t = TEXT[lang];
  return (
    <Layout
      lang={lang}
      title={`${t.districts} · ${t.admin}`}
      switchHref={`/admin/districts?lang=${other(lang)}`}
      session={props.session}
      nav={adminNav(lang, 'districts')}
    >
      <style>{STAFF_CSS + ADMIN_CSS}</style>
      <h1>{t.districts}</h1>
      <section class="card">
        <table>
          <thead>
            <tr>
              <th>{t.name}</th>
              <th>{t.province}</th>
              <th class="num">{t.teamCapacity}</th>
              <th class="num">{t.surveyMinResponses}</th>
            </tr>
          </thead>
          <tbody>
            {props.districts.map((d) => (
              <tr>
                <td>
                  <a href={`/admin/districts/${d.districtId}?lang=${lang}`}>{d.name}</a>
                </td>
                <td>{d.province}</td>
                <td class="num">{d.settings.teamCapacity}</td>
                <td class="num">{d.settings.surveyMinResponses}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {props.nextCursor ? (
          <p>
            <a href={`/admin/districts?lang=${lang}&cursor=${encodeURIComponent(props.nextCursor)}`}>{t.next}</a>
          </p>
        ) : null}
      </section>
    </Layout>
  );
}

export interface DistrictForms {
  settings: FormState;
  rate: FormState;
  institution: FormState;
  /** which form a problem or notice belongs to */
  problem?: { form: 'settings' | 'rate' | 'institution'; text: string };
  notice?: string;
}

export function settingsValues(district: District): Record<string, string> {
  const s = district.settings;
  return {
    teamCapacity: String(s.teamCapacity),
    contractTermMonths: String(s.contractTermMonths),
    surveyMinResponses: String(s.surveyMinResponses),
    contractStartGraceDays: String(s.contractStartGraceDays ?? 7),
    dataDeadlineDays: String(s.dataDeadlineDays ?? DEFAULT_DATA_DEADLINE_DAYS),
    reviewWindowDays: String(s.reviewWindowDays ?? DEFAULT_REVIEW_WINDOW_DAYS),
  };
}

export function DistrictPage(props: {
  lang: Lang;
  session: Session;
  district: District;
  institutions: Institution[];
  nextCursor: string | null;
  forms: DistrictForms;
}) {
  const { lang, district, forms } = props;
  const t = TEXT[lang];
  const base = `/admin/districts/${district.districtId}`;
  const rates = subsidyRatesOf(district.settings);
  const problemOf = (form: 'settings' | 'rate' | 'institution') => (forms.problem?.form === form ? forms.problem.text : undefined);
  return (
    <Layout
      lang={lang}
      title={`${district.name} · ${t.admin}`}
      switchHref={`${base}?lang=${other(lang)}`}
      session={props.session}
      nav={adminNav(lang, 'districts', district.districtId)}
    >
      <style>{STAFF_CSS + ADMIN_CSS}</style>
      <nav class="crumbs" aria-label={t.districts}>
        <a href={`/admin/districts?lang=${lang}`}>{t.districts}</a> › {district.name}
      </nav>
      <h1>
        {district.name} <span class="hint">{district.province}</span>
      </h1>
      <Notice text={forms.notice} />

      <section class="card" aria-labelledby="settings-h">
        <h2 id="settings-h">{t.settings}</h2>
        <FormProblems title={t.problems} problem={problemOf('settings')} form={forms.settings} />
        <form method="post" action={`${base}/settings`} data-testid="settings-form">
          <input type="hidden" name="lang" value={lang} />
          <div class="fields">
            <TextField name="teamCapacity" label={t.teamCapacity} inputmode="numeric" form={forms.settings} />
            <TextField name="surveyMinResponses" label={t.surveyMinResponses} inputmode="numeric" form={forms.settings} />
            <TextField name="contractTermMonths" label={t.contractTermMonths} inputmode="numeric" form={forms.settings} />
            <TextField name="contractStartGraceDays" label={t.graceDays} inputmode="numeric" form={forms.settings} />
            <TextField name="dataDeadlineDays" label={t.dataDeadlineDays} inputmode="numeric" form={forms.settings} />
            <TextField name="reviewWindowDays" label={t.reviewWindowDays} inputmode="numeric" form={forms.settings} />
          </div>
          <button type="submit">{t.save}</button>
        </form>
      </section>

      <section class="card" aria-labelledby="rates-h">
        <h2 id="rates-h">{t.subsidyRates}</h2>
        <table data-testid="subsidy-rates">
          <thead>
            <tr>
              <th>{t.rateFrom}</th>
              <th class="num">{t.ratePerYear}</th>
            </tr>
          </thead>
          <tbody>
            {rates.map((r) => (
              <tr>
                <td>{r.from <= '1900-01-01' ? t.current : r.from}</td>
                <td class="num">{yuan(r.perYearFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <FormProblems title={t.problems} problem={problemOf('rate')} form={forms.rate} />
        <form method="post" action={`${base}/subsidy-rates`}>
          <input type="hidden" name="lang" value={lang} />
          <div class="fields">
            <TextField name="from" label={t.rateFrom} type="date" form={forms.rate} />
            <TextField name="perYear" label={t.ratePerYear} inputmode="decimal" form={forms.rate} />
          </div>
          <button type="submit" class="secondary">
            {t.addRate}
          </button>
        </form>
      </section>

      <section class="card" aria-labelledby="inst-h">
        <h2 id="inst-h">{t.institutions}</h2>
        <table data-testid="institutions">
          <thead>
            <tr>
              <th>{t.name}</th>
              <th>{t.ownership}</th>
              <th>{t.level}</th>
              <th class="num">{t.packages}</th>
            </tr>
          </thead>
          <tbody>
            {props.institutions.map((i) => (
              <tr>
                <td>
                  <a href={`/admin/institutions/${i.institutionId}?lang=${lang}`}>{i.name}</a>
                </td>
                <td>{OWNERSHIP_NAMES[i.ownership][lang]}</td>
                <td>{LEVEL_NAMES[i.level][lang]}</td>
                <td class="num">{i.servicePackages.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {props.nextCursor ? (
          <p>
            <a href={`${base}?lang=${lang}&cursor=${encodeURIComponent(props.nextCursor)}`}>{t.next}</a>
          </p>
        ) : null}
        <h3>{t.newInstitution}</h3>
        <FormProblems title={t.problems} problem={problemOf('institution')} form={forms.institution} />
        <form method="post" action={`${base}/institutions`} data-testid="institution-form">
          <input type="hidden" name="lang" value={lang} />
          <div class="fields">
            <TextField name="name" label={t.name} form={forms.institution} />
            <SelectField
              name="ownership"
              label={t.ownership}
              form={forms.institution}
              options={OWNERSHIPS.map((o) => ({ value: o, label: OWNERSHIP_NAMES[o][lang] }))}
            />
            <SelectField
              name="level"
              label={t.level}
              form={forms.institution}
              options={INSTITUTION_LEVELS.map((l) => ({ value: l, label: LEVEL_NAMES[l][lang] }))}
            />
          </div>
          <fieldset>
            <legend>{t.packages}</legend>
            <p class="hint">{t.packagesHint}</p>
            <table class="rows">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t.packageCode}</th>
                  <th scope="col">{t.packageName}</th>
                  <th scope="col">{t.packageKind}</th>
                  <th scope="col">{t.fee}</th>
                </tr>
              </thead>
              <tbody>
                {Array.from({ length: PACKAGE_ROWS }, (_, i) => (
                  <tr>
                    <td>{i + 1}</td>
                    <td>
                      <TextField name={`package.${i}.code`} label={`${t.packageRow(i + 1)} ${t.packageCode}`} hideLabel form={forms.institution} />
                    </td>
                    <td>
                      <TextField name={`package.${i}.name`} label={`${t.packageRow(i + 1)} ${t.packageName}`} hideLabel form={forms.institution} />
                    </td>
                    <td>
                      <SelectField
                        name={`package.${i}.kind`}
                        label={`${t.packageRow(i + 1)} ${t.packageKind}`}
                        hideLabel
                        form={forms.institution}
                        options={SERVICE_PACKAGE_KINDS.map((k) => ({ value: k, label: PACKAGE_KIND_NAMES[k]?.[lang] ?? k }))}
                      />
                    </td>
                    <td>
                      <TextField name={`package.${i}.fee`} label={`${t.packageRow(i + 1)} ${t.fee}`} hideLabel inputmode="decimal" form={forms.institution} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </fieldset>
          <button type="submit">{t.create}</button>
        </form>
      </section>
    </Layout>
  );
}
