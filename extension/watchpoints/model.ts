/**
 * What the Watchpoints view shows, built from the adapter's events (`pwatch/coverage`, `pwatch/hit`):
 * each data breakpoint with its thread coverage, missed threads and recent hits. Pure, so it is
 * unit-tested without an editor.
 */
export interface MissedThread {
  tid: number;
  errno: number;
  reason: string;
}

export interface CoverageEvent {
  id: number;
  label?: string;
  /** extension: added by pwatch's own commands (removable from the view); client: VS Code's list. */
  owner?: 'client' | 'extension';
  message?: string;
  covered: number;
  total: number;
  missed: MissedThread[];
}

export interface HitEvent {
  id: number;
  name: string;
  accessType?: string;
  old?: string;
  new?: string;
  threadId?: number;
  function?: string;
  file?: string;
  line?: number;
  time: number;
}

export interface Watchpoint {
  id: number;
  label: string;
  owner?: 'client' | 'extension';
  covered: number;
  total: number;
  missed: MissedThread[];
  hits: HitEvent[];
  hitCount: number;
}

/** Hits kept per watchpoint: the view is a recent history, not a log file. */
export const HISTORY = 100;

export class WatchpointModel {
  private readonly watchpoints = new Map<number, Watchpoint>();
  private readonly warned = new Set<number>();

  /** Records coverage; true the first time this watchpoint misses threads (time for a warning). */
  onCoverage(event: CoverageEvent): boolean {
    const w = this.entry(event.id, event.label);
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

  /** A watchpoint added by the editor's commands was removed. */
  onRemoved(id: number): void {
    this.watchpoints.delete(id);
  }

  clearHits(): void {
    for (const w of this.watchpoints.values()) {
      w.hits = [];
      w.hitCount = 0;
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
      w = { id, label: label ?? name ?? `data breakpoint ${id}`, covered: 0, total: 0, missed: [], hits: [], hitCount: 0 };
      this.watchpoints.set(id, w);
    } else if (label) {
      w.label = label;
    }
    return w;
  }
}

export function describeWatchpoint(w: Watchpoint): string {
  const coverage = w.total > 0 ? `${w.covered} of ${w.total} threads` : 'no threads yet';
  const hits = `${w.hitCount} ${w.hitCount === 1 ? 'hit' : 'hits'}`;
  return `${coverage}, ${hits}`;
}

export function describeMissed(m: MissedThread): string {
  return `tid ${m.tid}: ${m.reason}`;
}

/** `thread 3, worker (threads.c:44): 0 → 1`. */
export function describeHit(h: HitEvent): string {
  const where = h.function ? `${h.function}${h.file && h.line ? ` (${h.file.split('/').pop()}:${h.line})` : ''}` : 'unknown place';
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
