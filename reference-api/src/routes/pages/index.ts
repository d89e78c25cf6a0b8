// The pages (docs/api.md, "Pages"): index.html of the Vite build for every page path, /assets/* statically,
// / -> /market, and /risk and /export behind a session (302 to /login?next=...). Without a build the page
// paths answer 503 with the command that makes one.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const PAGE_PATHS = ['/login', '/market', '/fund-flow', '/risk', '/charts/:symbol', '/export'] as const;
const PROTECTED = new Set(['/risk', '/export']);

export default async function pageRoutes(app: FastifyInstance): Promise<void> {
  const dist = app.config.webDistDir;
  const assets = join(dist, 'assets');
  if (existsSync(assets)) {
    await app.register(fastifyStatic, { root: assets, prefix: '/assets/', index: false, wildcard: true, maxAge: '1h' });
  }

  app.get('/', async (_request, reply) => reply.redirect('/market', 302));

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    const template = request.routeOptions.url ?? '';
    if (PROTECTED.has(template) && (await app.sessions.load(request)) === null) {
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 302);
    }
    // Read per request (a few KB) so a build made while the server runs is picked up.
    const html = await readFile(join(dist, 'index.html'), 'utf8').catch(() => undefined);
    if (html === undefined) {
      return reply.code(503).type('text/plain; charset=utf-8').send('web pages not built: run npm run build:web');
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  };
  for (const path of PAGE_PATHS) app.get(path, page);
}
