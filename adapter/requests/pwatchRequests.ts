/**
 * pwatch's own requests (protocol/pwatchProtocol.ts), each to the component that answers it: data breakpoints and
 * data logpoints by expression or address (Watching), race hunts (Hunting), the pause of every thread, and the moves
 * between observing a process and debugging it (ProcessMode). A table, as inspectionRequests.ts, so the session
 * only routes.
 */
import * as exec from '../gdb/commands/exec';
import { GdbRuntime } from '../gdb/runtime';
import { AttachConfig, SessionConfig } from '../launch/config';
import { UserError } from '../launch/userError';
import { ProcessMode } from '../observe/processMode';
import { PwatchRequestName } from '../protocol/pwatchProtocol';
import { HUNT_REQUESTS, HuntRequest, Hunting } from '../races/hunting';
import { StopController } from '../stops/stopController';
import { VariableStore } from '../variables/variableStore';
import { WATCH_REQUESTS, Watching, WatchRequest } from '../watchpoints/watching';

export interface PwatchRequestContext {
  runtime: GdbRuntime;
  variables: VariableStore;
  watching: Watching;
  hunting: Hunting;
  mode: ProcessMode;
  stops: StopController;
  /** The program and its session are still there. */
  isAlive(): boolean;
  config: SessionConfig | undefined;
}

/** The attach configuration, for the requests only a session attached by pid answers. */
function attachConfig(c: PwatchRequestContext): AttachConfig {
  if (c.config?.kind !== 'attach') {
    throw new UserError('only a session attached to a process of this machine (by pid) observes it or attaches a debugger on demand');
  }
  return c.config;
}

type Handler = (context: PwatchRequestContext, args: unknown) => Promise<unknown>;

const HANDLERS: Partial<Record<PwatchRequestName, Handler>> = {
  'pwatch/pauseAll': async (c) => {
    // In non-stop mode every thread stops; in all-stop mode this is a plain pause.
    c.stops.runState.pauseAllAsked();
    await (c.runtime.nonStop ? exec.interruptAll(c.runtime.gdb) : c.runtime.interrupt()).catch(() => undefined);
    c.stops.reportHeldPauses(undefined);
    return undefined;
  },
  'pwatch/attachDebugger': async (c) => {
    await c.mode.attachDebugger(c.runtime, attachConfig(c));
    return undefined;
  },
  'pwatch/detachDebugger': async (c) => {
    attachConfig(c);
    await c.mode.detachDebugger(c.runtime);
    return undefined;
  },
};

for (const command of WATCH_REQUESTS) {
  HANDLERS[command] = (c, args) => c.watching.request(command as WatchRequest, args, { gdb: c.runtime.gdb, pid: c.mode.observedPid ?? c.runtime.pid, variables: c.variables });
}
for (const command of HUNT_REQUESTS) {
  HANDLERS[command] = (c, args) =>
    c.hunting.request(command as HuntRequest, args, {
      gdb: c.runtime.gdb,
      pid: c.runtime.pid,
      variables: c.variables,
      nonStop: c.runtime.nonStop,
      watch: c.watching.breakpoints,
      isRunning: () => c.runtime.isRunning,
      isAlive: () => c.isAlive(),
      notices: c.runtime.notices,
    });
}

/** The handler of a pwatch/* request, or undefined for any other command. */
export function pwatchHandler(command: string): Handler | undefined {
  return Object.prototype.hasOwnProperty.call(HANDLERS, command) ? HANDLERS[command as PwatchRequestName] : undefined;
}
