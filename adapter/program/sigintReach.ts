/**
 * Whether gdb's interrupt reaches gdb. gdb stops an all-stop program by sending its process a SIGINT, which stops
 * the program only when the kernel delivers it to a thread (ptrace intercepts it there). A program that blocks
 * SIGINT in every thread (as a signalfd reader must) never has it delivered: the pause never comes, and the SIGINT
 * waits for the program. A thread waiting in sigwait() takes it without any delivery: the program reads it as its
 * own Ctrl-C (measured: the common "signal thread" pattern shut a program down when gdb paused it). For those,
 * pwatch stops the program with a SIGSTOP of its own, which nothing can block or take.
 */
import * as fs from 'fs';
import { statusMask } from './pendingSignals';
import { liveThreads } from './tasks';

const SIGINT_BIT = 1n << 1n; // signal n is bit n - 1
/** rt_sigtimedwait on x86-64: sigwait, sigwaitinfo and sigtimedwait all wait in it. */
const RT_SIGTIMEDWAIT = 128;

export interface ThreadSignalState {
  /** The thread's blocked signals (SigBlk). A thread in sigwait shows the signals it waits for unblocked. */
  blocked: bigint;
  /** The system call the thread is blocked in, if any (/proc/TID/syscall). */
  syscall: number | undefined;
}

/** Pure: whether a SIGINT to a process whose threads are in these states can miss the debugger. */
export function sigintMissesDebugger(threads: ThreadSignalState[]): boolean {
  return threads.length > 0 && (threads.every((t) => (t.blocked & SIGINT_BIT) !== 0n) || threads.some((t) => t.syscall === RT_SIGTIMEDWAIT));
}

function threadState(pid: number, tid: number): ThreadSignalState | undefined {
  try {
    // "running" while the thread runs; the number of the call it is blocked in otherwise.
    const syscall = Number(fs.readFileSync(`/proc/${pid}/task/${tid}/syscall`, 'utf8').split(' ')[0]);
    return { blocked: statusMask(`/proc/${pid}/task/${tid}/status`, 'SigBlk'), syscall: Number.isInteger(syscall) ? syscall : undefined };
  } catch {
    return undefined; // the thread is gone, or its state cannot be read
  }
}

/** Whether gdb's SIGINT to process `pid` can miss the debugger now (false when /proc cannot tell). */
export function sigintMayMissDebugger(pid: number): boolean {
  const states = liveThreads(pid)
    .map((tid) => threadState(pid, tid))
    .filter((s): s is ThreadSignalState => s !== undefined);
  return sigintMissesDebugger(states);
}
