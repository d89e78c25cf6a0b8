// Chart boxes over ECharts (Apache-2.0, set up in echarts.ts and loaded only when a page first draws a chart:
// three of the six pages do). Every chart sits in a role="img" box whose label says what it shows; the numbers
// themselves are in a table next to it, since a canvas has no text a screen reader (or a test) can read.
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { h } from '../dom.ts';

export type ChartOption = EChartsCoreOption;
export type ChartInstance = ECharts;

let echartsModule: Promise<typeof import('./echarts.ts')> | undefined;
/** ECharts' chunk, fetched once per page load (a dynamic import, which Vite turns into a separate file). */
function loadEcharts(): Promise<typeof import('./echarts.ts')> {
  echartsModule ??= import('./echarts.ts');
  return echartsModule;
}

declare global {
  interface Window {
    /** Set by a test (addInitScript) to draw charts without animation, for stable screenshots. */
    __MYSTOCKS_NO_ANIMATION?: boolean;
  }
}

const NO_ANIMATION_KEY = 'mystocks.animation';

/**
 * Whether charts animate. Off with `?animation=off` (remembered for the tab, `?animation=on` undoes it),
 * `window.__MYSTOCKS_NO_ANIMATION = true`, or the user's reduced-motion preference (Playwright's
 * `reducedMotion: 'reduce'`).
 */
export function animationEnabled(): boolean {
  const param = new URLSearchParams(window.location.search).get('animation');
  try {
    if (param === 'off' || param === 'on') sessionStorage.setItem(NO_ANIMATION_KEY, param);
    if (sessionStorage.getItem(NO_ANIMATION_KEY) === 'off') return false;
  } catch {
    if (param === 'off') return false;
  }
  if (window.__MYSTOCKS_NO_ANIMATION) return false;
  return !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
}

export interface ChartBox {
  /** The element to put in the page. */
  element: HTMLElement;
  /**
   * Draws the option (animation flag added) once the box is in the document, and then marks it
   * data-rendered="true" for tests. ECharts measures its box at init, so init waits for the box to be attached.
   */
  setOption(option: ChartOption): void;
  /** Runs `fn` with the ECharts instance once it exists (to listen to its events). */
  whenReady(fn: (chart: ChartInstance) => void): void;
  dispose(): void;
}

/** A chart in a role="img" box; `height` in px. Call dispose() when the page goes away. */
export function chartBox(label: string, height: number, attrs: Record<string, string> = {}): ChartBox {
  const element = h('div', { role: 'img', 'aria-label': label, class: 'chart', style: `height:${height}px`, ...attrs });
  let chart: ChartInstance | undefined;
  let observer: ResizeObserver | undefined;
  let pending: ChartOption | undefined;
  let disposed = false;
  const ready: ((chart: ChartInstance) => void)[] = [];

  function flush(): void {
    if (disposed || !pending) return;
    if (!element.isConnected) {
      requestAnimationFrame(flush);
      return;
    }
    if (!chart) {
      loadEcharts().then(({ echarts }) => {
        if (disposed || chart) return;
        chart = echarts.init(element, undefined, { renderer: 'canvas' });
        observer = new ResizeObserver(() => chart?.resize());
        observer.observe(element);
        for (const fn of ready.splice(0)) fn(chart);
        flush();
      }, reportLoadFailure);
      return;
    }
    const animation = animationEnabled();
    chart.setOption({ animation, ...pending }, true);
    pending = undefined;
    element.dataset.rendered = 'true';
    element.dataset.animation = animation ? 'on' : 'off';
  }

  function reportLoadFailure(error: unknown): void {
    // The chunk did not arrive (network gone, new deployment): say so in the box instead of spinning forever.
    element.dataset.rendered = 'error';
    element.textContent = 'The chart could not be loaded. Reload the page to try again.';
    console.error('chart library failed to load', error);
  }

  return {
    element,
    setOption(option) {
      pending = option;
      element.dataset.rendered = 'false';
      queueMicrotask(flush);
    },
    whenReady(fn) {
      if (chart) fn(chart);
      else ready.push(fn);
    },
    dispose() {
      disposed = true;
      observer?.disconnect();
      chart?.dispose();
    },
  };
}

/** Shared colours: up red / down green is the A-share convention, which traders of this market expect. */
export const COLORS = {
  up: '#d9363e',
  down: '#15935b',
  lines: ['#2f6fdf', '#e39b0b', '#8e44ad', '#1aa3a3', '#c2185b'],
  grid: '#e4e7ec',
  text: '#3b4351',
};
