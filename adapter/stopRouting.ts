/**
 * What a gdb stop means to the user: a data breakpoint's trap (reported or filtered), a local data breakpoint whose
 * frame returned, a logpoint or an unmet condition (resumed silently), or a stop to show. The session only turns
 * the answer into DAP events and run control.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { BreakpointEvent, OutputEvent } from '@vscode/debugadapter';
import { BreakpointTable } from './breakpoints/breakpointTable';
import { ExceptionBreakpoints } from './breakpoints/exceptionBreakpoints';
import { renderLogMessage } from './breakpoints/logMessage';
import { GdbStop } from './gdb/events';
import { MiSender } from './gdb/connection';
import { DapStop, describeStop } from './stops';
import { Watching } from './watch/watching';

export type StopRoute = { action: 'resume' } | { action: 'report'; stop: DapStop; hitBreakpointIds?: number[] };

export interface StopRoutingContext {
  gdb: MiSender;
  watching: Watching;
  breakpoints: BreakpointTable | undefined;
  exceptions: ExceptionBreakpoints | undefined;
  pauseRequested: boolean;
  entryPending: boolean;
  /** Side events that go with the route: notes, log lines, a data breakpoint that went away. */
  send: (event: DebugProtocol.Event) => void;
}

export async function routeStop(stop: GdbStop, context: StopRoutingContext): Promise<StopRoute> {
  const { watching, send } = context;
  const watch = watching.breakpoints instanceof Error ? undefined : watching.breakpoints;
  if (watch && stop.reason === 'signal-received' && stop.signalName === 'SIGTRAP' && stop.threadId !== undefined) {
    const trap = await watch.onTrap(stop.threadId);
    if (trap.action === 'resume') {
      if (trap.note) {
        send(new OutputEvent(`pwatch: ${trap.note}\n`, 'console'));
      }
      return { action: 'resume' };
    }
    if (trap.action === 'stop') {
      // The history entry first: a client reacting to the stop finds the hit already recorded.
      watching.reporter.hit(trap.hit, stop);
      return { action: 'report', stop: { reason: 'data breakpoint', description: trap.description, text: trap.text }, hitBreakpointIds: [trap.id] };
    }
  }
  if (watch && stop.reason === 'breakpoint-hit' && stop.breakpointNumber !== undefined) {
    const removed = await watch.onScopeExit(stop.breakpointNumber);
    if (removed) {
      send(new BreakpointEvent('changed', { id: removed.id, verified: false, message: removed.message } as DebugProtocol.Breakpoint));
      send(new OutputEvent(`pwatch: data breakpoint ${removed.message}\n`, 'console'));
      return { action: 'resume' };
    }
  }
  if (stop.breakpointNumber !== undefined && stop.threadId !== undefined && context.exceptions?.isCatchpoint(stop.breakpointNumber)) {
    const exception = await context.exceptions.describe(stop.breakpointNumber, stop.threadId);
    const description = exception.when === 'panic' ? 'Rust panic' : `C++ exception ${exception.when === 'throw' ? 'thrown' : 'caught'}: ${exception.typeName}`;
    const text = exception.message === undefined ? exception.typeName : exception.when === 'panic' ? exception.message : `${exception.typeName}: ${exception.message}`;
    return { action: 'report', stop: { reason: 'exception', description, text }, hitBreakpointIds: [stop.breakpointNumber] };
  }
  const decision = stop.breakpointNumber !== undefined ? context.breakpoints?.onHit(stop.breakpointNumber) : undefined;
  if (decision?.action === 'log') {
    const frame = stop.threadId === undefined ? undefined : { threadId: stop.threadId, level: 0 };
    send(new OutputEvent((await renderLogMessage(context.gdb, decision.parts, frame)) + '\n', 'console'));
    return { action: 'resume' };
  }
  if (decision?.action === 'resume') {
    return { action: 'resume' };
  }
  const described = describeStop(stop, {
    pauseRequested: context.pauseRequested,
    entryPending: context.entryPending,
    breakpointKind: decision?.action === 'stop' ? decision.kind : undefined,
  });
  const hit = decision?.action === 'stop' && stop.breakpointNumber !== undefined ? [stop.breakpointNumber] : undefined;
  return { action: 'report', stop: described, hitBreakpointIds: hit };
}
