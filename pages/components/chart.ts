// Charts are canvases in a role="img" box; what they draw is exposed as data attributes (data-rendered,
// data-keys, data-bars, ...) so specs compare numbers, not pixels. KlineChart adds the crosshair, moved by
// the keyboard (arrows, Home, End) or the mouse, whose bar the "Bar details" status describes.
import type { Locator, Page } from '@playwright/test';
import { step } from '../step.ts';

export class Chart {
  /** The role="img" box; data-rendered="true" once drawn. */
  readonly root: Locator;

  constructor(root: Locator) {
    this.root = root;
  }
}

/** Keys that move the K-line crosshair. */
export type CrosshairKey = 'ArrowLeft' | 'ArrowRight' | 'Home' | 'End';

export class KlineChart extends Chart {
  /** The status region describing the bar under the crosshair (data-date, dd[data-column]). */
  readonly barDetails: Locator;
  private readonly page: Page;

  constructor(page: Page) {
    super(page.getByTestId('kline-chart'));
    this.page = page;
    this.barDetails = page.getByRole('status', { name: 'Bar details' });
  }

  /** One figure of the described bar: `close`, `volume`, `ma.ma5`, `macd.dif`, ... */
  detail(column: string): Locator {
    return this.barDetails.locator(`dd[data-column="${column}"]`);
  }

  /** Focuses the chart and presses `key` `times` times. */
  async moveCrosshair(key: CrosshairKey, times = 1): Promise<void> {
    await step(`move the crosshair: ${key}${times > 1 ? ` × ${times}` : ''}`, async () => {
      await this.root.focus();
      for (let i = 0; i < times; i++) await this.root.press(key);
    });
  }

  /**
   * Moves the mouse over the price plot at a fraction (0..1) of the chart's width, once the chart is drawn: the
   * box is on the page (at its final size) before the chart library has loaded and drawn into it, and a mouse
   * that moves before the library listens is never seen by it.
   */
  async hoverAt(fraction: number): Promise<void> {
    await step(`hover the chart at ${Math.round(fraction * 100)} % of its width`, async () => {
      await this.root.and(this.page.locator('[data-rendered="true"]')).waitFor();
      const box = await this.root.boundingBox();
      if (!box) throw new Error('the K-line chart is not visible');
      await this.page.mouse.move(box.x + box.width * fraction, box.y + 150);
    });
  }
}
