/**
 * Whether the program waits for input: a thread blocked in read(2) or readv(2) on its standard input, as
 * /proc/TID/syscall shows (syscall number, then the arguments; "running" while the thread runs). x86-64
 * numbers: pwatch debugs x86-64 programs only.
 */
import * as fs from 'fs';
import { liveThreads } from './tasks';

const READS_FROM_FD_ARGUMENT: ReadonlySet<number> = new Set([0 /* read */, 17 /* pread64 */, 19 /* readv */]);

/** Parses one /proc/TID/syscall line: true when it is a read of file descriptor 0. */
export function readsStandardInput(syscallLine: string): boolean {
  const [number, fd] = syscallLine.trim().split(' ');
  return READS_FROM_FD_ARGUMENT.has(Number(number)) && /^0x0+$|^0$/.test(fd ?? '');
}

export function waitsForInput(pid: number): boolean {
  return liveThreads(pid).some((tid) => {
    try {
      return readsStandardInput(fs.readFileSync(`/proc/${pid}/task/${tid}/syscall`, 'utf8'));
    } catch {
      return false;
    }
  });
}
