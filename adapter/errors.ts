/** Turns what went wrong in gdb into the message a user reads, naming the cause and the fix. */
import * as fs from 'fs';
import { GdbCommandError } from './gdb/connection';

function readPtraceScope(): string | undefined {
  try {
    return fs.readFileSync('/proc/sys/kernel/yama/ptrace_scope', 'utf8').trim();
  } catch {
    return undefined; // no Yama on this kernel
  }
}

export function attachFailureMessage(pid: number, error: Error): string {
  const text = error.message;
  if (/Operation not permitted|EPERM/i.test(text)) {
    const ptraceScope = readPtraceScope();
    const scope = ptraceScope !== undefined ? ` (kernel.yama.ptrace_scope is ${ptraceScope})` : '';
    return (
      `cannot attach to process ${pid}: the kernel refused ptrace${scope}. The process may already be traced by another ` +
      `debugger, belong to another user, or Yama may forbid attaching to non-children: run as the same user, ` +
      `set 'sysctl kernel.yama.ptrace_scope=0', or grant CAP_SYS_PTRACE.`
    );
  }
  if (/No such process|ESRCH/i.test(text)) {
    return `cannot attach to process ${pid}: it does not exist (it may have exited).`;
  }
  return `cannot attach to process ${pid}: ${text}`;
}

export function errorText(error: unknown): string {
  if (error instanceof GdbCommandError) {
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
