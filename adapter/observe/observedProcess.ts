/**
 * Observe mode: a running process watched with no tracer. Data logpoints need none (their events carry no sigtrap,
 * their samples land in ring buffers), so nothing ever stops the program or sits in its signal path. gdb serves only
 * as a symbol table: it reads the executable's debug information at the process's load bias, without attaching, to
 * turn expressions into addresses and pcs into lines; values come from /proc/PID/mem. Opening that file asks the
 * kernel the same question as a debugger's attach (ptrace-attach permission, Yama), so it is the permission check.
 */
import * as fs from 'fs';
import { MiSender } from '../gdb/connection';
import { cliQuoted, miCommand } from '../gdb/mi/quote';
import { UserError } from '../launch/userError';
import { isPositionIndependent } from '../program/elfSections';
import { mappings } from '../program/mappings';
import { isEnded, procStatFields } from '../program/procStat';
import { liveThreads } from '../program/tasks';
import { WATCH_REQUESTS } from '../watchpoints/watching';
import { readPtraceScope } from '../util/errors';

export interface ObservedProgram {
  pid: number;
  /** The executable, as the process maps it ("… (deleted)" once its file was removed or replaced). */
  exe: string;
  /** The file gdb reads its symbols from: the executable, or the kernel's handle on it when it was deleted. */
  symbols: string;
  /** Where a position-independent executable was loaded (0 for one linked at fixed addresses). */
  bias: bigint;
}

/** What an observed process answers; the rest needs a debugger attached. */
const ANSWERED = new Set<string>([
  'initialize',
  'configurationDone',
  'disconnect',
  'cancel',
  'threads',
  // Each breakpoint unverified with the reason (unverifiedWhileObserving), data breakpoints likewise (Watching).
  'setBreakpoints',
  'setFunctionBreakpoints',
  'setInstructionBreakpoints',
  'setExceptionBreakpoints',
  'dataBreakpointInfo',
  'setDataBreakpoints',
  ...WATCH_REQUESTS,
  'pwatch/attachDebugger',
]);

/** Why `command` is refused while observing (it needs the program stopped or traced), or undefined if it is not. */
export function observeRefusal(command: string): string | undefined {
  if (ANSWERED.has(command)) {
    return undefined;
  }
  return (
    `'${command}' needs a debugger attached, and this session only observes the process (no tracer: it never stops). ` +
    `Data logpoints, threads and coverage work here; to stop, step or inspect, attach a debugger ("Attach Debugger Now", pwatch/attachDebugger) or attach with 'mode' "debug".`
  );
}

/** The observed process's executable and load bias, or a UserError naming why it cannot be observed. */
export function observedProgram(pid: number): ObservedProgram {
  checkAccess(pid);
  let exe: string;
  try {
    exe = fs.readlinkSync(`/proc/${pid}/exe`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(`cannot observe process ${pid}: it runs no program of its own (a kernel thread has none).`);
    }
    throw new UserError(`cannot observe process ${pid}: its executable cannot be read (${(e as Error).message}).`);
  }
  // A program rebuilt while it runs: its old file is still open to the kernel, through /proc/PID/exe.
  const symbols = exe.endsWith(' (deleted)') ? `/proc/${pid}/exe` : exe;
  // eslint-disable-next-line no-control-regex -- a line break would end the gdb command that loads it
  if (/[\0-\x1f\x7f]/.test(symbols)) {
    throw new UserError(`cannot observe process ${pid}: its executable's name ${JSON.stringify(exe)} has a control character, which gdb cannot be given: rename it.`);
  }
  // A position-independent executable's first mapping (file offset 0) is its link address 0 moved by the bias.
  const first = mappings(pid).find((m) => m.path === exe && m.offset === 0n);
  return { pid, exe, symbols, bias: isPositionIndependent(symbols) ? (first?.start ?? 0n) : 0n };
}

/** The kernel's answer to "may this user read that process's memory?", as a message with the fix when it is no. */
function checkAccess(pid: number): void {
  try {
    fs.closeSync(fs.openSync(`/proc/${pid}/mem`, 'r'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') {
      throw new UserError(
        fs.existsSync(`/proc/${pid}/stat`)
          ? `cannot observe process ${pid}: it has no memory of its own to watch (a kernel thread, or a process that is exiting).`
          : `cannot observe process ${pid}: it does not exist (it may have exited).`,
      );
    }
    const scope = readPtraceScope();
    throw new UserError(
      `cannot observe process ${pid}: the kernel refused access to it (${code ?? (e as Error).message}${scope !== undefined ? `, kernel.yama.ptrace_scope is ${scope}` : ''}). ` +
        `Observing needs what a debugger's attach needs: run as the process's user, set 'sysctl kernel.yama.ptrace_scope=0', or grant CAP_SYS_PTRACE.`,
    );
  }
}

/**
 * Loads the executable's symbols into gdb at the load bias, with no process: `symbol-file -o`. gdb then has no target
 * memory at all, so nothing can be read from the file's stale initial data by mistake.
 */
export async function loadSymbols(gdb: MiSender, program: ObservedProgram): Promise<void> {
  await gdb.send(miCommand('-interpreter-exec', 'console', `symbol-file -o 0x${program.bias.toString(16)} ${cliQuoted(program.symbols)}`));
}

export interface ObservedThread {
  tid: number;
  name: string;
}

/** The process's threads (their tids are their DAP thread ids: there is no gdb numbering). */
export function observedThreads(pid: number): ObservedThread[] {
  return liveThreads(pid)
    .sort((a, b) => a - b)
    .map((tid) => ({ tid, name: threadName(pid, tid) }));
}

function threadName(pid: number, tid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** How often the process is looked at: its threads (for coverage and the Threads view) and whether it still runs. */
const POLL_MS = 200;

export interface ProcessWatch {
  stop(): void;
}

export interface ProcessEvents {
  exited(): void;
  /** It runs another program now: the events went with the old one (remove_on_exec). */
  execed(program: string): void;
  threads(started: number[], exited: number[]): void;
}

/**
 * Follows a process no one traces: no exit or exec event reaches a non-parent, so /proc is polled. A zombie has
 * exited; a new program shows in where its code and stack start (placed anew by each exec) and in its executable.
 */
export function followProcess(pid: number, events: ProcessEvents): ProcessWatch {
  let known = new Set(liveThreads(pid));
  const program = execSignature(pid);
  const timer = setInterval(() => {
    if (!running(pid)) {
      clearInterval(timer);
      events.exited();
      return;
    }
    const signature = execSignature(pid);
    if (program && signature && signature.join() !== program.join()) {
      clearInterval(timer);
      events.execed(signature[0]);
      return;
    }
    const now = new Set(liveThreads(pid));
    const started = [...now].filter((tid) => !known.has(tid));
    const exited = [...known].filter((tid) => !now.has(tid));
    known = now;
    if (started.length > 0 || exited.length > 0) {
      events.threads(started, exited);
    }
  }, POLL_MS);
  return { stop: () => clearInterval(timer) };
}

/** The executable, and where the code and the stack start (/proc/PID/stat fields 26 and 28). */
function execSignature(pid: number): string[] | undefined {
  const fields = procStatFields(pid);
  try {
    return fields && [fs.readlinkSync(`/proc/${pid}/exe`), fields[26 - 3], fields[28 - 3]];
  } catch {
    return undefined;
  }
}

function running(pid: number): boolean {
  const fields = procStatFields(pid);
  return fields !== undefined && !isEnded(fields);
}

/** An observed process has no code breakpoints: nothing can stop it. VS Code sets them at every start. */
const UNSTOPPABLE = "an observed process never stops: breakpoints need a debugger attached ('mode' \"debug\")";

/**
 * The answer to a set*Breakpoints request while observing: each breakpoint unverified with the reason (the editor
 * greys them out and says why), or undefined for any other request.
 */
export function unverifiedWhileObserving(command: string, args: unknown): { breakpoints: Array<{ verified: false; message: string }> } | undefined {
  const a = (args ?? {}) as { breakpoints?: unknown; filters?: unknown; filterOptions?: unknown };
  const count = (list: unknown) => (Array.isArray(list) ? list.length : 0);
  const asked: Record<string, number> = {
    setBreakpoints: count(a.breakpoints),
    setFunctionBreakpoints: count(a.breakpoints),
    setInstructionBreakpoints: count(a.breakpoints),
    setExceptionBreakpoints: count(a.filters) + count(a.filterOptions),
  };
  if (!(command in asked)) {
    return undefined;
  }
  return { breakpoints: Array.from({ length: asked[command] }, () => ({ verified: false as const, message: UNSTOPPABLE })) };
}
