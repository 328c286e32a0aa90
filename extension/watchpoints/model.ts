/**
 * What the Watchpoints view shows, built from the adapter's events (`pwatch/coverage`, `pwatch/hit`,
 * `pwatch/logpoint`): each data breakpoint and data logpoint with its thread coverage, missed threads and
 * recent hits (for logpoints also the exact count per thread). Pure, so it is unit-tested without an editor.
 */
import type { CoverageEventBody, HitEventBody, LogpointEventBody, MissedThread, WatchKind } from '../../adapter/protocol/pwatchProtocol';

export type { MissedThread, WatchKind };
export type CoverageEvent = CoverageEventBody;
export type HitEvent = HitEventBody;
export type LogpointEvent = LogpointEventBody;

export interface Watchpoint {
  id: number;
  kind: WatchKind;
  label: string;
  owner?: 'client' | 'extension';
  covered: number;
  total: number;
  missed: MissedThread[];
  hits: HitEvent[];
  hitCount: number;
  /** Logpoints: accesses per thread (exact) and accesses lost by the session's buffers. */
  perThread: LogpointEvent['perThread'];
  lost: number;
}

/** Hits kept per watchpoint: the view is a recent history, not a log file. */
export const HISTORY = 100;

export class WatchpointModel {
  private readonly watchpoints = new Map<number, Watchpoint>();
  private readonly warned = new Set<number>();

  /** Records coverage; true the first time this watchpoint misses threads (time for a warning). */
  onCoverage(event: CoverageEvent): boolean {
    const w = this.entry(event.id, event.label);
    w.kind = event.kind ?? w.kind;
    w.owner = event.owner ?? w.owner;
    w.covered = event.covered;
    w.total = event.total;
    w.missed = event.missed ?? [];
    if (w.missed.length > 0 && !this.warned.has(event.id)) {
      this.warned.add(event.id);
      return true;
    }
    return false;
  }

  onHit(event: HitEvent): void {
    const w = this.entry(event.id, undefined, event.name);
    w.hitCount++;
    w.hits.unshift(event);
    w.hits.length = Math.min(w.hits.length, HISTORY);
  }

  /** A logpoint reported: counts replace the old ones, the accesses shown join the history. */
  onLogpoint(event: LogpointEvent): void {
    const w = this.entry(event.id, event.label);
    w.kind = 'logpoint';
    w.hitCount = event.total;
    w.perThread = [...event.perThread].sort((a, b) => b.count - a.count);
    w.lost = event.lost;
    const name = event.label.replace(/ \(.*\)$/, '');
    for (const h of event.hits) {
      w.hits.unshift({ id: event.id, name, accessType: 'logged', new: h.value, threadId: h.threadId, tid: h.tid, function: h.function, file: h.file, line: h.line, time: h.time });
    }
    w.hits.length = Math.min(w.hits.length, HISTORY);
  }

  /** A watchpoint added by the editor's commands was removed. */
  onRemoved(id: number): void {
    this.watchpoints.delete(id);
  }

  clearHits(): void {
    for (const w of this.watchpoints.values()) {
      w.hits = [];
      // A logpoint's total is the adapter's exact count, not history: it stays.
      if (w.kind !== 'logpoint') {
        w.hitCount = 0;
      }
    }
  }

  /** The session ended. */
  reset(): void {
    this.watchpoints.clear();
    this.warned.clear();
  }

  list(): Watchpoint[] {
    return [...this.watchpoints.values()].sort((a, b) => a.id - b.id);
  }

  get(id: number): Watchpoint | undefined {
    return this.watchpoints.get(id);
  }

  missedThreads(): number {
    return new Set(this.list().flatMap((w) => w.missed.map((m) => m.tid))).size;
  }

  /** The hit history as text, newest last, for the clipboard. */
  hitLog(): string {
    return this.list()
      .flatMap((w) => w.hits.map((h) => ({ w, h })))
      .sort((a, b) => a.h.time - b.h.time)
      .map(({ h }) => `${new Date(h.time).toISOString()} ${h.name} ${describeHit(h)}`)
      .join('\n');
  }

  private entry(id: number, label?: string, name?: string): Watchpoint {
    let w = this.watchpoints.get(id);
    if (!w) {
      w = { id, kind: 'dataBreakpoint', label: label ?? name ?? `data breakpoint ${id}`, covered: 0, total: 0, missed: [], hits: [], hitCount: 0, perThread: [], lost: 0 };
      this.watchpoints.set(id, w);
    } else if (label) {
      w.label = label;
    }
    return w;
  }
}

const counted = new Intl.NumberFormat('en-US');

export function describeWatchpoint(w: Watchpoint): string {
  const coverage = w.total > 0 ? `${w.covered} of ${w.total} threads` : 'no threads yet';
  if (w.kind === 'logpoint') {
    const lost = w.lost > 0 ? `, lost ${counted.format(w.lost)}` : '';
    return `${coverage}, logged ${counted.format(w.hitCount)} ${w.hitCount === 1 ? 'access' : 'accesses'}${lost}`;
  }
  const hits = `${w.hitCount} ${w.hitCount === 1 ? 'hit' : 'hits'}`;
  return `${coverage}, ${hits}`;
}

/** `tid 812 (thread 3): 5,000 accesses`. */
export function describeThreadCount(t: LogpointEvent['perThread'][number]): string {
  const thread = t.threadId !== undefined ? `tid ${t.tid} (thread ${t.threadId})` : `tid ${t.tid}`;
  return `${thread}: ${counted.format(t.count)} ${t.count === 1 ? 'access' : 'accesses'}`;
}

export function describeMissed(m: MissedThread): string {
  return `tid ${m.tid}: ${m.reason}`;
}

/** `thread 3, worker (threads.c:44): 0 → 1`; a logged access: `tid 812 (thread 3), storm (logstorm.c:26): value now 17`. */
export function describeHit(h: HitEvent): string {
  const where = h.function ? `${h.function}${h.file && h.line ? ` (${h.file.split('/').pop()}:${h.line})` : ''}` : 'unknown place';
  if (h.accessType === 'logged') {
    const thread = h.threadId !== undefined ? `tid ${h.tid} (thread ${h.threadId})` : `tid ${h.tid ?? '?'}`;
    return `${thread}, ${where}: value now ${h.new ?? '?'}`;
  }
  const change = h.accessType === 'read' ? `read ${h.new ?? '?'}` : `${h.old ?? '?'} → ${h.new ?? '?'}`;
  return `thread ${h.threadId ?? '?'}, ${where}: ${change}`;
}

/** The status bar text while a pwatch session runs. */
export function statusText(model: WatchpointModel): string {
  const count = model.list().length;
  const missed = model.missedThreads();
  const base = `$(eye) ${count} ${count === 1 ? 'watchpoint' : 'watchpoints'}`;
  return missed > 0 ? `${base}, $(warning) ${missed} missed ${missed === 1 ? 'thread' : 'threads'}` : base;
}
