/**
 * The one place that decides what a stop is. Given what gdb reported (a stop record), what the user asked
 * for (a pause, a step) and what the engines know (sampled accesses, breakpoints, catchpoints), it returns a
 * decision: report a stop to the user (as what, in which thread), resume silently, deliver a signal to the
 * program, or leave the process (a followed fork). The session only carries the decision out in DAP and gdb.
 *
 * Every stop is the occasion to judge the data breakpoint accesses sampled so far: a trap's own, a racing
 * writer's, one whose signal merged with gdb's single step. The engines sit behind the small interfaces below,
 * so the decision table is unit-tested with fakes (test/unit/arbiter.test.ts).
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { BreakpointEvent, OutputEvent } from '@vscode/debugadapter';
import { HitDecision } from '../breakpoints/breakpointTable';
import { ExceptionStop } from '../breakpoints/exceptionBreakpoints';
import { LogPart } from '../breakpoints/logMessage';
import { FrameRef } from '../gdb/commands/context';
import { GdbStop } from '../gdb/events';
import type { DataHit, TrapOwner } from '../watch/dataBreakpoints';
import { DapStop, describeStop } from './describe';
import { RunState } from './runState';

/** What the data breakpoint engine answers at a stop (DataBreakpoints). */
export interface WatchPort {
  /** Takes the accesses sampled so far; true when any wait to be judged. */
  collect(): boolean;
  tidOf(threadId: number): Promise<number | undefined>;
  ownerOfTrap(threadId: number, tid: number | undefined, pc: bigint | undefined): Promise<TrapOwner>;
  nextHit(judgeable: (tid: number) => boolean, ownStop?: { tid: number; pc: bigint }): Promise<DataHit | undefined>;
  onScopeExit(breakpointNumber: number): Promise<{ id: number; message: string } | undefined>;
}

/** A race hunt under way (races/raceHunt.ts): its watch's traps and its code samples' breakpoints are its own. */
export interface HuntPort {
  hasTrap(tid: number, pc: bigint): boolean;
  ownsBreakpoint(number: number): boolean;
  /** `mayHold`: the user is not pausing or stepping the thread, so the hunt may keep it stopped for a window. */
  onTrap(threadId: number, tid: number, pc: bigint, mayHold: boolean): Promise<'hold' | 'resume'>;
  onCodeSample(threadId: number, breakpointNumber: number, mayHold: boolean): Promise<'hold' | 'resume'>;
  /** The hunt's exec catchpoint: the program exec'd, and the hunt ends before the new program runs. */
  isExecCatch(number: number): boolean;
  onExec(): Promise<void>;
  /** The threads it holds now (stopped in gdb, never shown stopped). */
  heldThreads(): number[];
}

/** A step the user asked for, as the arbiter sees it while it runs. */
export interface StepUnderWay {
  threadId: number;
  /** How many times pwatch took it again already. */
  retries: number;
  /** Whether its thread is still on the line (or instruction) it began at: asks gdb, so only when it matters. */
  unmoved(): Promise<boolean>;
}

export interface StopPorts {
  watch?: WatchPort;
  hunt?: HuntPort;
  breakpoints?: { onHit(number: number): HitDecision | undefined };
  exceptions?: { isCatchpoint(number: number | undefined): boolean; describe(number: number, threadId: number): Promise<ExceptionStop> };
  renderLog(parts: LogPart[], frame: FrameRef | undefined): Promise<string>;
  /** Whether thread `threadId`'s SIGINT or SIGSTOP was the debugger's interrupt, not the terminal's or anyone else's. */
  isDebuggerInterrupt?(threadId: number): Promise<boolean>;
  /**
   * The step under way: its thread, whether that thread is still on the line (or instruction) it began at, and
   * whether pwatch may take it again (it was not already taken again twice).
   */
  stepUnderWay?(): StepUnderWay | undefined;
  /** Side events that go with the decision: notes, log lines, a data breakpoint that went away, a hit's history entry. */
  send(event: DebugProtocol.Event): void;
  recordHit(hit: DataHit): void;
}

export interface StopState {
  runState: RunState;
  nonStop: boolean;
  entryPending: boolean;
  /** pwatch interrupted the program itself to judge accesses whose signal never came (StrayAccesses). */
  interruptedForAccesses: boolean;
  /** Catchpoints of forks where pwatch leaves the parent (followFork "child"). */
  forkCatchpoints: readonly number[];
}

export type StopDecision =
  /** Resume as before the stop (every thread in all-stop, the stopped one in non-stop), telling the user nothing. */
  | { action: 'resume' }
  | {
      action: 'report';
      stop: DapStop;
      /** The thread to show stopped (a racing writer's access is shown in the writer, not where gdb stopped). */
      threadId: number | undefined;
      hitBreakpointIds?: number[];
      /** A stop of its own that a data breakpoint hit went before: reported at the next continue. */
      deferred?: GdbStop;
      /** A SIGINT of the program's own (not a pause): delivered to it when it resumes. */
      programSigint?: number;
    }
  /** A race hunt keeps the thread stopped for its stall window and resumes it itself: nothing to do, nothing to tell. */
  | { action: 'hold' }
  /** The step under way, abandoned by gdb for a stop before its thread moved: take it again. */
  | { action: 'retryStep' }
  /** The program's own SIGTRAP (its own hardware breakpoint, a raise): continue, delivering it. */
  | { action: 'deliver'; signal: 'SIGTRAP'; threadId: number }
  /** gdb follows a forked child: pwatch's events leave the parent first, then `then` (a resume, or what it became). */
  | { action: 'leaveParent'; then: StopDecision };

/** A step is taken again at most this many times (each for an interrupt nobody asked for, or its breakpoint). */
const MAX_STEP_RETRIES = 3;

const STEP_ENDS = new Set<GdbStop['reason']>(['end-stepping-range', 'function-finished', 'location-reached']);

/** gdb's own stop of the program for an interrupt: SIGINT, or signal "0" / SIGSTOP (non-stop). */
function isInterrupt(stop: GdbStop): boolean {
  return stop.reason === 'signal-received' && (stop.signalName === 'SIGINT' || stop.signalName === '0' || stop.signalName === 'SIGSTOP');
}

export async function decideStop(stop: GdbStop, state: StopState, ports: StopPorts): Promise<StopDecision> {
  if (stop.breakpointNumber !== undefined && state.forkCatchpoints.includes(stop.breakpointNumber)) {
    return { action: 'leaveParent', then: settle({ action: 'resume' }, stop, state) };
  }
  return settle(await route(stop, state, ports), stop, state);
}

/**
 * A silent resume the user is waiting on is no resume: a pause asked meanwhile met a stopped program (this stop
 * is the pause), and a step gdb abandoned for this stop ends here instead of letting the program run away.
 */
function settle(decision: StopDecision, stop: GdbStop, state: StopState): StopDecision {
  if (decision.action !== 'resume' || stop.queuedAccesses) {
    return decision;
  }
  if (state.runState.isPausePending(stop.threadId)) {
    return { action: 'report', stop: { reason: 'pause' }, threadId: stop.threadId };
  }
  if (state.runState.isStepping(stop.threadId)) {
    return { action: 'report', stop: { reason: 'step' }, threadId: stop.threadId };
  }
  return decision;
}

async function route(stop: GdbStop, state: StopState, ports: StopPorts): Promise<StopDecision> {
  const pauseRequested = state.runState.isPausePending(stop.threadId);
  const interruptedForUs = state.interruptedForAccesses && isInterrupt(stop);
  // An interrupt of the debugger's (gdb's SIGINT, pwatch's SIGSTOP) that no pause pending and no interrupt for
  // accesses explains: one that another stop overtook (its signal waited in the kernel until the program ran
  // again). It stops nothing anyone asked for.
  const leftoverInterrupt =
    !pauseRequested && !interruptedForUs && stop.reason === 'signal-received' && (stop.signalName === 'SIGINT' || stop.signalName === 'SIGSTOP') &&
    stop.threadId !== undefined && (await ports.isDebuggerInterrupt?.(stop.threadId)) === true;
  const watch = ports.watch;
  if (watch) {
    watch.collect();
    const tid = stop.threadId === undefined ? undefined : await watch.tidOf(stop.threadId);
    const pc = stop.frame?.addr ? BigInt(stop.frame.addr) : undefined;
    const sigtrap = stop.reason === 'signal-received' && stop.signalName === 'SIGTRAP' && stop.threadId !== undefined;
    const huntTrap = sigtrap && tid !== undefined && pc !== undefined && !!ports.hunt?.hasTrap(tid, pc);
    const owner = huntTrap ? 'pwatch' : sigtrap ? await watch.ownerOfTrap(stop.threadId!, tid, pc) : undefined;
    if (owner === 'program') {
      ports.send(new OutputEvent(`pwatch: thread ${stop.threadId} got a SIGTRAP of the program's own (not a data breakpoint's): delivered to it\n`, 'console'));
      return { action: 'deliver', signal: 'SIGTRAP', threadId: stop.threadId! };
    }
    // All-stop: every thread stands still, so every queued access can be judged, oldest first. Non-stop: only
    // the stopped thread's; the others' are judged at their own stops.
    const judgeable = state.nonStop ? (t: number) => t === tid : () => true;
    const hit = await watch.nextHit(judgeable, owner === 'pwatch' && tid !== undefined && pc !== undefined ? { tid, pc } : undefined);
    if (hit) {
      // The history entry first: a client reacting to the stop finds the hit already recorded.
      ports.recordHit(hit);
      const stepped = STEP_ENDS.has(stop.reason) ? ' (made during the step)' : '';
      const ownStop = owner === undefined && !stepped && !pauseRequested && !interruptedForUs && !leftoverInterrupt && stop.reason !== 'unknown';
      return {
        action: 'report',
        stop: { reason: 'data breakpoint', description: hit.description + stepped, text: hit.text },
        threadId: hit.threadId ?? stop.threadId,
        hitBreakpointIds: [hit.id],
        deferred: ownStop ? stop : undefined,
      };
    }
    const mayHold = !pauseRequested && !state.runState.isStepping(stop.threadId);
    if (huntTrap) {
      return { action: await ports.hunt!.onTrap(stop.threadId!, tid!, pc!, mayHold) };
    }
    if (stop.breakpointNumber !== undefined && ports.hunt?.isExecCatch(stop.breakpointNumber)) {
      await ports.hunt.onExec();
      return { action: 'resume' }; // an exec stops nothing the user asked for
    }
    if (stop.reason === 'breakpoint-hit' && stop.breakpointNumber !== undefined && stop.threadId !== undefined && ports.hunt?.ownsBreakpoint(stop.breakpointNumber)) {
      return { action: await ports.hunt.onCodeSample(stop.threadId, stop.breakpointNumber, mayHold) };
    }
    if (owner === 'pwatch' || interruptedForUs) {
      return { action: 'resume' };
    }
    if (stop.breakpointNumber !== undefined && stop.reason === 'breakpoint-hit') {
      const removed = await watch.onScopeExit(stop.breakpointNumber);
      if (removed) {
        ports.send(new BreakpointEvent('changed', { id: removed.id, verified: false, message: removed.message } as DebugProtocol.Breakpoint));
        ports.send(new OutputEvent(`pwatch: data breakpoint ${removed.message}\n`, 'console'));
        return { action: 'resume' };
      }
    }
  }
  // A step taken again from a breakpoint's address: gdb, which stopped that thread itself for the interrupt, no
  // longer knows it sits on the breakpoint, and hits it before moving. Now it knows: the step is taken once more.
  if (stop.reason === 'breakpoint-hit' && stop.threadId !== undefined && state.runState.isStepping(stop.threadId)) {
    const retried = ports.stepUnderWay?.();
    if (retried && retried.retries > 0 && retried.retries < MAX_STEP_RETRIES && retried.threadId === stop.threadId && (await retried.unmoved())) {
      return { action: 'retryStep' };
    }
  }
  const step = leftoverInterrupt && state.runState.isStepping(stop.threadId) ? ports.stepUnderWay?.() : undefined;
  if (step && step.retries < MAX_STEP_RETRIES) {
    // gdb abandons a step for a signal stop, in whichever thread took the signal. Before the stepping thread left its
    // line the step is taken again, so an interrupt nobody asked for does not cut it short; after, the step ends
    // where its thread is (often its goal, reached as the signal came), shown in that thread.
    return (await step.unmoved()) ? { action: 'retryStep' } : { action: 'report', stop: { reason: 'step' }, threadId: step.threadId };
  }
  if (stop.queuedAccesses || leftoverInterrupt) {
    return { action: 'resume' };
  }
  if (stop.breakpointNumber !== undefined && stop.threadId !== undefined && ports.exceptions?.isCatchpoint(stop.breakpointNumber)) {
    const exception = await ports.exceptions.describe(stop.breakpointNumber, stop.threadId);
    const description = exception.when === 'panic' ? 'Rust panic' : `C++ exception ${exception.when === 'throw' ? 'thrown' : 'caught'}: ${exception.typeName}`;
    const text = exception.message === undefined ? exception.typeName : exception.when === 'panic' ? exception.message : `${exception.typeName}: ${exception.message}`;
    return { action: 'report', stop: { reason: 'exception', description, text }, threadId: stop.threadId, hitBreakpointIds: [stop.breakpointNumber] };
  }
  const decision = stop.breakpointNumber !== undefined ? ports.breakpoints?.onHit(stop.breakpointNumber) : undefined;
  if (decision?.action === 'log') {
    const frame = stop.threadId === undefined ? undefined : { threadId: stop.threadId, level: 0 };
    ports.send(new OutputEvent((await ports.renderLog(decision.parts, frame)) + '\n', 'console'));
    return { action: 'resume' };
  }
  if (decision?.action === 'resume') {
    return { action: 'resume' };
  }
  if (state.nonStop && stop.reason === 'signal-received' && stop.signalName === '0' && !pauseRequested) {
    // gdb's own stop of a thread (signal 0), asked by no one: attaching in non-stop mode stops every thread, and those
    // stops can be announced after pwatch resumed them. Nothing to report; the thread runs on.
    return { action: 'resume' };
  }
  const described = describeStop(stop, {
    pauseRequested,
    entryPending: state.entryPending,
    breakpointKind: decision?.action === 'stop' ? decision.kind : undefined,
  });
  // A SIGINT the user did not ask for as a pause (Ctrl-C in the program's terminal, a kill -INT) is the
  // program's: it gets it when it resumes, as it would without a debugger (gdb alone would drop it).
  const programSigint = described.reason === 'signal' && stop.signalName === 'SIGINT' ? stop.threadId : undefined;
  const hit = decision?.action === 'stop' && stop.breakpointNumber !== undefined ? [stop.breakpointNumber] : undefined;
  return { action: 'report', stop: described, threadId: stop.threadId, hitBreakpointIds: hit, programSigint };
}
