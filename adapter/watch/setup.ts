/** Starts the native engine for a process, or says why data breakpoints are unavailable. */
import { MiSender } from '../gdb/connection';
import { loadAddon } from '../native/addon';
import { ProgressReporter } from '../progress';
import { DataBreakpoints } from './dataBreakpoints';
import { installSiginfoReader } from './siginfo';

export const DEFAULT_SLOTS = 4;

export async function startDataBreakpoints(
  gdb: MiSender,
  pid: number,
  tids: number[],
  slots: number,
  progress: ProgressReporter,
): Promise<DataBreakpoints | Error> {
  const addon = loadAddon();
  if (addon instanceof Error) {
    return addon;
  }
  const probe = addon.probe();
  if (!probe.supported) {
    return new Error(`data breakpoints are unavailable: ${probe.error?.message ?? 'the kernel refused breakpoint events'} (kernel ${probe.kernelRelease})`);
  }
  const python = await installSiginfoReader(gdb);
  const watch = new DataBreakpoints(gdb, new addon.WatchEngine(slots), pid, python);
  // Thousands of threads take a while: show progress, and let the user cancel (the rest is then missed).
  const task = tids.length > 128 ? progress.start(`pwatch: watching ${tids.length} threads`) : undefined;
  try {
    await watch.addParents(tids, task);
  } finally {
    task?.end(task.cancelled() ? 'cancelled: the remaining threads are not watched' : undefined);
  }
  return watch;
}
