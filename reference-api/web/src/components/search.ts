// Symbol search with suggestions, as the ARIA 1.2 combobox pattern: an input (role=combobox) that owns a
// listbox of options; arrows move, Enter picks, Escape closes. Picking a suggestion calls onPick (the pages
// open that symbol's chart). Lives in a role="search" landmark named "Symbol search".
import { api, apiPath, isAbort } from '../api.ts';
import { h, replace, uid } from '../dom.ts';
import type { SearchHit } from '../types.ts';

const DEBOUNCE_MS = 200;

export function symbolSearch(onPick: (hit: SearchHit) => void, signal: AbortSignal): HTMLElement {
  const inputId = uid('search');
  const listId = uid('suggestions');
  const statusId = uid('search-status');
  let hits: SearchHit[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inflight: AbortController | undefined;

  const input = h('input', {
    id: inputId,
    type: 'search',
    role: 'combobox',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': listId,
    'aria-describedby': statusId,
    placeholder: 'Code or name, e.g. 600 or Bank',
    maxlength: '20',
  });
  const list = h('ul', {
    id: listId,
    role: 'listbox',
    'aria-label': 'Suggestions',
    class: 'suggestions',
    hidden: true,
  });
  const status = h('p', { id: statusId, role: 'status', class: 'visually-hidden' });

  function close(): void {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function highlight(index: number): void {
    active = index;
    list.querySelectorAll('[role="option"]').forEach((el, i) => {
      el.setAttribute('aria-selected', String(i === index));
      if (i === index) {
        input.setAttribute('aria-activedescendant', el.id);
        el.scrollIntoView({ block: 'nearest' });
      }
    });
  }

  function pick(hit: SearchHit): void {
    close();
    input.value = '';
    onPick(hit);
  }

  function show(q: string, items: SearchHit[]): void {
    hits = items;
    replace(
      list,
      items.map((hit, i) =>
        h(
          'li',
          {
            id: `${listId}-${i}`,
            role: 'option',
            'aria-selected': 'false',
            'data-symbol': hit.symbol,
            // mousedown, not click: it fires before the input's blur closes the list.
            onmousedown: (e: Event) => {
              e.preventDefault();
              pick(hit);
            },
          },
          h('span', { class: 'suggestion-symbol' }, hit.symbol),
          ' ',
          h('span', { class: 'suggestion-name' }, hit.name),
          ' ',
          h('span', { class: 'suggestion-sector' }, hit.sector),
        ),
      ),
    );
    const open = items.length > 0;
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    active = -1;
    status.textContent = open ? `${items.length} suggestions for ${q}` : `No symbol matches ${q}`;
  }

  async function query(q: string): Promise<void> {
    inflight?.abort();
    inflight = new AbortController();
    const mine = inflight;
    try {
      const res = await api<{ items: SearchHit[] }>(apiPath('/api/market/search', { q, limit: 8 }), {
        signal: AbortSignal.any([signal, mine.signal]),
      });
      if (mine === inflight && input.value.trim() === q) show(q, res.items);
    } catch (error) {
      if (isAbort(error) || mine !== inflight) return;
      close();
      status.textContent = 'Search is unavailable right now';
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) {
      close();
      status.textContent = '';
      return;
    }
    timer = setTimeout(() => void query(q), DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && hits.length) {
      e.preventDefault();
      if (list.hidden) show(input.value.trim(), hits);
      highlight((active + 1) % hits.length);
    } else if (e.key === 'ArrowUp' && hits.length) {
      e.preventDefault();
      highlight(active <= 0 ? hits.length - 1 : active - 1);
    } else if (e.key === 'Escape') {
      close();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const q = input.value.trim();
      const chosen = hits[active] ?? (list.hidden ? undefined : hits[0]);
      if (chosen) pick(chosen);
      else if (/^\d{6}$/.test(q)) pick({ symbol: q, name: q, sector: '' });
    }
  });
  input.addEventListener('blur', () => close());
  signal.addEventListener('abort', () => {
    clearTimeout(timer);
    inflight?.abort();
  });

  return h(
    'form',
    {
      role: 'search',
      'aria-label': 'Symbol search',
      class: 'symbol-search',
      onsubmit: (e: Event) => e.preventDefault(),
    },
    h('label', { for: inputId }, 'Search symbols'),
    h('div', { class: 'combo' }, input, list),
    status,
  );
}
