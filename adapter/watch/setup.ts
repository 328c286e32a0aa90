/** Starts the native engines for a process, or says why data breakpoints / logpoints are unavailable. */
import { MiSender } from '../gdb/connection';
import { SlotBudget } from '../launch/config';
import { DataLogpoints } from '../logpoints/dataLogpoints';
import { loadAddon, PwatchAddon } from '../native/addon';
import { ProgressReporter } from '../progress';
import { DataBreakpoints } from './dataBreakpoints';
import { ParentProgress } from './parents';
import { installSiginfoReader } from './siginfo';

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

export async function startEngines(
  gdb: MiSender,
  pid: number,
  tids: number[],
  slots: SlotBudget,
  progress: ProgressReporter,
  onLogData: (logpoints: DataLogpoints) => void,
): Promise<Engines> {
  const addon = usableAddon();
  if (addon instanceof Error) {
    return { breakpoints: addon, logpoints: addon };
  }
  const python = await installSiginfoReader(gdb);
  const breakpoints = new DataBreakpoints(gdb, new addon.WatchEngine(slots.watch), pid, python);
  await withProgress(progress, `pwatch: watching ${tids.length} threads`, tids.length, (task) => breakpoints.addParents(tids, task));
  return { breakpoints, logpoints: await startLogpoints(addon, gdb, pid, tids, slots.logpoint, progress, onLogData) };
}

async function startLogpoints(
  addon: PwatchAddon,
  gdb: MiSender,
  pid: number,
  tids: number[],
  slots: number,
  progress: ProgressReporter,
  onLogData: (logpoints: DataLogpoints) => void,
): Promise<DataLogpoints | Error> {
  if (slots === 0) {
    return new Error("data logpoints are off: 'logpointSlots' is 0 in the launch configuration");
  }
  const engine = new addon.LogEngine(slots);
  const created: DataLogpoints = new DataLogpoints(gdb, engine, pid, () => onLogData(created));
  // PWATCH_LOG_RING_PAGES shrinks the buffers: the tests use it to make the kernel drop samples.
  const opened = engine.open(() => created.ingest(engine.take()), Number(process.env.PWATCH_LOG_RING_PAGES) || undefined);
  if ('message' in opened) {
    return new Error(`data logpoints are unavailable: ${opened.message}`);
  }
  await withProgress(progress, `pwatch: logging on ${tids.length} threads`, tids.length, (task) => created.addParents(tids, task));
  return created;
}
