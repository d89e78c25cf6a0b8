import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignColumns, firstLine } from './text.ts';

test('firstLine keeps what comes before the first LF or CRLF, and a one-line text whole', () => {
  assert.equal(firstLine('breached: latency-p95\n  at stage slo'), 'breached: latency-p95');
  assert.equal(firstLine('HTTP 502\r\n<html>'), 'HTTP 502');
  assert.equal(firstLine('no newline'), 'no newline');
  assert.equal(firstLine('\nafter an empty first line'), '');
  assert.equal(firstLine(''), '');
});

test('alignColumns pads each column to its widest cell, two spaces apart, with no trailing spaces', () => {
  const { widths, line } = alignColumns([
    ['SLO', 'STATUS', 'SLI'],
    ['availability', 'pass', '99.95 %'],
    ['p95', 'fail', ''],
  ]);
  assert.deepEqual(widths, [12, 6, 7]);
  assert.equal(line(['SLO', 'STATUS', 'SLI']), 'SLO           STATUS  SLI');
  assert.equal(line(['p95', 'fail', '']), 'p95           fail');
});
