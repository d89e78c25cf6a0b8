// Prometheus durations ("5m", "1h30m", "30d"): parsed once here so the SLO spec, the evaluator, the rules
// renderer, the settle wait and the CLI flags agree on what a duration is. It lives at the bottom of the tree
// (core/) so that slo/spec need not import slo/model, which is built from the spec.

const UNITS: [string, number][] = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

// The same grammar as Prometheus' model.ParseDuration: units in decreasing order, each at most once.
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Milliseconds of a Prometheus duration, or undefined if the text is not one (or is zero). */
export function parseDuration(text: string): number | undefined {
  if (text === '') return undefined;
  const match = DURATION.exec(text);
  if (!match) return undefined;
  let ms = 0;
  for (let i = 0; i < UNITS.length; i++) {
    const part = match[i + 1];
    if (part !== undefined) ms += Number(part) * UNITS[i]![1];
  }
  return ms > 0 ? ms : undefined;
}

/** The shortest Prometheus duration for a number of milliseconds: 3600000 -> "1h", 5400000 -> "1h30m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`not a positive duration: ${ms} ms`);
  let rest = Math.round(ms);
  let text = '';
  // Years and weeks are left out on purpose: "30d" reads better than "4w2d" in reports and rule names.
  for (const [unit, size] of UNITS.filter(([unit]) => unit !== 'y' && unit !== 'w')) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text;
}

/**
 * A duration as Prometheus prints it (model.Duration.String(), which Sloth uses for window labels and rule
 * names): years and weeks only when they divide it exactly, then days down to milliseconds; so 28 days is
 * "4w", 30 days "30d" and 365 days "1y".
 */
export function formatPromDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`not a positive duration: ${ms} ms`);
  let rest = Math.round(ms);
  let text = '';
  for (const [unit, size] of UNITS) {
    if ((unit === 'y' || unit === 'w') && rest % size !== 0) continue;
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text;
}
