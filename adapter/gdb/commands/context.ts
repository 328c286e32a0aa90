/** gdb's global `--thread`/`--frame` options, accepted by every MI command before its own arguments. */
import { flag, MiPart } from '../mi/quote';

export interface FrameRef {
  threadId: number;
  level: number;
}

export function onThread(threadId: number): MiPart[] {
  return [flag('--thread'), threadId];
}

export function inFrame(frame: FrameRef): MiPart[] {
  return [flag('--thread'), frame.threadId, flag('--frame'), frame.level];
}
