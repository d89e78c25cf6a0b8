// The deterministic data set of the reference service: securities, indices, two years of daily bars,
// fund flows and a demo portfolio. Everything comes from one seeded PRNG and a fixed calendar, so the same
// seed gives the same data on every machine, and tests can recompute expected figures from it.

import { intBetween, mulberry32, normal, type Rng, uniform } from './rng.ts';
import type { AlertRuleInput, FundFlowDay, MarketIndex, Position, Security, SeedData, SymbolBar } from './types.ts';

/** The seed used when none is given. */
export const DEFAULT_SEED = 20241227;

/** First and last calendar day of the data set (both trading days). */
export const CALENDAR_START = '2024-11-01';
export const CALENDAR_END = '2026-10-30';

/** Number of securities generated. */
export const SECURITY_COUNT = 100;

/**
 * Weekday exchange closures inside the calendar: New Year, Spring Festival, Qingming, Labour Day,
 * Dragon Boat and National Day. Close to the real SSE schedule but not authoritative; what matters is
 * that the list is fixed.
 */
const HOLIDAYS = new Set([
  '2025-01-01',
  ...['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-03', '2025-02-04'],
  '2025-04-04',
  ...['2025-05-01', '2025-05-02', '2025-05-05'],
  '2025-06-02',
  ...['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'],
  ...['2026-01-01', '2026-01-02'],
  ...['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23'],
  '2026-04-06',
  ...['2026-05-01', '2026-05-04', '2026-05-05'],
  '2026-06-19',
  ...['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
]);

/** Weekdays from CALENDAR_START to CALENDAR_END, minus the fixed holidays, ascending. */
export function tradingCalendar(): string[] {
  const days: string[] = [];
  const end = Date.parse(`${CALENDAR_END}T00:00:00Z`);
  for (let t = Date.parse(`${CALENDAR_START}T00:00:00Z`); t <= end; t += 86_400_000) {
    const d = new Date(t);
    const weekday = d.getUTCDay();
    const iso = d.toISOString().slice(0, 10);
    if (weekday !== 0 && weekday !== 6 && !HOLIDAYS.has(iso)) days.push(iso);
  }
  return days;
}

/** Sectors with their industries and the word a company name in that industry ends with. */
const SECTORS: { sector: string; industries: [industry: string, suffix: string][] }[] = [
  {
    sector: 'Financials',
    industries: [
      ['Banks', 'Bank'],
      ['Insurance', 'Insurance'],
      ['Securities', 'Securities'],
    ],
  },
  {
    sector: 'Consumer Staples',
    industries: [
      ['Liquor', 'Distillery'],
      ['Food & Beverage', 'Foods'],
      ['Household Products', 'Household'],
    ],
  },
  {
    sector: 'Consumer Discretionary',
    industries: [
      ['Automobiles', 'Motors'],
      ['Home Appliances', 'Appliances'],
      ['Retail', 'Retail'],
    ],
  },
  {
    sector: 'Information Technology',
    industries: [
      ['Semiconductors', 'Semiconductor'],
      ['Software', 'Software'],
      ['Electronic Components', 'Electronics'],
      ['Communication Equipment', 'Telecom'],
    ],
  },
  {
    sector: 'Health Care',
    industries: [
      ['Pharmaceuticals', 'Pharmaceutical'],
      ['Medical Devices', 'Medical'],
      ['Biotechnology', 'Biotech'],
    ],
  },
  {
    sector: 'Industrials',
    industries: [
      ['Machinery', 'Heavy Industry'],
      ['Construction', 'Construction'],
      ['Transportation', 'Logistics'],
    ],
  },
  {
    sector: 'Energy & Materials',
    industries: [
      ['Coal', 'Coal'],
      ['Oil & Gas', 'Petroleum'],
      ['Chemicals', 'Chemical'],
      ['Steel', 'Steel'],
    ],
  },
  {
    sector: 'Utilities & Real Estate',
    industries: [
      ['Electric Utilities', 'Power'],
      ['Real Estate', 'Properties'],
    ],
  },
];

/** Name prefixes in the style of Chinese company names (pinyin place and auspicious words). */
// biome-ignore format: ten words a line reads better than one word a line
const PREFIXES = [
  'Anhe', 'Baofeng', 'Changhong', 'Dahua', 'Donghai', 'Fengtai', 'Fuxing', 'Guangyu', 'Haixin', 'Hengtong',
  'Hongda', 'Huaxia', 'Jiahe', 'Jinlong', 'Kaiyuan', 'Lianfa', 'Longsheng', 'Mingde', 'Nanfeng', 'Qianjiang',
  'Ruifeng', 'Sanhe', 'Shenghua', 'Taishan', 'Tianrun', 'Wanxiang', 'Xinghe', 'Yangguang', 'Yongtai', 'Zhongyuan',
  'Zhenhua', 'Jiangnan', 'Beihai', 'Xiangjiang', 'Minjiang', 'Huashan', 'Lingyun', 'Pengcheng', 'Chuanqi', 'Yuntian',
];

/** The three indices and their starting levels. */
const INDICES: (MarketIndex & { start: number; shareScale: number })[] = [
  { code: '000001', name: 'Shanghai Composite', start: 3280, shareScale: 4e10 },
  { code: '399001', name: 'Shenzhen Component', start: 10500, shareScale: 5e10 },
  { code: '000300', name: 'CSI 300', start: 3900, shareScale: 1.5e10 },
];

/** Rounds to cents. */
function cents(x: number): number {
  return Math.round(x * 100) / 100;
}

/** A unique 6-digit code: about half Shanghai (600xxx-603xxx, 688xxx), the rest Shenzhen (000xxx-002xxx, 300xxx). */
function newSymbol(rng: Rng, taken: Set<string>): string {
  for (;;) {
    const board = rng();
    const code =
      board < 0.4
        ? intBetween(rng, 600000, 603999)
        : board < 0.5
          ? intBetween(rng, 688001, 688999)
          : board < 0.8
            ? intBetween(rng, 1, 2999)
            : intBetween(rng, 300001, 301999);
    const symbol = String(code).padStart(6, '0');
    if (!taken.has(symbol)) {
      taken.add(symbol);
      return symbol;
    }
  }
}

/** Daily price limit as a fraction: ±20 % on ChiNext (300xxx) and STAR (688xxx), ±10 % elsewhere. */
function priceLimit(symbol: string): number {
  return symbol.startsWith('300') || symbol.startsWith('688') ? 0.2 : 0.1;
}

/** Per-security parameters of the price model. */
interface Profile {
  security: Security;
  sectorIndex: number;
  startPrice: number;
  /** Sensitivity to the market factor. */
  beta: number;
  /** Daily idiosyncratic volatility. */
  vol: number;
  /** Daily drift of the log price. */
  drift: number;
  /** Typical daily volume in shares. */
  baseVolume: number;
}

/** Securities spread evenly over the sectors, industries round-robin within each sector, unique names. */
function makeProfiles(rng: Rng): Profile[] {
  const symbols = new Set<string>();
  const names = new Set<string>();
  const profiles: Profile[] = [];
  for (let i = 0; i < SECURITY_COUNT; i++) {
    const sectorIndex = i % SECTORS.length;
    const { sector, industries } = SECTORS[sectorIndex]!;
    const [industry, suffix] = industries[Math.floor(i / SECTORS.length) % industries.length]!;
    let name: string;
    do name = `${PREFIXES[intBetween(rng, 0, PREFIXES.length - 1)]} ${suffix}`;
    while (names.has(name));
    names.add(name);
    const symbol = newSymbol(rng, symbols);
    // Log-uniform start price between 3 and 300 CNY, with liquor makers an order of magnitude dearer.
    const startPrice = Math.exp(uniform(rng, Math.log(3), Math.log(300))) * (industry === 'Liquor' ? 5 : 1);
    profiles.push({
      security: { symbol, name, sector, industry },
      sectorIndex,
      startPrice,
      beta: uniform(rng, 0.5, 1.5),
      vol: uniform(rng, 0.008, 0.022),
      drift: uniform(rng, -0.0004, 0.0006),
      // Cheaper stocks trade more shares; roughly 50-500 million CNY of turnover a day.
      baseVolume: Math.exp(uniform(rng, Math.log(5e7), Math.log(5e8))) / startPrice,
    });
  }
  return profiles;
}

/** One OHLCV bar around a close move from `prevClose` to `close`, with `vol` setting the intraday range. */
function makeBar(
  rng: Rng,
  symbol: string,
  date: string,
  prevClose: number,
  close: number,
  vol: number,
  volume: number,
): SymbolBar {
  const open = prevClose * Math.exp(normal(rng) * vol * 0.3);
  const high = Math.max(open, close) * (1 + Math.abs(normal(rng)) * vol * 0.4);
  const low = Math.min(open, close) * (1 - Math.min(0.5, Math.abs(normal(rng)) * vol * 0.4));
  // Rounding is monotone, so low <= min(open, close) <= max(open, close) <= high survives it.
  const bar = {
    symbol,
    date,
    open: Math.max(0.01, cents(open)),
    high: Math.max(0.01, cents(high)),
    low: Math.max(0.01, cents(low)),
    close: Math.max(0.01, cents(close)),
    volume,
    amount: 0,
  };
  // Turnover = shares × the bar's average price (a stand-in for VWAP).
  bar.amount = cents((volume * (bar.open + bar.high + bar.low + bar.close)) / 4);
  return bar;
}

/**
 * Generates the whole seed data set. Prices follow a geometric random walk per security:
 * log return = drift + beta × market + sector + idiosyncratic noise, clipped at the board's daily limit,
 * where the market factor is shared with the three indices (so betas against them are meaningful) and
 * the sector factor makes sector fund flows move together. Same seed, same data.
 */
export function generateSeedData(seed = DEFAULT_SEED): SeedData {
  const rng = mulberry32(seed);
  const tradingDays = tradingCalendar();
  const profiles = makeProfiles(rng);

  // Common factors first, one draw per day, so every series sees the same market.
  const market = tradingDays.map(() => 0.0003 + 0.011 * normal(rng));
  const sectorFactor = SECTORS.map(() => tradingDays.map(() => 0.004 * normal(rng)));

  const indexBars: SymbolBar[] = [];
  for (const index of INDICES) {
    let level = index.start;
    tradingDays.forEach((date, t) => {
      const next = level * Math.exp(market[t]! + 0.002 * normal(rng));
      const volume = Math.round(index.shareScale * Math.exp(0.25 * normal(rng)));
      const bar = makeBar(rng, index.code, date, level, next, 0.011, volume);
      // An index level is in points, not CNY, so turnover comes from an average share price instead
      // (about 12 CNY, moving with the index).
      bar.amount = cents(volume * 12 * (next / index.start));
      indexBars.push(bar);
      level = next;
    });
  }

  const bars: SymbolBar[] = [];
  const fundFlows: FundFlowDay[] = [];
  for (const p of profiles) {
    const { symbol } = p.security;
    const limit = Math.log(1 + priceLimit(symbol) * 0.98);
    let price = p.startPrice;
    tradingDays.forEach((date, t) => {
      const raw = p.drift + p.beta * market[t]! + sectorFactor[p.sectorIndex]![t]! + p.vol * normal(rng);
      const logReturn = Math.max(-limit, Math.min(limit, raw));
      const next = price * Math.exp(logReturn);
      // Busy days trade more: volume rises with the size of the move. Whole board lots.
      const shares = p.baseVolume * Math.exp(0.3 * normal(rng)) * (1 + 20 * Math.abs(logReturn));
      const volume = Math.max(100, Math.round(shares / 100) * 100);
      const bar = makeBar(rng, symbol, date, price, next, p.vol + 0.005, volume);
      bars.push(bar);
      // Main-force money chases the day's move (a z-score of the return) plus noise; retail mostly takes the
      // other side. Both as a share of that day's turnover.
      const z = logReturn / (p.vol + 0.011 * p.beta);
      const mainShare = Math.max(-0.4, Math.min(0.4, 0.08 * z + 0.04 * normal(rng)));
      const mainNetInflow = cents(bar.amount * mainShare);
      const retailNetInflow = cents(-mainNetInflow * uniform(rng, 0.5, 0.95) + bar.amount * 0.01 * normal(rng));
      fundFlows.push({ symbol, date, mainNetInflow, retailNetInflow });
      price = next;
    });
  }

  const positions = makePositions(rng, profiles, bars, tradingDays);
  const firstHolding = positions[0]!;
  const lastClose = bars.findLast((b) => b.symbol === firstHolding.symbol)!.close;
  const alertRules: AlertRuleInput[] = [
    { symbol: firstHolding.symbol, metric: 'price_below', threshold: cents(lastClose * 0.9) },
    { symbol: null, metric: 'var95_above', threshold: 0.03 },
  ];

  return {
    securities: profiles.map((p) => p.security),
    indices: INDICES.map(({ code, name }) => ({ code, name })),
    tradingDays,
    bars,
    indexBars,
    fundFlows,
    demoUser: { username: 'demo', password: 'demo-pass', displayName: 'Demo Investor' },
    positions,
    alertRules,
  };
}

/**
 * Ten holdings, one per sector and then two more, each worth roughly 50-200 thousand CNY at the last
 * close, bought at about the close of a day 60-250 trading days back.
 */
function makePositions(rng: Rng, profiles: Profile[], bars: SymbolBar[], tradingDays: string[]): Position[] {
  const chosen = new Set<string>();
  const positions: Position[] = [];
  const days = tradingDays.length;
  for (let i = 0; i < 10; i++) {
    const candidates = profiles.filter((p) => p.sectorIndex === i % SECTORS.length && !chosen.has(p.security.symbol));
    const pick = candidates[intBetween(rng, 0, candidates.length - 1)]!;
    const { symbol } = pick.security;
    chosen.add(symbol);
    // Bars are stored grouped by security in profile order, one per trading day.
    const offset = profiles.indexOf(pick) * days;
    const last = bars[offset + days - 1]!.close;
    const boughtAt = bars[offset + days - 1 - intBetween(rng, 60, 250)]!.close;
    const lots = Math.max(1, Math.round(uniform(rng, 50_000, 200_000) / (last * 100)));
    positions.push({ symbol, quantity: lots * 100, costPrice: cents(boughtAt * uniform(rng, 0.97, 1.03)) });
  }
  return positions;
}
