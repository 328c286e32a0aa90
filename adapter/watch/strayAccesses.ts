/**
 * Accesses whose SIGTRAP never comes. A thread that gdb single-steps (over a breakpoint when it resumes, in
 * `next` or `stepi`) gets the step's trap and the watch's trap as one signal (SIGTRAP is not queued twice):
 * gdb sees only its step and runs on, and only the sample tells of the access. When sampled accesses wait
 * while the threads that made them keep running, pwatch interrupts those threads itself, so the next stop
 * judges them (reported as data breakpoint hits, or resumed silently).
 */
import * as exec from '../gdb/commands/exec';
import { GdbRuntime } from '../gdb/runtime';
import { trace } from '../util/trace';
import { DataBreakpoints } from './dataBreakpoints';

/** A trap's own stop comes within microseconds; past this, it is not coming. */
const WAIT_MS = 150;

export class StrayAccesses {
  private timer: NodeJS.Timeout | undefined;
  /** pwatch asked gdb to interrupt: the stop it brings is not the user's pause. */
  interrupting = false;

  /** `runtime`: the live runtime, or undefined once the session ends (nothing is interrupted then). */
  constructor(private readonly runtime: () => GdbRuntime | undefined) {}

  /** The engine sampled accesses: if no stop has judged them shortly, interrupt whoever made them. */
  sampled(watch: DataBreakpoints): void {
    if (this.timer || !watch.collect()) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.check(watch);
    }, WAIT_MS);
  }

  private async check(watch: DataBreakpoints): Promise<void> {
    const runtime = this.runtime();
    if (!runtime?.isAlive) {
      return;
    }
    // What arrived while the timer ran was not taken (the engine wakes us once per take): take it now. Accesses
    // of the last few milliseconds have their stops on the way: only those that waited long are stray.
    watch.collect();
    const waiting = watch.waitingThreads(WAIT_MS);
    if (waiting.length === 0) {
      if (watch.waitingThreads(0).length > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          void this.check(watch);
        }, WAIT_MS);
      }
      return;
    }
    trace('stop', () => `accesses of threads ${waiting.join(', ')} waited ${WAIT_MS} ms for their stop: interrupting`);
    if (!runtime.nonStop) {
      if (runtime.isRunning) {
        this.interrupting = true;
        await runtime.interrupt().catch(() => (this.interrupting = false));
      }
      return;
    }
    for (const tid of waiting) {
      const threadId = await watch.threadIds.idOf(tid);
      if (threadId !== undefined && runtime.isThreadRunning(threadId)) {
        this.interrupting = true;
        await exec.interruptThread(runtime.gdb, threadId).catch(() => undefined);
      }
    }
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
