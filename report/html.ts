// A standalone HTML page: inline CSS, inline SVG charts, no script and no outside file, so it opens from disk
// (file://), from a CI artifact or attached to a test report the same way.

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A cell of {@link htmlTable}: text (escaped) or `{ html }` already safe. */
export type Cell = string | number | { html: string };

/** A table with a header row; `className` per row (e.g. "fail") when given. */
export function htmlTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  rowClass?: (i: number) => string,
): string {
  const cell = (c: Cell) => (typeof c === 'object' ? c.html : escapeHtml(String(c)));
  return [
    '<table>',
    `<thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...rows.map((r, i) => {
      const cls = rowClass?.(i);
      return `<tr${cls ? ` class="${escapeHtml(cls)}"` : ''}>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`;
    }),
    '</tbody>',
    '</table>',
  ].join('\n');
}

/** A chart in a figure with its caption; `id` lets tests and links find it. */
export function htmlFigure(id: string, caption: string, svg: string): string {
  // The SVG documents carry their own XML prologue-free root: inline as is.
  return `<figure class="chart" id="${escapeHtml(id)}" data-chart="${escapeHtml(id)}">\n${svg}\n<figcaption>${escapeHtml(caption)}</figcaption>\n</figure>`;
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 960px; color: #222; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
.verdict { font-size: 1.15rem; padding: 0.75rem 1rem; border-radius: 6px; }
.verdict.pass { background: #e8f5e9; border-left: 6px solid #2e7d32; }
.verdict.fail { background: #ffebee; border-left: 6px solid #c62828; }
.verdict.inconclusive { background: #fff8e1; border-left: 6px solid #f9a825; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; font-variant-numeric: tabular-nums; }
th { background: #f5f5f5; } tr.fail td { background: #ffebee; } tr.inconclusive td { background: #fff8e1; }
figure.chart { margin: 1rem 0; } figure.chart svg { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9rem; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; } dt { font-weight: 600; }
`;

/** The whole page. `body` is HTML already safe. */
export function htmlPage(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
