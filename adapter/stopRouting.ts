/**
 * What a gdb stop means to the user: a data breakpoint hit (any stop is the occasion to judge the accesses
 * sampled so far: a trap's own, a racing writer's, one whose signal merged with a step), a SIGTRAP of the
 * program's own (delivered to it), a local data breakpoint whose frame returned, a logpoint or an unmet
 * condition (resumed silently), or a stop to show. The session only turns the answer into DAP events and run
 * control.
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

export type StopRoute =
  | { action: 'resume' }
  /** `threadId`: the thread to show stopped, when it is not the one gdb stopped in (a racing writer's access). */
  | { action: 'report'; stop: DapStop; hitBreakpointIds?: number[]; threadId?: number; deferred?: boolean }
  /** The program's own SIGTRAP (its own breakpoint or raise): continue, delivering it. */
  | { action: 'deliver'; signal: 'SIGTRAP' };

export interface StopRoutingContext {
  gdb: MiSender;
  watching: Watching;
  breakpoints: BreakpointTable | undefined;
  exceptions: ExceptionBreakpoints | undefined;
  pauseRequested: boolean;
  entryPending: boolean;
  /** gdb runs in non-stop mode: only the stopped thread's accesses can be judged at its stop. */
  nonStop: boolean;
  /** pwatch interrupted the program itself to judge accesses whose signal never came (see StrayAccesses). */
  interruptedForAccesses: boolean;
  /** Side events that go with the route: notes, log lines, a data breakpoint that went away. */
  send: (event: DebugProtocol.Event) => void;
}

export async function routeStop(stop: GdbStop, context: StopRoutingContext): Promise<StopRoute> {
  const { watching, send } = context;
  const watch = watching.breakpoints instanceof Error ? undefined : watching.breakpoints;
  if (watch) {
    watch.collect();
    const tid = stop.threadId === undefined ? undefined : await watch.threadIds.tidOf(stop.threadId);
    const pc = stop.frame?.addr ? BigInt(stop.frame.addr) : undefined;
    const sigtrap = stop.reason === 'signal-received' && stop.signalName === 'SIGTRAP' && stop.threadId !== undefined;
    const owner = sigtrap ? await watch.ownerOfTrap(stop.threadId!, tid, pc) : undefined;
    if (owner === 'program') {
      send(new OutputEvent(`pwatch: thread ${stop.threadId} got a SIGTRAP of the program's own (not a data breakpoint's): delivered to it\n`, 'console'));
      return { action: 'deliver', signal: 'SIGTRAP' };
    }
    const judgeable = context.nonStop ? (t: number) => t === tid : () => true;
    const hit = await watch.nextHit(judgeable, owner === 'pwatch' && tid !== undefined && pc !== undefined ? { tid, pc } : undefined);
    if (hit) {
      // The history entry first: a client reacting to the stop finds the hit already recorded.
      watching.reporter.hit(hit.hit);
      const stepped = ['end-stepping-range', 'function-finished', 'location-reached'].includes(stop.reason) ? ' (made during the step)' : '';
      // A stop of its own (a breakpoint, a signal) comes after the access, at the next continue.
      const deferred = owner === undefined && !stepped && !context.pauseRequested && !(context.interruptedForAccesses && isInterrupt(stop)) && stop.reason !== 'unknown';
      return {
        action: 'report',
        stop: { reason: 'data breakpoint', description: hit.description + stepped, text: hit.text },
        hitBreakpointIds: [hit.id],
        threadId: hit.threadId,
        deferred,
      };
    }
    if (owner === 'pwatch' || (context.interruptedForAccesses && isInterrupt(stop))) {
      return { action: 'resume' };
    }
  }
  if (stop.queuedAccesses) {
    return { action: 'resume' };
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

/** gdb's own stop of the program for an interrupt: SIGINT, or signal "0" (non-stop). */
function isInterrupt(stop: GdbStop): boolean {
  return stop.reason === 'signal-received' && (stop.signalName === 'SIGINT' || stop.signalName === '0' || stop.signalName === 'SIGSTOP');
}
