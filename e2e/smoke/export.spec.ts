// Smoke: the export page downloads under the server's file name and refuses an inverted date range.
import { expect, test } from './fixtures.ts';

test('downloads a K-line CSV named after the symbol and the last day', async ({ page }) => {
  const quotes = (await (await page.request.get('/api/market/quotes?pageSize=1')).json()) as {
    items: { symbol: string; date: string }[];
  };
  const { symbol, date } = quotes.items[0]!;
  await page.goto('/export');
  await expect(page.getByRole('heading', { level: 1, name: 'Export' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Export data' });
  await form.getByLabel('Dataset').selectOption('kline');
  await form.getByRole('radio', { name: 'CSV' }).check();
  await form.getByLabel('Symbol').fill(symbol);

  const download = page.waitForEvent('download');
  await form.getByRole('button', { name: 'Download' }).click();
  expect((await download).suggestedFilename()).toBe(`kline-${symbol}-${date}.csv`);
  await expect(page.getByTestId('export-status')).toHaveText(`Downloaded kline-${symbol}-${date}.csv.`);
});

test('downloads the quotes as Excel', async ({ page }) => {
  await page.goto('/export');
  const form = page.getByRole('form', { name: 'Export data' });
  await form.getByRole('radio', { name: 'Excel' }).check();
  const download = page.waitForEvent('download');
  await form.getByRole('button', { name: 'Download' }).click();
  expect((await download).suggestedFilename()).toMatch(/^quotes-\d{4}-\d{2}-\d{2}\.xlsx$/);
});

test('refuses a range whose start is after its end', async ({ page }) => {
  await page.goto('/export');
  const form = page.getByRole('form', { name: 'Export data' });
  await form.getByLabel('Dataset').selectOption('kline');
  await form.getByLabel('Symbol').fill('000001');
  await form.getByLabel('Start date').fill('2026-06-30');
  await form.getByLabel('End date').fill('2026-01-01');
  let downloaded = false;
  page.on('download', () => {
    downloaded = true;
  });
  await form.getByRole('button', { name: 'Download' }).click();
  await expect(form.getByText('The start date must be on or before the end date.')).toBeVisible();
  await expect(form.getByLabel('Start date')).toHaveAttribute('aria-invalid', 'true');
  expect(downloaded).toBe(false);
});
