import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_IMAGES, parseEnvFile, resolveImages } from './images.ts';

function imagesFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'images-')), 'images.env');
  writeFileSync(file, text);
  return file;
}

test('without configuration the public images are used and no prebuilt API image is assumed', () => {
  const { images, sources } = resolveImages({ MYSTOCKS_IMAGES_FILE: 'none' });
  assert.deepEqual(images, { ...DEFAULT_IMAGES });
  assert.equal(images.api, undefined);
  assert.equal(sources.postgres, 'default');
});

test('the images file written by the offline build replaces the defaults it names', () => {
  const file = imagesFile(
    '# comment\nMYSTOCKS_IMAGE_POSTGRES=localhost/mystocks/postgres:15\nexport MYSTOCKS_IMAGE_API="localhost/mystocks/api:dev"\n',
  );
  const { images, sources } = resolveImages({ MYSTOCKS_IMAGES_FILE: file });
  assert.equal(images.postgres, 'localhost/mystocks/postgres:15');
  assert.equal(images.api, 'localhost/mystocks/api:dev');
  assert.equal(images.redis, DEFAULT_IMAGES.redis);
  assert.equal(sources.postgres, 'file');
});

test('an environment variable wins over the images file, and an empty one counts as unset', () => {
  const file = imagesFile('MYSTOCKS_IMAGE_REDIS=localhost/mystocks/redis:7\nMYSTOCKS_IMAGE_POSTGRES=from-file\n');
  const { images, sources } = resolveImages({
    MYSTOCKS_IMAGES_FILE: file,
    MYSTOCKS_IMAGE_REDIS: 'registry.example/redis:7.4',
    MYSTOCKS_IMAGE_POSTGRES: '',
  });
  assert.equal(images.redis, 'registry.example/redis:7.4');
  assert.equal(sources.redis, 'env');
  assert.equal(images.postgres, 'from-file');
});

test('env file lines that are not assignments are ignored', () => {
  assert.deepEqual(parseEnvFile("A=1\n\n# B=2\nnot a line\nC = 3\nD='x y'\n"), { A: '1', D: 'x y' });
});
