/**
 * pwatch's own DAP requests and events, declared once (as vscode-js-debug's dapCustom declares its own): the
 * adapter builds them with these types, the extension, the tests, scripts and bench read them with the same
 * types, so a field that changes on one side fails the build on the other.
 */
import { Event } from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';

export interface MissedThread {
  tid: number;
  errno: number;
  reason: string;
}

export type WatchKind = 'dataBreakpoint' | 'logpoint';
export type WatchOwner = 'client' | 'extension';

/** `pwatch/coverage`: which threads a data breakpoint or data logpoint covers, which it missed and why. */
export interface CoverageEventBody {
  id: number;
  kind?: WatchKind;
  label?: string;
  /** extension: added by pwatch's own commands (removable from the view); client: the editor's list. */
  owner?: WatchOwner;
  message?: string;
  covered: number;
  total: number;
  missed: MissedThread[];
}

/** `pwatch/hit`: one entry of a data breakpoint's hit history. */
export interface HitEventBody {
  id: number;
  name: string;
  accessType?: string;
  old?: string;
  new?: string;
  /** The new value was read at the stop, not known from the access (other threads may have written since). */
  valueNow?: boolean;
  /** The kernel thread id (a thread that already ended has no gdb number). */
  tid?: number;
  threadId?: number;
  /** Where the access was made: the instruction that made it, not the one after it. */
  function?: string;
  file?: string;
  line?: number;
  time: number;
}

/** `pwatch/logpoint`: a data logpoint's report: exact totals, and the latest accesses (value read at report time). */
export interface LogpointEventBody {
  id: number;
  label: string;
  total: number;
  lost: number;
  perThread: Array<{ tid: number; threadId?: number; count: number }>;
  hits: Array<{ tid: number; threadId?: number; pc: string; function?: string; file?: string; line?: number; value?: string; time: number }>;
}

/** `pwatch/removed`: a data breakpoint or data logpoint added by the editor's commands went away. */
export interface RemovedEventBody {
  id: number;
}

/** One side of a race: the thread, what its instruction did, and its stack (frame 0 is the access's own line). */
export interface RaceAccess {
  threadId?: number;
  tid: number;
  access: 'read' | 'write';
  /** A locked read-modify-write or an xchg: atomic whatever the other side is. */
  atomic?: boolean;
  /** The instruction that made the access. */
  pc: string;
  frames: Array<{ name: string; file?: string; line?: number }>;
}

/**
 * `pwatch/race`: two threads accessed the same bytes, at least one writing, while the first stood still (its
 * stall window): nothing the first thread did can order them. `first` is the stalled thread; `count` grows when
 * the same two source lines race again (the event is sent again with the new count, same `id`).
 */
export interface RaceEventBody {
  id: number;
  address: string;
  bytes: number;
  symbol?: string;
  count: number;
  first: RaceAccess;
  second: RaceAccess;
}

/** `pwatch/huntEnd` and the `pwatch/huntRaces` response: what the hunt saw. */
export interface HuntEndEventBody {
  races: number;
  /** Accesses (or sampled instructions) that opened a stall window. */
  samples: number;
  stalls: number;
  durationMs: number;
  /** Why it ended: its duration ran out, it was stopped, or the program exited. */
  reason: 'duration' | 'stopped' | 'exited';
  /** Threads the hunt's watch could not cover (no free debug register in them). */
  missedThreads: number;
}

export interface PwatchEvents {
  'pwatch/coverage': CoverageEventBody;
  'pwatch/race': RaceEventBody;
  'pwatch/huntEnd': HuntEndEventBody;
  'pwatch/hit': HitEventBody;
  'pwatch/logpoint': LogpointEventBody;
  'pwatch/removed': RemovedEventBody;
  'pwatch/mode': ModeEventBody;
}

/** The session observes the process (no tracer, data logpoints only) or debugs it (gdb attached). */
export interface ModeEventBody {
  mode: 'observe' | 'debug';
  pid: number;
}

export type PwatchEventName = keyof PwatchEvents;

/** A pwatch event whose body is checked against its declaration. */
export function pwatchEvent<K extends PwatchEventName>(name: K, body: PwatchEvents[K]): DebugProtocol.Event {
  return new Event(name, body);
}

/** What the editor points at: an expression (in a frame), or an address and a byte count. */
export interface WatchTargetArgs {
  expression?: string;
  address?: string;
  bytes?: number;
  frameId?: number;
}

export type LogAccessType = 'write' | 'readWrite';

export interface LogpointResult {
  id?: number;
  verified: boolean;
  message: string;
}

/** Requests: their arguments and response bodies. */
export interface PwatchRequests {
  'pwatch/addDataBreakpoint': {
    args: WatchTargetArgs & { accessType?: DebugProtocol.DataBreakpointAccessType; condition?: string };
    body: { breakpoint: DebugProtocol.Breakpoint };
  };
  'pwatch/removeDataBreakpoint': { args: { id: number }; body: undefined };
  'pwatch/setDataLogpoints': { args: { logpoints: Array<WatchTargetArgs & { accessType?: LogAccessType }> }; body: { logpoints: LogpointResult[] } };
  'pwatch/addDataLogpoint': { args: WatchTargetArgs & { accessType?: LogAccessType }; body: { logpoint: LogpointResult } };
  'pwatch/removeDataLogpoint': { args: { id: number }; body: undefined };
  'pwatch/pauseAll': { args: Record<string, never>; body: undefined };
  /** Answered when the hunt ends (its duration, pwatch/stopHunt, the program's exit). No targets: the whole program. */
  'pwatch/huntRaces': { args: HuntRacesArgs; body: HuntEndEventBody & { reports: RaceEventBody[] } };
  'pwatch/stopHunt': { args: Record<string, never>; body: undefined };
  /** Observe mode → a full session: gdb attaches; the data logpoints go on with their counts. */
  'pwatch/attachDebugger': { args: Record<string, never>; body: undefined };
  /** A full session on an attached process → observing it: gdb detaches; data breakpoints go, data logpoints stay. */
  'pwatch/detachDebugger': { args: Record<string, never>; body: undefined };
}

export interface HuntRacesArgs {
  targets?: WatchTargetArgs[];
  durationMs?: number;
  stallMs?: number;
}

export type PwatchRequestName = keyof PwatchRequests;
