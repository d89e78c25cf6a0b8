import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The images of the containers mode, pinned in this one place. Defaults are the usual public images, so the same
 * code runs on a laptop with Docker and on a hosted CI runner; an air-gapped machine points them at locally built
 * images (scripts/build-offline-images.sh writes `.harness/images.env`).
 */
export interface ImageConfig {
  postgres: string;
  redis: string;
  prometheus: string;
  pushgateway: string;
  /** Base image of `reference-api/Dockerfile` (its `NODE_IMAGE` build argument). */
  node: string;
  /** A prebuilt reference API image; when absent the API is built from reference-api/Dockerfile at start. */
  api?: string;
}

/** The public defaults. Tags are pinned: a moving `latest` would change the system under test between runs. */
export const DEFAULT_IMAGES: Readonly<ImageConfig> = Object.freeze({
  postgres: 'postgres:16-alpine',
  redis: 'redis:7-alpine',
  prometheus: 'prom/prometheus:v2.55.1',
  pushgateway: 'prom/pushgateway:v1.10.0',
  node: 'node:24-bookworm-slim',
});

/** Environment variable of each image; the same names are the keys of `.harness/images.env`. */
export const IMAGE_ENV_VARS: Readonly<Record<keyof ImageConfig, string>> = Object.freeze({
  postgres: 'MYSTOCKS_IMAGE_POSTGRES',
  redis: 'MYSTOCKS_IMAGE_REDIS',
  prometheus: 'MYSTOCKS_IMAGE_PROMETHEUS',
  pushgateway: 'MYSTOCKS_IMAGE_PUSHGATEWAY',
  node: 'MYSTOCKS_IMAGE_NODE',
  api: 'MYSTOCKS_IMAGE_API',
});

/** The repository root (this file is stack/containers/images.ts). */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** Where the offline build records its images; `MYSTOCKS_IMAGES_FILE` overrides, `none` disables the file. */
export function imagesFilePath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.MYSTOCKS_IMAGES_FILE;
  if (configured === 'none') return undefined;
  return configured || join(REPO_ROOT, '.harness', 'images.env');
}

/** Parses `KEY=value` lines (comments and blank lines skipped, optional quotes removed). */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match?.[1]) continue;
    values[match[1]] = (match[2] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

/** Where each image name came from, for progress output ("postgres: localhost/mystocks/postgres:15 (images.env)"). */
export type ImageSource = 'env' | 'file' | 'default';

/** The images to use and where each came from. */
export interface ResolvedImages {
  images: ImageConfig;
  sources: Record<keyof ImageConfig, ImageSource | undefined>;
}

/**
 * Image names in order of precedence: environment variables, then the images file, then {@link DEFAULT_IMAGES}.
 * An empty value counts as unset.
 */
export function resolveImages(env: NodeJS.ProcessEnv = process.env): ResolvedImages {
  const file = imagesFilePath(env);
  const fromFile = file && existsSync(file) ? parseEnvFile(readFileSync(file, 'utf8')) : {};
  const images = { ...DEFAULT_IMAGES } as ImageConfig;
  const sources = {} as Record<keyof ImageConfig, ImageSource | undefined>;
  for (const key of Object.keys(IMAGE_ENV_VARS) as (keyof ImageConfig)[]) {
    const name = IMAGE_ENV_VARS[key];
    const value = env[name] || fromFile[name];
    if (value) {
      images[key] = value;
      sources[key] = env[name] ? 'env' : 'file';
    } else {
      sources[key] = key in DEFAULT_IMAGES ? 'default' : undefined;
    }
  }
  return { images, sources };
}
