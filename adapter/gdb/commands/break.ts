/** Breakpoints: -break-*. */
import { MiSender } from '../mi/types';
import { miInt, miString, miTuple, miTupleList } from '../mi/access';
import { flag, miCommand, MiPart } from '../mi/quote';
import { MiTuple } from '../mi/types';

export interface GdbBreakpoint {
  number: number;
  /** false while gdb keeps it pending (no code location yet, e.g. a library not loaded). */
  resolved: boolean;
  file?: string;
  line?: number;
  func?: string;
}

export interface InsertOptions {
  condition?: string;
}

export async function insertAtLine(
  gdb: MiSender,
  file: string,
  line: number,
  options: InsertOptions = {},
): Promise<GdbBreakpoint> {
  const results = await gdb.send(
    miCommand('-break-insert', ...common(options), flag('--source'), file, flag('--line'), line),
  );
  return parseBreakpoint(results);
}

export async function insertAtFunction(
  gdb: MiSender,
  name: string,
  options: InsertOptions = {},
): Promise<GdbBreakpoint> {
  const results = await gdb.send(miCommand('-break-insert', ...common(options), flag('--function'), name));
  return parseBreakpoint(results);
}

/** A breakpoint on one instruction (the Disassembly view's), at an address pwatch formats itself. */
export async function insertAtInstruction(gdb: MiSender, address: bigint, options: InsertOptions = {}): Promise<GdbBreakpoint> {
  return insertAt(gdb, common(options), address);
}

async function insertAt(gdb: MiSender, options: MiPart[], address: bigint): Promise<GdbBreakpoint> {
  const location = `*0x${address.toString(16)}`;
  try {
    return parseBreakpoint(await gdb.send(miCommand('-break-insert', ...options, location)));
  } catch (e) {
    await removeUninserted(gdb, e, location);
    throw e;
  }
}

/**
 * "Cannot insert breakpoint N": gdb made breakpoint N, then could not write it into the program (its code unmapped at
 * that instant, as while it executes another program). N stays in gdb's table, unknown to its caller, and gdb would
 * write it wherever that address is mapped next (into the new program's code). It goes; the message may also name
 * older breakpoints gdb retried, which stay (they are not at `location`, or their owner knows them).
 */
async function removeUninserted(gdb: MiSender, error: unknown, location: string): Promise<void> {
  const message = error instanceof Error ? error.message : '';
  const named = new Set([...message.matchAll(/Cannot insert breakpoint (\d+)/g)].map((m) => Number(m[1])));
  if (named.size === 0) {
    return;
  }
  try {
    const table = miTuple(await gdb.send(miCommand('-break-list')), 'BreakpointTable');
    const made = (table ? miTupleList(table, 'body') : [])
      .filter((b) => named.has(miInt(b, 'number') ?? -1) && miString(b, 'original-location') === location)
      .map((b) => miInt(b, 'number')!);
    // The newest: an older one at the same place (a user's instruction breakpoint) is its owner's.
    if (made.length > 0) {
      await remove(gdb, [Math.max(...made)]);
    }
  } catch {
    // gdb gone or busy: nothing to remove from.
  }
}

export async function insertAtAddress(gdb: MiSender, address: bigint, threadId: number, condition: string): Promise<GdbBreakpoint> {
  return insertAt(gdb, [flag('-p'), threadId, flag('-c'), condition], address);
}

export async function remove(gdb: MiSender, numbers: readonly number[]): Promise<void> {
  if (numbers.length > 0) {
    await gdb.send(miCommand('-break-delete', ...numbers));
  }
}

/** `-f`: a location gdb cannot resolve yet stays pending instead of failing (shared libraries). */
function common(options: InsertOptions): MiPart[] {
  const parts: MiPart[] = [flag('-f')];
  if (options.condition) {
    parts.push(flag('-c'), options.condition);
  }
  return parts;
}

export function parseBreakpoint(results: MiTuple): GdbBreakpoint {
  const bkpt = miTuple(results, 'bkpt') ?? {};
  // A breakpoint with several code locations lists them; the first one names file and line.
  const where = miString(bkpt, 'addr') === '<MULTIPLE>' ? (miTupleList(bkpt, 'locations')[0] ?? bkpt) : bkpt;
  return {
    number: miInt(bkpt, 'number') ?? -1,
    resolved: miString(bkpt, 'addr') !== '<PENDING>' && miString(bkpt, 'pending') === undefined,
    file: miString(where, 'fullname') ?? miString(where, 'file'),
    line: miInt(where, 'line'),
    func: miString(where, 'func'),
  };
}

/** Disables (or enables) every breakpoint: `-break-disable` / `-break-enable` with no numbers. */
export async function setAllEnabled(gdb: MiSender, enabled: boolean): Promise<void> {
  await gdb.send(miCommand(enabled ? '-break-enable' : '-break-disable'));
}

/** `catch exec`, `catch fork`, `catch vfork` (MI has no command for them): the catchpoint's number, from the list. */
export async function catchEvent(gdb: MiSender, event: 'exec' | 'fork' | 'vfork'): Promise<number> {
  await gdb.send(miCommand('-interpreter-exec', 'console', `catch ${event}`));
  const table = miTuple(await gdb.send(miCommand('-break-list')), 'BreakpointTable');
  const numbers = (table ? miTupleList(table, 'body') : [])
    .filter((b) => miString(b, 'catch-type') === event)
    .map((b) => miInt(b, 'number') ?? 0);
  if (numbers.length === 0) {
    throw new Error(`gdb did not create the ${event} catchpoint`);
  }
  return Math.max(...numbers);
}

/** A C++ exception catchpoint (gdb's libstdc++ probes): at each throw or catch, optionally of matching types only. */
export async function catchException(gdb: MiSender, when: 'throw' | 'catch', typeRegex?: string): Promise<number> {
  const results = await gdb.send(miCommand(when === 'throw' ? '-catch-throw' : '-catch-catch', ...(typeRegex ? [flag('-r'), typeRegex] : [])));
  const number = miInt(miTuple(results, 'bkpt') ?? {}, 'number');
  if (number === undefined) {
    throw new Error(`gdb did not create the ${when} catchpoint`);
  }
  return number;
}
