/**
 * The one typed entry to the native addon (native/). It is loaded from beside the bundle (dist/) or
 * from the node-gyp build folder when running from compiled sources; a missing addon is an error value,
 * not a crash, so ordinary debugging keeps working without it.
 */
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';

/** How the addon reports a failed system call. */
export interface NativeError {
  code: string;
  errno: number;
  message: string;
}

export interface ProbeResult {
  kernelRelease: string;
  perfEventParanoid: number | null;
  /** An inherited, sigtrap hardware breakpoint event could be opened on a child process. */
  supported: boolean;
  error?: NativeError & { step: string };
}

export interface PtyResult {
  masterFd?: number;
  /** The process that holds the pty as its controlling terminal; close holderReleaseFd, then reapChild. */
  holderPid?: number;
  holderReleaseFd?: number;
  path?: string;
  error?: NativeError;
}

/** A thread the engine could not give events to, or a parent whose arming failed. */
export interface ThreadFailure extends NativeError {
  tid: number;
}

/**
 * Accesses taken from a slot engine: `hits` holds SLOT_FIELDS numbers per access (slot, generation, tid, pc
 * after the access, CLOCK_MONOTONIC ns); for stop slots `regs` holds SAMPLED_REGISTERS words per access
 * (the thread's registers right after it); `lost` counts accesses dropped by the kernel or the engine's queue.
 */
export interface NativeSlotBatch {
  hits: Float64Array;
  regs?: BigUint64Array;
  lost: number;
  throttled: number;
}

export const SLOT_FIELDS = 5;
/** perf's x86-64 order of the sampled registers (native/src/slot_engine.cc). */
export const SAMPLED_REGISTERS = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'rip', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'] as const;

/**
 * The native slot engine (native/src/slot_engine.h), one for data breakpoints ('stop': sigtrap events whose
 * accesses are also sampled with the thread's registers) and one for data logpoints ('log': never stops).
 */
export interface NativeSlotEngine {
  readonly slots: number;
  /**
   * Maps the per-CPU buffers and starts draining; `onReady` runs on the JavaScript thread when take() has
   * accesses (once per take). maxRingPages: data pages per CPU buffer (a power of two, 64 at most; the default).
   */
  open(onReady: () => void, maxRingPages?: number): { cpus: number; ringPages: number } | NativeError;
  /** Everything sampled since the last take, the buffers drained first. */
  take(): NativeSlotBatch;
  addThreads(tids: number[]): Array<{ tid: number; error?: ThreadFailure }> | NativeError;
  /** sigData: what a stop slot's SIGTRAP carries in si_perf_data. */
  arm(slot: number, address: bigint, length: number, access: 'write' | 'readWrite', sigData?: bigint): { generation: number; failures: ThreadFailure[] } | NativeError;
  disarm(slot: number): ThreadFailure[] | NativeError;
  /** Parent threads that hold events (they may have exited; their children stay covered). */
  parents(): number[];
  /** Disables and closes everything; returns what was still queued or in the buffers. */
  close(): NativeSlotBatch;
}

export interface PwatchAddon {
  SlotEngine: new (slots: number, kind: 'stop' | 'log') => NativeSlotEngine;
  probe(): ProbeResult;
  openPty(): PtyResult;
  /** Reaps a child the addon made if it has exited (never waits): true when it is gone. */
  reapChild(pid: number): boolean | NativeError;
  /** Raises the open-file limit towards `wanted`; returns the limit in force (or an error for bad input). */
  raiseOpenFileLimit(wanted: number): number | NativeError;
}

const ADDON_FILE = 'pwatch.node';

/** Where a file the native build makes is looked for: beside the bundle (dist/), or in the build (out/ runs). */
function candidates(file: string, fromEnv?: string): string[] {
  return [
    ...(fromEnv ? [fromEnv] : []),
    path.join(__dirname, file), // dist/, beside the webpack bundle
    path.join(__dirname, '..', '..', '..', 'native', 'build', 'Release', file), // out/adapter/native
  ];
}

/** pwatch-exec, the exec-wrapper that gives launched programs their exact arguments, if it was built. */
export function execHelperPath(): string | undefined {
  return candidates('pwatch-exec').find((file) => fs.existsSync(file));
}

let cached: PwatchAddon | Error | undefined;

/** The addon, or an Error saying where it was looked for. */
export function loadAddon(): PwatchAddon | Error {
  if (cached) {
    return cached;
  }
  // Node's own require, made at run time, so webpack does not try to bundle the .node file.
  const nodeRequire = createRequire(__filename);
  const tried = candidates(ADDON_FILE, process.env.PWATCH_ADDON);
  const found = tried.find((file) => fs.existsSync(file));
  if (!found) {
    cached = new Error(`the native addon ${ADDON_FILE} was not found (looked in ${tried.join(', ')}); run 'npm run build'`);
    return cached;
  }
  try {
    cached = nodeRequire(found) as PwatchAddon;
  } catch (e) {
    cached = new Error(`the native addon ${found} could not be loaded: ${(e as Error).message}`);
  }
  return cached;
}
