/**
 * Signals the kernel still holds for a process, from /proc. pwatch's own machinery raises three that harm a
 * program by default: the SIGINT gdb sends to stop it (all-stop), the SIGSTOP pwatch pauses with
 * (GdbRuntime.interrupt), and the SIGTRAP of a data breakpoint. One still queued when gdb
 * detaches is delivered to the untraced program and ends it (or, SIGSTOP, stops it for good).
 */
import * as fs from 'fs';
import { liveThreads } from './tasks';

const SIGINT_BIT = 1n << 1n; // signal n is bit n - 1
const SIGTRAP_BIT = 1n << 4n;
const SIGSTOP_BIT = 1n << 18n;
export const DEBUGGER_SIGNALS = SIGINT_BIT | SIGTRAP_BIT | SIGSTOP_BIT;

/** A signal mask line of a /proc status file (pending, shared pending, blocked); 0 when the task is gone. */
export function statusMask(statusFile: string, field: 'SigPnd' | 'ShdPnd' | 'SigBlk'): bigint {
  try {
    const match = new RegExp(`^${field}:\\s*([0-9a-f]+)`, 'm').exec(fs.readFileSync(statusFile, 'utf8'));
    return match ? BigInt(`0x${match[1]}`) : 0n;
  } catch {
    return 0n; // the thread is gone
  }
}

/** Whether any of `mask`'s signals is pending for the process (shared) or one of its threads. */
export function signalsPending(pid: number, mask: bigint = DEBUGGER_SIGNALS): boolean {
  if ((statusMask(`/proc/${pid}/status`, 'ShdPnd') & mask) !== 0n) {
    return true;
  }
  return liveThreads(pid).some((tid) => (statusMask(`/proc/${pid}/task/${tid}/status`, 'SigPnd') & mask) !== 0n);
}
