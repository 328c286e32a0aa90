/**
 * Which threads a data breakpoint covers. Parent threads got events of their own (or failed, with an
 * errno); threads created later inherit from the thread that created them. When some thread is missed,
 * a thread created afterwards may have been created by it and then has no event: it is reported as such,
 * since the kernel cannot be asked which thread created it.
 */
import { liveThreads } from '../program/tasks';
import { WatchOwner } from '../protocol/pwatchProtocol';

export interface MissedThread {
  tid: number;
  errno: number;
  reason: string;
}

export interface Coverage {
  covered: number;
  total: number;
  missed: MissedThread[];
}

export const UNCONFIRMED_REASON = 'created while a missed thread existed: not inherited if that thread created it';
export const OPENING_REASON = 'created while the events were being opened on the running program: not inherited if its creator had none yet';

export class CoverageTracker {
  /** Threads known at some point, and those missed with their reason. */
  private readonly known = new Set<number>();
  private readonly missed = new Map<number, MissedThread>();

  constructor(private readonly pid: number) {}

  /** Records the result of opening events on parent threads. */
  recordParents(results: Array<{ tid: number; error?: { errno: number; message: string } }>): void {
    for (const r of results) {
      this.known.add(r.tid);
      if (r.error) {
        this.missed.set(r.tid, { tid: r.tid, errno: r.error.errno, reason: r.error.message });
      }
    }
  }

  /**
   * Events were opened on `opened` while the program ran (an attach's data logpoints, observe mode): a thread that
   * appeared meanwhile inherited them only if its creator had them by then, which no one can tell afterwards. It is
   * reported, not assumed covered.
   */
  recordCreatedWhileOpening(opened: readonly number[]): void {
    const asked = new Set(opened);
    for (const tid of liveThreads(this.pid)) {
      if (!asked.has(tid) && !this.known.has(tid)) {
        this.known.add(tid);
        this.missed.set(tid, { tid, errno: 0, reason: OPENING_REASON });
      }
    }
  }

  /** The coverage now: reads the live thread list, classifies threads seen for the first time. */
  current(): Coverage {
    const live = liveThreads(this.pid);
    const liveSet = new Set(live);
    for (const tid of [...this.missed.keys()]) {
      if (!liveSet.has(tid)) {
        this.missed.delete(tid);
      }
    }
    const missedBefore = this.missed.size > 0;
    for (const tid of live) {
      if (!this.known.has(tid)) {
        this.known.add(tid);
        if (missedBefore) {
          this.missed.set(tid, { tid, errno: 0, reason: UNCONFIRMED_REASON });
        }
      }
    }
    for (const tid of [...this.known]) {
      if (!liveSet.has(tid)) {
        this.known.delete(tid);
      }
    }
    const missed = [...this.missed.values()].sort((a, b) => a.tid - b.tid);
    return { covered: live.length - missed.length, total: live.length, missed };
  }
}

export function coverageMessage(coverage: Coverage, pieces: number): string {
  const registers = pieces > 1 ? ` (${pieces} debug registers)` : '';
  const head = `armed on ${coverage.covered} of ${coverage.total} threads${registers}`;
  if (coverage.missed.length === 0) {
    return head;
  }
  const shown = coverage.missed.slice(0, 8).map((m) => `tid ${m.tid} (${m.reason})`);
  const more = coverage.missed.length > shown.length ? `, and ${coverage.missed.length - shown.length} more` : '';
  return `${head}; missed: ${shown.join(', ')}${more}`;
}

/** Gives each item the message `messageFor` writes for it now; returns the ids whose message changed. */
export function refreshMessages<T extends { id: number; message: string }>(items: T[], messageFor: (item: T) => string): number[] {
  const changed: number[] = [];
  for (const item of items) {
    const message = messageFor(item);
    if (message !== item.message) {
      item.message = message;
      changed.push(item.id);
    }
  }
  return changed;
}

/** Data breakpoints and data logpoints both report which threads they cover. */
export interface CoverageSource {
  /** dataBreakpoint: also a DAP breakpoint (gets `breakpoint` changed events); logpoint: pwatch's own. */
  readonly kind: 'dataBreakpoint' | 'logpoint';
  messageOf(id: number): string | undefined;
  labelOf(id: number): string | undefined;
  ownerOf(id: number): WatchOwner | undefined;
  currentCoverage(): Coverage;
  refreshCoverage(): { changed: number[]; coverage: Coverage } | undefined;
}
