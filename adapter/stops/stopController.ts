/**
 * Stops and resumes of one session, carried out: the arbiter decides what a stop is (arbiter.ts), this class
 * asks it with the session's engines behind its ports and carries the decision out, in gdb (resume, deliver a
 * signal) or as a DAP `stopped` event; it keeps what stops owe each other (a stop deferred behind a data hit,
 * a SIGINT of the program's own, the pauses and steps the user asked for).
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { OutputEvent, StoppedEvent } from '@vscode/debugadapter';
import { BreakpointTable } from '../breakpoints/breakpointTable';
import { ExceptionBreakpoints } from '../breakpoints/exceptionBreakpoints';
import { renderLogMessage } from '../breakpoints/logMessage';
import * as stack from '../gdb/commands/stack';
import * as exec from '../gdb/commands/exec';
import { GdbStop } from '../gdb/events';
import { GdbRuntime } from '../gdb/runtime';
import { trace } from '../util/trace';
import { StrayAccesses } from '../watch/strayAccesses';
import { Watching } from '../watchpoints/watching';
import { decideStop, HuntPort, StepUnderWay, StopDecision } from './arbiter';
import { isDebuggerInterrupt } from './interruptOrigin';
import { DapStop } from './describe';
import { RunState } from './runState';

export interface StopHost {
  /** The live runtime; undefined once the session ends (nothing resumes then: detaching needs the program stopped). */
  runtime(): GdbRuntime | undefined;
  watching(): Watching;
  breakpoints(): BreakpointTable | undefined;
  exceptions(): ExceptionBreakpoints | undefined;
  hunt(): HuntPort | undefined;
  send(event: DebugProtocol.Event): void;
}

/**
 * How deep a step's stack is walked to tell its frame from a recursive call's on the same line: every step pays for
 * the walk, and only a recursion this deep on one line could be mistaken for the frame the step began in.
 */
const STEP_DEPTH_WALKED = 256;

export class StopController {
  /** Stops the client knows of, resumes it asked for, pauses and steps pending (per thread in non-stop mode). */
  runState = new RunState(false);
  /** The program was started with stopAtEntry and has not stopped yet. */
  entryPending = false;
  /** Catchpoints at which the parent's data breakpoints are closed before gdb leaves it (followFork child). */
  forkCatchpoints: number[] = [];
  /** Accesses whose SIGTRAP never comes: pwatch interrupts the program to judge them. */
  readonly stray: StrayAccesses;
  /** A stop of its own (a breakpoint) that a data breakpoint hit was reported before: reported at the next continue. */
  private deferredStop: GdbStop | undefined;
  /** The thread a SIGINT of the program's own stopped (not a pause): delivered at the next resume. */
  private programSigint: number | undefined;
  /** The step under way: its thread, where it began, how to take it again. */
  private step: { threadId: number; unit: 'line' | 'instruction'; place: string | undefined; again: () => Promise<void>; retries: number } | undefined;

  constructor(private readonly host: StopHost) {
    this.stray = new StrayAccesses(() => host.runtime());
  }

  reset(nonStop: boolean): void {
    this.runState = new RunState(nonStop);
  }

  async onStopped(stop: GdbStop): Promise<void> {
    if (this.host.runtime()) {
      const decision = await this.decide(stop);
      trace('stop', () => `${JSON.stringify({ ...stop, frame: stop.frame?.addr })} -> ${JSON.stringify(decision)}`);
      await this.carryOut(stop, decision);
    }
  }

  /**
   * A thread a race hunt holds is stopped already, so gdb's interrupt brings no stop for it: a pause of it (`threadId`,
   * or of every thread) is reported here, and the hunt then leaves it stopped for the user.
   */
  reportHeldPauses(threadId: number | undefined): void {
    for (const held of this.host.hunt()?.heldThreads() ?? []) {
      if (threadId === undefined || threadId === held) {
        this.reportPendingPause(held);
      }
    }
  }

  /** A stopped thread whose pause is pending and not yet reported: reported as paused. */
  reportPendingPause(threadId: number): void {
    if (this.runState.isPausePending(threadId) && !this.runState.isStopReported(threadId)) {
      this.report({ reason: 'pause' }, { threadId, allStopped: false });
    }
  }

  /**
   * Continue or step: a stop already due (a racing writer's sampled access, a breakpoint a data hit went before) is the
   * next stop, reported after `respond` and before anything runs. False when there is none: resume as usual.
   */
  async reportDue(threadId: number | undefined, respond: () => void): Promise<boolean> {
    const due = this.deferredStop ?? this.queuedAccessStop(threadId);
    this.deferredStop = undefined;
    const decision = due && (await this.decide(due));
    if (due) {
      trace('stop', () => `due ${JSON.stringify(due)} -> ${JSON.stringify(decision)}`);
    }
    if (!due || decision?.action !== 'report') {
      return false;
    }
    respond();
    await this.carryOut(due, decision);
    return true;
  }

  /**
   * A step of thread `threadId` by `unit` begins (`again` takes it again); a continue (no step) ends any. Where it
   * begins is its line in its frame (function, line, stack depth), or its instruction.
   */
  async resuming(threadId: number | undefined, step?: { unit: 'line' | 'instruction'; again: () => Promise<void> }): Promise<void> {
    this.step = threadId !== undefined && step ? { threadId, ...step, place: await this.placeOf(threadId, step.unit), retries: 0 } : undefined;
  }

  private async placeOf(threadId: number, unit: 'line' | 'instruction'): Promise<string | undefined> {
    const gdb = this.host.runtime()?.gdb;
    try {
      const [top] = gdb ? await stack.listFrames(gdb, threadId, 0, 0) : [];
      if (!gdb || !top) {
        return undefined;
      }
      return unit === 'instruction' || top.line === undefined ? top.addr : `${top.func}:${top.fullname ?? top.file}:${top.line}@${await stack.depth(gdb, threadId, STEP_DEPTH_WALKED)}`;
    } catch {
      return undefined;
    }
  }

  /** The step under way; whether its thread is still where it began (taking it again is then the same step) is asked lazily. */
  private stepUnderWay(): StepUnderWay | undefined {
    const step = this.step;
    return (
      step && {
        threadId: step.threadId,
        retries: step.retries,
        unmoved: async () => step.place !== undefined && (await this.placeOf(step.threadId, step.unit)) === step.place,
      }
    );
  }

  /** The SIGINT of the program's own to deliver with this resume, if any (once). */
  takeProgramSigint(): number | undefined {
    const sigint = this.programSigint;
    this.programSigint = undefined;
    return sigint;
  }

  report(described: DapStop, stop: Pick<GdbStop, 'threadId' | 'allStopped'>, hitBreakpointIds?: number[]): void {
    this.entryPending = false;
    this.step = undefined;
    this.runState.stopReported(stop.threadId, stop.allStopped, !this.host.runtime()?.isRunning);
    const event = new StoppedEvent(described.reason, stop.threadId) as DebugProtocol.StoppedEvent;
    event.body.allThreadsStopped = stop.allStopped;
    if (described.description) {
      event.body.description = described.description;
      event.body.text = described.text;
    }
    if (hitBreakpointIds) {
      event.body.hitBreakpointIds = hitBreakpointIds;
    }
    this.host.send(event);
  }

  /**
   * A stop made of the accesses already sampled (racing writers', the rest of a step's), judged before anything
   * runs: every thread's in all-stop, the continued thread's in non-stop.
   */
  private queuedAccessStop(threadId: number | undefined): GdbStop | undefined {
    const watch = this.host.watching().breakpoints;
    const runtime = this.host.runtime();
    if (watch instanceof Error || !runtime || (runtime.nonStop && threadId === undefined) || !watch.collect()) {
      return undefined;
    }
    return { reason: 'unknown', threadId, allStopped: !runtime.nonStop, queuedAccesses: true };
  }

  private async decide(stop: GdbStop): Promise<StopDecision | undefined> {
    const runtime = this.host.runtime();
    if (!runtime) {
      return undefined;
    }
    const interrupted = this.stray.interrupting;
    this.stray.interrupting = false;
    const watching = this.host.watching();
    return decideStop(
      stop,
      { runState: this.runState, nonStop: runtime.nonStop, entryPending: this.entryPending, interruptedForAccesses: interrupted, forkCatchpoints: this.forkCatchpoints },
      {
        watch: watching.breakpoints instanceof Error ? undefined : watching.breakpoints,
        hunt: this.host.hunt(),
        breakpoints: this.host.breakpoints(),
        exceptions: this.host.exceptions(),
        renderLog: (parts, frame) => renderLogMessage(runtime.gdb, parts, frame),
        isDebuggerInterrupt: async (threadId) => runtime.pid !== undefined && isDebuggerInterrupt(runtime.gdb, threadId, runtime.pid),
        stepUnderWay: () => this.stepUnderWay(),
        send: (event) => this.host.send(event),
        recordHit: (hit) => watching.reporter.hit(hit.hit),
      },
    );
  }

  private async carryOut(stop: GdbStop, decision: StopDecision | undefined): Promise<void> {
    const runtime = this.host.runtime();
    if (!runtime || !decision) {
      return;
    }
    const failed = (e: Error) => this.host.send(new OutputEvent(`pwatch: could not resume: ${e.message}\n`, 'stderr'));
    switch (decision.action) {
      case 'leaveParent':
        // gdb will follow the child and leave the parent untraced: its armed events must go first.
        await this.host.watching().leave('pwatch followed the child at a fork (followFork "child"); they were in the parent, which runs on untraced');
        return this.carryOut(stop, decision.then);
      case 'resume':
        await (runtime.nonStop && stop.threadId !== undefined ? exec.continueThread(runtime.gdb, stop.threadId) : exec.continueAll(runtime.gdb)).catch(failed);
        return;
      case 'hold':
        return;
      case 'retryStep':
        // On failure the step ends here, as it would have without the retry.
        if (this.step) {
          this.step.retries++;
        }
        await (this.step?.again() ?? Promise.reject(new Error('no step under way'))).catch(() => this.report({ reason: 'step' }, stop));
        return;
      case 'deliver':
        await exec.continueWithSignal(runtime.gdb, decision.threadId, decision.signal).catch(failed);
        return;
      case 'report':
        this.deferredStop = decision.deferred;
        this.programSigint = decision.programSigint;
        this.report(decision.stop, { threadId: decision.threadId, allStopped: stop.allStopped }, decision.hitBreakpointIds);
    }
  }
}
