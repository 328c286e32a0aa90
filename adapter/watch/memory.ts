/**
 * Reads the watched bytes and the code that touched them: from /proc/PID/mem, which works while the program runs
 * (arming needs no stop), and through gdb when the kernel refuses that (attach without ptrace rights of our own).
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
  return readThroughGdb(gdb, address, length);
}

async function readThroughGdb(gdb: MiSender, address: bigint, length: number): Promise<Buffer | undefined> {
  const blocks = await data.readMemory(gdb, `0x${address.toString(16)}`, 0, length).catch(() => []);
  const first = blocks[0];
  return first && first.begin === address && first.contents.length === length * 2 ? Buffer.from(first.contents, 'hex') : undefined;
}

/** x86's breakpoint instruction (int3), which gdb writes over the first byte of each inserted breakpoint. */
const INT3 = 0xcc;

/**
 * Code as the program's file has it: `/proc/<pid>/mem` shows gdb's inserted breakpoints as int3 bytes (a breakpoint on a
 * `lock` prefix would make the locked write decode as a plain one), and gdb's own reads show what they cover. So code
 * holding an int3 byte is read again through gdb; code without one is the same either way. gdb cannot read while an
 * all-stop program runs: then the bytes as they are serve (an int3 is rarely on the access's own instruction).
 */
export async function readCode(gdb: MiSender, pid: number, address: bigint, length: number): Promise<Buffer | undefined> {
  const bytes = await readBytes(gdb, pid, address, length);
  return !bytes || !bytes.includes(INT3) ? bytes : ((await readThroughGdb(gdb, address, length)) ?? bytes);
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
