// The machine's noise, read once for both kinds of latency SLO that name a control (docs/slo.md, "A saturated
// machine is not a slow service"): a threshold's value (evaluate.ts noiseVerdict) and a latency ratio's share
// of requests within a bound (latencyNoiseVerdict, here). Pure: the evaluator asks Prometheus and hands the
// answers in.
import { roundSig, type SliUnit } from '../model/model.ts';
import { formatValue, trim } from '../model/units.ts';

/** The machine's noise in a judged window, and how a reason names it. */
export interface NoiseReading {
  /** The noise, in the SLI's unit: the larger of the control's value and the probe. */
  noise: number;
  /** "/healthz P95 195 ms", or "/healthz P95 180 ms as the harness probed it, 32 ms in the service's histogram". */
  text: string;
  /** The control's value from the service's own histogram, when it had one. */
  fromHistogram?: number;
}

/**
 * The noise as the larger of the control (the no-op endpoint in the service's own histogram) and the probe (the
 * harness's client timing the same no-op): the client also sees the wait before the service's event loop takes
 * the request, which on a machine crowded by other processes can be most of it. Undefined when neither was
 * measured (no data, a negative or non-finite value): then no noise explains anything.
 */
export function noiseReading(
  label: string,
  controlValue: number | null,
  probed: number | undefined,
  unit: SliUnit,
): NoiseReading | undefined {
  const fromHistogram = controlValue !== null && controlValue >= 0 ? controlValue : undefined;
  const fromProbe = probed !== undefined && Number.isFinite(probed) && probed >= 0 ? probed : undefined;
  if (fromHistogram === undefined && fromProbe === undefined) return undefined;
  const fmt = (value: number) => formatValue(value, unit);
  const byProbe = fromProbe !== undefined && (fromHistogram === undefined || fromProbe > fromHistogram);
  const noise = byProbe ? fromProbe! : fromHistogram!;
  const text = byProbe
    ? `${label} ${fmt(noise)} as the harness probed it${fromHistogram === undefined ? '' : `, ${fmt(fromHistogram)} in the service's histogram`}`
    : `${label} ${fmt(noise)}`;
  return { noise, text, ...(fromHistogram === undefined ? {} : { fromHistogram }) };
}

/** One bucket's count over the window: `le` its bound (Infinity for +Inf), `count` the events within it. */
export interface BucketCount {
  le: number;
  count: number;
}

/**
 * How many observations lie within `at`, read from cumulative bucket counts as histogram_quantile reads a
 * bucket: linearly between the bucket bounds around it, lo < at <= hi (from 0 below the first bound),
 * c(at) = c(lo) + (c(hi) - c(lo)) x (at - lo) / (hi - lo); exactly c(hi) at a bound. Undefined when `at` lies
 * beyond the largest finite bound (only +Inf holds it: nothing to read it by); `problem` when the counts are not
 * cumulative (a bucket holding fewer than one below it). Float noise of `at` is cut first (0.1 + 0.2 is 0.3).
 */
export function countWithin(at: number, buckets: readonly BucketCount[]): number | undefined | { problem: string } {
  const wanted = roundSig(at);
  const finite = buckets.filter((bucket) => Number.isFinite(bucket.le)).sort((a, b) => a.le - b.le);
  for (let i = 1; i < finite.length; i++) {
    if (finite[i]!.count < finite[i - 1]!.count)
      return {
        problem: `the bucket counts are not cumulative (le="${finite[i]!.le}" holds ${trim(finite[i]!.count)}, le="${finite[i - 1]!.le}" ${trim(finite[i - 1]!.count)})`,
      };
  }
  const hi = finite.findIndex((bucket) => bucket.le >= wanted);
  if (hi === -1) return undefined;
  const upper = finite[hi]!;
  if (upper.le === wanted) return upper.count;
  const lower = hi === 0 ? { le: 0, count: 0 } : finite[hi - 1]!;
  return lower.count + ((upper.count - lower.count) * (wanted - lower.le)) / (upper.le - lower.le);
}

/** What a latency ratio's breach is judged on once the noise is known. */
export interface LatencyNoiseInput {
  /** The SLI's bound (the bucket its good query reads), in the histogram's unit. */
  bound: number;
  /** How values read in reasons: seconds for a `*_seconds` histogram, else plain numbers. */
  unit: SliUnit;
  noise: NoiseReading;
  /** Every bucket's count over the window (bucketCounts' query), or why they could not be read. */
  buckets: BucketCount[] | { problem: string };
  /** The SLI's events (its total, the histogram's _count) and the objective (percent) it breached. */
  events: number;
  objective: number;
  /** The SLO's minimum evidence, when it has one. */
  minEvents?: number;
  /** The breach as judged without the noise ("97 % < 99 % (burn rate 3x)"). */
  breach: string;
}

/** A breach weighed against the noise; `within`: bound + the noise (`le`) and the count read within it, when read. */
export interface NoiseVerdict {
  status: 'inconclusive' | 'fail';
  reason: string;
  within?: BucketCount;
}

/** A breach whose noise could not be weighed: it stands, naming the noise and why. */
export function unweighed(breach: string, noise: NoiseReading, why: string): NoiseVerdict {
  return { status: 'fail', reason: `${breach}; the machine's noise (${noise.text}) could not be weighed: ${why}` };
}

/**
 * Whether the machine's noise explains a latency ratio's breach: inconclusive when it does ("machine
 * saturated: ..."), never a pass; fail naming the noise when the breach is clearly above it.
 *
 * The additive model, as for a threshold (evaluate.ts noiseVerdict): under CPU saturation every request waits
 * the machine's share n besides its own latency, observed = own + n, so a request is slow by its own doing only
 * when observed > bound + n. The share the service itself kept within the bound is then the observed share
 * within t = bound + n, read from the buckets by countWithin: between the bounds lo < t <= hi around it,
 * linearly, as histogram_quantile reads a bucket (the reading latency-p95's quantile stands on). That reading
 * lies between share(lo) and share(hi), the two shares the buckets prove, so:
 * - share(hi) < objective: the service's own share is below the objective whatever the spread inside the
 *   bucket: fail, naming the noise.
 * - share(lo) >= objective: the noise explains the breach whatever the spread: inconclusive.
 * - between the two, the even spread decides: share(t) >= objective is inconclusive, else fail.
 * Not share(hi) alone, the next bucket bound: buckets are coarse (300 ms, then 500 ms), so on a quiet machine
 * whose /healthz P95 is 10 ms every request up to 500 ms would count as within, and a 400 ms fault would be
 * inconclusive; read at 310 ms, it fails.
 * With no finite bound at or above t (bound + n beyond the largest bucket) the noise swamps every bucket, so
 * nothing tells the service's latency from the machine's: inconclusive, saying so. With fewer events than
 * minEvents a breach stands only when even padding the window with good events would miss the objective,
 * bad > budget x minEvents (evaluate.ts judgeRatio); the requests beyond t, events - c(t), are held to the same
 * test. Bucket counts that do not fit (none, not cumulative, more within t than events at all) weigh nothing:
 * the breach stands, naming the noise and why.
 */
export function latencyNoiseVerdict(input: LatencyNoiseInput): NoiseVerdict {
  const { bound, noise, events, objective, minEvents, breach } = input;
  const fmt = (value: number) => formatValue(value, input.unit);
  if ('problem' in input.buckets) return unweighed(breach, noise, input.buckets.problem);
  const finite = input.buckets.filter((bucket) => Number.isFinite(bucket.le));
  if (finite.length === 0) return unweighed(breach, noise, 'the histogram has no finite bucket in the window');
  const target = roundSig(bound + noise.noise);
  const read = countWithin(target, finite);
  if (read === undefined) {
    const largest = Math.max(...finite.map((bucket) => bucket.le));
    return {
      status: 'inconclusive',
      reason: `machine saturated: ${noise.text}; ${fmt(bound)} + the noise = ${fmt(target)}, above the histogram's largest bucket (${fmt(largest)}), so the noise is too large to tell the service's latency from it`,
    };
  }
  if (typeof read === 'object') return unweighed(breach, noise, read.problem);
  // Counts of one window's increase() may differ from the total in the last digits; more than that is another
  // question's answer.
  if (!(read >= 0) || roundSig(read, 9) > roundSig(events, 9))
    return unweighed(breach, noise, `${trim(read)} requests within ${fmt(target)} but ${trim(events)} in all`);
  const within = roundSig(Math.min(read, events));
  const share = roundSig((100 * within) / events);
  const beyond = roundSig(events - within);
  const where = `within ${fmt(target)} (${fmt(bound)} + the noise${between(target, finite, fmt)})`;
  const enough = minEvents === undefined || events >= minEvents;
  const budgetEvents = minEvents === undefined ? 0 : roundSig(((100 - objective) / 100) * minEvents);
  const explained = enough ? share >= objective : beyond <= budgetEvents;
  const counted = { le: target, count: within };
  if (explained) {
    return {
      status: 'inconclusive',
      reason: `machine saturated: ${noise.text}; ${trim(share)} % of requests ${where}, so the noise explains the breach`,
      within: counted,
    };
  }
  const still = enough
    ? `${trim(share)} % of requests ${where} is still below ${objective} %`
    : `${trim(beyond)} requests beyond ${fmt(target)} (${fmt(bound)} + the noise${between(target, finite, fmt)}) still exceed the budget of ${minEvents} events (minEvents)`;
  return {
    status: 'fail',
    reason: `${breach}; ${still}, so the breach is above the machine's noise (${noise.text})`,
    within: counted,
  };
}

/** How a reason says where t was read: "; read between the buckets 300 ms and 500 ms", nothing at a bound. */
function between(target: number, finite: readonly BucketCount[], fmt: (value: number) => string): string {
  const les = finite.map((bucket) => bucket.le).sort((a, b) => a - b);
  if (les.includes(target)) return '';
  const hi = les.find((le) => le > target)!;
  const lo = les.filter((le) => le < target).at(-1) ?? 0;
  return `, read between the buckets ${fmt(lo)} and ${fmt(hi)}`;
}
