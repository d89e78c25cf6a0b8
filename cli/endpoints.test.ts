// Where a command finds a service: flag > environment > reports/stack.json, the same for every service.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StackInfo } from '../stack/types.ts';
import { resolveEndpoint } from './endpoints.ts';

const stack = { apiUrl: 'http://127.0.0.1:3000', pushgatewayUrl: 'http://127.0.0.1:9091' } as StackInfo;
const target = (flag: string | undefined) => ({
  flag: { name: '--target', value: flag },
  env: ['HARNESS_TEST_API_URL'],
  fromStack: (info: StackInfo) => info.apiUrl,
});

test('a flag wins over the environment, which wins over stack.json', () => {
  process.env.HARNESS_TEST_API_URL = 'http://127.0.0.1:4000/';
  try {
    assert.deepEqual(resolveEndpoint(target('http://127.0.0.1:5000'), stack), {
      url: 'http://127.0.0.1:5000',
      source: '--target',
    });
    assert.deepEqual(resolveEndpoint(target(undefined), stack), {
      url: 'http://127.0.0.1:4000',
      source: 'HARNESS_TEST_API_URL',
    });
  } finally {
    delete process.env.HARNESS_TEST_API_URL;
  }
  assert.deepEqual(resolveEndpoint(target(undefined), stack), { url: stack.apiUrl, source: 'reports/stack.json' });
  assert.equal(resolveEndpoint(target(undefined), undefined), undefined);
});

test('a value that is not a URL is named with where it came from', () => {
  assert.throws(() => resolveEndpoint(target('notaurl'), stack), /^HarnessError: --target: 'notaurl' is not a URL/);
  assert.throws(() => resolveEndpoint(target('ftp://x'), stack), /--target: 'ftp:\/\/x' is not an http\(s\) URL/);
});
