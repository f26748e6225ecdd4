/** The clerk's teams: name, members by role with their dates, capacity and places taken; each links to its contracts. */
import type { District } from '#shared/data/districts.ts';
import type { Institution } from '#shared/data/institutions.ts';
import type { Team } from '#shared/data/teams.ts';
import { memberRoleName, memberRoleOrder } from '#shared/domain/role-names.ts';
import { dateLabel } from '#shared/web/format.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';

const TEXT = {
  zh: {
    title: '团队与签约',
    team: '团队',
    members: '成员',
    capacity: '签约上限',
    taken: '已签约',
    contracts: '签约管理',
    cap: (n: number) => `本区每个团队的签约上限为 ${n} 人。`,
    since: (d: string) => `${d}加入`,
    left: (d: string) => `${d}离开`,
    none: '本机构还没有团队。',
  },
  en: {
    title: 'Teams and contracts',
    team: 'Team',
    members: 'Members',
    capacity: 'Capacity',
    taken: 'Contracted',
    contracts: 'Contracts',
    cap: (n: number) => `A team in this district holds at most ${n} contracts.`,
    since: (d: string) => `joined ${d}`,
    left: (d: string) => `left ${d}`,
    none: 'This institution has no teams yet.',
  },
};

export function TeamsPage(props: { shell: Shell; institution: Institution; district: District; teams: Team[] }) {
  const { lang } = props.shell;
  const t = TEXT[lang];
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
                            {m.name}（{memberRoleName(m.role, lang)}，{t.since(dateLabel(m.joinedOn, lang))}
                            {m.leftOn ? `，${t.left(dateLabel(m.leftOn, lang))}` : ''}）
                          </li>
                        ))}
                    </ul>
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
    </StaffPage>
  );
}
