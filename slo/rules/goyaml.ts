// Prometheus rule files written byte for byte as Sloth writes them. Sloth marshals with Go's gopkg.in/yaml.v2,
// whose layout differs from the `yaml` package's in ways a diff shows on every line: sequences are not
// indented under their key, map keys are sorted, long plain and single-quoted scalars fold at the first space
// past column 80, and a string that would read as another type is double-quoted. No JavaScript library
// reproduces yaml.v2's emitter, so this one does, for the only shape it writes (groups of rules: strings, and
// mappings of strings).

/** One rule as Prometheus' rulefmt orders its fields. */
export interface GoRule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** yaml.v2's preferred line width. */
const BEST_WIDTH = 80;

/** `groups:` with every group and rule, as yaml.v2 marshals Prometheus' rulefmt.RuleGroups. */
export function goYamlRuleGroups(groups: { name: string; rules: GoRule[] }[]): string {
  let out = 'groups:\n';
  for (const group of groups) {
    out += `- name: ${scalar(group.name, 2, 8)}\n  rules:\n`;
    for (const rule of group.rules) {
      const fields: [string, string | undefined][] = [
        ['record', rule.record],
        ['alert', rule.alert],
        ['expr', rule.expr],
        ['for', rule.for],
      ];
      let first = true;
      for (const [key, value] of fields) {
        if (value === undefined) continue;
        const prefix = first ? '  - ' : '    ';
        out += `${prefix}${key}: ${scalar(value, 4, 4 + key.length + 2)}\n`;
        first = false;
      }
      for (const key of ['labels', 'annotations'] as const) {
        const map = rule[key];
        if (!map || Object.keys(map).length === 0) continue;
        out += `    ${key}:\n`;
        // Go sorts map keys when it marshals them (byte order).
        for (const name of Object.keys(map).sort(byteOrder)) {
          out += `      ${name}: ${scalar(map[name]!, 6, 6 + name.length + 2)}\n`;
        }
      }
    }
  }
  return out;
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One string scalar as yaml.v2 writes it after `key: `; `indent` is the key's column (block content goes two
 * further), `column` where the value starts.
 */
function scalar(value: string, indent: number, column: number): string {
  if (value.includes('\n')) return literal(value, indent + 2);
  if (value === '' || resolvesToOtherType(value)) return doubleQuoted(value);
  if (plainAllowed(value)) return fold(value, indent + 2, column, false);
  return `'${fold(value.replace(/'/g, "''"), indent + 2, column + 1, true)}'`;
}

/** `|`, `|-` or `|+` by the trailing line breaks, every line at `indent`. */
function literal(value: string, indent: number): string {
  const trailing = /\n*$/.exec(value)![0].length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = trailing === 0 ? value : value.slice(0, value.length - trailing);
  const pad = ' '.repeat(indent);
  const lines = body.split('\n').map((line) => (line === '' ? '' : pad + line));
  const extra = trailing > 1 ? '\n'.repeat(trailing - 1) : '';
  // A leading space would be read as indentation: yaml.v2 then gives the indentation explicitly.
  const hint = body.startsWith(' ') ? '2' : '';
  return `|${hint}${chomp}\n${lines.join('\n')}${extra}`;
}

/** Breaks at a single space once the line has passed BEST_WIDTH, as yaml.v2's write_plain/single_quoted do. */
function fold(value: string, indent: number, startColumn: number, quoted: boolean): string {
  let out = '';
  let column = startColumn;
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    const next = value[i + 1];
    const previousIsSpace = value[i - 1] === ' ';
    const edge = quoted && (i === 0 || i === value.length - 1);
    if (char === ' ' && !previousIsSpace && next !== ' ' && next !== undefined && column > BEST_WIDTH && !edge) {
      out += `\n${' '.repeat(indent)}`;
      column = indent;
      continue;
    }
    out += char;
    column++;
  }
  return out;
}

/** Strings that YAML 1.1 (yaml.v2's resolver) would read as a number, a boolean or null. */
function resolvesToOtherType(value: string): boolean {
  if (/^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/.test(value))
    return true;
  if (/^(?:~|null|Null|NULL)$/.test(value)) return true;
  if (/^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]*|[1-9][0-9_]*)$/.test(value)) return true;
  if (/^[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?$/.test(value) && /[0-9]/.test(value)) return true;
  if (/^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/.test(value)) return true;
  return /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(value); // base 60
}

/** yaml.v2's analysis of whether a one-line string may be written plain in block context. */
function plainAllowed(value: string): boolean {
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value) && !/^[-?:][^ ]/.test(value)) return false;
  if (/^[,[\]{}#&*!|>'"%@`]/.test(value)) return false;
  if (value.startsWith(' ') || value.endsWith(' ')) return false;
  if (value.includes(': ') || value.includes(' #') || value.endsWith(':')) return false;
  return /^[\x20-\x7e\u00a0-\uffff]*$/.test(value);
}

function doubleQuoted(value: string): string {
  return JSON.stringify(value);
}
