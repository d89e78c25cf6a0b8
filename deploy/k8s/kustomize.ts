// The subset of kustomize that deploy/k8s/ uses, so its overlays can be rendered and checked without kustomize
// (not installed here) or a cluster: `kubectl apply -k` remains the way to deploy them (docs/kubernetes.md).
//
// Supported fields of a kustomization.yaml, and nothing else (another field is an error, so an overlay that starts
// using one fails the tests instead of rendering differently from kustomize):
//   resources   files (every YAML document in them) and folders holding a kustomization.yaml, in order
//   patches     `- path: FILE`: a partial object naming its target by apiVersion, kind and metadata.name, merged
//               as a strategic merge patch does for the fields used here: maps merged key by key (null deletes),
//               lists replaced whole, except containers, initContainers, env and volumes, merged by `name`
//   namespace   set on every namespaced object
//   images      `name` -> `newName`, `newTag`, `digest` on every container's image of that name
// Order as kustomize's: resources (each folder rendered whole first), then patches, namespace, images.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as read from YAML: the fields every object has, the rest unchecked here. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

const KUSTOMIZATION_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'patches', 'namespace', 'images']);
/** Lists a strategic merge patch merges item by item on `name` (their patchMergeKey); every other list is replaced. */
const MERGED_BY_NAME = new Set(['containers', 'initContainers', 'env', 'volumes']);
/** Kinds without a namespace among those a deployment like this one could hold. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'CustomResourceDefinition',
  'IngressClass',
  'PriorityClass',
]);

/** Error of a kustomization this subset cannot render, naming the file. */
export class KustomizeError extends Error {
  override name = 'KustomizeError';
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `Kind/namespace/name`: an object's identity, as kustomize matches patches and refuses duplicates. */
export function objectId(object: K8sObject): string {
  return `${object.kind}/${object.metadata.namespace ?? '~'}/${object.metadata.name}`;
}

/** Every YAML document of a file, each checked to be an object with apiVersion, kind and metadata.name. */
export function readObjects(file: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (document.errors.length > 0) throw new KustomizeError(`${file}: ${document.errors[0]!.message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (
      !isMap(value) ||
      typeof value.apiVersion !== 'string' ||
      typeof value.kind !== 'string' ||
      !isMap(value.metadata) ||
      typeof value.metadata.name !== 'string'
    )
      throw new KustomizeError(`${file}: a document without apiVersion, kind and metadata.name`);
    objects.push(value as K8sObject);
  }
  return objects;
}

/** A strategic merge of `patch` into `target` for the fields this subset knows (header comment). */
export function strategicMerge(target: unknown, patch: unknown, field = ''): unknown {
  if (isMap(target) && isMap(patch)) {
    const merged: Record<string, unknown> = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else merged[key] = key in target ? strategicMerge(target[key], value, key) : value;
    }
    return merged;
  }
  if (Array.isArray(target) && Array.isArray(patch) && MERGED_BY_NAME.has(field)) {
    const merged = [...target];
    for (const item of patch) {
      const name = isMap(item) ? item.name : undefined;
      const at = merged.findIndex((existing) => isMap(existing) && existing.name === name);
      if (name === undefined || at < 0) merged.push(item);
      else merged[at] = strategicMerge(merged[at], item, '');
    }
    return merged;
  }
  return patch;
}

/** The image reference split as kustomize's `images` sees it: name, then `:tag` or `@digest`. */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  if (at >= 0) return { name: image.slice(0, at), digest: image.slice(at + 1) };
  // A colon after the last slash is the tag's; one before it is a registry's port (localhost:5000/x).
  const colon = image.lastIndexOf(':');
  if (colon > image.lastIndexOf('/')) return { name: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { name: image };
}

function retag(image: string, entries: ImageEntry[]): string {
  const current = splitImage(image);
  const entry = entries.find((e) => e.name === current.name);
  if (entry === undefined) return image;
  const name = entry.newName ?? current.name;
  if (entry.digest !== undefined) return `${name}@${entry.digest}`;
  if (entry.newTag !== undefined) return `${name}:${entry.newTag}`;
  if (current.digest !== undefined) return `${name}@${current.digest}`;
  return current.tag === undefined ? name : `${name}:${current.tag}`;
}

/** Every container list (containers, initContainers) anywhere in an object: pods, templates, job templates. */
export function* containersOf(value: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(value)) for (const item of value) yield* containersOf(item);
  if (!isMap(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(child))
      for (const container of child) if (isMap(container)) yield container;
    yield* containersOf(child);
  }
}

function stringList(file: string, field: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw new KustomizeError(`${file}: ${field} must be a list of paths`);
  return value;
}

function patchPaths(file: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new KustomizeError(`${file}: patches must be a list`);
  return value.map((patch) => {
    if (!isMap(patch) || typeof patch.path !== 'string' || Object.keys(patch).length !== 1)
      throw new KustomizeError(`${file}: only patches of the form "- path: FILE" are supported`);
    return patch.path;
  });
}

function imageEntries(file: string, value: unknown): ImageEntry[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new KustomizeError(`${file}: images must be a list`);
  return value.map((entry) => {
    if (!isMap(entry) || typeof entry.name !== 'string')
      throw new KustomizeError(`${file}: every images entry needs a name`);
    for (const key of ['newName', 'newTag', 'digest'])
      if (entry[key] !== undefined && typeof entry[key] !== 'string')
        throw new KustomizeError(`${file}: images ${entry.name}: ${key} must be a string (quote a numeric tag)`);
    return entry as unknown as ImageEntry;
  });
}

function readKustomization(dir: string): Record<string, unknown> {
  const file = join(dir, 'kustomization.yaml');
  const [document] = parseAllDocuments(readFileSync(file, 'utf8'));
  const value: unknown = document?.toJS();
  if (!isMap(value)) throw new KustomizeError(`${file}: not a kustomization`);
  const unknown = Object.keys(value).filter((key) => !KUSTOMIZATION_FIELDS.has(key));
  if (unknown.length > 0)
    throw new KustomizeError(`${file}: ${unknown.join(', ')}: not in the subset deploy/k8s/kustomize.ts renders`);
  return value;
}

function applyPatches(objects: K8sObject[], dir: string, paths: string[]): K8sObject[] {
  let result = objects;
  for (const path of paths) {
    for (const patch of readObjects(join(dir, path))) {
      const matches = (o: K8sObject) =>
        o.apiVersion === patch.apiVersion && o.kind === patch.kind && o.metadata.name === patch.metadata.name;
      if (!result.some(matches))
        throw new KustomizeError(`${join(dir, path)}: no ${patch.kind} ${patch.metadata.name} to patch`);
      result = result.map((o) => (matches(o) ? (strategicMerge(o, patch) as K8sObject) : o));
    }
  }
  return result;
}

/** Renders the kustomization in `dir` (a folder holding kustomization.yaml) to its list of objects. */
export function build(dir: string): K8sObject[] {
  const root = resolve(dir);
  const kustomization = readKustomization(root);
  const file = join(root, 'kustomization.yaml');
  let objects: K8sObject[] = [];
  for (const entry of stringList(file, 'resources', kustomization.resources)) {
    const path = resolve(root, entry);
    objects.push(...(statSync(path).isDirectory() ? build(path) : readObjects(path)));
  }
  objects = applyPatches(objects, root, patchPaths(file, kustomization.patches));
  const namespace = kustomization.namespace;
  if (namespace !== undefined) {
    if (typeof namespace !== 'string') throw new KustomizeError(`${file}: namespace must be a string`);
    objects = objects.map((o) =>
      CLUSTER_SCOPED.has(o.kind) ? o : { ...o, metadata: { ...o.metadata, namespace: namespace } },
    );
  }
  const images = imageEntries(file, kustomization.images);
  if (images.length > 0) {
    objects = structuredClone(objects);
    for (const container of containersOf(objects))
      if (typeof container.image === 'string') container.image = retag(container.image, images);
  }
  const seen = new Set<string>();
  for (const object of objects) {
    const id = objectId(object);
    if (seen.has(id)) throw new KustomizeError(`${file}: ${id} is defined twice`);
    seen.add(id);
  }
  return objects;
}

/** The folder of deploy/k8s (this file's). */
export const K8S_DIR = dirname(new URL(import.meta.url).pathname);
