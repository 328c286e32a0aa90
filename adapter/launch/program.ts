/** The gdb steps that load, start or attach to the program, each failure worded for the user. */
import { errorText } from '../util/errors';
import * as gdbBreak from '../gdb/commands/break';
import * as exec from '../gdb/commands/exec';
import { GdbRuntime } from '../gdb/runtime';
import { UserError } from './userError';

/**
 * Loads the program into gdb. With `execHelper` (see launch/arguments.ts) gdb gets no arguments: it runs the
 * helper, which hands the program the exact ones it finds in its environment when it execs it; the helper
 * becomes gdb's exec file, so `whileProgramIsExecFile` is where the program's code can be read before it runs.
 */
export async function loadProgram(
  runtime: GdbRuntime,
  program: string,
  args: readonly string[],
  execHelper: string | undefined,
  whileProgramIsExecFile: () => Promise<void>,
): Promise<void> {
  try {
    await exec.loadProgram(runtime.gdb, program);
  } catch (e) {
    throw new UserError(`gdb could not load '${program}': ${errorText(e)}`);
  }
  // What reads the program's code before it runs does it now: gdb reads code from the exec file, next the helper.
  await whileProgramIsExecFile();
  try {
    if (execHelper) {
      // gdb runs the helper (the program's symbols stay loaded) and follows its exec into the program.
      await exec.setExecFile(runtime.gdb, execHelper);
      await exec.setProgramArguments(runtime.gdb, []);
    } else {
      await exec.setProgramArguments(runtime.gdb, args);
    }
  } catch (e) {
    throw new UserError(errorText(e));
  }
}

/**
 * Starts the program stopped at its first instruction, before it can create a thread, so every thread
 * inherits the watch slots opened next. Returns its pid.
 */
export async function startAtFirstInstruction(runtime: GdbRuntime, program: string, viaHelper: boolean): Promise<number> {
  if (viaHelper) {
    // From the start: gdb inserts breakpoints when it starts the helper, at the program's addresses, which are
    // the helper's own code or unmapped ("Cannot insert breakpoint ... Command aborted", seen with a Rust program).
    await gdbBreak.setAllEnabled(runtime.gdb, false);
  }
  const first = runtime.nextStop();
  try {
    await exec.runToFirstInstruction(runtime.gdb);
  } catch (e) {
    throw new UserError(`gdb could not start '${program}': ${errorText(e)}`);
  }
  if (!(await first) || runtime.pid === undefined) {
    throw new UserError(`'${program}' ended before its first instruction`);
  }
  if (viaHelper) {
    await throughHelper(runtime, program);
  }
  return runtime.pid;
}

/**
 * Stopped at the helper's first instruction: run it to its exec of the program, which stops at the program's
 * first instruction. The user's breakpoints are off meanwhile (since the start): they name the program's code,
 * which gdb would otherwise write into the helper's memory.
 */
async function throughHelper(runtime: GdbRuntime, program: string): Promise<void> {
  const gdb = runtime.gdb;
  const catchpoint = await gdbBreak.catchEvent(gdb, 'exec');
  const execed = runtime.nextStop();
  await exec.continueAll(gdb);
  const stop = await execed;
  if (!stop || stop.breakpointNumber !== catchpoint || runtime.pid === undefined) {
    throw new UserError(`'${program}' could not be started: pwatch-exec did not execute it (see the program's output)`);
  }
  await gdbBreak.remove(gdb, [catchpoint]);
  await gdbBreak.setAllEnabled(gdb, true);
}
