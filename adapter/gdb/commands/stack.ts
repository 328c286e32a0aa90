/** Stacks: -stack-*. */
import { MiSender } from '../mi/types';
import { miInt, miString, miTupleList } from '../mi/access';
import { flag, miCommand } from '../mi/quote';
import { MiTuple } from '../mi/types';
import { FrameRef, inFrame, onThread } from './context';

export interface GdbFrame {
  level: number;
  addr: string;
  func?: string;
  file?: string;
  fullname?: string;
  line?: number;
  /** The shared object the pc is in, when there is no source. */
  from?: string;
}

export function parseFrame(frame: MiTuple): GdbFrame {
  return {
    level: miInt(frame, 'level') ?? 0,
    addr: miString(frame, 'addr') ?? '',
    func: miString(frame, 'func'),
    file: miString(frame, 'file'),
    fullname: miString(frame, 'fullname'),
    line: miInt(frame, 'line'),
    from: miString(frame, 'from'),
  };
}

export async function listFrames(gdb: MiSender, threadId: number, low: number, high: number): Promise<GdbFrame[]> {
  const results = await gdb.send(miCommand('-stack-list-frames', ...onThread(threadId), low, high));
  return miTupleList(results, 'stack').map(parseFrame);
}

/** The number of frames, counting no further than `max` (deep stacks are slow to walk). */
export async function depth(gdb: MiSender, threadId: number, max: number): Promise<number> {
  const results = await gdb.send(miCommand('-stack-info-depth', ...onThread(threadId), max));
  return miInt(results, 'depth') ?? 0;
}

export interface GdbFrameVariable {
  name: string;
  isArgument: boolean;
}

export async function listVariables(gdb: MiSender, frame: FrameRef): Promise<GdbFrameVariable[]> {
  const results = await gdb.send(miCommand('-stack-list-variables', ...inFrame(frame), flag('--no-values')));
  return miTupleList(results, 'variables').map((v) => ({
    name: miString(v, 'name') ?? '',
    isArgument: miString(v, 'arg') === '1',
  }));
}
