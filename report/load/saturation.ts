// The saturation read-out -> its table, the "What saturated" section of summary.md (Markdown) and the load
// report page's (report/load/html-report.ts renderSaturationSection): the same cells in both.
import { fmtPct, type SaturationReadout } from '../../load/saturation.ts';
import { trim } from '../../slo/model/units.ts';

/** The read-out's table as cells (header first): what summary.md and the load report's page both show. */
export function saturationTable(s: SaturationReadout): string[][] {
  return [
    [
      't (s)',
      'journeys/s',
      'API CPU (busiest, of a core)',
      'API CPU (all, cores)',
      'loop lag P99 ms',
      'pool waiting',
      'PostgreSQL (busiest process)',
      'PostgreSQL (all, cores)',
      'breaker',
      'generator (busiest thread)',
      'machine',
    ],
    ...s.periods.map((p) => [
      String(p.atSeconds),
      String(p.arrivalRate),
      fmtPct(p.apiCpu),
      fmtNumber(p.apiCpuTotal),
      fmtNumber(p.eventLoopLagP99Ms),
      fmtNumber(p.dbPoolWaiting),
      fmtPct(p.postgresHottest),
      fmtNumber(p.postgresCpu),
      p.cacheBreakerOpen === null ? '-' : p.cacheBreakerOpen >= 1 ? 'open' : 'closed',
      fmtPct(p.generatorHottestThread),
      fmtPct(p.machineCpu),
    ]),
  ];
}

/** The read-out as Markdown, for summary.md. */
export function renderSaturation(s: SaturationReadout): string[] {
  const lines = ['', '## What saturated', '', s.sentence];
  if (s.gaps.length > 0) lines.push('', ...s.gaps.map((g) => `- not read: ${g}`));
  const [header, ...rows] = saturationTable(s) as [string[], ...string[][]];
  lines.push('', `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines;
}

/** A reading as the reports write figures (model/units.ts trim: at most 4 significant digits), or '-'. */
function fmtNumber(value: number | null): string {
  return value === null ? '-' : trim(value);
}
