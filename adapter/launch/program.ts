/** The gdb steps that load, start or attach to the program, each failure worded for the user. */
import { errorText } from '../errors';
import * as exec from '../gdb/commands/exec';
import { GdbRuntime } from '../gdb/runtime';
import { UserError } from './userError';

export async function loadProgram(runtime: GdbRuntime, program: string, args: readonly string[]): Promise<void> {
  try {
    await exec.loadProgram(runtime.gdb, program);
  } catch (e) {
    throw new UserError(`gdb could not load '${program}': ${errorText(e)}`);
  }
  try {
    await exec.setProgramArguments(runtime.gdb, args);
  } catch (e) {
    throw new UserError(errorText(e));
  }
}

/**
 * Starts the program stopped at its first instruction, before it can create a thread, so every thread
 * inherits the watch slots opened next. Returns its pid.
 */
export async function startAtFirstInstruction(runtime: GdbRuntime, program: string): Promise<number> {
  const first = runtime.nextStop();
  try {
    await exec.runToFirstInstruction(runtime.gdb);
  } catch (e) {
    throw new UserError(`gdb could not start '${program}': ${errorText(e)}`);
  }
  if (!(await first) || runtime.pid === undefined) {
    throw new UserError(`'${program}' ended before its first instruction`);
  }
  return runtime.pid;
}
