/** Starts the native engines for a process, or says why data breakpoints / logpoints are unavailable. */
import { MiSender } from '../gdb/connection';
import { SlotBudget } from '../launch/config';
import { DataLogpoints } from '../logpoints/dataLogpoints';
import { loadAddon, PwatchAddon } from '../native/addon';
import { ProgressReporter } from '../protocol/progress';
import { DataBreakpoints } from '../watch/dataBreakpoints';
import { liveThreads } from '../program/tasks';
import { ParentProgress, threadsWithinFdLimit } from '../watch/parents';
import { installSiginfoReader } from '../watch/siginfo';

export interface Engines {
  breakpoints: DataBreakpoints | Error;
  logpoints: DataLogpoints | Error;
}

/** The addon, if it loads and the kernel accepts a slot's breakpoint event. */
function usableAddon(): PwatchAddon | Error {
  const addon = loadAddon();
  if (addon instanceof Error) {
    return addon;
  }
  const probe = addon.probe();
  if (!probe.supported) {
    return new Error(`data breakpoints are unavailable: ${probe.error?.message ?? 'the kernel refused breakpoint events'} (kernel ${probe.kernelRelease})`);
  }
  return addon;
}

/** Thousands of threads take a while: show progress, and let the user cancel (the rest is then missed). */
async function withProgress(progress: ProgressReporter, title: string, count: number, body: (task: ParentProgress) => Promise<void>): Promise<void> {
  const task = count > 128 ? progress.start(title) : undefined;
  try {
    await body(task ?? {});
  } finally {
    task?.end(task.cancelled() ? 'cancelled: the remaining threads are not watched' : undefined);
  }
}

/**
 * How the process came: launched (its main thread at the first instruction), attached (every thread of a running
 * process; data logpoint events wait for the first logpoint), or observed (the same, with no tracer: only data
 * logpoints, whose events never stop anything).
 */
export type EngineStart = 'launched' | 'attached' | 'observed';

/** Data breakpoints stop the thread that accesses: someone must trace it to take that stop. */
export const OBSERVED_BREAKPOINTS =
  "data breakpoints stop the program, and an observed process has no debugger to take the stop: use data logpoints, or attach with 'mode' \"debug\"";

/** Opens the engines' events on `tids` (see EngineStart). */
export async function startEngines(
  gdb: MiSender,
  pid: number,
  tids: number[],
  slots: SlotBudget,
  progress: ProgressReporter,
  onLogData: () => void,
  /** Data breakpoint accesses were sampled while nothing took them (see Watching.onAccess). */
  onAccess: () => void,
  note: (text: string) => void,
  how: EngineStart,
): Promise<Engines> {
  const addon = usableAddon();
  if (addon instanceof Error) {
    return { breakpoints: addon, logpoints: addon };
  }
  if (how === 'observed') {
    const logpoints = await startLogpoints(addon, gdb, pid, slots.logpoint, onLogData, note);
    if (!(logpoints instanceof Error)) {
      logpoints.deferParents(() => openLogParents(addon, logpoints, progress, liveThreads(pid)));
    }
    return { breakpoints: new Error(OBSERVED_BREAKPOINTS), logpoints };
  }
  const breakpoints = await startBreakpoints(addon, gdb, pid, tids, slots, progress, onAccess, note);
  if (breakpoints instanceof EngineError) {
    return { breakpoints, logpoints: new Error(`data logpoints are unavailable: ${breakpoints.reason}`) };
  }
  const logpoints = await startLogpoints(addon, gdb, pid, slots.logpoint, onLogData, note);
  if (!(logpoints instanceof Error)) {
    if (how === 'attached') {
      logpoints.deferParents(() => openLogParents(addon, logpoints, progress, liveThreads(pid)));
    } else {
      await openLogParents(addon, logpoints, progress, tids);
    }
  }
  return { breakpoints, logpoints };
}

/** The engine could not be opened at all (as opposed to being left out): data logpoints would fail the same way. */
class EngineError extends Error {
  constructor(readonly reason: string) {
    super(`data breakpoints are unavailable: ${reason}`);
  }
}

/**
 * The data breakpoint engine alone, on `tids`: at launch and attach, and when a debugger attaches to an observed
 * process (its data logpoints go on as they were).
 */
export async function startBreakpoints(
  addon: PwatchAddon | undefined,
  gdb: MiSender,
  pid: number,
  tids: number[],
  slots: SlotBudget,
  progress: ProgressReporter,
  onAccess: () => void,
  note: (text: string) => void,
): Promise<DataBreakpoints | Error> {
  const usable = addon ?? usableAddon();
  if (usable instanceof Error) {
    return usable;
  }
  const python = await installSiginfoReader(gdb);
  const engine = new usable.SlotEngine(slots.watch, 'stop');
  const breakpoints = new DataBreakpoints(gdb, engine, pid, python, note);
  const opened = engine.open(onAccess);
  if ('message' in opened) {
    return new EngineError(opened.message);
  }
  const room = threadsWithinFdLimit((wanted) => limitOf(usable, wanted), tids.length, slots.watch * opened.cpus);
  await withProgress(progress, `pwatch: watching ${tids.length} threads`, tids.length, (task) => breakpoints.addParents(tids, task, room));
  return breakpoints;
}

async function openLogParents(addon: PwatchAddon, logpoints: DataLogpoints, progress: ProgressReporter, threads: number[]): Promise<void> {
  const room = threadsWithinFdLimit((wanted) => limitOf(addon, wanted), threads.length, logpoints.eventsPerThread);
  await withProgress(progress, `pwatch: logging on ${threads.length} threads`, threads.length, (task) => logpoints.addParents(threads, task, room));
}

function limitOf(addon: PwatchAddon, wanted: number): number {
  const limit = addon.raiseOpenFileLimit(wanted);
  return typeof limit === 'number' ? limit : 0;
}

async function startLogpoints(
  addon: PwatchAddon,
  gdb: MiSender,
  pid: number,
  slots: number,
  onLogData: () => void,
  note: (text: string) => void,
): Promise<DataLogpoints | Error> {
  if (slots === 0) {
    return new Error("data logpoints are off: 'logpointSlots' is 0 in the launch configuration");
  }
  const engine = new addon.SlotEngine(slots, 'log');
  const created = new DataLogpoints(gdb, engine, pid, onLogData, note);
  // PWATCH_LOG_RING_PAGES shrinks the buffers: the tests use it to make the kernel drop samples.
  const opened = engine.open(() => created.ingest(engine.take()), Number(process.env.PWATCH_LOG_RING_PAGES) || undefined);
  if ('message' in opened) {
    return new Error(`data logpoints are unavailable: ${opened.message}`);
  }
  created.eventsPerThread = slots * opened.cpus;
  return created;
}
