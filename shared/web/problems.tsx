/** The problems of a form or request, each with its field path as the API reports it. */
import type { FieldError } from '../domain/field-errors.ts';

/** A field as the API names it, shown relative to the form: `body.document.indicators.0.weight` → `indicators.0.weight`. */
export function shownPath(field: string): string {
  if (field === 'body.document') return 'document';
  if (field.startsWith('body.document.')) return field.slice('body.document.'.length) || 'document';
  return field.replace(/^body\./, '');
}

export function ProblemList(props: { id: string; problems: readonly FieldError[] }) {
  return (
    <ul class="problems" id={props.id} data-testid="problems">
      {props.problems.map((p) => (
        <li>
          <code>{shownPath(p.field)}</code> {p.message}
        </li>
      ))}
    </ul>
  );
}
