/**
 * Who knows what about stops and resumes, per thread in non-stop mode and for the whole program in
 * all-stop mode: which stops the client was told of, which resumes it asked for (those need no
 * `continued` event), and which pauses are pending.
 */
type Scope = number | 'all';

export class RunState {
  private readonly reported = new Set<Scope>();
  private readonly requested = new Set<Scope>();
  private readonly pauses = new Set<Scope>();
  private readonly steps = new Set<Scope>();
  /** Each reported stop's number, per thread (or 'all'): whether one came after a mark (reportedSince). */
  private readonly reportedAt = new Map<Scope, number>();
  private reports = 0;

  constructor(private readonly nonStop: boolean) {}

  /** In all-stop mode a stop or resume always concerns every thread. */
  private scope(threadId: number | undefined): Scope {
    return this.nonStop && threadId !== undefined ? threadId : 'all';
  }

  isStopReported(threadId: number | undefined): boolean {
    return this.reported.has('all') || (threadId !== undefined && this.reported.has(threadId));
  }

  pauseAsked(threadId: number | undefined): void {
    this.pauses.add(this.scope(threadId));
  }

  pauseAllAsked(): void {
    this.pauses.add('all');
  }

  isPausePending(threadId: number | undefined): boolean {
    return this.pauses.has('all') || (threadId !== undefined && this.pauses.has(threadId));
  }

  /** A stop went to the client. `noneRunning`: no thread runs any more (ends a pause of all threads). */
  stopReported(threadId: number | undefined, allStopped: boolean, noneRunning: boolean): void {
    this.reported.add(allStopped ? 'all' : this.scope(threadId));
    this.reportedAt.set(allStopped ? 'all' : this.scope(threadId), ++this.reports);
    if (threadId !== undefined) {
      this.pauses.delete(threadId);
      this.steps.delete(threadId);
    }
    if (allStopped || noneRunning) {
      this.pauses.clear();
      this.steps.clear();
    }
  }

  /** A mark to ask later whether a stop was reported since (a race hunt holding a thread asks). */
  mark(): number {
    return this.reports;
  }

  /** A stop of this thread (or of every thread) went to the client after `mark`. */
  reportedSince(threadId: number, mark: number): boolean {
    return Math.max(this.reportedAt.get(threadId) ?? 0, this.reportedAt.get('all') ?? 0) > mark;
  }

  resumeAsked(threadId: number | undefined): void {
    this.requested.add(this.scope(threadId));
  }

  /** A step (next, stepIn, stepOut) is under way: a stop the user would not see must end it instead. */
  stepAsked(threadId: number | undefined): void {
    this.steps.add(this.scope(threadId));
  }

  isStepping(threadId: number | undefined): boolean {
    return this.steps.has('all') || (threadId !== undefined && this.steps.has(threadId));
  }

  resumeFailed(threadId: number | undefined): void {
    this.requested.delete(this.scope(threadId));
    this.steps.delete(this.scope(threadId));
  }

  /** gdb says a thread (undefined: every thread) runs. True when the client must be told (`continued`). */
  onRunning(threadId: number | undefined): boolean {
    const scope: Scope = threadId === undefined ? 'all' : threadId;
    const wasReported = scope === 'all' ? this.reported.size > 0 : this.isStopReported(scope);
    const asked = this.requested.has(scope) || this.requested.has('all');
    if (scope === 'all') {
      this.reported.clear();
      this.requested.clear();
    } else {
      this.reported.delete(scope);
      this.requested.delete(scope);
      if (!this.nonStop) {
        this.reported.delete('all');
      }
    }
    return wasReported && !asked;
  }
}
