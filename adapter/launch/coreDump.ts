/**
 * Post-mortem sessions: a core file of the program as gdb's target. Everything that reads the dead process
 * (threads, stacks, variables, registers, memory, disassembly) works as in a live session; everything that would
 * run it or write to it is refused with a message saying why.
 */
import { errorText } from '../util/errors';
import * as data from '../gdb/commands/data';
import * as exec from '../gdb/commands/exec';
import * as thread from '../gdb/commands/thread';
import { GdbRuntime } from '../gdb/runtime';
import { MiQuoteError } from '../gdb/mi/quote';
import { signalName } from '../program/exitStatus';
import { UserError } from './userError';

/** Why there is nothing to run: said by every refused request, data breakpoints included. */
export const POST_MORTEM = 'this session examines a core dump: the program is not running and cannot run';

/** Requests that run, step or change the program. Reading requests are answered from the dump. */
const REFUSED_POST_MORTEM: ReadonlySet<string> = new Set([
  'continue',
  'next',
  'stepIn',
  'stepOut',
  'pause',
  'writeMemory',
  'setVariable',
  'setExpression',
  'pwatch/pauseAll',
]);

export function postMortemRefusal(command: string): string | undefined {
  return REFUSED_POST_MORTEM.has(command) ? `'${command}' is not possible: ${POST_MORTEM}` : undefined;
}

/** The stop a core dump is shown as: the thread that received the fatal signal, and the signal. */
export interface CoreStop {
  threadId: number | undefined;
  description: string;
  text: string;
}

/** Signals whose siginfo carries the faulting address. */
const FAULTS: ReadonlySet<string> = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGTRAP']);

/** Loads `program`'s symbols and opens `corePath` as the target. */
export async function openCoreDump(runtime: GdbRuntime, program: string, corePath: string): Promise<CoreStop> {
  try {
    await exec.loadProgram(runtime.gdb, program);
  } catch (e) {
    throw new UserError(`gdb could not load '${program}': ${errorText(e)}`);
  }
  // gdb names the signal only in what it prints ("Program terminated with signal SIGSEGV, Segmentation fault.").
  const said: string[] = [];
  const listen = (text: string) => said.push(text);
  runtime.on('output', listen);
  try {
    await runtime.openCore(corePath);
  } catch (e) {
    if (e instanceof MiQuoteError) {
      throw new UserError(e.message);
    }
    throw new UserError(`gdb could not open the core file '${corePath}': ${errorText(e)} (is it a core file of '${program}'?)`);
  } finally {
    runtime.off('output', listen);
  }
  if (!runtime.hasThreads) {
    throw new UserError(`'${corePath}' holds no process: it is not a core file gdb can read`);
  }
  const threadId = await thread.current(runtime.gdb).catch(() => undefined);
  const stop = await describeFatalSignal(runtime, said.join(''));
  const doubts = coreDoubts(said.join(''));
  return { threadId, description: stop.description, text: doubts.length ? `${stop.text}. gdb warns: ${doubts.join('; ')}` : stop.text };
}

/**
 * gdb's warnings that the dump and the program may not belong together, or that the dump is incomplete: stacks
 * and values may then be wrong, so the stop itself says so (not only a line lost among gdb's output).
 */
export function coreDoubts(printed: string): string[] {
  const doubts = printed
    .split('\n')
    .map((line) => line.replace(/^(BFD: )?warning: /i, '').trim())
    .filter((line) => /core file may not match|exec file is newer than core file|is truncated|Can't open file .* during file-backed mapping/i.test(line));
  return [...new Set(doubts)];
}

async function describeFatalSignal(runtime: GdbRuntime, printed: string): Promise<{ description: string; text: string }> {
  const terminated = /Program terminated with signal (\w+), ([^\n]*?)\.?\n/.exec(printed);
  // gdb's line names it; the dump's siginfo is asked only when gdb printed none.
  const signo = terminated ? NaN : Number(await data.evaluate(runtime.gdb, '$_siginfo.si_signo').catch(() => NaN));
  const signal = terminated?.[1] ?? (Number.isInteger(signo) ? signalName(signo) : undefined);
  if (!signal) {
    return { description: 'Core dump', text: 'the program dumped core (the core file does not say which signal ended it)' };
  }
  if (signal === 'SIGSTOP') {
    // gcore and generate-core-file dump a live program that gdb stopped: nothing killed it.
    return { description: 'Core dump', text: 'the core was taken from the running program (gcore or generate-core-file): it was stopped, not killed' };
  }
  const meaning = terminated?.[2] ? ` (${terminated[2]})` : '';
  const address = FAULTS.has(signal) ? await data.evaluate(runtime.gdb, '$_siginfo._sifields._sigfault.si_addr').catch(() => undefined) : undefined;
  const at = address ? ` at address ${/0x[0-9a-f]+/i.exec(address)?.[0] ?? address}` : '';
  return { description: `Killed by ${signal}`, text: `the program was killed by ${signal}${meaning}${at}; this is its core dump` };
}
