/** Run control: -exec-*, -target-*, -file-*. */
import { MiSender } from '../mi/types';
import { miString } from '../mi/access';
import { flag, miCliCommand, miCommand, MiQuoteError } from '../mi/quote';
import { FrameRef, inFrame, onThread } from './context';

export async function loadProgram(gdb: MiSender, program: string): Promise<void> {
  await gdb.send(miCommand('-file-exec-and-symbols', program));
}

/**
 * `-exec-arguments` is gdb's CLI `set args`: it takes the raw rest of the line, and with
 * startup-with-shell off gdb splits it on white space only, without any quoting. So an argument is safe
 * and exact only if it is non-empty and has no white space or control character; anything else is refused.
 */
export function programArgumentsCommand(args: readonly string[]): string {
  args.forEach((arg, i) => {
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
    if (arg.length === 0 || /[\s\0-\x1f\x7f]/.test(arg)) {
      throw new MiQuoteError(
        `program argument ${i + 1} (${JSON.stringify(arg)}) is empty or contains white space or a control ` +
          `character: gdb starts programs without a shell (startup-with-shell off) and cannot pass it intact. ` +
          `Pass it through an environment variable or a file instead.`,
      );
    }
  });
  return args.length === 0 ? '-exec-arguments' : `-exec-arguments ${args.join(' ')}`;
}

/**
 * Makes a core file gdb's target. Through the CLI's `core-file`, which takes the rest of its line as the file name
 * (spaces and quotes included); `-target-select core` would split and re-quote it.
 */
export async function openCore(gdb: MiSender, path: string): Promise<void> {
  // eslint-disable-next-line no-control-regex -- a line break would end the CLI command early
  if (/[\0-\x1f\x7f]/.test(path)) {
    throw new MiQuoteError(`the core file's path ${JSON.stringify(path)} contains a control character: rename the file.`);
  }
  if (/\s$/.test(path)) {
    // gdb trims the line: "core " would open a file named "core" if there is one.
    throw new MiQuoteError(`the core file's path ${JSON.stringify(path)} ends in white space, which gdb drops: rename the file.`);
  }
  await gdb.send(miCommand('-interpreter-exec', 'console', `core-file ${path}`));
}

/**
 * Connects to a gdbserver: "host:port", or "| command" (gdb starts the command with /bin/sh and talks to it over
 * a pipe: the user's own command, as with -exec). `-target-select` takes the rest of its line as it is.
 */
export async function connectRemote(gdb: MiSender, target: string): Promise<void> {
  if (/[\0\r\n]/.test(target)) {
    throw new MiQuoteError('a gdbserver target must be a single line');
  }
  await gdb.send(`-target-select remote ${target}`);
}

/** The file gdb runs (not its symbols): for the pwatch-exec helper, which then execs the program. */
export async function setExecFile(gdb: MiSender, path: string): Promise<void> {
  await gdb.send(miCommand('-file-exec-file', path));
}

export async function setProgramArguments(gdb: MiSender, args: readonly string[]): Promise<void> {
  await gdb.send(programArgumentsCommand(args));
}

export async function setInferiorTerminal(gdb: MiSender, ttyPath: string): Promise<void> {
  await gdb.send(miCommand('-inferior-tty-set', ttyPath));
}

/** Starts the program and stops at its first instruction, before it can create any thread. */
export async function runToFirstInstruction(gdb: MiSender): Promise<void> {
  await gdb.send(miCommand('-interpreter-exec', 'console', 'starti'));
}

/** A temporary breakpoint at main, for stopAtEntry after starti. */
export async function breakAtMainOnce(gdb: MiSender, main = 'main'): Promise<void> {
  await gdb.send(miCommand('-break-insert', flag('-t'), flag('--function'), main));
}

export async function continueAll(gdb: MiSender): Promise<void> {
  await gdb.send(miCommand('-exec-continue'));
}

/** Non-stop: resumes every thread (plain -exec-continue would resume only the selected one). */
export async function continueEveryThread(gdb: MiSender): Promise<void> {
  await gdb.send(miCommand('-exec-continue', flag('--all')));
}

/** Non-stop: resumes one thread, the others are left as they are. */
export async function continueThread(gdb: MiSender, threadId: number): Promise<void> {
  await gdb.send(miCommand('-exec-continue', ...onThread(threadId)));
}

/** `next` by line, or by one instruction (stepping over calls) with granularity 'instruction'. */
export async function next(gdb: MiSender, threadId: number, byInstruction = false): Promise<void> {
  await gdb.send(miCommand(byInstruction ? '-exec-next-instruction' : '-exec-next', ...onThread(threadId)));
}

/** `step` by line, or by one instruction (into calls) with granularity 'instruction'. */
export async function stepIn(gdb: MiSender, threadId: number, byInstruction = false): Promise<void> {
  await gdb.send(miCommand(byInstruction ? '-exec-step-instruction' : '-exec-step', ...onThread(threadId)));
}

export async function stepOut(gdb: MiSender, frame: FrameRef): Promise<void> {
  await gdb.send(miCommand('-exec-finish', ...inFrame(frame)));
}

export async function interrupt(gdb: MiSender): Promise<void> {
  await gdb.send(miCommand('-exec-interrupt'));
}

/** Non-stop: stops one thread. */
export async function interruptThread(gdb: MiSender, threadId: number): Promise<void> {
  await gdb.send(miCommand('-exec-interrupt', ...onThread(threadId)));
}

/** Non-stop: stops every thread. */
export async function interruptAll(gdb: MiSender): Promise<void> {
  await gdb.send(miCommand('-exec-interrupt', flag('--all')));
}

export async function attach(gdb: MiSender, pid: number): Promise<void> {
  await gdb.send(miCommand('-target-attach', pid));
}

export async function detach(gdb: MiSender): Promise<void> {
  await gdb.send(miCommand('-target-detach'));
}

/** Kills the debuggee (MI has no kill command of its own; the CLI text here is a constant). */
export async function killProgram(gdb: MiSender): Promise<void> {
  await gdb.send(miCommand('-interpreter-exec', 'console', 'kill'));
}

/** Kills or detaches every process gdb holds (several when it kept forked children): `kill inferiors 1 2`. */
export async function endInferiors(gdb: MiSender, how: 'kill' | 'detach', inferiors: readonly number[]): Promise<void> {
  if (inferiors.length <= 1) {
    await (how === 'kill' ? killProgram(gdb) : detach(gdb));
    return;
  }
  await gdb.send(miCommand('-interpreter-exec', 'console', `${how} inferiors ${inferiors.join(' ')}`));
}

/**
 * Continues, delivering `signal` to `threadId` (gdb's `signal`, in the background): gdb passes nothing it is set
 * not to pass (SIGINT, so that its own interrupts stay its own), and queue-signal refuses those, so this is the
 * way to give the program a SIGINT that was really its own. Resumes what continue would (all threads in all-stop).
 */
export async function continueWithSignal(gdb: MiSender, threadId: number, signal: 'SIGINT' | 'SIGTRAP'): Promise<void> {
  await gdb.send(miCommand('-interpreter-exec', ...onThread(threadId), 'console', `signal ${signal} &`));
}

export async function exitGdb(gdb: MiSender): Promise<void> {
  await gdb.send(miCommand('-gdb-exit'));
}

/** `-gdb-set NAME VALUE`: both are our own constants (see miCliCommand). */
export async function setOption(gdb: MiSender, name: string, value: string): Promise<void> {
  await gdb.send(miCliCommand('-gdb-set', name, value));
}

export async function showOption(gdb: MiSender, name: string): Promise<string | undefined> {
  return miString(await gdb.send(miCliCommand('-gdb-show', name)), 'value');
}

/**
 * Runs `body` with calls into the program forbidden (gdb's may-call-functions off), then restores the setting:
 * for evaluations pwatch makes on its own, which must never run the program's code (a user-defined operator[]
 * would otherwise be called).
 */
export async function withoutCalls<T>(gdb: MiSender, body: () => Promise<T>): Promise<T> {
  const before = (await showOption(gdb, 'may-call-functions').catch(() => undefined)) ?? 'on';
  await setOption(gdb, 'may-call-functions', 'off');
  try {
    return await body();
  } finally {
    await setOption(gdb, 'may-call-functions', before === 'off' ? 'off' : 'on').catch(() => undefined);
  }
}

/** A CLI command typed by the user in the Debug Console (`-exec ...`): one line, passed as one string. */
export async function consoleCommand(gdb: MiSender, line: string): Promise<void> {
  if (/[\r\n]/.test(line)) {
    throw new MiQuoteError('a gdb command must be a single line');
  }
  await gdb.send(miCommand('-interpreter-exec', 'console', line));
}

/**
 * Runs pwatch's own Python in gdb (function definitions); false when this gdb has no Python. The source travels
 * hex-encoded: one line, nothing in it that MI or the CLI would interpret.
 */
export async function runPython(gdb: MiSender, source: string): Promise<boolean> {
  const hex = Buffer.from(source, 'utf8').toString('hex');
  try {
    await consoleCommand(gdb, `python exec(bytes.fromhex('${hex}').decode())`);
    return true;
  } catch {
    return false;
  }
}
