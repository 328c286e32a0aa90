/** Expressions, memory and registers: -data-*. */
import { MiSender } from '../connection';
import { miInt, miList, miString, miTupleList } from '../mi/access';
import { flag, miCommand } from '../mi/quote';
import { FrameRef, inFrame } from './context';

export async function evaluate(gdb: MiSender, expression: string, frame?: FrameRef): Promise<string> {
  const scope = frame ? inFrame(frame) : [];
  const results = await gdb.send(miCommand('-data-evaluate-expression', ...scope, expression));
  return miString(results, 'value') ?? '';
}

export interface MemoryBlock {
  begin: bigint;
  /** Hex bytes as gdb prints them. */
  contents: string;
}

/** Reads `count` bytes at `address + offset`; gdb returns only the readable blocks. */
export async function readMemory(gdb: MiSender, address: string, offset: number, count: number): Promise<MemoryBlock[]> {
  const results = await gdb.send(miCommand('-data-read-memory-bytes', flag('-o'), offset, address, count));
  return miTupleList(results, 'memory').map((block) => ({
    begin: BigInt(miString(block, 'begin') ?? '0'),
    contents: miString(block, 'contents') ?? '',
  }));
}

export async function registerNames(gdb: MiSender): Promise<string[]> {
  const results = await gdb.send(miCommand('-data-list-register-names'));
  return miList(results, 'register-names').map((n) => (typeof n === 'string' ? n : ''));
}

export interface RegisterValue {
  number: number;
  value: string;
}

export async function registerValues(gdb: MiSender, frame: FrameRef): Promise<RegisterValue[]> {
  const results = await gdb.send(miCommand('-data-list-register-values', ...inFrame(frame), flag('--skip-unavailable'), 'N'));
  return miTupleList(results, 'register-values').map((r) => ({
    number: miInt(r, 'number') ?? -1,
    value: miString(r, 'value') ?? '',
  }));
}
