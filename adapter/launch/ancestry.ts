/**
 * The adapter's own process and its ancestors (the editor, its extension host, a terminal's shell). gdb
 * attached to any of them stops it, and with it the adapter that drives gdb: the session freezes for good.
 */
import { procStatFields } from '../program/procStat';

function parentOf(pid: number): number | undefined {
  const ppid = Number(procStatFields(pid)?.[1]);
  return Number.isInteger(ppid) && ppid > 0 ? ppid : undefined;
}

/** `self` and every ancestor of it up to init, nearest first. */
export function selfAndAncestors(self: number = process.pid): number[] {
  const chain = [self];
  for (let pid = parentOf(self); pid !== undefined && !chain.includes(pid); pid = parentOf(pid)) {
    chain.push(pid);
  }
  return chain;
}

/** Why attaching to `pid` would freeze the adapter, or undefined when it would not. */
export function attachToSelfReason(pid: number): string | undefined {
  const chain = selfAndAncestors();
  const index = chain.indexOf(pid);
  if (index < 0) {
    return undefined;
  }
  const what = index === 0 ? "the debug adapter's own process" : `an ancestor of the debug adapter (${index} level${index > 1 ? 's' : ''} up: the editor or what started it)`;
  return `cannot attach to process ${pid}: it is ${what}; gdb would stop it, and the adapter with it. Pick the program's own process.`;
}
