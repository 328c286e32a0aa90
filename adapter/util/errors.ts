/** Turns what went wrong in gdb into the message a user reads, naming the cause and the fix. */
import * as fs from 'fs';

export function readPtraceScope(): string | undefined {
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

/**
 * gdb 13 (Debian bookworm's) cannot write the full register set on CPUs with AMX (Intel Sapphire Rapids and
 * later): every call into the program fails with this text, which names neither cause nor fix.
 */
const XSAVE_FAILURE = /Couldn't write extended state status/;

export const XSAVE_HINT =
  "this gdb cannot call functions in the program on this CPU (its XSAVE area, with AMX state, is larger than gdb 13 " +
  "handles): expressions without calls still work; for calls, point 'gdbPath' at gdb 14 or later";

export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return XSAVE_FAILURE.test(text) && !text.includes(XSAVE_HINT) ? `${text} (${XSAVE_HINT})` : text;
}
