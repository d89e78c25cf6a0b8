import { existsSync } from 'node:fs';
import { request } from 'node:http';

/** A container engine that answers the Docker API. */
export interface ContainerEngine {
  /** `unix:///run/podman/podman.sock`, as DOCKER_HOST takes it. */
  url: string;
  /** Podman's Docker-compatible service (no Ryuk there: the harness removes its own containers). */
  podman: boolean;
}

/** Unix sockets tried, in order, when DOCKER_HOST is unset: Docker's, then Podman's (root, then rootless). */
export function candidateSockets(env: NodeJS.ProcessEnv = process.env): string[] {
  const uid = process.getuid?.() ?? 0;
  const runtimeDir = env.XDG_RUNTIME_DIR || `/run/user/${uid}`;
  return [
    '/var/run/docker.sock',
    '/run/podman/podman.sock',
    `${runtimeDir}/podman/podman.sock`,
    `${env.HOME ?? ''}/.docker/run/docker.sock`,
  ];
}

/** GET `path` over a unix socket with a short timeout; resolves to the body, or undefined when nothing answers. */
function getOverSocket(socketPath: string, path: string, timeoutMs = 2_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path, method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(res.statusCode === 200 ? body : undefined));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** Whether the engine behind a unix socket is Podman (its /version lists a "Podman Engine" component). */
async function probeSocket(socketPath: string): Promise<ContainerEngine | undefined> {
  if (!existsSync(socketPath)) return undefined;
  if ((await getOverSocket(socketPath, '/_ping')) === undefined) return undefined;
  const version = (await getOverSocket(socketPath, '/version')) ?? '';
  return { url: `unix://${socketPath}`, podman: /podman/i.test(version) };
}

/**
 * The container engine to use: DOCKER_HOST when set (not probed: the user said so), else the first answering
 * socket of {@link candidateSockets}. Undefined when none answers (then `auto` mode falls back to local).
 */
export async function findContainerEngineInfo(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ContainerEngine | undefined> {
  const configured = env.DOCKER_HOST;
  if (configured) {
    const podman = configured.startsWith('unix://') && (await probeSocket(configured.slice('unix://'.length)))?.podman;
    return { url: configured, podman: podman === true };
  }
  for (const socket of candidateSockets(env)) {
    const engine = await probeSocket(socket);
    if (engine) return engine;
  }
  return undefined;
}

/** The engine's socket URL (what DOCKER_HOST takes), or undefined when no engine answers. */
export async function findContainerEngine(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  return (await findContainerEngineInfo(env))?.url;
}

/**
 * Points testcontainers at the engine: sets DOCKER_HOST when it was unset, and disables Ryuk on Podman (its image
 * cannot be pulled there, and the harness removes what it started by label), and for a local engine makes
 * testcontainers reach mapped ports on 127.0.0.1. Must run before testcontainers
 * first talks to an engine, since it caches its client. Returns the engine, or throws a message saying what to do.
 */
export async function useContainerEngine(env: NodeJS.ProcessEnv = process.env): Promise<ContainerEngine> {
  const engine = await findContainerEngineInfo(env);
  if (!engine) {
    throw new Error(
      `no container engine answers (tried DOCKER_HOST and ${candidateSockets(env).join(', ')}); ` +
        'start Docker, or run scripts/build-offline-images.sh (starts the Podman service), or use --stack local',
    );
  }
  env.DOCKER_HOST ??= engine.url;
  if (engine.podman) env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  // A local engine: mapped ports are published on 127.0.0.1 (stack.ts), so reach them there, not on "localhost"
  // (which may resolve to ::1 first).
  if (engine.url.startsWith('unix://')) env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  return engine;
}
