// A small Kustomize renderer for the tests under tests/deploy: there is no kustomize or kubectl binary here.
// It implements only what deploy/ uses (resources, namespace, labels, images, replicas, JSON 6902 patches)
// with kustomize's semantics and transformer order, and throws on anything else, so a kustomization that
// grows a feature this file does not know fails the tests instead of rendering something kubectl would not.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

export class RenderError extends Error {
  override name = 'RenderError';
}

/** Kinds this renderer knows the scope and shape of; any other kind is an error. */
const KINDS: Record<string, { apiVersion: string; namespaced: boolean }> = {
  Namespace: { apiVersion: 'v1', namespaced: false },
  ServiceAccount: { apiVersion: 'v1', namespaced: true },
  Service: { apiVersion: 'v1', namespaced: true },
  Deployment: { apiVersion: 'apps/v1', namespaced: true },
  PodDisruptionBudget: { apiVersion: 'policy/v1', namespaced: true },
  NetworkPolicy: { apiVersion: 'networking.k8s.io/v1', namespaced: true },
};

const KUSTOMIZATION_FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'labels',
  'images',
  'replicas',
  'patches',
]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(where: string, message: string): never {
  throw new RenderError(`${where}: ${message}`);
}

function onlyFields(where: string, value: unknown, allowed: string[]): JsonObject {
  if (!isObject(value)) fail(where, 'must be a mapping');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(where, `field "${key}" is not supported by tests/deploy/render.ts`);
  }
  return value;
}

function stringField(where: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') fail(where, 'must be a non-empty string');
  return value;
}

function listField(where: string, value: unknown): Json[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(where, 'must be a list');
  return value;
}

/** Renders the kustomization in `dir` as `kustomize build dir` would, for the features above. */
export function render(dir: string): KubeObject[] {
  const root = resolve(dir);
  const file = join(root, 'kustomization.yaml');
  for (const other of ['kustomization.yml', 'Kustomization']) {
    if (existsSync(join(root, other))) fail(root, `${other} is not supported; name it kustomization.yaml`);
  }
  if (!existsSync(file)) fail(root, 'no kustomization.yaml');
  const k = parse(readFileSync(file, 'utf8')) as unknown;
  if (!isObject(k)) fail(file, 'must be a mapping');
  for (const key of Object.keys(k)) {
    if (!KUSTOMIZATION_FIELDS.has(key))
      fail(file, `field "${key}" is not supported by tests/deploy/render.ts`);
  }
  if (k.apiVersion !== 'kustomize.config.k8s.io/v1beta1')
    fail(file, 'apiVersion must be kustomize.config.k8s.io/v1beta1');
  if (k.kind !== 'Kustomization') fail(file, 'kind must be Kustomization');

  let objects: KubeObject[] = [];
  for (const [i, entry] of listField(`${file} resources`, k.resources).entries()) {
    objects.push(...loadResource(root, stringField(`${file} resources[${i}]`, entry)));
  }
  assertUniqueIds(file, objects);

  // kustomize's order of built-in transformers: patches, namespace, labels, replicas, images.
  for (const [i, patch] of listField(`${file} patches`, k.patches).entries()) {
    objects = applyPatch(`${file} patches[${i}]`, patch, objects);
  }
  if (k.namespace !== undefined) setNamespace(stringField(`${file} namespace`, k.namespace), objects);
  for (const [i, entry] of listField(`${file} labels`, k.labels).entries()) {
    addLabels(`${file} labels[${i}]`, entry, objects);
  }
  for (const [i, entry] of listField(`${file} replicas`, k.replicas).entries()) {
    setReplicas(`${file} replicas[${i}]`, entry, objects);
  }
  for (const [i, entry] of listField(`${file} images`, k.images).entries()) {
    setImage(`${file} images[${i}]`, entry, objects);
  }
  assertUniqueIds(file, objects);
  return objects;
}

function loadResource(root: string, entry: string): KubeObject[] {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.includes('?ref=')) {
    fail(root, `remote resource "${entry}" is not supported`);
  }
  const path = resolve(root, entry);
  if (!existsSync(path)) fail(root, `resource "${entry}" does not exist`);
  // Like kustomize's default load restrictor: files must be inside the kustomization's directory;
  // other kustomizations (directories) may be anywhere.
  if (statSync(path).isDirectory()) return render(path);
  if (relative(root, path).startsWith(`..${sep}`))
    fail(root, `file "${entry}" is outside the kustomization root`);
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
    if (doc.errors.length > 0) fail(path, doc.errors.map((e) => e.message).join('; '));
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    objects.push(checkObject(path, value));
  }
  return objects;
}

function checkObject(where: string, value: unknown): KubeObject {
  if (!isObject(value)) fail(where, 'each document must be a mapping');
  const kind = stringField(`${where} kind`, value.kind);
  const known = KINDS[kind];
  if (!known) fail(where, `kind ${kind} is not known to tests/deploy/render.ts`);
  if (value.apiVersion !== known.apiVersion) fail(where, `${kind} must have apiVersion ${known.apiVersion}`);
  const metadata = value.metadata;
  if (!isObject(metadata)) fail(where, `${kind} has no metadata`);
  stringField(`${where} ${kind} metadata.name`, metadata.name);
  return value as unknown as KubeObject;
}

function id(o: KubeObject): string {
  return `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function assertUniqueIds(where: string, objects: KubeObject[]): void {
  const seen = new Set<string>();
  for (const o of objects) {
    if (seen.has(id(o))) fail(where, `${id(o)} appears more than once`);
    seen.add(id(o));
  }
}

/** `namespace:` sets metadata.namespace on namespaced objects and renames Namespace objects. */
function setNamespace(namespace: string, objects: KubeObject[]): void {
  for (const o of objects) {
    if (o.kind === 'Namespace') o.metadata.name = namespace;
    else if (KINDS[o.kind]?.namespaced) o.metadata.namespace = namespace;
  }
}

/** `labels:` adds pairs to metadata.labels and, with includeTemplates, to existing pod template labels. */
function addLabels(where: string, entry: unknown, objects: KubeObject[]): void {
  const spec = onlyFields(where, entry, ['pairs', 'includeTemplates', 'includeSelectors']);
  if (spec.includeSelectors === true)
    fail(where, 'includeSelectors is not supported by tests/deploy/render.ts');
  const pairs = spec.pairs;
  if (!isObject(pairs)) fail(`${where} pairs`, 'must be a mapping');
  for (const [key, value] of Object.entries(pairs)) stringField(`${where} pairs.${key}`, value);
  const labels = pairs as Record<string, string>;
  for (const o of objects) {
    o.metadata.labels = { ...o.metadata.labels, ...labels };
    // kustomize's field spec here is spec/template/metadata/labels without create: only existing maps change.
    const templateLabels = lookup(o, ['spec', 'template', 'metadata', 'labels']);
    if (spec.includeTemplates === true && isObject(templateLabels)) Object.assign(templateLabels, labels);
  }
}

/** `replicas:` sets spec.replicas of the Deployment with that name. */
function setReplicas(where: string, entry: unknown, objects: KubeObject[]): void {
  const spec = onlyFields(where, entry, ['name', 'count']);
  const name = stringField(`${where} name`, spec.name);
  if (typeof spec.count !== 'number' || !Number.isInteger(spec.count) || spec.count < 0) {
    fail(`${where} count`, 'must be a whole number');
  }
  const targets = objects.filter((o) => o.kind === 'Deployment' && o.metadata.name === name);
  if (targets.length === 0) fail(where, `no Deployment named ${name}`);
  for (const o of targets) {
    const s = o.spec;
    if (!isObject(s)) fail(where, `${id(o)} has no spec`);
    s.replicas = spec.count;
  }
}

/** Splits an image reference into name, tag and digest; the tag is after the last ':' past the last '/'. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const [ref = '', digest] = image.split('@', 2);
  const colon = ref.lastIndexOf(':');
  const hasTag = colon > ref.lastIndexOf('/');
  return {
    name: hasTag ? ref.slice(0, colon) : ref,
    ...(hasTag && { tag: ref.slice(colon + 1) }),
    ...(digest !== undefined && { digest }),
  };
}

/** `images:` rewrites container images whose name matches: newName, then newTag or digest. */
function setImage(where: string, entry: unknown, objects: KubeObject[]): void {
  const spec = onlyFields(where, entry, ['name', 'newName', 'newTag', 'digest']);
  const name = stringField(`${where} name`, spec.name);
  const newName = spec.newName === undefined ? undefined : stringField(`${where} newName`, spec.newName);
  const newTag = spec.newTag === undefined ? undefined : stringField(`${where} newTag`, spec.newTag);
  const digest = spec.digest === undefined ? undefined : stringField(`${where} digest`, spec.digest);
  let matched = 0;
  for (const o of objects) {
    if (o.kind !== 'Deployment') continue;
    for (const field of ['containers', 'initContainers']) {
      const containers = lookup(o, ['spec', 'template', 'spec', field]);
      if (containers === undefined) continue;
      if (!Array.isArray(containers)) fail(where, `${id(o)} ${field} must be a list`);
      for (const c of containers) {
        if (!isObject(c) || typeof c.image !== 'string') continue;
        const current = parseImage(c.image);
        if (current.name !== name) continue;
        matched += 1;
        let suffix = '';
        if (digest !== undefined) suffix = `@${digest}`;
        else if (newTag !== undefined) suffix = `:${newTag}`;
        else if (current.digest !== undefined) suffix = `@${current.digest}`;
        else if (current.tag !== undefined) suffix = `:${current.tag}`;
        c.image = `${newName ?? current.name}${suffix}`;
      }
    }
  }
  // kustomize ignores an entry that matches nothing; here that is an error, so a renamed image is noticed.
  if (matched === 0) fail(where, `no container image named ${name}`);
}

function lookup(root: unknown, path: string[]): Json | undefined {
  let node = root as Json | undefined;
  for (const key of path) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** `patches:` with an inline JSON 6902 patch and a target by kind and name. */
function applyPatch(where: string, entry: unknown, objects: KubeObject[]): KubeObject[] {
  const spec = onlyFields(where, entry, ['target', 'patch']);
  const target = onlyFields(`${where} target`, spec.target, ['kind', 'name']);
  const kind = stringField(`${where} target.kind`, target.kind);
  const name = stringField(`${where} target.name`, target.name);
  const ops = parse(stringField(`${where} patch`, spec.patch)) as unknown;
  if (!Array.isArray(ops)) fail(where, 'only JSON 6902 patches (a list of operations) are supported');
  let matched = 0;
  const result = objects.map((o) => {
    if (o.kind !== kind || o.metadata.name !== name) return o;
    matched += 1;
    let doc = structuredClone(o) as unknown as Json;
    for (const [i, op] of ops.entries()) doc = applyOperation(`${where} patch[${i}]`, doc, op);
    return checkObject(where, doc);
  });
  if (matched === 0) fail(where, `no ${kind} named ${name}`);
  return result;
}

function pointer(where: string, path: unknown): string[] {
  const p = stringField(`${where} path`, path);
  if (!p.startsWith('/')) fail(where, `path "${p}" must start with /`);
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function applyOperation(where: string, doc: Json, operation: unknown): Json {
  const op = onlyFields(where, operation, ['op', 'path', 'value']);
  const tokens = pointer(where, op.path);
  const last = tokens.pop() as string;
  let parent: Json | undefined = doc;
  for (const t of tokens) {
    if (Array.isArray(parent)) parent = parent[arrayIndex(where, t, parent.length - 1)];
    else if (isObject(parent)) parent = parent[t];
    else parent = undefined;
    if (parent === undefined) fail(where, `path ${String(op.path)} does not exist`);
  }
  const exists = Array.isArray(parent)
    ? last !== '-' && Number(last) < parent.length
    : isObject(parent) && Object.hasOwn(parent, last);
  const value = op.value;
  switch (op.op) {
    case 'add':
      if (value === undefined) fail(where, 'add needs a value');
      if (Array.isArray(parent)) {
        parent.splice(last === '-' ? parent.length : arrayIndex(where, last, parent.length), 0, value);
      } else if (isObject(parent)) parent[last] = value;
      else fail(where, `path ${String(op.path)} has no parent object`);
      return doc;
    case 'replace':
    case 'remove':
    case 'test': {
      if (!exists) fail(where, `path ${String(op.path)} does not exist`);
      const container = parent as JsonObject | Json[];
      const key = Array.isArray(container) ? arrayIndex(where, last, container.length - 1) : last;
      if (op.op === 'test') {
        const current = (container as Record<string | number, Json>)[key];
        if (JSON.stringify(current) !== JSON.stringify(value))
          fail(where, `test failed at ${String(op.path)}`);
      } else if (op.op === 'remove') {
        if (Array.isArray(container)) container.splice(key as number, 1);
        else delete container[key as string];
      } else {
        if (value === undefined) fail(where, 'replace needs a value');
        (container as Record<string | number, Json>)[key] = value;
      }
      return doc;
    }
    default:
      fail(where, `op "${String(op.op)}" is not supported by tests/deploy/render.ts`);
  }
}

function arrayIndex(where: string, token: string, max: number): number {
  if (!/^(0|[1-9][0-9]*)$/.test(token) || Number(token) > max) fail(where, `bad array index "${token}"`);
  return Number(token);
}
