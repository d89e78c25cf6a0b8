/**
 * Which stack mode a run uses: `--stack`, else `HARNESS_STACK`, else `auto`. `auto` is containers when a
 * container engine answers the Docker API's `GET /_ping` (DOCKER_HOST, Docker's socket, or Podman's API
 * socket), else local processes. The answer carries a sentence saying why, which the commands print, so nobody
 * has to guess why a run used processes instead of containers.
 */

import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HarnessError } from '../core/outcome.ts';
import type { RequestedStackMode, StackMode } from './types.ts';

const MODES: readonly RequestedStackMode[] = ['auto', 'containers', 'local', 'external'];
/** A container engine that takes longer than this to answer a ping is treated as absent. */
const PING_TIMEOUT_MS = 1_500;

/** The resolved mode and why. */
export interface ResolvedStackMode {
  mode: StackMode;
  /** "containers: Podman answers at unix:///run/podman/podman.sock", "local: no container engine answers ...". */
  reason: string;
  /** The engine found by `auto` (a DOCKER_HOST value), for testcontainers when DOCKER_HOST is unset. */
  dockerHost?: string;
}

/** Checks a requested mode string; throws HarnessError (exit 2) for anything else. */
export function parseStackMode(value: string): RequestedStackMode {
  if ((MODES as readonly string[]).includes(value)) return value as RequestedStackMode;
  throw new HarnessError(`unknown stack mode '${value}': use one of ${MODES.join(', ')}`);
}

/** Resolves `--stack` (when given) or `HARNESS_STACK`, then `auto`, to a concrete mode with a reason. */
export async function resolveStackMode(
  requested?: string,
  env: NodeJS.ProcessEnv = process.env,
  sockets?: [path: string, engine: string][],
): Promise<ResolvedStackMode> {
  const source = requested ? '--stack' : env.HARNESS_STACK ? 'HARNESS_STACK' : undefined;
  const mode = parseStackMode(requested || env.HARNESS_STACK || 'auto');
  if (mode !== 'auto') return { mode, reason: `${mode}: asked for by ${source}` };
  const engine = await detectContainerEngine(env, sockets);
  if (engine.found) {
    return { mode: 'containers', reason: `containers: ${engine.found.label}`, dockerHost: engine.found.dockerHost };
  }
  return { mode: 'local', reason: `local: no container engine answers (${engine.tried.join('; ')})` };
}

interface Candidate {
  /** A DOCKER_HOST value: unix:///path or tcp://host:port. */
  dockerHost: string;
  engine: string;
}

/** A container engine that answered, and how to name it in messages. */
export interface DetectedEngine {
  /** What DOCKER_HOST takes: unix:///run/podman/podman.sock, tcp://host:2375. */
  dockerHost: string;
  label: string;
  /** Podman's Docker-compatible service (its /version names a Podman component): no Ryuk there. */
  podman: boolean;
}

/**
 * The one probe for a container engine. DOCKER_HOST, when set, is the only candidate (the user said which engine);
 * otherwise the usual Docker and Podman sockets in order, the first to answer `GET /_ping` wins.
 */
export async function detectContainerEngine(
  env: NodeJS.ProcessEnv = process.env,
  sockets: [path: string, engine: string][] = defaultSockets(env),
): Promise<{ found?: DetectedEngine; tried: string[] }> {
  const candidates: Candidate[] = [];
  if (env.DOCKER_HOST) candidates.push({ dockerHost: env.DOCKER_HOST, engine: 'DOCKER_HOST' });
  else {
    for (const [path, engine] of sockets) {
      if (existsSync(path)) candidates.push({ dockerHost: `unix://${path}`, engine });
    }
  }
  const tried: string[] = [];
  for (const candidate of candidates) {
    const answer = await dockerApiGet(candidate.dockerHost, '/_ping');
    if (typeof answer !== 'string' && answer.status === 200) {
      // Podman says who it is in the ping's own headers (Libpod-Api-Version); /version can take seconds on a busy
      // Podman, and a slow answer there must not pass Podman off as Docker (testcontainers would then start Ryuk,
      // whose image Podman here cannot pull).
      const podman =
        answer.headers['libpod-api-version'] !== undefined || /libpod/i.test(String(answer.headers.server));
      const who = candidate.engine === 'DOCKER_HOST' ? `DOCKER_HOST=${candidate.dockerHost}` : candidate.engine;
      return {
        found: { dockerHost: candidate.dockerHost, label: `${who} answers at ${candidate.dockerHost}`, podman },
        tried,
      };
    }
    tried.push(`${candidate.dockerHost}: ${typeof answer === 'string' ? answer : `answered ${answer.status}`}`);
  }
  if (candidates.length === 0) tried.push('DOCKER_HOST unset, no Docker or Podman socket found');
  return { tried };
}

/** The usual places of Docker's and Podman's API sockets (rootful and rootless). */
export function defaultSockets(env: NodeJS.ProcessEnv = process.env): [path: string, engine: string][] {
  return [
    ['/var/run/docker.sock', 'Docker'],
    [join(homedir(), '.docker/run/docker.sock'), 'Docker'],
    ['/run/podman/podman.sock', 'Podman'],
    ...(env.XDG_RUNTIME_DIR ? [[join(env.XDG_RUNTIME_DIR, 'podman/podman.sock'), 'Podman'] as [string, string]] : []),
  ];
}

/** A GET on the Docker API: its status and body, or a short description of why nothing answered. */
export function dockerApiGet(
  dockerHost: string,
  path: string,
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> } | string> {
  let target: { socketPath: string } | { host: string; port: number };
  try {
    const url = new URL(dockerHost);
    if (url.protocol === 'unix:') target = { socketPath: url.pathname };
    else if (url.protocol === 'tcp:' || url.protocol === 'http:') {
      target = { host: url.hostname, port: Number(url.port || 2375) };
    } else return Promise.resolve(`unsupported scheme ${url.protocol}`);
  } catch {
    return Promise.resolve('not a URL');
  }
  return new Promise((resolve) => {
    const req = request({ ...target, path, method: 'GET', timeout: PING_TIMEOUT_MS }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
      response.on('error', (error) => resolve(error.message));
    });
    req.once('timeout', () => req.destroy(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)));
    req.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}
