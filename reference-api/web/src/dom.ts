// A tiny element builder: enough DOM sugar to write the pages in plain TypeScript without a framework.

/** What may appear as a child: nodes, text, or nothing (skipped), nested arrays flattened. */
export type Child = Node | string | number | null | undefined | false | Child[];

/**
 * Attributes of `h`: `class`, ARIA and data attributes as strings; `true` sets an empty attribute and
 * `false`/`null`/`undefined` leaves it out; `on<event>` functions become listeners; `value`/`checked` are set as
 * properties so they also work after the element has been edited.
 */
export type Attrs = Record<string, unknown>;

let idCounter = 0;

/** A document-unique id for label/ARIA wiring. */
export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** Appends children (flattening arrays, skipping empty values) to a parent. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, ...child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

/** Creates an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
    } else if (key === 'value' || key === 'checked') {
      (el as unknown as Record<string, unknown>)[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, ...children);
  return el;
}

/** Replaces all children of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}
