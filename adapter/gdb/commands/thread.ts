/** Threads: -thread-*. */
import { MiSender } from '../mi/types';
import { miInt, miString, miTuple, miTupleList } from '../mi/access';
import { miCommand } from '../mi/quote';
import { GdbFrame, parseFrame } from './stack';

export interface GdbThread {
  id: number;
  /** e.g. "Thread 0x7ffff7d8a740 (LWP 1234)". */
  targetId: string;
  name?: string;
  /** The kernel thread id parsed from targetId. */
  tid?: number;
  state: 'stopped' | 'running';
  frame?: GdbFrame;
}

/** The thread gdb has selected (after opening a core file: the one that received the fatal signal). */
export async function current(gdb: MiSender): Promise<number | undefined> {
  return miInt(await gdb.send(miCommand('-thread-info')), 'current-thread-id');
}

export async function info(gdb: MiSender): Promise<GdbThread[]> {
  const results = await gdb.send(miCommand('-thread-info'));
  return miTupleList(results, 'threads').map((t) => {
    const targetId = miString(t, 'target-id') ?? '';
    // "Thread 0x7f.. (LWP 12)" natively, "Thread 11.12" (pid.tid) through a gdbserver, "process 12" single-threaded.
    const lwp = /LWP (\d+)/.exec(targetId) ?? /^Thread \d+\.(\d+)/.exec(targetId) ?? /process (\d+)/.exec(targetId);
    const frame = miTuple(t, 'frame');
    return {
      id: miInt(t, 'id') ?? 0,
      targetId,
      name: miString(t, 'name'),
      tid: lwp ? Number(lwp[1]) : undefined,
      state: miString(t, 'state') === 'running' ? 'running' : 'stopped',
      frame: frame ? parseFrame(frame) : undefined,
    };
  });
}
