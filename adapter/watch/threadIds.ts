/**
 * Kernel thread ids (what samples carry) to gdb's thread numbers (what DAP shows), asked of gdb only when a
 * thread is new to us: one `-thread-info` refreshes them all.
 */
import * as threads from '../gdb/commands/thread';
import { MiSender } from '../gdb/connection';

export class ThreadIds {
  private readonly byTid = new Map<number, number>();
  private readonly byId = new Map<number, number>();

  constructor(private readonly gdb: MiSender) {}

  async idOf(tid: number): Promise<number | undefined> {
    if (!this.byTid.has(tid)) {
      await this.refresh();
    }
    return this.byTid.get(tid);
  }

  async tidOf(threadId: number): Promise<number | undefined> {
    if (!this.byId.has(threadId)) {
      await this.refresh();
    }
    return this.byId.get(threadId);
  }

  private async refresh(): Promise<void> {
    const list = await threads.info(this.gdb).catch(() => []);
    for (const thread of list) {
      if (thread.tid !== undefined) {
        this.byTid.set(thread.tid, thread.id);
        this.byId.set(thread.id, thread.tid);
      }
    }
  }
}
