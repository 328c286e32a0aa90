/** The readMemory request: the readable bytes from the requested address, and how many are not. */
import { DebugProtocol } from '@vscode/debugprotocol';
import * as data from '../gdb/commands/data';
import { MiSender } from '../gdb/connection';
import { UserError } from '../launch/userError';

const MAX_READ_BYTES = 1 << 20;

function checkReference(reference: unknown): asserts reference is string {
  if (typeof reference !== 'string' || !/^(0x[0-9a-fA-F]{1,16}|\d{1,20})$/.test(reference)) {
    throw new UserError(`memory reference ${JSON.stringify(reference)} is not an address`);
  }
}

export async function readMemory(gdb: MiSender, args: DebugProtocol.ReadMemoryArguments): Promise<DebugProtocol.ReadMemoryResponse['body']> {
  checkReference(args.memoryReference);
  const count = Math.max(0, Math.min(Number(args.count) || 0, MAX_READ_BYTES));
  const offset = Number.isSafeInteger(args.offset) ? (args.offset as number) : 0;
  const start = BigInt(args.memoryReference) + BigInt(offset);
  const address = `0x${start.toString(16)}`;
  const blocks = count === 0 ? [] : await data.readMemory(gdb, args.memoryReference, offset, count).catch(() => []);
  const first = blocks[0];
  if (!first) {
    return { address, unreadableBytes: count };
  }
  const bytes = Buffer.from(first.contents, 'hex');
  const unreadable = Number(start + BigInt(count) - (first.begin + BigInt(bytes.length)));
  return { address: `0x${first.begin.toString(16)}`, data: bytes.toString('base64'), unreadableBytes: Math.max(0, unreadable) };
}

const PAGE = 4096n;

/**
 * The writeMemory request. gdb writes all or nothing; with `allowPartial` the bytes are written page by
 * page up to the first page that refuses, and the answer says how many were written.
 */
export async function writeMemory(gdb: MiSender, args: DebugProtocol.WriteMemoryArguments): Promise<{ start: bigint; written: number }> {
  checkReference(args.memoryReference);
  if (typeof args.data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(args.data)) {
    throw new UserError('writeMemory needs its data in base64');
  }
  const bytes = Buffer.from(args.data, 'base64');
  if (bytes.length > MAX_READ_BYTES) {
    throw new UserError(`${bytes.length} bytes is more than pwatch writes at once (${MAX_READ_BYTES})`);
  }
  const start = BigInt(args.memoryReference) + BigInt(Number.isSafeInteger(args.offset) ? (args.offset as number) : 0);
  if (!args.allowPartial) {
    await data.writeMemory(gdb, start, bytes);
    return { start, written: bytes.length };
  }
  let written = 0;
  while (written < bytes.length) {
    const at = start + BigInt(written);
    const size = Math.min(bytes.length - written, Number(PAGE - (at % PAGE)));
    const ok = await data.writeMemory(gdb, at, bytes.subarray(written, written + size)).then(() => true, () => false);
    if (!ok) {
      break;
    }
    written += size;
  }
  if (written === 0 && bytes.length > 0) {
    throw new UserError(`0x${start.toString(16)} cannot be written: the program has no writable memory there`);
  }
  return { start, written };
}
