// Test support: a fake Prometheus HTTP API. Only for answers a real Prometheus cannot be made to give (a ratio
// above 100 %, -Inf latencies, negative increases, partial answers with warnings, proxies' HTML pages, a body
// that trickles one byte a second), as a Thanos or Mimir in trouble or a broken proxy can. Everything a real
// Prometheus can answer is tested against a real one (evaluate.int.test.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One canned answer: an HTTP status and a body (a JSON value is serialised), or a body sent byte by byte. */
export interface FakeAnswer {
  status?: number;
  /** A string is sent as is; anything else as JSON. */
  body: unknown;
  contentType?: string;
  /** Send the body one byte per this many milliseconds (a stalled endpoint). */
  trickleMs?: number;
}

/** A running fake: answers by the query text, counts the requests, stops with stop() or `await using`. */
export interface FakePrometheus extends AsyncDisposable {
  readonly url: string;
  /** Answers by exact query text; the fallback answers every other query. */
  answers: Map<string, FakeAnswer>;
  fallback: FakeAnswer | undefined;
  /** Queries received, in order. */
  readonly received: string[];
  stop(): Promise<void>;
}

/** A Prometheus instant-query answer holding one series with that sample value ("0.25", "NaN", "+Inf"). */
export function vectorOf(...values: string[]): unknown {
  return {
    status: 'success',
    data: { resultType: 'vector', result: values.map((value, i) => ({ metric: { i: String(i) }, value: [1, value] })) },
  };
}

/** Starts a fake on a free loopback port. */
export async function startFakePrometheus(): Promise<FakePrometheus> {
  const answers = new Map<string, FakeAnswer>();
  const received: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const state = { answers, fallback: undefined as FakeAnswer | undefined };
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
    });
    request.on('end', () => {
      const query = new URLSearchParams(raw).get('query') ?? '';
      received.push(query);
      const answer = state.answers.get(query) ?? state.fallback;
      if (!answer) {
        response.writeHead(500).end('fake Prometheus: no answer set for this query');
        return;
      }
      const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      response.writeHead(answer.status ?? 200, { 'Content-Type': answer.contentType ?? 'application/json' });
      if (answer.trickleMs === undefined) {
        response.end(body);
        return;
      }
      let sent = 0;
      const timer = setInterval(() => {
        if (response.destroyed || sent >= body.length) {
          clearInterval(timer);
          timers.delete(timer);
          response.end();
          return;
        }
        response.write(body[sent++]);
      }, answer.trickleMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stop = async () => {
    for (const timer of timers) clearInterval(timer);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}`,
    get answers() {
      return state.answers;
    },
    set answers(value) {
      state.answers = value;
    },
    get fallback() {
      return state.fallback;
    },
    set fallback(value) {
      state.fallback = value;
    },
    received,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
