/**
 * The threads request. gdb lists threads with their names and kernel tids; through a gdbserver in all-stop mode
 * it refuses while the program runs ("Cannot execute this command while the target is running"), and VS Code's
 * Pause needs a thread from that list: the threads gdb announced are answered then, by their last known names.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import * as thread from '../gdb/commands/thread';
import { GdbRuntime } from '../gdb/runtime';

export class ThreadList {
  private readonly names = new Map<number, string>();

  async list(runtime: GdbRuntime): Promise<DebugProtocol.Thread[]> {
    try {
      const threads = await thread.info(runtime.gdb);
      for (const t of threads) {
        this.names.set(t.id, `${t.name ?? 'thread'} (tid ${t.tid ?? '?'})`);
      }
      return threads.map((t) => ({ id: t.id, name: this.names.get(t.id)! }));
    } catch (e) {
      if (!/while the target is running/.test((e as Error).message)) {
        throw e;
      }
      return runtime.threadIds.map((id) => ({ id, name: this.names.get(id) ?? `thread ${id} (running)` }));
    }
  }
}
