/**
 * DAP progress for long adapter work (opening watch events on thousands of threads at attach): start,
 * percentage updates, end, and cancellation through the `cancel` request. Silent when the client did not
 * say it shows progress.
 */
import { ProgressEndEvent, ProgressStartEvent, ProgressUpdateEvent } from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';

export interface ProgressTask {
  report(done: number, total: number): void;
  cancelled(): boolean;
  end(message?: string): void;
}

export class ProgressReporter {
  enabled = false;
  private nextId = 1;
  private readonly running = new Map<string, { cancelled: boolean }>();

  constructor(private readonly send: (event: DebugProtocol.Event) => void) {}

  start(title: string): ProgressTask {
    const id = `pwatch-${this.nextId++}`;
    const state = { cancelled: false };
    this.running.set(id, state);
    if (this.enabled) {
      const event = new ProgressStartEvent(id, title) as DebugProtocol.ProgressStartEvent;
      event.body.cancellable = true;
      event.body.percentage = 0;
      this.send(event);
    }
    return {
      report: (done, total) => {
        if (this.enabled) {
          const event = new ProgressUpdateEvent(id, `${done} of ${total}`) as DebugProtocol.ProgressUpdateEvent;
          event.body.percentage = Math.round((done / Math.max(total, 1)) * 100);
          this.send(event);
        }
      },
      cancelled: () => state.cancelled,
      end: (message) => {
        this.running.delete(id);
        if (this.enabled) {
          this.send(new ProgressEndEvent(id, message));
        }
      },
    };
  }

  /** A `cancel` request for one of ours; false when the id is not (or no longer) running. */
  cancel(progressId: string | undefined): boolean {
    const state = progressId === undefined ? undefined : this.running.get(progressId);
    if (state) {
      state.cancelled = true;
    }
    return !!state;
  }
}
