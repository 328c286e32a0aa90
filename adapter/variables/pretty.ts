/**
 * How gdb's pretty-printers (libstdc++'s, Rust's) and C++'s access levels are shown: pure functions over what
 * gdb answers, so they are unit-tested on their own. The variable store does the asking.
 */
import { GdbVarObject } from '../gdb/commands/var';

/** Children listed at once when the element count is unknown: a printer may yield millions. */
export const UNPAGED_CHILD_LIMIT = 1000;

/** The children gdb inserts for C++ access specifiers: no user thinks of them as members, so they are flattened. */
export function isAccessLevel(child: Pick<GdbVarObject, 'exp' | 'type'>): boolean {
  return (child.exp === 'public' || child.exp === 'private' || child.exp === 'protected') && child.type === '';
}

/** The value a printer's object shows before its elements ("std::vector of length 3, capacity 4 = {1, 2, 3}"). */
export function summaryOf(printed: string): string {
  const elements = printed.indexOf(' = {');
  return elements > 0 ? printed.slice(0, elements) : printed;
}

/**
 * The element count a printer's summary names: libstdc++ says "of length N" (vector, string-like) or "with N
 * elements" (map, set, deque, unordered containers, list), Rust's printers "size=N" or "(len N)".
 */
export function elementCount(summary: string): number | undefined {
  const match = /\bof length (\d+)/.exec(summary) ?? /\bwith (\d+) elements?\b/.exec(summary) ?? /\bsize=(\d+)/.exec(summary) ?? /\blen[ =](\d+)/.exec(summary);
  if (/^empty\b|\bempty [\w:]+$/.test(summary)) {
    return 0;
  }
  const count = match ? Number(match[1]) : undefined;
  // An uninitialised container's printer reads garbage ("with 140737350429557 elements<error reading...>").
  return count === undefined || count > MAX_PLAUSIBLE_ELEMENTS || summary.includes('<error') ? undefined : count;
}

/** More elements than this is garbage read as a container, not a container. */
const MAX_PLAUSIBLE_ELEMENTS = 2 ** 32;

/** From this index on, pages of a printed array are read by indexing (v[i]) instead of walking the printer. */
export const DIRECT_INDEX_FROM = 1000;

/**
 * A map printer's children alternate key and value: pairs, named by the key as an index is. Keys gdb shows alike
 * (structures as "{...}") get the entry's position too: a name is how Set Value finds its variable, and two
 * entries of one name would set the other's value.
 */
export function mapPairs(children: readonly GdbVarObject[]): Array<{ name: string; value: GdbVarObject }> {
  const pairs: Array<{ name: string; value: GdbVarObject }> = [];
  const seen = new Set<string>();
  for (let i = 0; i + 1 < children.length; i += 2) {
    const key = `[${children[i].value}]`;
    const name = seen.has(key) ? `${key} (entry ${i / 2 + 1})` : key;
    seen.add(key);
    pairs.push({ name, value: children[i + 1] });
  }
  return pairs;
}

/** Needs the printer's summary: a dynamic object whose value gdb shows only as "{...}". */
export function needsSummary(object: Pick<GdbVarObject, 'dynamic' | 'value'>): boolean {
  return object.dynamic && object.value === '{...}';
}
