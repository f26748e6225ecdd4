/** The clerk's teams: name, members by role with their dates, capacity and places taken; each links to its contracts. */
import type { District } from '#shared/data/districts.ts';
import type { Institution } from '#shared/data/institutions.ts';
import type { Team } from '#shared/data/teams.ts';
import { memberRoleName, memberRoleOrder } from '#shared/domain/role-names.ts';
import { dateLabel } from '#shared/web/format.ts';
import type { FormProblems } from '#shared/web/form-problems.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';

const TEXT = {
  zh: {
    title: '团队与签约',
    team: '团队',
    members: '成员',
    capacity: '签约上限',
    taken: '已签约',
    contracts: '签约管理',
    manageMembers: '成员加入与离开',
    cap: (n: number) => `本区每个团队的签约上限为 ${n} 人。`,
    since: (d: string) => `${d}加入`,
    left: (d: string) => `${d}离开`,
    none: '本机构还没有团队。',
    create: '新建团队',
    name: '团队名称',
    gp: '全科医生姓名',
    nurse: '社区护士姓名',
    joinedOn: '加入日期',
    capacityField: (n: number) => `签约上限（不超过 ${n}，不填则为 ${n}）`,
    createButton: '创建团队',
    created: '团队已创建。',
    problem: '未能创建：',
  },
  en: {
    title: 'Teams and contracts',
    team: 'Team',
    members: 'Members',
    capacity: 'Capacity',
    taken: 'Contracted',
    contracts: 'Contracts',
    manageMembers: 'Members joining and leaving',
    cap: (n: number) => `A team in this district holds at most ${n} contracts.`,
    since: (d: string) => `joined ${d}`,
    left: (d: string) => `left ${d}`,
    none: 'This institution has no teams yet.',
    create: 'New team',
    name: 'Team name',
    gp: 'General practitioner',
    nurse: 'Community nurse',
    joinedOn: 'Joined on',
    capacityField: (n: number) => `Capacity (at most ${n}; ${n} when left empty)`,
    createButton: 'Create team',
    created: 'Team created.',
    problem: 'Not created: ',
  },
};

export interface NewTeamForm {
  values: Record<string, string>;
  problems?: FormProblems;
}

export function TeamsPage(props: { shell: Shell; institution: Institution; district: District; teams: Team[]; form: NewTeamForm; created?: boolean }) {
  const { lang } = props.shell;
  const t = TEXT[lang];
  const problems = props.form.problems?.fields ?? {};
  const field = (name: string, label: string, type: string, required: boolean) => (
    <label class="field" for={`team-${name}`}>
      {label}
      <input
        id={`team-${name}`}
        name={name}
        type={type}
        required={required}
        value={props.form.values[name] ?? ''}
        {...(type === 'number' ? { min: '1', inputmode: 'numeric' } : {})}
        aria-invalid={problems[name] ? 'true' : undefined}
        aria-describedby={problems[name] ? `team-${name}-error` : undefined}
      />
      {problems[name] ? (
        <span class="error" id={`team-${name}-error`}>
          {problems[name]}
        </span>
      ) : null}
    </label>
  );
  return (
    <StaffPage shell={props.shell} title={t.title}>
      <h1>
        {t.title} · {props.institution.name}
      </h1>
      <p class="hint">{t.cap(props.district.settings.teamCapacity)}</p>
      {props.teams.length === 0 ? (
        <p class="card">{t.none}</p>
      ) : (
        <div class="card scroll">
          <table data-testid="teams">
            <thead>
              <tr>
                <th scope="col">{t.team}</th>
                <th scope="col">{t.members}</th>
                <th scope="col" class="num">
                  {t.taken}
                </th>
                <th scope="col" class="num">
                  {t.capacity}
                </th>
                <th scope="col">{t.contracts}</th>
              </tr>
            </thead>
            <tbody>
              {props.teams.map((team) => (
                <tr>
                  <td class="team">{team.name}</td>
                  <td>
                    <ul class="plain">
                      {[...team.members]
                        .sort((a, b) => memberRoleOrder(a.role) - memberRoleOrder(b.role))
                        .map((m) => (
                          <li>
                            {m.name}
                            {lang === 'zh' ? '（' : ' ('}
                            {memberRoleName(m.role, lang)}
                            {lang === 'zh' ? '，' : ', '}
                            {t.since(dateLabel(m.joinedOn, lang))}
                            {m.leftOn ? `${lang === 'zh' ? '，' : ', '}${t.left(dateLabel(m.leftOn, lang))}` : ''}
                            {lang === 'zh' ? '）' : ')'}
                          </li>
                        ))}
                    </ul>
                    <a href={`/clerk/teams/${encodeURIComponent(team.teamId)}/members?lang=${lang}`}>
                      {t.manageMembers}
                      <span class="visually-hidden">：{team.name}</span>
                    </a>
                  </td>
                  <td class="num">{team.activeContracts}</td>
                  <td class="num">{team.capacity}</td>
                  <td>
                    <a href={`/clerk/teams/${encodeURIComponent(team.teamId)}?lang=${lang}`}>
                      {t.contracts}
                      <span class="visually-hidden">：{team.name}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section class="card" aria-labelledby="create-heading">
        <h2 id="create-heading">{t.create}</h2>
        {props.created ? (
          <p role="status" data-testid="created">
            {t.created}
          </p>
        ) : null}
        {props.form.problems && (props.form.problems.detail || props.form.problems.other.length > 0) ? (
          <p class="error" role="alert">
            {t.problem}
            {props.form.problems.detail ?? props.form.problems.other.map((o) => o.message).join('；')}
          </p>
        ) : null}
        <form method="post" action={`/clerk/teams?lang=${lang}`} data-testid="create-team">
          <div class="fields">
            {field('name', t.name, 'text', true)}
            {field('gpName', t.gp, 'text', true)}
            {field('nurseName', t.nurse, 'text', true)}
            {field('joinedOn', t.joinedOn, 'date', true)}
            {field('capacity', t.capacityField(props.district.settings.teamCapacity), 'number', false)}
          </div>
          <button type="submit">{t.createButton}</button>
        </form>
      </section>
    </StaffPage>
  );
}
