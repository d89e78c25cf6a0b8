// Form fields with a <label for>, a hint and an error message wired through aria-describedby / aria-invalid.
import { type Attrs, type Child, h, replace, uid } from './dom.ts';

export interface Field<E extends HTMLInputElement | HTMLSelectElement> {
  /** The wrapper to put in the form. */
  element: HTMLElement;
  control: E;
  /** Shows (or with null clears) the field's error message. */
  setError(message: string | null): void;
}

function wire<E extends HTMLInputElement | HTMLSelectElement>(
  label: string,
  control: E,
  hint: Child | undefined,
): Field<E> {
  const errorId = uid('err');
  const hintId = hint ? uid('hint') : undefined;
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  const describedBy = (withError: boolean) =>
    [hintId, withError ? errorId : undefined].filter(Boolean).join(' ') || null;
  const d = describedBy(false);
  if (d) control.setAttribute('aria-describedby', d);
  const element = h(
    'div',
    { class: 'field' },
    h('label', { for: control.id }, label),
    control,
    hint ? h('p', { id: hintId, class: 'field-hint' }, hint) : null,
    error,
  );
  return {
    element,
    control,
    setError(message) {
      if (message) {
        replace(error, message);
        error.hidden = false;
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', describedBy(true)!);
      } else {
        error.hidden = true;
        error.textContent = '';
        control.removeAttribute('aria-invalid');
        const dd = describedBy(false);
        if (dd) control.setAttribute('aria-describedby', dd);
        else control.removeAttribute('aria-describedby');
      }
    },
  };
}

/** A labelled <input>. */
export function inputField(label: string, attrs: Attrs, hint?: Child): Field<HTMLInputElement> {
  const control = h('input', { id: uid('f'), ...attrs });
  return wire(label, control, hint);
}

/** A labelled <select> of [value, text] options. */
export function selectField(
  label: string,
  options: [value: string, text: string][],
  attrs: Attrs = {},
  hint?: Child,
): Field<HTMLSelectElement> {
  const selected = attrs.value;
  const control = h(
    'select',
    { id: uid('f'), ...attrs, value: undefined },
    options.map(([value, text]) => h('option', { value, selected: value === selected }, text)),
  );
  return wire(label, control, hint);
}

/** Radio buttons in a <fieldset> with a <legend>: role group named by the legend, radios named by their labels. */
export function radioGroup(
  legend: string,
  name: string,
  options: [value: string, text: string][],
  checked: string,
  onChange: (value: string) => void,
  className = 'segmented',
): HTMLFieldSetElement {
  const groupName = uid(name);
  return h(
    'fieldset',
    { class: className },
    h('legend', null, legend),
    options.map(([value, text]) => {
      const id = uid(name);
      return h(
        'span',
        { class: 'choice' },
        h('input', {
          type: 'radio',
          id,
          name: groupName,
          value,
          checked: value === checked,
          onchange: (e: Event) => {
            if ((e.target as HTMLInputElement).checked) onChange(value);
          },
        }),
        h('label', { for: id }, text),
      );
    }),
  );
}

/** Clears every field's error. */
export function clearErrors(fields: Field<HTMLInputElement | HTMLSelectElement>[]): void {
  for (const f of fields) f.setError(null);
}
