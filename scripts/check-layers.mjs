#!/usr/bin/env node
// Layer check run by `npm run lint`: imports in server/src must point one way
// (routes/, cli/ → services/ → store/ and adapters (tls/, net/, compute/ …) → cert/), with no import
// cycles, SQL stays in
// store/, and a web feature must not reach into another feature.
// Dependency-free on purpose: it reads the relative import specifiers of each file.
//
//   node scripts/check-layers.mjs [--root DIR] [--web-errors]
//
// --web-errors makes cross-feature imports in web/ fail the run; without it they are warnings.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const DEFAULT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The adapters: I/O for the services, over cert/ only. */
const ADAPTERS = ['tls', 'net', 'deploy', 'acme', 'notify', 'compute'];

/**
 * Which directories (or top-level files) of server/src a layer may not import (`layers`), or the only
 * ones it may (`only`), and which packages it may not.
 */
const SERVER_RULES = {
  cert: {
    layers: ['store', 'services', 'routes', 'cli', 'plugins', 'db', ...ADAPTERS],
    // Threads and files are I/O: the worker pool is compute/, handed to cert/ as KdfRunner / RsaKeygen.
    packages: [
      /^fastify/,
      /^@fastify\//,
      /^better-sqlite3$/,
      /^(node:)?worker_threads$/,
      /^(node:)?fs(\/promises)?$/,
    ],
    why: 'cert/ is the pure certificate core: no database, framework, adapters, threads, files or callers',
  },
  compute: {
    only: ['cert'],
    packages: [/^fastify/, /^@fastify\//, /^better-sqlite3$/],
    why: 'compute/ is an adapter (the crypto worker pool): it may use cert/ only, and services call it',
  },
  store: {
    layers: ['services', 'routes', 'cli', 'plugins', 'tls', 'net'],
    packages: [],
    why: 'store/ holds the repositories; use cases (services/) and callers sit above it',
  },
  services: {
    layers: ['routes', 'cli'],
    packages: [],
    why: 'services/ are shared by routes and the CLI and must not depend on either',
  },
};

/** Where SQL may run: the repositories, and the database opening and migrations. */
const SQL_LAYERS = ['store', 'db'];
/**
 * Files whose SQL is being moved into store/ on another branch: reported as warnings until it lands.
 * Remove entries as they are cleaned up.
 */
const SQL_MOVE_PENDING = [];
/** better-sqlite3 calls that run SQL (a RegExp's .exec(text) is not one: its argument is no string literal). */
const SQL_CALL = /\.(?:prepare|pragma)\s*\(|\.exec\s*\(\s*[`'"]/g;

function listFiles(dir, extensions) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listFiles(full, extensions));
    else if (extensions.some((ext) => entry.endsWith(ext)) && !entry.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

/**
 * Import specifiers of a module: static imports/exports (type-only included, since they tie the
 * modules together for a reader just as much) and dynamic import('...') calls.
 * Comments are removed first; string contents are kept because specifiers are strings.
 */
export function importSpecifiers(source) {
  const code = stripComments(source);
  const found = [];
  const statement = /(?:^|[;}\n])\s*(?:import|export)\b([^;'"`]*?)\bfrom\s*(['"])([^'"\n]+)\2/g;
  const bare = /(?:^|[;}\n])\s*import\s*(['"])([^'"\n]+)\1/g;
  const dynamic = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;
  for (const match of code.matchAll(statement)) found.push(match[3]);
  for (const match of code.matchAll(bare)) found.push(match[2]);
  for (const match of code.matchAll(dynamic)) found.push(match[2]);
  return found;
}

function stripComments(source) {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c && !(c !== '`' && source[j] === '\n')) {
        j += source[j] === '\\' ? 2 : 1;
      }
      out += source.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Resolves a relative specifier ('./x.js' written for './x.ts') to a file on disk, or null. */
function resolveRelative(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  const candidates = [
    base,
    `${stem}.ts`,
    `${stem}.tsx`,
    path.join(base, 'index.ts'),
    path.join(base, 'index.tsx'),
  ];
  return candidates.find((file) => existsSync(file) && statSync(file).isFile()) ?? null;
}

/** server/src/<layer>/...; a top-level file such as cli.ts counts as the layer of the same name. */
function serverLayer(serverSrc, file) {
  const parts = path.relative(serverSrc, file).split(path.sep);
  if (parts.length === 1) return parts[0].replace(/\.tsx?$/, '');
  return parts[0];
}

function checkServer(root) {
  const serverSrc = path.join(root, 'server/src');
  const rel = (file) => path.relative(root, file).split(path.sep).join('/');
  const files = listFiles(serverSrc, ['.ts']);
  const graph = new Map();
  const wrongWay = [];
  const sqlOutside = [];
  const sqlPending = [];
  let crossLayer = 0;
  for (const file of files) {
    const from = serverLayer(serverSrc, file);
    const source = readFileSync(file, 'utf8');
    if (!SQL_LAYERS.includes(from)) {
      const calls = stripComments(source).match(SQL_CALL)?.length ?? 0;
      const inSrc = path.relative(serverSrc, file).split(path.sep).join('/');
      const pending = SQL_MOVE_PENDING.some((prefix) => inSrc.startsWith(prefix));
      if (calls > 0) {
        (pending ? sqlPending : sqlOutside).push(
          `${rel(file)} runs SQL (${calls} ${calls === 1 ? 'call' : 'calls'}): SQL belongs in a store/ repository`,
        );
      }
    }
    const edges = [];
    for (const specifier of importSpecifiers(source)) {
      const rule = SERVER_RULES[from];
      if (!specifier.startsWith('.')) {
        if (rule?.packages.some((pattern) => pattern.test(specifier))) {
          wrongWay.push(`${rel(file)} imports '${specifier}': ${rule.why}`);
        }
        continue;
      }
      const target = resolveRelative(file, specifier);
      if (!target?.startsWith(serverSrc + path.sep)) continue;
      edges.push(target);
      const to = serverLayer(serverSrc, target);
      if (to === from) continue;
      crossLayer++;
      if (rule?.layers?.includes(to) || (rule?.only && !rule.only.includes(to))) {
        wrongWay.push(`${rel(file)} imports ${rel(target)} (${from}/ → ${to}/): ${rule.why}`);
      }
    }
    graph.set(file, edges);
  }
  const cycles = findCycles(graph).map((cycle) => {
    const others = cycle.members.filter((file) => !cycle.path.includes(file));
    const more = others.length > 0 ? ` (same cycle group: ${others.map(rel).join(', ')})` : '';
    return `import cycle: ${cycle.path.map(rel).join(' → ')}${more}`;
  });
  return { files: files.length, crossLayer, wrongWay, cycles, sqlOutside, sqlPending };
}

/** One representative cycle per strongly connected component (Tarjan), printed as a path. */
function findCycles(graph) {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (node) => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), indices.get(next)));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) components.push(new Set(component));
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return components.map((component) => ({ path: cyclePath(graph, component), members: [...component] }));
}

/** Shortest way from the component's first file back to itself, staying inside the component. */
function cyclePath(graph, component) {
  const start = [...component].sort()[0];
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const next of graph.get(node) ?? []) {
      if (!component.has(next)) continue;
      if (next === start) {
        const route = [start];
        for (let at = node; at !== start; at = previous.get(at)) route.splice(1, 0, at);
        return [...route, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

function checkWeb(root) {
  const webFeatures = path.join(root, 'web/src/features');
  const rel = (file) => path.relative(root, file).split(path.sep).join('/');
  const files = listFiles(webFeatures, ['.ts', '.tsx']);
  const problems = [];
  let crossFeature = 0;
  for (const file of files) {
    const feature = path.relative(webFeatures, file).split(path.sep)[0];
    for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveRelative(file, specifier);
      if (!target?.startsWith(webFeatures + path.sep)) continue;
      const other = path.relative(webFeatures, target).split(path.sep)[0];
      if (other === feature) continue;
      crossFeature++;
      problems.push(
        `${rel(file)} imports ${rel(target)}: feature '${feature}' may not import feature '${other}'`,
      );
    }
  }
  return { files: files.length, crossFeature, problems };
}

/** Runs every rule on a checkout; `webIsError` makes cross-feature imports in web/ errors. */
export function checkLayers(root, { webIsError = false } = {}) {
  const server = checkServer(root);
  const web = checkWeb(root);
  const errors = [
    ...server.wrongWay,
    ...server.cycles,
    ...server.sqlOutside,
    ...(webIsError ? web.problems : []),
  ];
  const warnings = [...server.sqlPending, ...(webIsError ? [] : web.problems)];
  const pending = server.sqlPending.length > 0 ? ` (+${server.sqlPending.length} awaiting their move)` : '';
  const summary =
    `layers: server/src: ${server.files} files, ${server.crossLayer} cross-layer imports checked, ` +
    `${server.wrongWay.length} wrong-way, ${server.cycles.length} cycles, ` +
    `${server.sqlOutside.length} files with SQL outside store/${pending}; ` +
    `web/src/features: ${web.files} files, ${web.crossFeature} cross-feature imports` +
    (webIsError || web.problems.length === 0 ? '' : ' (warnings only)');
  return { errors, warnings, summary };
}

function main() {
  const args = process.argv.slice(2);
  const rootAt = args.indexOf('--root');
  const root = rootAt >= 0 && args[rootAt + 1] ? path.resolve(args[rootAt + 1]) : DEFAULT_ROOT;
  const result = checkLayers(root, { webIsError: args.includes('--web-errors') });
  for (const message of result.errors) console.error(`error: ${message}`);
  for (const message of result.warnings) console.error(`warning: ${message}`);
  console.log(result.summary);
  process.exit(result.errors.length > 0 ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
