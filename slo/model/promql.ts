// SLI queries read through the Prometheus project's own PromQL grammar (@prometheus-io/lezer-promql, the
// parser of Prometheus's web UI), never with regular expressions over the text: a label value "rate", a metric
// rate_total or a selector split over lines are then what they are. Its uses: the syntax check of a query
// read from another format (a located config error instead of a failed query at run time), the rewrite that
// counts a ratio SLI's events (rate over the window -> increase), the rule that finds a bad query that
// returns no series at all while nothing fails, the job matchers `--job` rewrites (job.ts), and a quantile
// SLI's event count built from its bucket selector (model.ts quantileEvidence). Pure: no I/O.
//
// The grammar knows no `{{window}}`: every window template (the model's `{{window}}`, Sloth's `{{.window}}`,
// spaced or not) is replaced by a placeholder duration before parsing, and offsets are mapped back to the
// query as written, so a rewrite replaces exactly an identifier's span of the original text.
import { parser } from '@prometheus-io/lezer-promql';

type Tree = ReturnType<typeof parser.parse>;
type Node = Tree['topNode'];

/** A window template in either spelling: the model's `{{window}}` or Sloth's `{{.window}}` (Go's `{{- ... -}}` too). */
const WINDOW_TEMPLATE = /\{\{-?\s*\.?window\s*-?\}\}/g;

/** A query with its templates replaced by a placeholder duration, and its syntax tree. */
interface Parsed {
  /** The query as written. */
  query: string;
  /** The query with every window template replaced by `placeholder`. */
  text: string;
  placeholder: string;
  tree: Tree;
  /** Each template: where its placeholder starts in `text`, and how long it was as written. */
  templates: { at: number; length: number }[];
}

function parse(query: string): Parsed {
  // A duration no real query spells: a second count of some thousand years, moved on if the query has it.
  let seconds = 98_765_432_101;
  while (query.includes(`${seconds}s`)) seconds++;
  const placeholder = `${seconds}s`;
  const templates: Parsed['templates'] = [];
  let text = '';
  let last = 0;
  for (const match of query.matchAll(WINDOW_TEMPLATE)) {
    text += query.slice(last, match.index);
    templates.push({ at: text.length, length: match[0].length });
    text += placeholder;
    last = match.index + match[0].length;
  }
  text += query.slice(last);
  return { query, text, placeholder, tree: parser.parse(text), templates };
}

/** An offset of the placeholder text as an offset of the query as written. */
function originalOffset(parsed: Parsed, offset: number): number {
  let shift = 0;
  for (const template of parsed.templates) {
    if (template.at >= offset) break;
    shift += template.length - parsed.placeholder.length;
  }
  return offset + shift;
}

/** The query as written between two offsets of the placeholder text. */
function originalText(parsed: Parsed, node: { from: number; to: number }): string {
  return parsed.query.slice(originalOffset(parsed, node.from), originalOffset(parsed, node.to));
}

/** Every node of the tree, depth first. */
function* nodes(tree: Tree): Generator<Node> {
  const cursor = tree.cursor();
  do yield cursor.node;
  while (cursor.next());
}

/** The named children of a node (the grammar's anonymous tokens, parentheses and commas, are not nodes). */
function children(node: Node): Node[] {
  const list: Node[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) list.push(child);
  return list;
}

/**
 * Why a query does not parse as PromQL, or undefined when it does. The position is the character of the
 * query as written (1-based), window templates included. Only syntax: whether a function is given the type
 * it takes (rate of an instant vector) is Prometheus's to say when the query runs.
 */
export function promqlSyntaxError(query: string): string | undefined {
  return syntaxErrorOf(parse(query));
}

function syntaxErrorOf(parsed: Parsed): string | undefined {
  const query = parsed.query;
  for (const node of nodes(parsed.tree)) {
    if (!node.type.isError) continue;
    if (node.from >= parsed.text.trimEnd().length)
      return 'does not parse as PromQL: it ends before the expression does (an unclosed bracket, or an operator without its right side?)';
    const at = originalOffset(parsed, node.from);
    const near = query.slice(at, at + 20).split('\n')[0]!;
    return `does not parse as PromQL: unexpected "${near}" at character ${at + 1}`;
  }
  return undefined;
}

/** The name of a function call's function (`rate`), as written. */
function functionName(parsed: Parsed, call: Node): string | undefined {
  const identifier = call.getChild('FunctionIdentifier');
  return identifier ? parsed.text.slice(identifier.from, identifier.to) : undefined;
}

/** The expression arguments of a call or an aggregation: the named children of its body. */
function argumentsOf(call: Node): Node[] {
  const body = call.getChild('FunctionCallBody');
  return body ? children(body) : [];
}

/** The matrix selector a range function reads, through an offset or @ modifier (`x[5m] offset 1h`). */
function matrixOf(argument: Node | undefined): Node | undefined {
  if (!argument) return undefined;
  if (argument.name === 'MatrixSelector') return argument;
  if (['OffsetExpr', 'StepInvariantExpr', 'AnchoredExpr', 'SmoothedExpr'].includes(argument.name))
    return matrixOf(argument.firstChild ?? undefined);
  return undefined;
}

/** True when the matrix selector's range is exactly the window template. */
function overWindow(parsed: Parsed, matrix: Node): boolean {
  const range = matrix.getChild('DurationExpr');
  return range !== null && parsed.text.slice(range.from, range.to) === parsed.placeholder;
}

/**
 * The query with every `rate(SELECTOR[{{window}}])` made `increase(SELECTOR[{{window}}])`: the same series
 * counted as events over the window instead of per second. Prometheus defines increase() as rate() times
 * the range (both extrapolate the same way), so a ratio of two such terms is unchanged, while its total is
 * the number of requests that minimum evidence counts: Sloth's own style, `sum(rate(x[{{.window}}]))` over
 * an hour of 10000 requests, reads 10000 / 3600 = 2.78 per second without it, far below the 1000 events
 * that 99.9 % needs.
 * Only the function identifier's span is replaced; a rate over another range (`rate(x[5m])` inside a
 * subquery) is left alone, and so is a query that does not parse (Prometheus reports it when it runs).
 */
export function countedQuery(query: string): string {
  const parsed = parse(query);
  if (syntaxErrorOf(parsed) !== undefined) return query;
  const spans: { from: number; to: number }[] = [];
  for (const node of nodes(parsed.tree)) {
    if (node.name !== 'FunctionCall' || functionName(parsed, node) !== 'rate') continue;
    const [argument] = argumentsOf(node);
    const matrix = matrixOf(argument);
    if (matrix && overWindow(parsed, matrix)) {
      const identifier = node.getChild('FunctionIdentifier')!;
      spans.push({ from: originalOffset(parsed, identifier.from), to: originalOffset(parsed, identifier.to) });
    }
  }
  let result = query;
  for (const span of spans.sort((a, b) => b.from - a.from))
    result = `${result.slice(0, span.from)}increase${result.slice(span.to)}`;
  return result;
}

/** The functions a query calls, by name, each once (`sum` and other aggregations are not functions). */
export function functionsCalled(query: string): string[] {
  const parsed = parse(query);
  const names = new Set<string>();
  for (const node of nodes(parsed.tree)) {
    if (node.name !== 'FunctionCall') continue;
    const name = functionName(parsed, node);
    if (name !== undefined) names.add(name);
  }
  return [...names];
}

/**
 * What makes a query unfit for an SLI's events, or undefined: it does not parse, or it calls irate(), which
 * reads only the last two samples of its range (an instantaneous rate), not the events over the window.
 */
export function sliQueryProblem(query: string): string | undefined {
  const syntax = promqlSyntaxError(query);
  if (syntax !== undefined) return syntax;
  if (functionsCalled(query).includes('irate'))
    return 'uses irate(), which reads only the last two samples of its range, not the events over the window; use rate() or increase()';
  return undefined;
}

/** One label matcher as written, for messages (`status_code=~"5.."`), and as a key to compare matchers by. */
interface Matcher {
  text: string;
  label: string;
  key: string;
}

/** The label matchers of a vector selector (`{job="a", code=~"5.."}`), names and values unquoted. */
function matchersOf(parsed: Parsed, selector: Node): Matcher[] {
  const list = selector.getChild('LabelMatchers');
  if (!list) return [];
  const unquote = (text: string) => (/^["'`]/.test(text) ? text.slice(1, -1) : text);
  return children(list).flatMap((matcher) => {
    const name = matcher.getChild('LabelName') ?? matcher.getChild('QuotedLabelName');
    const op = matcher.getChild('MatchOp');
    const value = matcher.getChild('StringLiteral');
    // A bare quoted string in the braces is the metric's name ({"my.metric"}), not a matcher.
    if (!name || !op || !value) return [];
    const label = unquote(parsed.text.slice(name.from, name.to));
    const opText = parsed.text.slice(op.from, op.to);
    return [
      {
        text: originalText(parsed, matcher),
        label,
        key: `${label}${opText}${unquote(parsed.text.slice(value.from, value.to))}`,
      },
    ];
  });
}

/** Every vector selector of a tree. */
function selectorsOf(parsed: Parsed): Node[] {
  return [...nodes(parsed.tree)].filter((node) => node.name === 'VectorSelector');
}

/**
 * Labels whose matchers select a series that exists whatever happened: a histogram's buckets (`le`) and a
 * summary's quantiles are exported together, from the first observation on.
 */
const ALWAYS_PRESENT_LABELS = new Set(['le', 'quantile', '__name__']);

/** Functions whose answer has a series whatever their argument gives (or no argument at all). */
const NEVER_EMPTY_FUNCTIONS = new Set([
  'vector',
  'absent',
  'absent_over_time',
  'scalar',
  'time',
  'pi',
  'minute',
  'hour',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'days_in_month',
  'month',
  'year',
]);

/**
 * The filtering matchers that make a bad (error) query return no series at all while nothing fails, or
 * undefined when it always returns one (or does not parse). A counter's series for a label value such as
 * `status_code="500"` exists only once the first such request happened, so `sum(...)` over it is no data, not
 * 0, on a healthy service, and no data is inconclusive, never a pass. A matcher filters when the total query
 * has no identical one (`job="a"` in both selects the service, `status_code=~"5.."` only in the bad query
 * selects the errors); for a raw error ratio (total `vector(1)`) when the query's own selectors do not all
 * share it (the numerator's `status_code` against the denominator). `le` and `quantile` never filter.
 * The expression decides the rest: `x or vector(0)` (with or without `on()`) always has a series, `a / b`
 * and `a and b` have none when either side has none, an aggregation or a function (rate, increase, ...)
 * has none when its argument has none.
 */
export function emptyWhenNothingFails(bad: string, total: string): string[] | undefined {
  const parsed = parse(bad);
  const totalParsed = parse(total);
  if (syntaxErrorOf(parsed) !== undefined || syntaxErrorOf(totalParsed) !== undefined) return undefined;
  const totalSelectors = selectorsOf(totalParsed);
  let reference: Set<string>;
  if (totalSelectors.length > 0) {
    reference = new Set(totalSelectors.flatMap((selector) => matchersOf(totalParsed, selector).map((m) => m.key)));
  } else {
    // No selector in the total (a raw error ratio over vector(1)): the matchers every selector shares.
    const sets = selectorsOf(parsed).map((selector) => matchersOf(parsed, selector).map((m) => m.key));
    reference = new Set((sets[0] ?? []).filter((key) => sets.every((set) => set.includes(key))));
  }
  const filtering = (selector: Node) =>
    matchersOf(parsed, selector).filter((m) => !ALWAYS_PRESENT_LABELS.has(m.label) && !reference.has(m.key));

  /** The filtering matchers that leave `node` without a series while nothing fails; empty when it always has one. */
  const emptyBy = (node: Node | null | undefined): string[] => {
    if (!node) return [];
    switch (node.name) {
      case 'PromQL':
      case 'ParenExpr':
      case 'UnaryExpr':
      case 'MatrixSelector':
      case 'SubqueryExpr':
      case 'OffsetExpr':
      case 'StepInvariantExpr':
      case 'AnchoredExpr':
      case 'SmoothedExpr':
        // The expression is the first child that is one (a unary minus's operator, a comment come first).
        return emptyBy(children(node).find((child) => child.name !== 'UnaryOp' && child.name !== 'LineComment'));
      case 'VectorSelector':
        return filtering(node).map((m) => m.text);
      case 'AggregateExpr':
        // The vector is the last argument: sum(x), topk(3, x), count_values("v", x).
        return emptyBy(argumentsOf(node).at(-1));
      case 'FunctionCall': {
        if (NEVER_EMPTY_FUNCTIONS.has(functionName(parsed, node) ?? '')) return [];
        // Empty as soon as a vector argument is: histogram_quantile(0.9, x), label_replace(x, ...), rate(x[w]).
        const found = argumentsOf(node).map(emptyBy);
        return found.some((m) => m.length > 0) ? found.flat() : [];
      }
      case 'BinaryExpr': {
        const [left, ...rest] = children(node);
        const operator = rest[0]?.name;
        const right = rest.at(-1);
        const l = emptyBy(left);
        const r = emptyBy(right);
        if (operator === 'Or') return l.length > 0 && r.length > 0 ? [...l, ...r] : [];
        if (operator === 'Unless') return l;
        // and, arithmetic, comparisons: a side without a series leaves nothing to match (a number never is).
        return [...l, ...r];
      }
      default:
        return [];
    }
  };
  const found = [...new Set(emptyBy(parsed.tree.topNode))];
  return found.length > 0 ? found : undefined;
}

/**
 * The warning for a bad query that `emptyWhenNothingFails` finds, or undefined: what it does on a healthy
 * service, why that is not a pass, and the fix.
 */
export function emptyBadQueryWarning(bad: string, total: string): string | undefined {
  const matchers = emptyWhenNothingFails(bad, total);
  if (matchers === undefined) return undefined;
  const list = matchers.join(', ');
  return `returns no data while nothing fails (${list} ${matchers.length === 1 ? 'selects' : 'select'} no series until the first error), and no data is inconclusive, not 0 errors: append \`or vector(0)\``;
}

/**
 * The good query of an error query written as `(TOTAL) - (GOOD)` with TOTAL exactly the total query, as
 * `harness slo convert` writes a good SLI to Sloth (which has only error queries); undefined for any other.
 */
export function goodOfDifference(error: string, total: string): string | undefined {
  const parsed = parse(error);
  if (syntaxErrorOf(parsed) !== undefined) return undefined;
  const expression = children(parsed.tree.topNode).find((child) => child.name !== 'LineComment');
  if (expression?.name !== 'BinaryExpr') return undefined;
  const [left, operator, right, ...more] = children(expression);
  if (more.length > 0 || operator?.name !== 'Sub' || left?.name !== 'ParenExpr' || right?.name !== 'ParenExpr')
    return undefined;
  // The whole text must be exactly "(TOTAL) - (GOOD)": nothing before, between or after but that.
  const inner = (node: Node) => originalText(parsed, node).slice(1, -1);
  const good = inner(right);
  return error === `(${total}) - (${good})` && inner(left) === total ? good : undefined;
}

/** The label matchers of a selector as nodes (comments between them are not matchers). */
function matcherNodes(selector: Node): Node[] {
  const list = selector.getChild('LabelMatchers');
  return list ? children(list).filter((child) => child.name !== 'LineComment') : [];
}

/** A matcher node's label name, unquoted (`job`, `"job"`), or undefined for a bare quoted metric name. */
function matcherLabel(parsed: Parsed, matcher: Node): string | undefined {
  const name = matcher.getChild('LabelName') ?? matcher.getChild('QuotedLabelName');
  if (!name || matcher.name === 'QuotedLabelName') return undefined;
  const text = parsed.text.slice(name.from, name.to);
  return /^["'`]/.test(text) ? text.slice(1, -1) : text;
}

/** A matcher node's operator as written: `=`, `!=`, `=~` or `!~`. */
function matcherOp(parsed: Parsed, matcher: Node): string | undefined {
  const op = matcher.getChild('MatchOp');
  return op ? parsed.text.slice(op.from, op.to) : undefined;
}

/** What pointing a query at one scrape job did, or why it could not. */
export type JobRewrite =
  | {
      /** The query with every `job=` and `job=~` matcher made `job="JOB"`. */
      query: string;
      /** The negative job matchers (`job!="x"`, `job!~"x"`), as written, left alone. */
      negative: string[];
    }
  | { syntaxError: string };

/**
 * The query with every vector selector's positive `job` matcher set to one job, read from the syntax tree:
 * `job="x"`, `job='x'`, job=`x` and the quoted label name `"job"="x"` all become `job="JOB"`, and so does a
 * regex `job=~"a|b"`: an override names the one job the deployment scrapes the service as, so it pins that
 * job and no longer reads the others. Each replacement is exactly the matcher's span (label, operator and
 * value, with any spaces between them), so nothing else of the text moves: a label value "job=x", a
 * `by (job)` or label_replace's "job" argument are not matchers and stay. A negative matcher (`job!="x"`,
 * `job!~"x"`) excludes jobs instead of naming the service's, so no single rewrite keeps its meaning: it is
 * left as written and returned in `negative` for the caller to warn about. A selector without a job matcher
 * stays as it is (nothing is added). A query that does not parse is not rewritten: its syntax error is
 * returned, never the text unchanged.
 */
export function rewriteJobMatchers(query: string, job: string): JobRewrite {
  const parsed = parse(query);
  const syntaxError = syntaxErrorOf(parsed);
  if (syntaxError !== undefined) return { syntaxError };
  const spans: { from: number; to: number }[] = [];
  const negative: string[] = [];
  for (const selector of selectorsOf(parsed)) {
    for (const matcher of matcherNodes(selector)) {
      if (matcherLabel(parsed, matcher) !== 'job') continue;
      const op = matcherOp(parsed, matcher);
      if (op === '=' || op === '=~')
        spans.push({ from: originalOffset(parsed, matcher.from), to: originalOffset(parsed, matcher.to) });
      else negative.push(originalText(parsed, matcher));
    }
  }
  // JSON's string escapes are PromQL's too (\", \\, \uXXXX), so the job is one double-quoted literal.
  const replacement = `job=${JSON.stringify(job)}`;
  let result = query;
  for (const span of spans.sort((a, b) => b.from - a.from))
    result = `${result.slice(0, span.from)}${replacement}${result.slice(span.to)}`;
  return { query: result, negative };
}

/** A histogram_quantile query's quantile, the query counting its observations, or why they cannot be counted. */
export interface QuantileCount {
  /** The quantile, when the first argument is a number literal between 0 and 1 (exclusive). */
  quantile?: number;
  /** `sum(increase(NAME_count{...}[RANGE]))` over the buckets' own series, when the shape is understood. */
  events?: string;
  /** Why no event count was derived from a query that calls histogram_quantile() and parses. */
  problem?: string;
  /** Why a query that calls histogram_quantile() does not parse (then nothing else is read from it). */
  syntaxError?: string;
}

/** A string literal as written with its `_bucket` suffix made `_count` (the quote kept). */
function countLiteral(literal: string): string {
  return `${literal.slice(0, -1 - '_bucket'.length)}_count${literal.slice(-1)}`;
}

/** Whether a string literal as written names a classic histogram's bucket series. */
function namesBuckets(literal: string): boolean {
  return literal.slice(1, -1).endsWith('_bucket');
}

/**
 * The quantile of a histogram_quantile query and the query that counts the observations it stands on over
 * the same series and range, read from the syntax tree:
 * `histogram_quantile(0.95, sum by (le) (rate(x_bucket{job="a"}[{{window}}])))` -> 0.95 and
 * `sum(increase(x_count{job="a"}[{{window}}]))`.
 * Understood: the whole query is one histogram_quantile call (in parentheses or not); its second argument
 * reaches, through parentheses and `sum` (with any by/without, before or after the body, nested), one
 * rate() or increase() of one bucket selector over a range (with offset or @ kept). The bucket selector's
 * metric is its name (`x_bucket`), `{__name__="x_bucket"}` or a quoted name (`{"x_bucket"}`). A histogram's
 * `_count` is its `+Inf` bucket, so increase(x_count) over the range is the number of observations the
 * buckets saw; it is summed over every series whatever the quantile groups by (`by (le, route)` judges per
 * route, the evidence is all of them). The count query keeps the selector's matchers, in order and as
 * written, except `le` (a `_count` series has none), joined by commas; only the metric name changes,
 * `_bucket` -> `_count`.
 * Anything else (another aggregation, a binary expression over the buckets, a regex on `__name__`, a
 * native histogram, histogram_quantile inside a larger expression) has no count here, and `problem` says
 * why: a wrong count is worse than none. A query that never calls histogram_quantile gives `{}`; one that
 * does but does not parse gives its `syntaxError` only.
 */
export function quantileCount(query: string): QuantileCount {
  const parsed = parse(query);
  const all = [...nodes(parsed.tree)];
  const isQuantile = (node: Node | undefined) =>
    node?.name === 'FunctionCall' && functionName(parsed, node) === 'histogram_quantile';
  if (!all.some(isQuantile)) return {};
  const syntaxError = syntaxErrorOf(parsed);
  if (syntaxError !== undefined) return { syntaxError };

  const top = unwrapped(children(parsed.tree.topNode).find((child) => child.name !== 'LineComment'));
  if (!top || !isQuantile(top))
    return { problem: 'histogram_quantile() is part of a larger expression, not the whole query' };
  const [first, buckets, ...more] = expressionsOf(top);
  if (!buckets || more.length > 0) return { problem: 'histogram_quantile() takes two arguments' };
  const q = first?.name === 'NumberDurationLiteral' ? Number(parsed.text.slice(first.from, first.to)) : Number.NaN;
  const quantile = q > 0 && q < 1 ? { quantile: q } : {};
  const found = rangeRead(parsed, buckets);
  if (typeof found === 'string') return { ...quantile, problem: found };
  return { ...quantile, ...countQuery(parsed, found) };
}

/** A histogram_quantile query split at its buckets argument (quantileParts), or why it cannot be. */
export type QuantileParts = { quantile: string; buckets: string } | { problem: string };

/**
 * A histogram_quantile query's two arguments as written, when its buckets can be recorded over a short window
 * and added up over a long one: `histogram_quantile(0.95, sum by (le) (rate(x_bucket{job="a"}[{{window}}])))`
 * -> `0.95` and `sum by (le) (rate(x_bucket{job="a"}[{{window}}]))`. The shape is quantileCount's (one
 * rate() or increase() of one bucket selector under sums), and the range must be exactly the window template:
 * the rules renderer then records the buckets over 5 minutes and gives the period's quantile as
 * `histogram_quantile(0.95, sum_over_time(RECORDED[30d]))`. That is the raw range's quantile because a sum of
 * rates is linear in the events (each event is counted in every 5-minute window that holds it, the same number
 * of times for all of them away from the period's first 5 minutes) and histogram_quantile reads only the
 * buckets' proportions, so a common factor cancels. Anything else says why in `problem`.
 */
export function quantileParts(query: string): QuantileParts {
  const parsed = parse(query);
  const syntaxError = syntaxErrorOf(parsed);
  if (syntaxError !== undefined) return { problem: syntaxError };
  const top = unwrapped(children(parsed.tree.topNode).find((child) => child.name !== 'LineComment'));
  if (top?.name !== 'FunctionCall' || functionName(parsed, top) !== 'histogram_quantile')
    return { problem: 'the query is not one histogram_quantile() call' };
  const [first, buckets, ...more] = expressionsOf(top);
  if (!first || !buckets || more.length > 0) return { problem: 'histogram_quantile() takes two arguments' };
  const found = rangeRead(parsed, buckets);
  if (typeof found === 'string') return { problem: found };
  if (!overWindow(parsed, found.matrix)) return { problem: 'the buckets are not read over [{{window}}]' };
  return { quantile: originalText(parsed, first), buckets: originalText(parsed, buckets) };
}

/** The expression arguments of a call or an aggregation, comments left out. */
function expressionsOf(call: Node): Node[] {
  return argumentsOf(call).filter((child) => child.name !== 'LineComment');
}

/** The expression inside any parentheses. */
function unwrapped(node: Node | undefined): Node | undefined {
  let current = node;
  while (current?.name === 'ParenExpr')
    current = children(current).find((child) => child.name !== 'LineComment') ?? undefined;
  return current;
}

/** The rate()/increase() argument (a matrix selector, through an offset or @) under sums, or why not. */
function rangeRead(parsed: Parsed, node: Node): { argument: Node; matrix: Node } | string {
  const expression = unwrapped(node);
  // For the message only: the node's text on one line, cut short (nothing is read from it).
  const shown = (n: Node) => {
    const text = originalText(parsed, n).replace(/\s+/g, ' ');
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  };
  if (!expression) return 'histogram_quantile() has no buckets argument';
  if (expression.name === 'AggregateExpr') {
    const op = expression.getChild('AggregateOp');
    const name = op ? parsed.text.slice(op.from, op.to) : '';
    if (name !== 'sum')
      return `the buckets are aggregated with ${name}(), which does not add their counts up as sum does`;
    const [inner, ...rest] = expressionsOf(expression);
    if (!inner || rest.length > 0) return `cannot read the buckets of "${shown(expression)}"`;
    return rangeRead(parsed, inner);
  }
  if (expression.name === 'FunctionCall') {
    const name = functionName(parsed, expression);
    if (name !== 'rate' && name !== 'increase')
      return `the buckets are read with ${name}(), not rate() or increase() over a range`;
    const [argument, ...rest] = expressionsOf(expression);
    const matrix = matrixOf(argument);
    if (!argument || !matrix || rest.length > 0)
      return `${name}() does not read a bucket selector over a range in "${shown(expression)}"`;
    return { argument, matrix };
  }
  return `the buckets are "${shown(expression)}", not one rate() or increase() of a bucket selector under sum`;
}

/** `sum(increase(NAME_count{matchers but le}[RANGE]MODIFIERS))` for a bucket matrix, or why not. */
function countQuery(parsed: Parsed, read: { argument: Node; matrix: Node }): { events: string } | { problem: string } {
  const why = (problem: string) => ({ problem });
  const selector = read.matrix.getChild('VectorSelector');
  const range = read.matrix.getChild('DurationExpr');
  if (!selector || !range) return why('the bucket selector has no range');
  const identifier = selector.getChild('Identifier');
  let name = '';
  let named = false;
  if (identifier) {
    const text = originalText(parsed, identifier);
    if (!text.endsWith('_bucket'))
      return why(
        `${text} is not a classic histogram's _bucket series (a native histogram's count is histogram_count())`,
      );
    name = `${text.slice(0, -'_bucket'.length)}_count`;
    named = true;
  }
  const matchers: string[] = [];
  for (const matcher of matcherNodes(selector)) {
    const written = originalText(parsed, matcher);
    if (matcher.name === 'QuotedLabelName') {
      // A bare quoted string in the braces is the metric's name ({"x_bucket"}).
      if (named || !namesBuckets(written)) return why(`${written} is not a classic histogram's _bucket series`);
      matchers.push(countLiteral(written));
      named = true;
      continue;
    }
    const label = matcherLabel(parsed, matcher);
    if (label === 'le') continue;
    if (label === '__name__') {
      const value = matcher.getChild('StringLiteral');
      if (named || matcherOp(parsed, matcher) !== '=' || !value)
        return why(`the buckets are selected by ${written}; only a metric name or __name__="..._bucket" names them`);
      const literal = originalText(parsed, value);
      if (!namesBuckets(literal)) return why(`${written} is not a classic histogram's _bucket series`);
      // Only the value's span changes: the label, operator and spacing stay as written.
      matchers.push(
        `${parsed.query.slice(originalOffset(parsed, matcher.from), originalOffset(parsed, value.from))}${countLiteral(literal)}`,
      );
      named = true;
      continue;
    }
    matchers.push(written);
  }
  if (!named) return why('the bucket selector names no metric');
  const braces = matchers.length > 0 ? `{${matchers.join(',')}}` : '';
  // Whatever follows the range inside rate()'s argument (offset 1h, @ end()) moves the count the same way.
  const modifiers = parsed.query.slice(
    originalOffset(parsed, read.matrix.to),
    originalOffset(parsed, read.argument.to),
  );
  return { events: `sum(increase(${name}${braces}[${originalText(parsed, range)}]${modifiers}))` };
}

/**
 * A PromQL string literal's value, as Prometheus reads it (Go's strconv.Unquote): a backtick string is raw;
 * in a double- or single-quoted one, `\a \b \f \n \r \t \v \\ \" \'`, `\uHHHH` and `\UHHHHHHHH` are
 * characters, `\xHH` and octal `\NNN` are single bytes (so "\xc3\xa9" is "é": the bytes are read as UTF-8
 * together with the text around them). The grammar has already checked the escapes.
 */
function stringValue(literal: string): string {
  const body = literal.slice(1, -1);
  if (literal.startsWith('`')) return body;
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
  const encoder = new TextEncoder();
  const bytes: number[] = [];
  const escapeSequence = /\\(?:([abfnrtv\\'"])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{3}))/g;
  let last = 0;
  for (const match of body.matchAll(escapeSequence)) {
    bytes.push(...encoder.encode(body.slice(last, match.index)));
    const [, char, hex, u4, u8, octal] = match;
    if (char !== undefined) bytes.push(...encoder.encode(simple[char] ?? char));
    else if (hex !== undefined || octal !== undefined) bytes.push(Number.parseInt((hex ?? octal)!, hex ? 16 : 8));
    else bytes.push(...encoder.encode(String.fromCodePoint(Number.parseInt((u4 ?? u8)!, 16))));
    last = match.index + match[0].length;
  }
  bytes.push(...encoder.encode(body.slice(last)));
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** One label matcher of a vector selector, read from the syntax tree: the value unquoted, escapes decoded. */
export interface LabelMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** One vector selector of a query: its metric name when it names one, and its other label matchers. */
export interface SelectorRead {
  /** From the identifier (`x_bucket{...}`), a quoted name (`{"x_bucket"}`) or `__name__="x_bucket"`. */
  metric?: string;
  /** Every matcher but the one that gave the name, in the order written. */
  matchers: LabelMatcher[];
}

/**
 * Every vector selector of a query, read from the syntax tree, in the order written; or why the query does
 * not parse. A label value such as "job=x", a `by (job)` or a string argument of label_replace is not a
 * matcher, and a selector split over lines or written with single quotes reads the same as one written plainly.
 */
export function readSelectors(query: string): { selectors: SelectorRead[] } | { syntaxError: string } {
  const parsed = parse(query);
  const syntaxError = syntaxErrorOf(parsed);
  if (syntaxError !== undefined) return { syntaxError };
  const selectors = selectorsOf(parsed).map((selector): SelectorRead => {
    const identifier = selector.getChild('Identifier');
    let metric = identifier ? parsed.text.slice(identifier.from, identifier.to) : undefined;
    const matchers: LabelMatcher[] = [];
    for (const matcher of matcherNodes(selector)) {
      if (matcher.name === 'QuotedLabelName') {
        // A bare quoted string in the braces is the metric's name ({"x_bucket"}).
        const literal = matcher.getChild('StringLiteral');
        if (literal) metric = stringValue(parsed.text.slice(literal.from, literal.to));
        continue;
      }
      const label = matcherLabel(parsed, matcher);
      const op = matcherOp(parsed, matcher);
      const value = matcher.getChild('StringLiteral');
      if (label === undefined || value === null || (op !== '=' && op !== '!=' && op !== '=~' && op !== '!~')) continue;
      const read: LabelMatcher = { label, op, value: stringValue(parsed.text.slice(value.from, value.to)) };
      if (label === '__name__' && op === '=' && metric === undefined) metric = read.value;
      else matchers.push(read);
    }
    return { ...(metric === undefined ? {} : { metric }), matchers };
  });
  return { selectors };
}

/**
 * Every range read of a query (`x[5m]`, a subquery's `(...)[1h:]` not included), in the order written: the
 * selector's metric when it names one, and the range as written (a window template stays `{{window}}`). For
 * tests of the rules' cost: which series a rule reads over which range. A query that does not parse gives its
 * syntax error.
 */
export function rangeReads(query: string): { reads: { metric?: string; range: string }[] } | { syntaxError: string } {
  const parsed = parse(query);
  const syntaxError = syntaxErrorOf(parsed);
  if (syntaxError !== undefined) return { syntaxError };
  const reads: { metric?: string; range: string }[] = [];
  for (const node of nodes(parsed.tree)) {
    if (node.name !== 'MatrixSelector') continue;
    const selector = node.getChild('VectorSelector');
    const range = node.getChild('DurationExpr');
    if (!selector || !range) continue;
    const read = readSelectors(originalText(parsed, selector));
    const metric = 'selectors' in read ? read.selectors[0]?.metric : undefined;
    reads.push({ ...(metric === undefined ? {} : { metric }), range: originalText(parsed, range) });
  }
  return { reads };
}

/**
 * A matcher written back as PromQL: `job=~"mystocks-api"`. JSON's string escapes are PromQL's too, and a
 * label name that is not a plain identifier is quoted (`{"my.label"="x"}`).
 */
export function matcherText(matcher: LabelMatcher): string {
  const label = /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(matcher.label) ? matcher.label : JSON.stringify(matcher.label);
  return `${label}${matcher.op}${JSON.stringify(matcher.value)}`;
}

/**
 * The bucket bound a "share of requests under a bucket" query reads: the value of its `le` matcher, in the
 * histogram's unit (`sum(increase(x_bucket{job="a",le="0.3"}[{{window}}]))` -> 0.3), or why there is no one
 * bound. Every `le` matcher of every selector counts: all must be `le="N"` with the same finite N. A regex
 * (`le=~"0.3|0.5"`), a negative matcher, two different bounds or none at all is a problem, never a guess.
 * Each problem reads after "it" ("it names no bucket ..."); a query that does not parse gives its syntax error.
 */
export function bucketBound(query: string): { bound: number } | { problem: string } {
  const read = readSelectors(query);
  if ('syntaxError' in read) return { problem: read.syntaxError };
  const les = read.selectors.flatMap((selector) => selector.matchers.filter((m) => m.label === 'le'));
  if (les.length === 0) return { problem: 'names no bucket (it has no le="..." matcher)' };
  const other = les.find((m) => m.op !== '=');
  if (other) return { problem: `reads ${matcherText(other)}, which is not one bucket (write le="BOUND")` };
  const values = [...new Set(les.map((m) => m.value))];
  if (values.length > 1)
    return { problem: `names ${values.length} buckets (${values.map((v) => `le="${v}"`).join(', ')}), not one` };
  // Prometheus writes a bucket's bound as a float ("0.3", "1e+00"); +Inf is the count of all, not a bound.
  const bound = values[0]!.trim() === '' ? Number.NaN : Number(values[0]);
  if (!Number.isFinite(bound)) return { problem: `reads le="${values[0]}", which is not a finite bucket bound` };
  return { bound };
}

/** What bucketCounts reads from a query that counts one bucket of a histogram, or why it cannot. */
export type BucketCounts =
  | {
      /** The bucket's bound, in the histogram's unit (bucketBound). */
      bound: number;
      /** The histogram's name, without `_bucket`: `http_request_duration_seconds`. */
      histogram: string;
      /** Every bucket's count over the same range, one series per `le`. */
      query: string;
    }
  | { problem: string };

/**
 * For a query that counts one bucket of a classic histogram over a range (a latency ratio's good query, as
 * sli.latency writes it: `sum(increase(x_bucket{job="a",le="0.3"}[{{window}}]))`): its bound, the histogram's
 * name, and the same count for every bucket at once, `sum by (le) (increase(x_bucket{job="a"}[{{window}}]))`.
 * Its answer has one series per `le` the histogram has in the window, so the buckets are the histogram's own,
 * never a list taken from elsewhere. The shape is a quantile's buckets' (rangeRead: one rate() or increase()
 * of one bucket selector under sums); every matcher but `le` is kept as written, and so is what follows the
 * range (offset, @). The counts are asked with increase(), the events a ratio counts (countedQuery). Anything
 * else says why in `problem`, a clause ("it names no bucket ...", "the buckets are read with max() ...").
 */
export function bucketCounts(query: string): BucketCounts {
  const bound = bucketBound(query);
  if ('problem' in bound) return { problem: `it ${bound.problem}` };
  const parsed = parse(query);
  const top = unwrapped(children(parsed.tree.topNode).find((child) => child.name !== 'LineComment'));
  const read = top === undefined ? 'it is empty' : rangeRead(parsed, top);
  if (typeof read === 'string') return { problem: read };
  const selector = read.matrix.getChild('VectorSelector');
  const range = read.matrix.getChild('DurationExpr');
  if (!selector || !range) return { problem: 'the bucket selector has no range' };
  const selectorRead = readSelectors(originalText(parsed, selector));
  const metric = 'selectors' in selectorRead ? selectorRead.selectors[0]?.metric : undefined;
  if (metric === undefined || !metric.endsWith('_bucket'))
    return { problem: `${metric ?? 'the selector'} is not a classic histogram's _bucket series` };
  const identifier = selector.getChild('Identifier');
  const name = identifier ? originalText(parsed, identifier) : '';
  // Every matcher as written but the bucket's; a bare quoted metric name ({"x_bucket"}) has no label and stays.
  const matchers = matcherNodes(selector)
    .filter((matcher) => matcherLabel(parsed, matcher) !== 'le')
    .map((matcher) => originalText(parsed, matcher));
  const braces = matchers.length > 0 ? `{${matchers.join(',')}}` : '';
  const modifiers = parsed.query.slice(
    originalOffset(parsed, read.matrix.to),
    originalOffset(parsed, read.argument.to),
  );
  return {
    bound: bound.bound,
    histogram: metric.slice(0, -'_bucket'.length),
    query: `sum by (le) (increase(${name}${braces}[${originalText(parsed, range)}]${modifiers}))`,
  };
}

/** What applying an SLO's window to a counter query did (counterWindowed), or why it cannot be done safely. */
export type CounterWindow =
  | {
      /** The query with every counter selector read over the window: `increase(SELECTOR[{{window}}])`. */
      query: string;
      /** False when the query already read every selector over `{{window}}` and was left as written. */
      applied: boolean;
    }
  | { problem: string };

/** Label functions: they change a series' labels, never its value, so they commute with increase(). */
const LABEL_FUNCTIONS = new Set(['label_replace', 'label_join']);

/**
 * A counter query with the SLO's window applied, as OpenSLO's `counter: true` asks of the tool: every vector
 * selector `S` becomes `increase(S[{{window}}])`, read from the syntax tree (only each selector's span of
 * the text changes), so `sum(http_requests_total{code!~"5.."})` -> `sum(increase(http_requests_total{code!~"5.."}[{{window}}]))`,
 * what Sloth's `{{.window}}` gives when written by hand.
 * It is applied only where the result counts the same events as the query means: increase() is linear, so it
 * passes through sum, `+`, `-`, a unary minus, a product or quotient by a number, the set operators
 * (`or`, `and`, `unless`, which match labels, not values), label_replace/label_join and parentheses. Anything
 * else on a selector's way to the top (max, avg, rate of a range, a comparison, another function, a product of
 * two vectors, offset or @, a subquery) is a problem, said with the part of the query that stands in the way:
 * max(increase(x)) is not the increase of max(x), and `x offset 1h` moves the window away from the one judged.
 * A query that already reads every selector over exactly `{{window}}` (or Sloth's `{{.window}}`) is left as
 * written (`applied: false`): the window is applied there already. One that mixes the two is a problem.
 */
export function counterWindowed(query: string): CounterWindow {
  const parsed = parse(query);
  const syntaxError = syntaxErrorOf(parsed);
  if (syntaxError !== undefined) return { problem: syntaxError };
  const shown = (node: Node) => {
    const text = originalText(parsed, node).replace(/\s+/g, ' ');
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  };
  const all = [...nodes(parsed.tree)];
  const subquery = all.find((node) => node.name === 'SubqueryExpr');
  if (subquery) return { problem: `has a subquery (${shown(subquery)}); the window cannot be applied through one` };
  const selectors = selectorsOf(parsed);
  if (selectors.length === 0) return { problem: 'selects no series, so there is no counter to apply the window to' };
  const bare: Node[] = [];
  let windowed = 0;
  for (const selector of selectors) {
    const parent = selector.parent;
    if (parent?.name === 'MatrixSelector') {
      const call = parent.parent?.name === 'FunctionCallBody' ? parent.parent.parent : null;
      if (!overWindow(parsed, parent))
        return {
          problem: `reads a range already (${shown(call ?? parent)}), and the harness applies the window: give the counter alone, or read it over [{{window}}] without counter: true`,
        };
      windowed++;
    } else bare.push(selector);
  }
  if (bare.length === 0) return { query, applied: false };
  if (windowed > 0)
    return {
      problem: `reads some counters over [{{window}}] and others (${shown(bare[0]!)}) without; give every counter alone`,
    };
  for (const selector of bare) {
    const problem = counterPathProblem(parsed, selector, shown);
    if (problem !== undefined) return { problem };
  }
  let result = query;
  for (const selector of [...bare].sort((a, b) => b.from - a.from)) {
    const from = originalOffset(parsed, selector.from);
    const to = originalOffset(parsed, selector.to);
    result = `${result.slice(0, from)}increase(${result.slice(from, to)}[{{window}}])${result.slice(to)}`;
  }
  return { query: result, applied: true };
}

/** True when a node is a number (through parentheses and a sign): `2`, `(100)`, `-1`. */
function isNumber(node: Node | undefined): boolean {
  const inner = unwrapped(node);
  if (inner?.name === 'NumberDurationLiteral') return true;
  if (inner?.name === 'UnaryExpr') return isNumber(children(inner).find((child) => child.name !== 'UnaryOp'));
  return false;
}

/** Why increase() cannot be moved onto a selector from where it stands (its ancestors), or undefined. */
function counterPathProblem(parsed: Parsed, selector: Node, shown: (node: Node) => string): string | undefined {
  let child = selector;
  for (let node = selector.parent; node && node.name !== 'PromQL'; child = node, node = node.parent) {
    switch (node.name) {
      case 'ParenExpr':
      case 'UnaryExpr':
      case 'FunctionCallBody':
        continue;
      case 'OffsetExpr':
      case 'StepInvariantExpr':
        return `moves a counter in time (${shown(node)}), so its increase would not be over the window judged`;
      case 'AggregateExpr': {
        const op = node.getChild('AggregateOp');
        const name = op ? parsed.text.slice(op.from, op.to) : '';
        if (name === 'sum') continue;
        return `takes ${name}() of a counter's value (${shown(node)}); the window passes only through sum, since ${name}() of increases is not the increase of ${name}()`;
      }
      case 'FunctionCall': {
        const name = functionName(parsed, node) ?? '';
        if (LABEL_FUNCTIONS.has(name)) continue;
        return `calls ${name}() on a counter's value (${shown(node)}); the window passes only through sum, +, -, and label functions`;
      }
      case 'BinaryExpr': {
        const [left, ...rest] = children(node);
        const operator = rest[0]?.name ?? '';
        const right = rest.at(-1);
        const other = left && left.from === child.from && left.to === child.to ? right : left;
        if (['Add', 'Sub', 'Or', 'And', 'Unless'].includes(operator)) continue;
        if ((operator === 'Mul' || operator === 'Div') && isNumber(other)) continue;
        return `combines a counter's value in "${shown(node)}", which is not the same once each counter is an increase; the window passes only through +, -, or, and, unless, and a product by a number`;
      }
      default:
        return `has a counter inside ${node.name} (${shown(node)}), which the window cannot be applied through`;
    }
  }
  return undefined;
}
