/** The program's memory map (/proc/PID/maps), read without stopping it. */
import * as fs from 'fs';

export interface Mapping {
  start: bigint;
  end: bigint;
  perms: string;
  /** Where in its file the mapping starts. */
  offset: bigint;
  /** The file, `[heap]`-like names, or '' for anonymous memory. */
  path: string;
}

/** Every mapping, lowest first; none when the process is gone or unreadable. */
export function mappings(pid: number): Mapping[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/maps`, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [range, perms, offset, , , ...rest] = line.split(/\s+/);
        const [start, end] = range.split('-');
        return { start: BigInt(`0x${start}`), end: BigInt(`0x${end}`), perms, offset: BigInt(`0x${offset}`), path: rest.join(' ') };
      });
  } catch {
    return [];
  }
}
