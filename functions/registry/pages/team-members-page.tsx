/** A team's members with their dates (past ones kept), the form for a member joining and one leave form per current member. */
import type { Institution } from '#shared/data/institutions.ts';
import type { Team } from '#shared/data/teams.ts';
import { memberRoleName, memberRoleOrder } from '#shared/domain/role-names.ts';
import { MEMBER_ROLES, membersOn, missingRequiredRoles } from '#shared/domain/teams.ts';
import type { FormProblems } from '#shared/web/form-problems.ts';
import { dateLabel } from '#shared/web/format.ts';
import { type Shell, StaffPage } from '#shared/web/shell.tsx';

const TEXT = {
  zh: {
    title: (team: string) => `${team} · 团队成员`,
    teams: '团队与签约',
    name: '姓名',
    role: '团队角色',
    joinedOn: '加入日期',
    leftOn: '离开日期',
    current: '在岗',
    leave: '记录离开',
    leaveDate: (name: string) => `${name}的离开日期（最后在岗日）`,
    leaveButton: '确认离开',
    join: '新成员加入',
    joinButton: '加入团队',
    lacking: (roles: string) => `团队目前缺少：${roles}。“2 + X”团队需要一名全科医生和一名社区护士。`,
    done: { joined: '新成员已加入。', left: '已记录离开，成员记录保留。' },
    problem: '未能保存：',
    history: '离开的成员保留在列表中，用于按在岗天数分配激励。',
  },
  en: {
    title: (team: string) => `${team} · Members`,
    teams: 'Teams and contracts',
    name: 'Name',
    role: 'Role in the team',
    joinedOn: 'Joined',
    leftOn: 'Left',
    current: 'current',
    leave: 'Record a leave',
    leaveDate: (name: string) => `Last day of ${name} in the team`,
    leaveButton: 'Record leave',
    join: 'A member joins',
    joinButton: 'Add to team',
    lacking: (roles: string) => `The team currently lacks: ${roles}. A "2 + X" team needs a general practitioner and a community nurse.`,
    done: { joined: 'The member joined.', left: 'The leave is recorded; the member stays on the list.' },
    problem: 'Not saved: ',
    history: 'Members who left stay on the list: incentives are split by the days each member was in the team.',
  },
};

export interface MemberForms {
  join: { values: Record<string, string>; problems?: FormProblems };
  /** the member whose leave was refused, with the problem */
  leave?: { memberId: string; values: Record<string, string>; problems: FormProblems };
}

function Problem(props: { id: string; text: string | undefined }) {
  return props.text ? (
    <span class="error" id={props.id}>
      {props.text}
    </span>
  ) : null;
}

export function TeamMembersPage(props: {
  shell: Shell;
  team: Team;
  institution: Institution;
  today: string;
  forms: MemberForms;
  done?: 'joined' | 'left' | undefined;
}) {
  const { shell, team } = props;
  const { lang } = shell;
  const t = TEXT[lang];
  const base = `/clerk/teams/${encodeURIComponent(team.teamId)}/members`;
  const members = [...team.members].sort(
    (a, b) =>
      Number(a.leftOn !== undefined) - Number(b.leftOn !== undefined) ||
      memberRoleOrder(a.role) - memberRoleOrder(b.role) ||
      (a.joinedOn < b.joinedOn ? -1 : 1),
  );
  const lacking = missingRequiredRoles(membersOn(team.members, props.today));
  const join = props.forms.join;
  const jp = join.problems?.fields ?? {};
  const leave = props.forms.leave;
  const alert = (problems: FormProblems | undefined) =>
    problems && (problems.detail || problems.other.length > 0) ? (
      <p class="error" role="alert" data-testid="member-problem">
        {t.problem}
        {problems.detail ?? problems.other.map((o) => o.message).join('；')}
      </p>
    ) : null;
  const describedBy = (id: string, problem: string | undefined) => (problem ? { 'aria-describedby': id, 'aria-invalid': 'true' as const } : {});
  return (
    <StaffPage shell={shell} title={t.title(team.name)}>
      <nav class="crumbs" aria-label={t.teams}>
        <a href={`/clerk/teams?lang=${lang}`}>{t.teams}</a>
      </nav>
      <h1>{t.title(team.name)}</h1>
      <p class="hint">
        {props.institution.name} · {t.history}
      </p>
      {props.done ? (
        <p class="card notice" role="status" data-testid="done">
          {t.done[props.done]}
        </p>
      ) : null}
      {lacking.length > 0 ? (
        <p class="card notice" data-testid="lacking">
          {t.lacking(lacking.map((r) => memberRoleName(r, lang)).join(lang === 'zh' ? '、' : ', '))}
        </p>
      ) : null}
      {alert(leave?.problems)}
      <div class="card scroll">
        <table data-testid="members">
          <thead>
            <tr>
              <th scope="col">{t.name}</th>
              <th scope="col">{t.role}</th>
              <th scope="col">{t.joinedOn}</th>
              <th scope="col">{t.leftOn}</th>
              <th scope="col">{t.leave}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => {
              const refused = leave?.memberId === m.memberId ? leave : undefined;
              const problem = refused?.problems.fields.leftOn;
              const inputId = `leave-${m.memberId}`;
              return (
                <tr data-testid="member-row">
                  <td>{m.name}</td>
                  <td>{memberRoleName(m.role, lang)}</td>
                  <td>{dateLabel(m.joinedOn, lang)}</td>
                  <td>{m.leftOn ? dateLabel(m.leftOn, lang) : t.current}</td>
                  <td>
                    {m.leftOn ? null : (
                      <form method="post" action={`${base}/${encodeURIComponent(m.memberId)}/leave?lang=${lang}`} class="actions" data-testid="leave-form">
                        <label class="field" for={inputId}>
                          <span class="visually-hidden">{t.leaveDate(m.name)}</span>
                          <input
                            id={inputId}
                            name="leftOn"
                            type="date"
                            required
                            value={refused?.values.leftOn ?? props.today}
                            {...describedBy(`${inputId}-error`, problem)}
                          />
                          <Problem id={`${inputId}-error`} text={problem} />
                        </label>
                        <button type="submit" class="secondary">
                          {t.leaveButton}
                          <span class="visually-hidden">：{m.name}</span>
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <section class="card" aria-labelledby="join-heading">
        <h2 id="join-heading">{t.join}</h2>
        {alert(join.problems)}
        <form method="post" action={`${base}?lang=${lang}`} data-testid="join-form">
          <div class="fields">
            <label class="field" for="join-name">
              {t.name}
              <input id="join-name" name="name" required value={join.values.name ?? ''} {...describedBy('join-name-error', jp.name)} />
              <Problem id="join-name-error" text={jp.name} />
            </label>
            <label class="field" for="join-role">
              {t.role}
              <select id="join-role" name="role" {...describedBy('join-role-error', jp.role)}>
                {MEMBER_ROLES.map((role) => (
                  <option value={role} {...(join.values.role === role ? { selected: true } : {})}>
                    {memberRoleName(role, lang)}
                  </option>
                ))}
              </select>
              <Problem id="join-role-error" text={jp.role} />
            </label>
            <label class="field" for="join-joinedOn">
              {t.joinedOn}
              <input
                id="join-joinedOn"
                name="joinedOn"
                type="date"
                required
                value={join.values.joinedOn ?? props.today}
                {...describedBy('join-joinedOn-error', jp.joinedOn)}
              />
              <Problem id="join-joinedOn-error" text={jp.joinedOn} />
            </label>
          </div>
          <button type="submit">{t.joinButton}</button>
        </form>
      </section>
    </StaffPage>
  );
}
