/**
 * How a process of gdb's ended, read from /proc when gdb itself does not say: a program killed from outside
 * while gdb held it stopped is a zombie gdb never reaps until told to, and its wait status is still in
 * /proc/PID/stat (field 52, exit_code, Linux 3.5+).
 */
import * as os from 'os';
import { isEnded, procStatFields } from './procStat';
import { poll } from '../util/timeout';

export interface ProgramEnd {
  /** The exit code as a shell reports it: the program's own, or 128 + the signal that killed it. */
  code: number;
  signal?: string;
}

export function signalName(signo: number): string | undefined {
  return Object.entries(os.constants.signals).find(([, n]) => n === signo)?.[0];
}

export function signalNumber(name: string): number | undefined {
  return (os.constants.signals as Record<string, number>)[name];
}

/** The end of a process that is a zombie or gone; undefined while it still lives. */
export function endOfProcess(pid: number): ProgramEnd | undefined {
  const fields = procStatFields(pid);
  if (!fields) {
    return { code: 128 + 9, signal: 'SIGKILL' }; // reaped already: only a kill leaves no trace this fast
  }
  if (!isEnded(fields)) {
    return undefined;
  }
  const status = Number(fields[49]);
  if (!Number.isInteger(status)) {
    return { code: 1 };
  }
  const signo = status & 0x7f;
  return signo === 0 ? { code: (status >> 8) & 0xff } : { code: 128 + signo, signal: signalName(signo) };
}

/**
 * The end of a process that is dying: a thread killed while gdb holds it stopped makes gdb's resume fail at once
 * (ptrace answers ESRCH), but on a loaded machine the kernel may not have run the thread's exit yet, so /proc
 * still shows it alive for a moment. Polls until it is a zombie or gone, or until `withinMs` passed.
 */
export function awaitEndOfProcess(pid: number, withinMs: number): Promise<ProgramEnd | undefined> {
  return poll(() => endOfProcess(pid), withinMs);
}
