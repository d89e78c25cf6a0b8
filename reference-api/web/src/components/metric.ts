// A figure card: role="group" named by its label, so `getByRole('group', { name: 'VaR 95%' })` finds it; the
// value element carries data-value (raw) and data-testid="metric-value".
import { type Child, h, uid } from '../dom.ts';
import { trendClass } from '../format.ts';

export interface MetricOptions {
  label: string;
  /** Raw value for data-value. */
  value: number | string | null;
  display: string;
  /** Secondary line (e.g. the VaR amount). */
  detail?: Child;
  trend?: number | null;
  key?: string;
}

export function metricCard(opts: MetricOptions): HTMLElement {
  const labelId = uid('metric');
  return h(
    'div',
    { role: 'group', 'aria-labelledby': labelId, class: 'card metric', 'data-metric': opts.key },
    h('p', { id: labelId, class: 'metric-label' }, opts.label),
    h(
      'p',
      {
        class: `metric-value ${opts.trend === undefined ? '' : trendClass(opts.trend)}`,
        'data-testid': 'metric-value',
        'data-value': opts.value === null ? '' : String(opts.value),
      },
      opts.display,
    ),
    opts.detail ? h('p', { class: 'metric-detail' }, opts.detail) : null,
  );
}
