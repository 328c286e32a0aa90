/**
 * The events that tell a client about data breakpoints beyond DAP's own: `breakpoint` changed when
 * coverage changes, `pwatch/coverage` (which threads are covered, which missed and why) and `pwatch/hit`
 * (one entry of the hit history). The session only forwards what this builds.
 */
import { BreakpointEvent } from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';
import { CoverageEventBody, HitEventBody, pwatchEvent } from '../protocol/pwatchProtocol';
import { Coverage, CoverageSource } from './coverage';


const REFRESH_MS = 50;

export class WatchReporter {
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly send: (event: DebugProtocol.Event) => void) {}

  /** `pwatch/coverage` for each id, and `breakpoint` changed events too when coverage moved on its own. */
  coverage(watch: CoverageSource, ids: number[], asChanged = false, known?: Coverage): void {
    if (ids.length === 0) {
      return;
    }
    // Listing the process's threads is the costly part: reuse a coverage just computed.
    const coverage = known ?? watch.currentCoverage();
    for (const id of ids) {
      const message = watch.messageOf(id);
      if (asChanged && message !== undefined && watch.kind === 'dataBreakpoint') {
        this.send(new BreakpointEvent('changed', { id, verified: coverage.covered > 0, message } as DebugProtocol.Breakpoint));
      }
      const body: CoverageEventBody = {
        id,
        kind: watch.kind,
        label: watch.labelOf(id),
        owner: watch.ownerOf(id),
        message,
        covered: coverage.covered,
        total: coverage.total,
        missed: coverage.missed,
      };
      this.send(pwatchEvent('pwatch/coverage', body));
    }
  }

  /**
   * Thread events come in bursts, and a coverage pass lists every thread of the process: at most one pass
   * per REFRESH_MS, however fast threads come and go (`current` is asked then).
   */
  scheduleRefresh(current: () => CoverageSource[]): void {
    if (this.pending) {
      return;
    }
    this.pending = setTimeout(() => {
      this.pending = undefined;
      for (const watch of current()) {
        const refreshed = watch.refreshCoverage();
        if (refreshed) {
          this.coverage(watch, refreshed.changed, true, refreshed.coverage);
        }
      }
    }, REFRESH_MS);
  }

  /** One entry of the hit history: what changed, in which thread, where the access was made. */
  hit(report: Omit<HitEventBody, 'time'>): void {
    this.send(pwatchEvent('pwatch/hit', { ...report, time: Date.now() }));
  }

  cancel(): void {
    if (this.pending) {
      clearTimeout(this.pending);
      this.pending = undefined;
    }
  }
}
