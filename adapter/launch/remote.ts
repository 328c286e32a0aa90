/** Attaching to a gdbserver: the program's symbols, the sysroot, the connection, each failure worded for the user. */
import { errorText } from '../util/errors';
import * as exec from '../gdb/commands/exec';
import { GdbRuntime } from '../gdb/runtime';
import { RemoteConfig } from './config';
import { UserError } from './userError';

/** Connects; returns what the user should know about where the program runs (for the Debug Console). */
export async function connectToGdbserver(runtime: GdbRuntime, config: RemoteConfig): Promise<string> {
  if (config.program !== undefined) {
    try {
      await exec.loadProgram(runtime.gdb, config.program);
    } catch (e) {
      throw new UserError(`gdb could not load '${config.program}': ${errorText(e)}`);
    }
  }
  if (config.sysroot !== undefined) {
    await exec.consoleCommand(runtime.gdb, `set sysroot ${config.sysroot}`);
  }
  try {
    await runtime.connectRemote(config.target);
  } catch (e) {
    throw new UserError(`gdb could not connect to the gdbserver at ${JSON.stringify(config.target)}: ${errorText(e)} (is gdbserver running and listening there?)`);
  }
  if (runtime.pid !== undefined) {
    return `gdbserver's process ${runtime.pid} is on this machine: data breakpoints come from pwatch's engine, as for a local program`;
  }
  return `gdbserver's process (pid ${runtime.remotePid ?? '?'} there) is not a process of this machine: data breakpoints are off, everything else works`;
}

/** What data breakpoints say when the remote process is elsewhere. */
export function remoteWatchReason(config: RemoteConfig, remotePid: number | undefined): string {
  return `the program runs behind the gdbserver at ${config.target} (pid ${remotePid ?? '?'} there), not as a process of this machine; pwatch never hands data breakpoints to gdb's own watch`;
}
