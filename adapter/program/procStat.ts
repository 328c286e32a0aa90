/** /proc/PID/stat, read without stopping anything. */
import * as fs from 'fs';

/**
 * The fields after the command name, so that `fields[0]` is field 3 (the state) and field N is `fields[N - 3]`
 * (proc(5)); undefined when the process is gone or unreadable. The name may hold spaces and parentheses: the
 * fields start after its last ')'.
 */
export function procStatFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).trim().split(' ');
  } catch {
    return undefined;
  }
}

/** A zombie (or a task being torn down) has ended: its threads run no more. */
export function isEnded(fields: string[]): boolean {
  return fields[0] === 'Z' || fields[0] === 'X';
}
