// The redaction helpers every message and report uses for a Prometheus URL and for secrets (docs/security.md), the
// environment a child tool gets without the credentials, and the byte sizes of the answer cap. Reading a capped
// answer over real HTTP is prometheus-access.int.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes, parseByteSize, redactSecrets, redactUrl, withoutCredentials } from './prometheus-access.ts';

test('redactUrl: userinfo, query values and a fragment become [redacted]; a plain URL stays exactly as given', () => {
  assert.equal(redactUrl('http://127.0.0.1:9090'), 'http://127.0.0.1:9090');
  assert.equal(redactUrl('https://mimir.example/prometheus'), 'https://mimir.example/prometheus');
  assert.equal(redactUrl('http://alice:pw@prom.example:9090'), 'http://[redacted]@prom.example:9090/');
  assert.equal(redactUrl('http://alice@prom.example/x'), 'http://[redacted]@prom.example/x');
  assert.equal(
    redactUrl('https://sso.example/login?state=abc&code=s3cret#token=t'),
    'https://sso.example/login?state=[redacted]&code=[redacted]#[redacted]',
  );
  // Not a URL (a raw '/' in the password): everything between '//' and the last '@' goes.
  assert.equal(redactUrl('http://alice:pa/ss@host:1'), 'http://[redacted]@host:1');
  assert.equal(redactUrl('/login'), '/login');
});

test('redactSecrets: the access secrets and any URL userinfo in a text, with or without an access', () => {
  const text =
    'TypeError: Request cannot be constructed from a URL that includes credentials: http://alice:p%40ss@127.0.0.1:9/api/v1/query';
  assert.equal(
    redactSecrets(text, undefined),
    'TypeError: Request cannot be constructed from a URL that includes credentials: http://[redacted]@127.0.0.1:9/api/v1/query',
  );
  assert.equal(redactSecrets('a raw @ in it: http://u:p@ss@h/x', undefined), 'a raw @ in it: http://[redacted]@h/x');
  const access = { basicAuth: { username: 'u', password: 'pw-1' } };
  assert.equal(
    redactSecrets(`echo pw-1 and ${Buffer.from('u:pw-1').toString('base64')}`, access),
    'echo [redacted] and [redacted]',
  );
});

test('parseByteSize and formatBytes', () => {
  assert.equal(parseByteSize('16MiB'), 16 * 1024 * 1024);
  assert.equal(parseByteSize('1 KiB'), 1024);
  assert.equal(parseByteSize('64MB'), 64_000_000);
  assert.equal(parseByteSize('123'), 123);
  for (const bad of ['0', '-1', '1.5', 'MiB', '1 TiB', '']) assert.equal(parseByteSize(bad), undefined, bad);
  assert.equal(formatBytes(16 * 1024 * 1024), '16 MiB');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(1000), '1000 bytes');
});

test('Playwright and Allure get the environment without the Prometheus credentials, and nothing else removed', () => {
  const env = withoutCredentials({
    PATH: '/usr/bin',
    HARNESS_PROMETHEUS_BASIC_AUTH: 'user:secret',
    HARNESS_PROMETHEUS_BEARER_TOKEN: 'token',
    HARNESS_PROMETHEUS_BEARER_TOKEN_FILE: '/run/secrets/token',
    CHROMIUM_PATH: '/usr/bin/chromium',
  });
  assert.deepEqual(env, {
    PATH: '/usr/bin',
    HARNESS_PROMETHEUS_BEARER_TOKEN_FILE: '/run/secrets/token',
    CHROMIUM_PATH: '/usr/bin/chromium',
  });
});
