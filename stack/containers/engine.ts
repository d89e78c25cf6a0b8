import { detectContainerEngine } from '../mode.ts';

/** A container engine that answers the Docker API. */
export interface ContainerEngine {
  /** `unix:///run/podman/podman.sock`, as DOCKER_HOST takes it. */
  url: string;
  /** Podman's Docker-compatible service (no Ryuk there: the harness removes its own containers). */
  podman: boolean;
}

/** The engine to use (see detectContainerEngine), or undefined when none answers. */
export async function findContainerEngineInfo(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ContainerEngine | undefined> {
  const { found } = await detectContainerEngine(env);
  return found ? { url: found.dockerHost, podman: found.podman } : undefined;
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
  const { found, tried } = await detectContainerEngine(env);
  const engine: ContainerEngine | undefined = found && { url: found.dockerHost, podman: found.podman };
  if (!engine) {
    throw new Error(
      `no container engine answers (${tried.join('; ')}); ` +
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
