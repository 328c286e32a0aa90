/** Turns a dataId into the address and length to watch: globals are looked up again in this program. */
import * as data from '../gdb/commands/data';
import { MiSender } from '../gdb/connection';
import { DataTarget, decodeDataId } from './dataId';
import { sideEffectMessage } from './expression';
import { MAX_WATCH_BYTES, outsideUserSpace } from './ranges';

export type ResolvedTarget = DataTarget & { address: bigint };

/** The target, or a message saying why it cannot be watched. */
export async function resolveTarget(gdb: MiSender, dataId: string): Promise<ResolvedTarget | string> {
  const target = decodeDataId(dataId);
  if (!target) {
    return `data breakpoint id ${JSON.stringify(dataId)} is not one of pwatch's`;
  }
  if (target.length <= 0 || target.length > MAX_WATCH_BYTES) {
    return `a data breakpoint watches 1 to ${MAX_WATCH_BYTES} bytes, not ${target.length}`;
  }
  const outside = target.address === undefined ? undefined : outsideUserSpace(target.address, target.length);
  if (outside) {
    return outside;
  }
  const sideEffect = target.expression !== undefined && target.kind === 'global' ? sideEffectMessage(target.expression) : undefined;
  if (sideEffect) {
    return sideEffect;
  }
  if (target.kind === 'global') {
    try {
      const address = /0x[0-9a-f]+/i.exec(await data.evaluate(gdb, `&(${target.expression})`));
      if (!address) {
        return `'${target.expression}' has no address in this program`;
      }
      return { ...target, address: BigInt(address[0]) };
    } catch (e) {
      return `'${target.expression}' cannot be resolved in this program: ${(e as Error).message}`;
    }
  }
  return target as ResolvedTarget;
}

/** How views name a target: `shared_counter (8 bytes, write)`. */
export function targetLabel(target: ResolvedTarget, accessType: string): string {
  return `${target.expression ?? `0x${target.address.toString(16)}`} (${target.length} bytes, ${accessType})`;
}

export function targetName(target: ResolvedTarget): string {
  return target.expression ?? `0x${target.address.toString(16)}`;
}
