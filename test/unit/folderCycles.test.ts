import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

/** The repository's root (tests run from out/test/unit). */
const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Folder → the folders its TypeScript files import from (relative imports only), within `top`. */
function folderImports(top: string): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name.endsWith('.ts')) {
        for (const match of fs.readFileSync(full, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
          const target = path.dirname(path.resolve(dir, match[1]));
          const from = path.relative(ROOT, dir);
          const to = path.relative(ROOT, fs.existsSync(path.resolve(dir, match[1])) && fs.statSync(path.resolve(dir, match[1])).isDirectory() ? path.resolve(dir, match[1]) : target);
          if (to !== from) {
            edges.set(from, (edges.get(from) ?? new Set()).add(to));
          }
        }
      }
    }
  };
  walk(path.join(ROOT, top));
  return edges;
}

/** A cycle through `start`, as the folders on it, or undefined. */
function cycleThrough(start: string, edges: Map<string, Set<string>>): string[] | undefined {
  const seen = new Set<string>();
  const search = (at: string, trail: string[]): string[] | undefined => {
    for (const next of edges.get(at) ?? []) {
      if (next === start) {
        return [...trail, next];
      }
      if (!seen.has(next)) {
        seen.add(next);
        const found = search(next, [...trail, next]);
        if (found) {
          return found;
        }
      }
    }
    return undefined;
  };
  return search(start, [start]);
}

describe('layout', () => {
  for (const top of ['adapter', 'extension']) {
    it(`no two folders of ${top}/ import each other, directly or around a cycle`, () => {
      const edges = folderImports(top);
      assert.ok(edges.size > 3, `read the imports of ${top}/`);
      const cycles = [...edges.keys()].map((folder) => cycleThrough(folder, edges)).filter((c): c is string[] => c !== undefined);
      assert.deepStrictEqual(cycles.map((c) => c.join(' → ')), []);
    });
  }
});
