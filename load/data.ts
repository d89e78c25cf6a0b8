// Test data for the journeys, drawn from the reference data set (the service's own deterministic seed), so no
// script hard-codes a symbol or a date. Real traders are not uniform: a handful of names draw most of the
// attention and everyone uses the same preset chart ranges. The picks below follow that (a Zipf-like weight
// over symbols, preset ranges), which is also what makes the service's caches earn their keep under load.
import { generateSeedData } from '../reference-api/src/domain/seed-data.ts';

/** A symbol as the journeys use it. */
export interface LoadSymbol {
  symbol: string;
  name: string;
  sector: string;
}

/** A chart or backtest range: the preset buttons of the charts page (3 months, 6 months, 1 year). */
export interface DateRange {
  label: string;
  from: string;
  to: string;
}

/** Everything the journeys draw from. */
export interface LoadData {
  /** Securities in popularity order: the first ones are picked most often. */
  symbols: LoadSymbol[];
  sectors: string[];
  /** What people type into search: symbol prefixes and name fragments that match something. */
  searchTerms: string[];
  ranges: DateRange[];
  /** A range long enough for the default backtest (slow MA 20) to trade. */
  backtestRange: DateRange;
  /** The last trading day of the data set. */
  lastDay: string;
}

let cached: LoadData | undefined;

/** The load test data, computed once per process from the seed (about 0.2 s). */
export function loadData(): LoadData {
  cached ??= buildLoadData();
  return cached;
}

function buildLoadData(): LoadData {
  const seed = generateSeedData();
  const days = seed.tradingDays;
  const lastDay = days.at(-1)!;
  const back = (n: number): string => days[Math.max(0, days.length - 1 - n)]!;
  // Popularity: a fixed shuffle (by a hash of the symbol) so "popular" is not simply "lowest code".
  const symbols = seed.securities
    .map(({ symbol, name, sector }) => ({ symbol, name, sector }))
    .sort((a, b) => hash(a.symbol) - hash(b.symbol) || a.symbol.localeCompare(b.symbol));
  const sectors = [...new Set(seed.securities.map((s) => s.sector))].sort();
  const searchTerms = symbols.slice(0, 10).flatMap((s) => [s.symbol.slice(0, 3), s.name.split(' ')[0]!.toLowerCase()]);
  return {
    symbols,
    sectors,
    searchTerms: [...new Set(searchTerms)],
    ranges: [
      { label: '3m', from: back(62), to: lastDay },
      { label: '6m', from: back(124), to: lastDay },
      { label: '1y', from: back(245), to: lastDay },
    ],
    backtestRange: { label: '1y', from: back(245), to: lastDay },
    lastDay,
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Index into a popularity-ordered list of `n` items with Zipf weights (item k has weight 1/(k+1)^s).
 * With s = 1.2 and 100 symbols the top 10 get about 70 % of the picks, like a watch list of blue chips.
 */
export function zipfIndex(n: number, random: () => number = Math.random, s = 1.2): number {
  let total = 0;
  for (let k = 0; k < n; k++) total += 1 / (k + 1) ** s;
  let r = random() * total;
  for (let k = 0; k < n; k++) {
    r -= 1 / (k + 1) ** s;
    if (r <= 0) return k;
  }
  return n - 1;
}

/** One item of a popularity-ordered list, Zipf-weighted. */
export function pickPopular<T>(items: readonly T[], random: () => number = Math.random): T {
  if (items.length === 0) throw new Error('nothing to pick from');
  return items[zipfIndex(items.length, random)]!;
}

/** One item, uniformly. */
export function pickAny<T>(items: readonly T[], random: () => number = Math.random): T {
  if (items.length === 0) throw new Error('nothing to pick from');
  return items[Math.floor(random() * items.length)]!;
}
