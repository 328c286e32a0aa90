/** The readMemory request: the readable bytes from the requested address, and how many are not. */
import { DebugProtocol } from '@vscode/debugprotocol';
import * as data from '../gdb/commands/data';
import { MiSender } from '../gdb/connection';
import { UserError } from '../launch/userError';

const MAX_READ_BYTES = 1 << 20;

export async function readMemory(gdb: MiSender, args: DebugProtocol.ReadMemoryArguments): Promise<DebugProtocol.ReadMemoryResponse['body']> {
  if (typeof args.memoryReference !== 'string' || !/^(0x[0-9a-fA-F]+|\d+)$/.test(args.memoryReference)) {
    throw new UserError(`memory reference ${JSON.stringify(args.memoryReference)} is not an address`);
  }
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
