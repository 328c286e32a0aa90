/**
 * Facts about a process of this machine read from /proc: who traces it, and whether a pid a gdbserver reports is
 * one of ours. The gdbserver may run on another host, or in another pid namespace (a container), where the same
 * number names a different process here, or none. Only a process traced by a gdbserver here is taken as the
 * target; anything else is never read or signalled.
 */
import * as fs from 'fs';

/** The pid of the process tracing `pid` (gdb, or a gdbserver), or undefined when none does or it cannot be read. */
export function tracerOf(pid: number): number | undefined {
  try {
    const tracer = Number(/^TracerPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return tracer > 0 ? tracer : undefined;
  } catch {
    return undefined;
  }
}

export function isLocalGdbserverProcess(pid: number): boolean {
  const tracer = tracerOf(pid);
  try {
    return tracer !== undefined && fs.readFileSync(`/proc/${tracer}/comm`, 'utf8').trim() === 'gdbserver';
  } catch {
    return false;
  }
}
