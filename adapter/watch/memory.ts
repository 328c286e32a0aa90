/**
 * Reads the watched bytes: from /proc/PID/mem, which works while the program runs (arming needs no
 * stop), and through gdb when the kernel refuses that (attach without ptrace rights of our own).
 */
import * as fs from 'fs';
import * as data from '../gdb/commands/data';
import { MiSender } from '../gdb/connection';

export async function readBytes(gdb: MiSender, pid: number, address: bigint, length: number): Promise<Buffer | undefined> {
  try {
    const fd = fs.openSync(`/proc/${pid}/mem`, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const n = fs.readSync(fd, buffer, 0, length, address);
      if (n === length) {
        return buffer;
      }
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Fall back to gdb below.
  }
  const blocks = await data.readMemory(gdb, `0x${address.toString(16)}`, 0, length).catch(() => []);
  const first = blocks[0];
  return first && first.begin === address && first.contents.length === length * 2 ? Buffer.from(first.contents, 'hex') : undefined;
}

/** A value shown in a hit: little-endian integer for register-sized ranges, hex bytes otherwise. */
export function formatBytes(bytes: Buffer): string {
  switch (bytes.length) {
    case 1:
      return String(bytes.readUInt8(0));
    case 2:
      return String(bytes.readInt16LE(0));
    case 4:
      return String(bytes.readInt32LE(0));
    case 8:
      return bytes.readBigInt64LE(0).toString();
    default:
      return `0x${bytes.toString('hex')}`;
  }
}
