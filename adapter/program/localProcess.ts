/**
 * Whether a pid a gdbserver reports is a process of this machine: the gdbserver may run on another host, or in
 * another pid namespace (a container), where the same number names a different process here, or none. Only a
 * process traced by a gdbserver here is taken as the target; anything else is never read or signalled.
 */
import * as fs from 'fs';

export function isLocalGdbserverProcess(pid: number): boolean {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const tracer = Number(/^TracerPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    return tracer > 0 && fs.readFileSync(`/proc/${tracer}/comm`, 'utf8').trim() === 'gdbserver';
  } catch {
    return false;
  }
}
