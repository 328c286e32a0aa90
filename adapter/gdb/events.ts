/** What the gdb runtime tells the session, translated out of MI async records. */
import { ProgramEnd } from '../program/exitStatus';
import { GdbLibrary } from './commands/file';
import { GdbFrame } from './commands/stack';

export type GdbStopReason =
  | 'breakpoint-hit'
  | 'end-stepping-range'
  | 'function-finished'
  | 'location-reached'
  | 'signal-received'
  | 'watchpoint-trigger'
  | 'exception'
  | 'unknown';

export interface GdbStop {
  reason: GdbStopReason;
  /** The thread that stopped (gdb's global thread number). */
  threadId?: number;
  breakpointNumber?: number;
  signalName?: string;
  signalMeaning?: string;
  frame?: GdbFrame;
  /** gdb stopped every thread (all-stop) or only some (non-stop). */
  allStopped: boolean;
  /** Not gdb's: the program is still stopped, and pwatch judges the accesses already sampled (racing writers'). */
  queuedAccesses?: boolean;
}

export interface GdbRuntimeEvents {
  stopped: [GdbStop];
  /** `threadId` is undefined when every thread resumed. */
  running: [number | undefined];
  threadStarted: [number];
  threadExited: [number];
  processStarted: [number];
  /** A forked child gdb keeps (detach-on-fork off, or followFork child): its pid. */
  processForked: [number];
  /** One of several processes ended (its exit code, if any) or was detached; the others go on. */
  processLeft: [number, number | undefined];
  /** How the program ended: its exit code, or 128 + the number of the signal that killed it (named). */
  processExited: [ProgramEnd];
  /** gdb's own text (console and log streams) and any unexpected stderr. */
  output: [string, 'console' | 'stderr' | 'stdout'];
  /** A shared library was loaded (or unloaded: its id). */
  libraryLoaded: [GdbLibrary];
  libraryUnloaded: [string];
  /** gdb is gone; the text says why. */
  gdbExited: [string];
}
