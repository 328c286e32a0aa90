/** The threads of a process of this machine, from /proc/PID/task. */
import * as fs from 'fs';

/** The kernel thread ids of process `pid` now; none when it is gone or cannot be read. */
export function liveThreads(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .map(Number)
      .filter((tid) => Number.isInteger(tid));
  } catch {
    return [];
  }
}
