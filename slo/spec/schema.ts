// The raw spec: what slo-config.yaml may contain, as one zod schema that gives both validation and the type.
// Messages here are the field-level part only ("must be a Prometheus duration ..."); the parser adds the SLO,
// the field path, the file, the line and the column.
import { z } from 'zod';
import { parseDuration } from '../../core/duration.ts';
import { SERVICE_HISTOGRAM_BUCKETS } from '../../core/service-metrics.ts';

/** The spec versions this checker reads. */
export const SPEC_VERSION = 1;

/** Template variables a query may use; anything else in {{ }} is an error (a typo would go unnoticed). */
export const TEMPLATE_VARIABLES = ['window'] as const;

const duration = z
  .string({ error: 'must be a Prometheus duration such as 5m, 1h or 30d' })
  .refine((text) => parseDuration(text) !== undefined, {
    error: 'must be a Prometheus duration such as 5m, 1h or 30d',
  });

const query = z
  .string({ error: 'must be a PromQL query (a string)' })
  .trim()
  .min(1, { error: 'must be a PromQL query, not empty' })
  .refine((text) => [...text.matchAll(/\{\{\s*(\w*)\s*\}\}/g)].every((m) => m[1] === 'window'), {
    error: 'uses an unknown template variable; only {{window}} is supported',
  });

const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** A mapping of Prometheus label names to string values. */
export const labels = z.record(
  z.string().regex(labelName, { error: 'label names must match [a-zA-Z_][a-zA-Z0-9_]*' }),
  z.string({ error: 'label values must be strings' }),
  { error: 'must be a mapping of label names to strings' },
);

/** Lowest objective (percent) accepted without `allowLowObjective: true`: below it a typo such as 0.999 for
 * 99.9 would gate on a target that always passes. */
export const OBJECTIVE_FLOOR = 50;

/** The harness's own client-side probes a control can name (the load probes /healthz through the run). */
export const controlProbe = z.enum(['/healthz'], { error: 'must name a probe the harness makes: "/healthz"' });

/** What an answer that Prometheus marked partial (its `warnings`) makes of an SLO: inconclusive, or judged. */
export const warningsPolicy = z.enum(['inconclusive', 'judge'], { error: 'must be one of inconclusive, judge' });

/** What a gap in the scrape coverage of the judged window makes of an SLO: inconclusive, or downtime (fail). */
export const gapsPolicy = z.enum(['inconclusive', 'downtime'], { error: 'must be one of inconclusive, downtime' });

const minEvents = z
  .number({ error: 'must be a whole number of events' })
  .int({ error: 'must be a whole number of events' })
  .min(1, { error: 'must be at least 1' });

/** What a missing value, a NaN or a ratio with zero total makes of an SLO. */
export const noDataPolicy = z.enum(['inconclusive', 'pass', 'fail'], {
  error: 'must be one of inconclusive, pass, fail',
});

const baseline = z.strictObject(
  {
    maxRegressionPct: z
      .number({ error: 'must be a number (percent)' })
      .positive({ error: 'must be greater than 0 (percent)' }),
  },
  { error: 'must be a mapping with maxRegressionPct' },
);

/** The fields every noise control has: a no-op endpoint's latency in the same window, and its name in reasons. */
const controlFields = {
  query,
  label: z.string({ error: 'must be a string such as "/healthz P95"' }),
  /** The harness's own probe of the same endpoint (load runs), by name: "/healthz". */
  probe: controlProbe.optional(),
};

/**
 * A latency ratio's noise control (sli.latency.control, sli.ratio.control): the no-op endpoint's latency in the
 * same window, in the histogram's unit (seconds). No `multiple`: its proportional model is a statement's (a
 * threshold's, docs/slo.md); a request starved of CPU waits once more, which moves the bound by the noise.
 */
export const latencyControl = z.strictObject(controlFields, {
  error: 'must be a mapping with query and label (probe optional)',
});

const ratioSli = z
  .strictObject(
    {
      good: query.optional(),
      bad: query.optional(),
      total: query,
      /**
       * The machine's noise for a latency ratio: good reads one bucket of a histogram (le="N"), total its count,
       * as sli.latency writes them (docs/slo.md, "When the noise explains a breach").
       */
      control: latencyControl.optional(),
    },
    { error: 'must be a mapping with good or bad, and total' },
  )
  .check((ctx) => {
    const { good, bad, control } = ctx.value;
    if ((good === undefined) === (bad === undefined)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        path: good === undefined ? [] : ['bad'],
        message: good === undefined ? 'needs a good or a bad query' : 'give good or bad, not both',
      });
    } else if (control !== undefined && good === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: control,
        path: ['control'],
        message:
          'needs a good query: a noise control judges a latency ratio, whose good query reads one bucket of a histogram (le="N")',
      });
    }
  });

const thresholdSli = z.strictObject(
  {
    query,
    operator: z.enum(['<', '<=', '>', '>='], { error: 'must be one of <, <=, >, >=' }),
    bound: z.number({ error: 'must be a number' }).refine(Number.isFinite, { error: 'must be a finite number' }),
    unit: z.enum(['seconds', 'percent', 'ratio', 'count', 'none'], {
      error: 'must be one of seconds, percent, ratio, count, none',
    }),
    /** How many events the value stands on (e.g. a histogram's _count increase); derived for histogram_quantile. */
    events: query.optional(),
    /** The same measure of a no-op endpoint in the same window: the machine's own noise (see docs/slo.md). */
    control: z
      .strictObject(
        {
          ...controlFields,
          /** A value within this multiple of the control is explained by the machine too (docs/slo.md). */
          multiple: z
            .number({ error: 'must be a number greater than 1' })
            .refine((n) => Number.isFinite(n) && n > 1, { error: 'must be a number greater than 1' })
            .optional(),
        },
        { error: 'must be a mapping with query and label (probe and multiple optional)' },
      )
      .optional(),
  },
  { error: 'must be a mapping with query, operator, bound and unit' },
);

/** A number as Prometheus and prom-client write a bucket's bound: 0.3, 1, 2.5. */
function leText(bound: number): string {
  return String(bound);
}

/**
 * Why `bound` is not one of `buckets`, naming the nearest (the bucket below and the one above), or undefined
 * when it is one. A bound between two buckets selects no `le` series: the good query would read nothing.
 */
export function notABucket(histogram: string, bound: number, buckets: readonly number[]): string | undefined {
  if (buckets.includes(bound)) return undefined;
  const sorted = [...buckets].sort((a, b) => a - b);
  const below = sorted.filter((b) => b < bound).at(-1);
  const above = sorted.find((b) => b > bound);
  const le = (b: number) => `le="${leText(b)}"`;
  const nearest =
    below !== undefined && above !== undefined
      ? `the nearest are ${le(below)} and ${le(above)}`
      : below !== undefined
        ? `the largest is ${le(below)}`
        : `the smallest is ${le(above!)}`;
  return `${bound} is not a bucket bound of ${histogram}: ${nearest} (its buckets: ${sorted.map(leText).join(', ')})`;
}

/**
 * Latency as a budgeted ratio: the share of a histogram's observations no slower than `bound`, read from its
 * `le` bucket over its `_count` (Sloth's, Pyrra's and the SRE workbook's latency SLI). The model writes it as a
 * ratio SLI (model.ts latencyQueries), so it gets an error budget, burn rates and page/ticket alerts.
 */
const latencySli = z
  .strictObject(
    {
      /** The histogram's name, without _bucket or _count: http_request_duration_seconds. */
      histogram: z
        .string({ error: 'must be a metric name such as http_request_duration_seconds' })
        .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { error: 'must be a metric name such as http_request_duration_seconds' })
        .refine((name) => !/_(bucket|count|sum)$/.test(name), {
          error: 'names the histogram itself, without _bucket, _count or _sum',
        }),
      /** The bound, in the histogram's unit (seconds for *_seconds): one of its buckets. */
      bound: z
        .number({ error: 'must be a number (a bucket bound, in the histogram unit)' })
        .refine((n) => Number.isFinite(n) && n > 0, { error: 'must be a positive bucket bound' }),
      /** Label matchers of the series counted, as PromQL writes them: {job="mystocks-api",endpoint!="/healthz"}. */
      selector: z
        .string({ error: 'must be label matchers in braces, such as {job="mystocks-api"}' })
        .trim()
        .regex(/^\{[\s\S]*\}$/, { error: 'must be label matchers in braces, such as {job="mystocks-api"}' })
        .refine((text) => !/\ble\s*[!=]/.test(text), { error: 'must not match le: bound chooses the bucket' })
        .optional(),
      /** The histogram's bucket bounds, to check the bound against; the service's own histograms need none. */
      buckets: z
        .array(z.number({ error: 'must be numbers' }), { error: 'must be a list of bucket bounds' })
        .min(1, { error: 'must list at least one bucket bound' })
        .optional(),
      /**
       * The machine's noise: a no-op endpoint's latency in the same window, in the histogram's unit. A breach is
       * inconclusive when the share within the bound moved by the noise meets the objective (docs/slo.md).
       */
      control: latencyControl.optional(),
    },
    { error: 'must be a mapping with histogram and bound (selector, buckets and control optional)' },
  )
  .check((ctx) => {
    const { histogram, bound, buckets } = ctx.value;
    const known = buckets ?? SERVICE_HISTOGRAM_BUCKETS[histogram];
    const problem = known === undefined ? undefined : notABucket(histogram, bound, known);
    if (problem !== undefined) ctx.issues.push({ code: 'custom', input: bound, path: ['bound'], message: problem });
  });

const SLI_KINDS = ['ratio', 'threshold', 'latency'] as const;

const sli = z
  .strictObject(
    { ratio: ratioSli.optional(), threshold: thresholdSli.optional(), latency: latencySli.optional() },
    { error: 'must be a mapping with ratio, threshold or latency' },
  )
  .check((ctx) => {
    const given = SLI_KINDS.filter((kind) => ctx.value[kind] !== undefined);
    if (given.length !== 1) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        path: [],
        message:
          given.length === 0
            ? 'needs a ratio, a threshold or a latency'
            : `give ${given.join(' or ')}, ${given.length === 2 ? 'not both' : 'only one'}`,
      });
    }
  });

/** A Prometheus alert name. */
export const alertName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be a Prometheus alert name' });

/** Settings of one severity's alert (what Sloth calls page_alert / ticket_alert). */
const severityAlert = z.strictObject(
  {
    labels: labels.optional(),
    annotations: labels.optional(),
    disabled: z.boolean({ error: 'must be true or false' }).optional(),
  },
  { error: 'must be a mapping' },
);

const alerting = z.strictObject(
  {
    /** Alert name; defaults to the service and SLO in PascalCase plus BudgetBurn (ratio) or BoundBreach. */
    name: alertName.optional(),
    labels: labels.optional(),
    annotations: labels.optional(),
    page: severityAlert.optional(),
    ticket: severityAlert.optional(),
    disabled: z.boolean({ error: 'must be true or false' }).optional(),
  },
  { error: 'must be a mapping' },
);

export const sloSpec = z
  .strictObject(
    {
      name: z
        .string({ error: 'must be a string' })
        .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, { error: 'must be lower-case letters, digits and dashes' }),
      description: z.string({ error: 'must be a string' }).optional(),
      window: duration,
      objective: z
        .number({ error: 'must be a number (a percentage)' })
        .gt(0, { error: 'must be between 0 and 100 (a percentage, exclusive)' })
        .lt(100, { error: 'must be between 0 and 100 (a percentage, exclusive)' })
        .optional(),
      allowLowObjective: z.boolean({ error: 'must be true or false' }).optional(),
      noData: noDataPolicy.optional(),
      onWarnings: warningsPolicy.optional(),
      onGaps: gapsPolicy.optional(),
      minEvents: minEvents.optional(),
      /** Labels of this SLO's rules only, after the file's `labels`. */
      labels: labels.optional(),
      sli,
      alerting: alerting.optional(),
      baseline: baseline.optional(),
      loadThreshold: z
        .enum(['p95LatencyMs', 'maxErrorRatePct', 'availabilityPct'], {
          error: 'must be one of p95LatencyMs, maxErrorRatePct, availabilityPct',
        })
        .optional(),
    },
    { error: 'must be a mapping' },
  )
  .check((ctx) => {
    const slo = ctx.value;
    if ((slo.sli.ratio || slo.sli.latency) && slo.objective === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: slo,
        path: [],
        message: `objective: is required for a ${slo.sli.ratio ? 'ratio' : 'latency'} SLI (the target share of good events, in percent)`,
      });
    }
    // Above 0 only: 0 and below already fail the range check.
    if (
      slo.objective !== undefined &&
      slo.objective > 0 &&
      slo.objective < OBJECTIVE_FLOOR &&
      slo.allowLowObjective !== true
    ) {
      const fraction = slo.objective <= 1 ? ` (did you mean ${Number((slo.objective * 100).toPrecision(12))}?)` : '';
      ctx.issues.push({
        code: 'custom',
        input: slo.objective,
        path: ['objective'],
        message: `${slo.objective} is below ${OBJECTIVE_FLOOR} %, a target that hardly ever fails${fraction}; objectives are percentages from 0 to 100, and a low one needs allowLowObjective: true`,
      });
    }
    if (slo.sli.threshold && slo.objective !== undefined) {
      ctx.issues.push({
        code: 'custom',
        input: slo,
        path: ['objective'],
        message: 'is not used by a threshold SLI (its bound is the objective); remove it',
      });
    }
  });

/** Bounds on browser-level load's Web Vitals (P75 per page); each absent one is Google's "good" bound. */
const webVitals = z.strictObject(
  {
    lcpMs: z.number({ error: 'must be a number of milliseconds' }).positive({ error: 'must be positive' }).optional(),
    fcpMs: z.number({ error: 'must be a number of milliseconds' }).positive({ error: 'must be positive' }).optional(),
    ttfbMs: z.number({ error: 'must be a number of milliseconds' }).positive({ error: 'must be positive' }).optional(),
    inpMs: z.number({ error: 'must be a number of milliseconds' }).positive({ error: 'must be positive' }).optional(),
    cls: z.number({ error: 'must be a number' }).nonnegative({ error: 'must be 0 or more' }).optional(),
  },
  { error: 'must be a mapping of lcpMs, fcpMs, ttfbMs, inpMs, cls' },
);

export const configSpec = z
  .strictObject(
    {
      version: z.literal(SPEC_VERSION, { error: `must be ${SPEC_VERSION}` }),
      service: z
        .string({ error: 'must be a string' })
        .regex(/^[a-zA-Z0-9_-]+$/, { error: 'must be letters, digits, dashes and underscores' }),
      labels: labels.optional(),
      /** The scrape-health series of the job the SLOs read: gaps in it make the judged window incomplete. */
      coverage: z
        .strictObject({ up: query }, { error: 'must be a mapping with up (a selector such as up{job="x"})' })
        .optional(),
      defaults: z
        .strictObject(
          {
            noData: noDataPolicy.optional(),
            onWarnings: warningsPolicy.optional(),
            onGaps: gapsPolicy.optional(),
            minEvents: minEvents.optional(),
            baseline: baseline.optional(),
          },
          { error: 'must be a mapping' },
        )
        .optional(),
      webVitals: webVitals.optional(),
      slos: z.array(sloSpec, { error: 'must be a list of SLOs' }).min(1, { error: 'must list at least one SLO' }),
    },
    { error: 'must be a mapping with version, service and slos' },
  )
  .check((ctx) => {
    const seen = new Map<string, number>();
    ctx.value.slos.forEach((slo, index) => {
      const first = seen.get(slo.name);
      if (first !== undefined) {
        ctx.issues.push({
          code: 'custom',
          input: slo.name,
          path: ['slos', index, 'name'],
          message: `duplicates the name of slos[${first}]`,
        });
      } else {
        seen.set(slo.name, index);
      }
    });
  });

/** The raw spec of one SLO, as written. */
export type SloSpec = z.infer<typeof sloSpec>;
/** The raw spec of a whole file, as written. */
export type ConfigSpec = z.infer<typeof configSpec>;

/** Every field name the spec knows, for "did you mean" hints on unknown keys. */
export const KNOWN_FIELDS = [
  'version',
  'service',
  'labels',
  'defaults',
  'slos',
  'name',
  'description',
  'window',
  'objective',
  'allowLowObjective',
  'noData',
  'onWarnings',
  'onGaps',
  'minEvents',
  'events',
  'sli',
  'ratio',
  'good',
  'bad',
  'total',
  'threshold',
  'latency',
  'histogram',
  'selector',
  'buckets',
  'query',
  'operator',
  'bound',
  'unit',
  'alerting',
  'annotations',
  'page',
  'ticket',
  'disabled',
  'baseline',
  'maxRegressionPct',
  'loadThreshold',
  'coverage',
  'up',
  'control',
  'label',
  'probe',
  'webVitals',
  'lcpMs',
  'fcpMs',
  'ttfbMs',
  'inpMs',
  'cls',
];
