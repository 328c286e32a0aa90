/**
 * dataBreakpointInfo: what can be watched for a variable, an expression or an address, and how it is
 * named (dataId). Only a global named by an expression can persist across sessions.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import { FrameRef } from '../gdb/commands/context';
import * as data from '../gdb/commands/data';
import * as varobj from '../gdb/commands/var';
import { MiSender } from '../gdb/connection';
import { VariableStore } from '../variables/variableStore';
import { DataTarget, encodeDataId } from './dataId';
import { sideEffectMessage } from './expression';
import { MAX_WATCH_BYTES, outsideUserSpace } from './ranges';

type InfoBody = DebugProtocol.DataBreakpointInfoResponse['body'];

const ACCESS_TYPES: DebugProtocol.DataBreakpointAccessType[] = ['write', 'read', 'readWrite'];

interface Mapping {
  start: bigint;
  end: bigint;
  path: string;
}

function mappings(pid: number): Mapping[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/maps`, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [range, , , , , ...rest] = line.split(/\s+/);
        const [start, end] = range.split('-');
        return { start: BigInt(`0x${start}`), end: BigInt(`0x${end}`), path: rest.join(' ') };
      });
  } catch {
    return [];
  }
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

async function rememberScope(gdb: MiSender, dataId: string, frame: FrameRef, scopes: Map<string, LocalScope>): Promise<void> {
  try {
    const sp = /0x[0-9a-f]+/i.exec(await data.evaluate(gdb, '$sp', frame));
    const ret = /0x[0-9a-f]+/i.exec(await data.evaluate(gdb, '$pc', { threadId: frame.threadId, level: frame.level + 1 }));
    if (sp && ret) {
      scopes.set(dataId, { threadId: frame.threadId, stackPointer: BigInt(sp[0]), returnAddress: BigInt(ret[0]) });
    }
  } catch {
    // The outermost frame has no caller: the local lives as long as the thread.
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
  try {
    const where = /0x[0-9a-f]+/i.exec(await data.evaluate(gdb, `&(${expression})`, frame));
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
  const mapping = mappings(pid).find((m) => address >= m.start && address < m.end);
  // Static storage (a file-backed mapping) can be named again next session; the stack cannot.
  const isStatic = !!mapping && mapping.path !== '' && !mapping.path.startsWith('[');
  const onStack = !!frame && !isStatic && mapping?.path !== '[heap]';
  const target: DataTarget = isStatic ? { kind: 'global', length, expression } : { kind: onStack ? 'local' : 'address', length, address, expression };
  const dataId = encodeDataId(target);
  if (target.kind === 'local' && frame) {
    await rememberScope(gdb, dataId, frame, scopes);
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
