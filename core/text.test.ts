import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstLine } from './text.ts';

test('firstLine keeps what comes before the first LF or CRLF, and a one-line text whole', () => {
  assert.equal(firstLine('breached: latency-p95\n  at stage slo'), 'breached: latency-p95');
  assert.equal(firstLine('HTTP 502\r\n<html>'), 'HTTP 502');
  assert.equal(firstLine('no newline'), 'no newline');
  assert.equal(firstLine('\nafter an empty first line'), '');
  assert.equal(firstLine(''), '');
});
