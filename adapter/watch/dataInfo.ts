/**
 * dataBreakpointInfo: what can be watched for a variable, an expression or an address, and how it is
 * named (dataId). Only a global named by an expression can persist across sessions.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { FrameRef } from '../gdb/commands/context';
import * as data from '../gdb/commands/data';
import * as varobj from '../gdb/commands/var';
import { MiSender } from '../gdb/connection';
import { miCliCommand } from '../gdb/mi/quote';
import { Mapping, mappings } from '../program/mappings';
import { VariableStore } from '../variables/variableStore';
import { DataTarget, encodeDataId } from './dataId';
import { sideEffectMessage } from './expression';
import { MAX_WATCH_BYTES, outsideUserSpace } from './ranges';

type InfoBody = DebugProtocol.DataBreakpointInfoResponse['body'];

const ACCESS_TYPES: DebugProtocol.DataBreakpointAccessType[] = ['write', 'read', 'readWrite'];

/**
 * Static storage by where it lies, when gdb names no symbol for it: a file's own mapping, or the anonymous
 * mapping right after a file's writable one, which holds the rest of its .bss (a static after a large static
 * array lives there, with no file name; some kernels merge it with [heap], which gdb's symbol still tells).
 */
function isStaticStorage(maps: Mapping[], index: number): boolean {
  const mapping = maps[index];
  if (mapping.path !== '') {
    return !mapping.path.startsWith('[');
  }
  const before = index > 0 ? maps[index - 1] : undefined;
  return !!before && before.end === mapping.start && before.path !== '' && !before.path.startsWith('[') && before.perms.startsWith('rw');
}

function unavailable(description: string): InfoBody {
  return { dataId: null, description };
}

/** Where a watched local's frame ends: its thread, its stack pointer, and where it returns to. */
export interface LocalScope {
  threadId: number;
  stackPointer: bigint;
  returnAddress: bigint;
}

/** x86-64 leaf functions keep locals in the 128 bytes below the stack pointer. */
const RED_ZONE = 128n;

/** A frame's extent on its stack: from its stack pointer up to its caller's (none for the outermost frame). */
interface FrameExtent {
  stackPointer: bigint;
  callerStackPointer?: bigint;
  returnAddress?: bigint;
}

async function frameExtent(gdb: MiSender, frame: FrameRef): Promise<FrameExtent | undefined> {
  const hex = async (expression: string, at: FrameRef) => {
    const found = /0x[0-9a-f]+/i.exec(await data.evaluate(gdb, expression, at).catch(() => ''));
    return found ? BigInt(found[0]) : undefined;
  };
  const stackPointer = await hex('$sp', frame);
  if (stackPointer === undefined) {
    return undefined;
  }
  const caller = { threadId: frame.threadId, level: frame.level + 1 };
  // gdb's backtrace stops at main: main's caller (where main returns) is a frame only with past-main on.
  await gdb.send(miCliCommand('-gdb-set', 'backtrace', 'past-main', 'on')).catch(() => undefined);
  try {
    return { stackPointer, callerStackPointer: await hex('$sp', caller), returnAddress: await hex('$pc', caller) };
  } finally {
    await gdb.send(miCliCommand('-gdb-set', 'backtrace', 'past-main', 'off')).catch(() => undefined);
  }
}

export async function dataBreakpointInfo(
  gdb: MiSender,
  pid: number,
  args: DebugProtocol.DataBreakpointInfoArguments,
  variables: VariableStore,
  scopes: Map<string, LocalScope>,
): Promise<InfoBody> {
  const name = typeof args.name === 'string' ? args.name.trim() : '';
  if (args.asAddress) {
    return addressInfo(pid, name, args.bytes);
  }
  let expression = name;
  let frame: FrameRef | undefined;
  if (args.variablesReference) {
    const shown = await variables.shown(args.variablesReference, name);
    if (!shown) {
      return unavailable(`'${name}' is not a variable shown in this stop`);
    }
    expression = (await varobj.pathExpression(gdb, shown.objectName).catch(() => '')) || name;
    frame = shown.frame;
  } else if (args.frameId !== undefined) {
    frame = variables.frame(args.frameId);
    if (!frame) {
      return unavailable('that stack frame is gone: the program has run since');
    }
  }
  if (!expression) {
    return unavailable('no expression to watch');
  }
  const sideEffect = sideEffectMessage(expression);
  if (sideEffect) {
    return unavailable(sideEffect);
  }
  let address: bigint;
  let length: number;
  let symbolic = false;
  try {
    const text = await data.evaluate(gdb, `&(${expression})`, frame);
    const where = /0x[0-9a-f]+/i.exec(text);
    // gdb names the data symbol an address lies in (`0x5555... <tail_counter>`): only static storage has one.
    symbolic = /0x[0-9a-f]+ <[^>]+>/i.test(text);
    length = Number(await data.evaluate(gdb, `sizeof(${expression})`, frame));
    if (!where) {
      return unavailable(`'${expression}' has no address`);
    }
    address = BigInt(where[0]);
  } catch (e) {
    return unavailable(`'${expression}' has no address to watch (a register variable, a constant or a computed value?): ${(e as Error).message}`);
  }
  if (!Number.isInteger(length) || length <= 0 || length > MAX_WATCH_BYTES) {
    return unavailable(`'${expression}' is ${length} bytes: pwatch watches 1 to ${MAX_WATCH_BYTES} bytes (four 8-byte debug registers); watch a field instead`);
  }
  const maps = mappings(pid);
  const index = maps.findIndex((m) => address >= m.start && address < m.end);
  // Static storage can be named again next session; a local and a heap block cannot.
  const isStatic = symbolic || (index >= 0 && isStaticStorage(maps, index));
  // A local is the frame's own: between its stack pointer and its caller's. A shared variable reached from a
  // frame (an OpenMP outlined function's pointer into main's frame) is not tied to that frame's return.
  const extent = frame && !isStatic ? await frameExtent(gdb, frame) : undefined;
  const inFrame = !!extent && address >= extent.stackPointer - RED_ZONE && (extent.callerStackPointer === undefined || address < extent.callerStackPointer);
  const target: DataTarget = isStatic ? { kind: 'global', length, expression } : { kind: inFrame ? 'local' : 'address', length, address, expression };
  const dataId = encodeDataId(target);
  if (target.kind === 'local' && frame && extent?.returnAddress !== undefined) {
    scopes.set(dataId, { threadId: frame.threadId, stackPointer: extent.stackPointer, returnAddress: extent.returnAddress });
  }
  return {
    dataId,
    // VS Code shows the description as the breakpoint's label: short, what and where.
    description: `${expression} (${length} bytes at 0x${address.toString(16)})`,
    accessTypes: ACCESS_TYPES,
    canPersist: target.kind === 'global',
  };
}

function addressInfo(pid: number, text: string, bytes: number | undefined): InfoBody {
  if (!/^(0x[0-9a-f]{1,16}|\d{1,20})$/i.test(text)) {
    return unavailable(`'${text}' is not an address: write it as 0x… or in decimal`);
  }
  const length = bytes ?? 1;
  if (!Number.isInteger(length) || length <= 0 || length > MAX_WATCH_BYTES) {
    return unavailable(`${length} bytes cannot be watched: pwatch watches 1 to ${MAX_WATCH_BYTES} bytes (four 8-byte debug registers)`);
  }
  const address = BigInt(text);
  const outside = outsideUserSpace(address, length);
  if (outside) {
    return unavailable(outside);
  }
  const maps = mappings(pid);
  const mapped = maps.some((m) => address >= m.start && address + BigInt(length) <= m.end);
  if (maps.length > 0 && !mapped) {
    return unavailable(`0x${address.toString(16)} (${length} bytes) is not mapped in the program: check the address`);
  }
  return {
    dataId: encodeDataId({ kind: 'address', length, address }),
    description: `${length} bytes at 0x${address.toString(16)}`,
    accessTypes: ACCESS_TYPES,
    canPersist: false,
  };
}
