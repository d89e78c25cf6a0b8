// Small per-browser preferences: the last chart symbol opened (the nav's Charts link returns to it).
const LAST_SYMBOL_KEY = 'mystocks.lastSymbol';
const listeners = new Set<(symbol: string) => void>();

export function lastSymbol(): string | null {
  try {
    const symbol = localStorage.getItem(LAST_SYMBOL_KEY);
    return symbol && /^\d{6}$/.test(symbol) ? symbol : null;
  } catch {
    return null;
  }
}

export function rememberSymbol(symbol: string): void {
  try {
    localStorage.setItem(LAST_SYMBOL_KEY, symbol);
  } catch {
    // storage disabled: the link just does not remember
  }
  for (const fn of listeners) fn(symbol);
}

export function onSymbolChange(fn: (symbol: string) => void): void {
  listeners.add(fn);
}
