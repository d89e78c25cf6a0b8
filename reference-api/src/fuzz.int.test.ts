// Property-based fuzzing of every route (docs/security.md, "No input reaches a 500"). The routes and their
// inputs come from the app itself: buildApp's onRoute hands over each route with its zod schemas, and each
// schema's JSON Schema (z.toJSONSchema) says which fields exist and what a valid value looks like. Requests
// mix valid values (so the handlers run, down to PostgreSQL) with hostile ones: NUL and other control
// characters, lone surrogates, huge and tiny numbers, long strings, wrong types, arbitrary JSON, malformed
// percent-encoding and bodies that are not JSON. The contract: never a 5xx; every 4xx is the error shape, and
// a 400 names its field in `field` and at the start of `message`. Fixed seed, bounded runs: the same cases
// every time, and the count is printed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';
import { startTestEnv, type TestEnv } from '../../stack/local/api-test-support.ts';

const SEED = 20_261_130;
const RUNS_PER_ROUTE = 40;

/** A route as the fuzzer sees it. */
interface FuzzRoute {
  method: string;
  url: string;
  body?: z.ZodType;
  querystring?: z.ZodType;
  params?: z.ZodType;
}

let env: TestEnv;
let app: FastifyInstance;
let cookie: string;
const routes: FuzzRoute[] = [];

before(async () => {
  env = await startTestEnv({});
  app = await env.buildAnother(
    // With the admin routes present (the fuzzer never has the token), and limits as deployed.
    { faultsAdminToken: 'fuzz-admin-token-never-sent-0123456789' },
    {
      onRoute(route: RouteOptions) {
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        const schema = (route.schema ?? {}) as Partial<Record<'body' | 'querystring' | 'params', z.ZodType>>;
        for (const method of methods) {
          if (method === 'HEAD' || method === 'OPTIONS') continue;
          routes.push({ method, url: route.url, ...schema });
        }
      },
    },
  );
  // A user of the fuzzer's own, so protected routes run their handlers and nothing of demo's changes.
  const registered = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { username: 'fuzzer', password: 'fuzzer-password' },
  });
  assert.equal(registered.statusCode, 201);
  cookie = await env.login('fuzzer', 'fuzzer-password');
});
after(async () => env?.close());

/** JSON Schema of one field, as far as the generator reads it. */
interface FieldSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxLength?: number;
  anyOf?: FieldSchema[];
}

/** C0 controls (NUL first), DEL and C1 controls: what PostgreSQL's text refuses (NUL) or no name should hold. */
const CONTROLS = ['\u0000', '\u0001', '\u0009', '\u000a', '\u001b', '\u001f', '\u007f', '\u0085', '\u009f'];

/** Characters and values that have broken services before. */
const hostileString = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\u0007\u001b[31m',
    '\u007f',
    '\u0085\u009f',
    '\ud800',
    '%00',
    '',
    ' ',
    '1e400',
    'NaN',
    '-0',
    'Infinity',
    '9'.repeat(400),
    "'; DROP TABLE users;--",
    '../../etc/passwd',
    '__proto__',
    '=1+1',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  // Control characters are rare among all code points; this draws them often.
  fc.string({ unit: fc.constantFrom(...CONTROLS, 'a', 'é', '中'), minLength: 1, maxLength: 20 }),
  fc.string({ minLength: 500, maxLength: 3_000 }),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(1e13, 1e308, -1e308, 5e-324, 1e-9, 0, -1, 2 ** 31, 2 ** 53 + 1, 0.1 + 0.2, -0),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A valid-looking value for one field (so the handler runs), from its JSON Schema. */
function validValue(field: FieldSchema): fc.Arbitrary<unknown> {
  if (field.anyOf !== undefined && field.anyOf.length > 0) return fc.oneof(...field.anyOf.map(validValue));
  if (field.const !== undefined) return fc.constant(field.const);
  if (field.enum !== undefined && field.enum.length > 0) return fc.constantFrom(...field.enum);
  const type = Array.isArray(field.type) ? field.type[0] : field.type;
  if (type === 'null') return fc.constant(null);
  if (type === 'boolean') return fc.boolean();
  if (type === 'integer' || type === 'number') {
    const min = field.minimum ?? field.exclusiveMinimum ?? -1e6;
    const max = field.maximum ?? 1e6;
    const bounds = fc.constantFrom(min, max, (min + max) / 2);
    return type === 'integer'
      ? fc.oneof(fc.integer({ min: Math.ceil(Math.max(min, -2e9)), max: Math.floor(Math.min(max, 2e9)) }), bounds)
      : fc.oneof(fc.double({ min, max, noNaN: true }), bounds);
  }
  if (field.format === 'date') {
    return fc
      .date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  }
  if (field.pattern !== undefined) return fc.stringMatching(new RegExp(field.pattern));
  return fc.string({ minLength: 1, maxLength: Math.min(field.maxLength ?? 12, 12) });
}

/** A valid value with one control character put in, when it is a string (a name with a NUL in it). */
function withControl(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return valid.chain((value) =>
    typeof value !== 'string'
      ? fc.constant(value)
      : fc
          .tuple(fc.nat(value.length), fc.constantFrom(...CONTROLS))
          .map(([at, control]) => value.slice(0, at) + control + value.slice(at)),
  );
}

/** The fields of a zod object schema with their JSON Schemas (none for a schema that is not an object). */
function fieldsOf(schema: z.ZodType | undefined): [string, FieldSchema][] {
  if (schema === undefined) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, FieldSchema>;
  };
  return Object.entries(json.properties ?? {});
}

/** An object holding each field with a valid or a hostile value, or not at all, plus a stray key now and then. */
function objectOf(schema: z.ZodType | undefined): fc.Arbitrary<Record<string, unknown>> {
  const fields = fieldsOf(schema);
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, field] of fields) {
    shape[name] = fc.oneof(
      { weight: 3, arbitrary: validValue(field) },
      { weight: 2, arbitrary: withControl(validValue(field)) },
      { weight: 2, arbitrary: hostileValue },
    );
  }
  return fc
    .tuple(
      fc.record(shape, { requiredKeys: [] }),
      fc.option(fc.tuple(fc.constantFrom('extra', '__proto__', 'constructor', ''), hostileValue), { nil: undefined }),
    )
    .map(([record, extra]) => (extra === undefined ? record : { ...record, [extra[0]]: extra[1] }));
}

/** Text for a URL: values as text, percent-encoded (so NUL and control characters arrive decoded in the app). */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}
function encode(value: unknown): string {
  try {
    return encodeURIComponent(asText(value));
  } catch {
    return '%ED%A0%80'; // a lone surrogate, as UTF-8 bytes PostgreSQL and decodeURIComponent both refuse
  }
}

/** One request to a route: method, URL (path parameters and query filled in), body and cookie. */
function requestOf(route: FuzzRoute) {
  const params = route.url.match(/:[A-Za-z]+/g) ?? [];
  const paramFields = new Map(fieldsOf(route.params));
  const paramValue = (name: string) => {
    const field = paramFields.get(name);
    return fc.oneof(
      ...(field === undefined ? [] : [validValue(field)]),
      hostileValue,
      fc.constant('%E0%A4%A'), // malformed percent-encoding, sent as is
    );
  };
  const path = fc.tuple(...params.map((p) => paramValue(p.slice(1)))).map((values) => {
    let url = route.url.replace(/\*$/, 'x');
    params.forEach((p, i) => {
      const v = values[i];
      url = url.replace(p, v === '%E0%A4%A' ? v : encode(v));
    });
    return url;
  });
  const query = objectOf(route.querystring).map((record) => {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(record)) {
      // An array is a repeated key (?a=1&a=2), which Fastify parses into an array.
      for (const one of Array.isArray(value) ? value : [value]) parts.push(`${encode(key)}=${encode(one)}`);
    }
    return parts.length > 0 ? `?${parts.join('&')}` : '';
  });
  const body = fc.oneof(
    {
      weight: 4,
      arbitrary: objectOf(route.body).map((o) => ({ payload: JSON.stringify(o), type: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ payload: JSON.stringify(v), type: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { payload: '{"a":', type: 'application/json' },
        { payload: '', type: 'application/json' },
        { payload: 'username=demo', type: 'application/x-www-form-urlencoded' },
        { payload: '\u0000', type: 'text/plain' },
        { payload: `{"x":"${'a'.repeat(70_000)}"}`, type: 'application/json' },
      ),
    },
  );
  // The user's session except on routes that would end it (then a made-up token, or none).
  const endsSession = /\/api\/auth\/(logout|me|sessions)$/.test(route.url) && route.method !== 'GET';
  const session = endsSession
    ? fc.constantFrom(undefined, 'mystocks_session=made-up-token', 'mystocks_session=%00')
    : fc.constantFrom(cookie, cookie, cookie, undefined, 'mystocks_session=%00');
  // A new client address per request, so the per-address limits (tested on their own in security.int.test.ts)
  // do not stop the fuzzer from reaching the handlers after the first few hostile logins.
  const remoteAddress = fc.ipV4();
  return fc.record({ path, query, body, session, remoteAddress });
}

test(`every route answers hostile input with a 4xx naming the field, never a 5xx (seed ${SEED})`, async () => {
  assert.ok(routes.length >= 20, `only ${routes.length} routes were seen`);
  let cases = 0;
  const statuses = new Map<number, number>();
  for (const route of routes) {
    const t0 = performance.now();
    await fc.assert(
      fc.asyncProperty(requestOf(route), async ({ path, query, body, session, remoteAddress }) => {
        const hasBody = route.method === 'POST' || route.method === 'PUT';
        const res = await app.inject({
          method: route.method as 'GET',
          url: path + query,
          remoteAddress,
          headers: {
            ...(session === undefined ? {} : { cookie: session }),
            ...(hasBody ? { 'content-type': body.type } : {}),
          },
          ...(hasBody ? { payload: body.payload } : {}),
        });
        cases++;
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        const what = `${route.method} ${path + query} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
        assert.ok(res.statusCode < 500, what);
        if (res.statusCode >= 400) {
          const answer = JSON.parse(res.body) as { statusCode: number; message: unknown; field?: unknown };
          assert.equal(answer.statusCode, res.statusCode, what);
          assert.equal(typeof answer.message, 'string', what);
          if (res.statusCode === 400) {
            assert.equal(typeof answer.field, 'string', what);
            assert.ok(String(answer.message).startsWith(`${answer.field}: `), what);
          }
        }
      }),
      { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
    );
    console.log(`fuzz: ${route.method} ${route.url} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const byStatus = [...statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  console.log(`fuzz: ${cases} requests over ${routes.length} routes (seed ${SEED}); answers ${byStatus}`);
  assert.ok(!statuses.has(500));
});
