import { expect, test } from '@playwright/test';

test('passes', () => {
  expect(1 + 1).toBe(2);
});

test('fails', () => {
  expect(1 + 1, 'on purpose: the reporter must count this test as failed').toBe(3);
});

test('is flaky', () => {
  expect(test.info().retry, 'on purpose: fails on its first attempt only').toBeGreaterThan(0);
});

test.skip('is skipped', () => {});
