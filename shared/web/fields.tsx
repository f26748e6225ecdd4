/** Form controls of the staff pages: every control labelled, its problem next to it (aria-describedby); a refusal summary and a notice. */
import type { FieldError } from '../domain/field-errors.ts';

export interface FormState {
  values: Record<string, string>;
  errors: readonly FieldError[];
}

export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: [] });

const errorId = (name: string) => `err-${name.replace(/[^a-zA-Z0-9-]/g, '-')}`;

function FieldProblem(props: { name: string; form: FormState }) {
  const problem = props.form.errors.find((e) => e.field === props.name);
  return problem ? (
    <span class="error" id={errorId(props.name)}>
      {problem.message}
    </span>
  ) : null;
}

function describedBy(name: string, form: FormState) {
  return form.errors.some((e) => e.field === name) ? { 'aria-describedby': errorId(name), 'aria-invalid': 'true' } : {};
}

export function TextField(props: {
  name: string;
  label: string;
  form: FormState;
  type?: string;
  inputmode?: 'numeric' | 'decimal';
  required?: boolean;
  hideLabel?: boolean;
}) {
  return (
    <label class="field">
      <span class={props.hideLabel ? 'sr-only' : undefined}>{props.label}</span>
      <input
        name={props.name}
        type={props.type ?? 'text'}
        value={props.form.values[props.name] ?? ''}
        {...(props.inputmode ? { inputmode: props.inputmode } : {})}
        {...(props.required ? { required: true } : {})}
        {...describedBy(props.name, props.form)}
      />
      <FieldProblem name={props.name} form={props.form} />
    </label>
  );
}

export function SelectField(props: {
  name: string;
  label: string;
  form: FormState;
  options: readonly { value: string; label: string }[];
  blank?: string;
  hideLabel?: boolean;
}) {
  const selected = props.form.values[props.name] ?? '';
  return (
    <label class="field">
      <span class={props.hideLabel ? 'sr-only' : undefined}>{props.label}</span>
      <select name={props.name} {...describedBy(props.name, props.form)}>
        {props.blank !== undefined ? <option value="">{props.blank}</option> : null}
        {props.options.map((o) => (
          <option value={o.value} {...(o.value === selected ? { selected: true } : {})}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldProblem name={props.name} form={props.form} />
    </label>
  );
}

/** The summary above a refused form: the problem of the service, or a count of the field problems. */
export function FormProblems(props: { title: string; problem?: string | undefined; form: FormState }) {
  if (!props.problem && props.form.errors.length === 0) return null;
  return (
    <div class="card notice refused" role="alert">
      <p>{props.problem ?? props.title}</p>
    </div>
  );
}

export function Notice(props: { text?: string | undefined }) {
  return props.text ? (
    <p class="card notice" role="status">
      {props.text}
    </p>
  ) : null;
}

/** Extra styles of the administrator pages (on top of STAFF_CSS). */
export const ADMIN_CSS = `
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
a:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f4b400;outline-offset:1px}
a{color:#0b5f58}
.rows td{vertical-align:top}.rows label.field{margin:0}
button.danger{background:#b42318}
`;
