/**
 * Opening an engine's events on parent threads (the main thread at launch, every thread at attach), in
 * chunks: with thousands of threads the opens take a while, and the adapter (inline in the editor's
 * extension host) must stay responsive, report progress, and see a cancel request.
 */
import * as fs from 'fs';
import { NativeError, ThreadFailure } from '../native/addon';
import { CoverageTracker } from './coverage';

const PARENT_CHUNK = 128;
const ECANCELED = 125;
const EMFILE = 24;
/** File descriptors kept free for the adapter itself (pipes, /proc reads, gdb). */
const FD_RESERVE = 512;

/**
 * How many threads can get events of `fdsPerThread` descriptors each: the open-file limit is raised as
 * far as the process may (`raise`), and what stays below it, less a reserve, is shared out.
 */
export function threadsWithinFdLimit(raise: (wanted: number) => number, threads: number, fdsPerThread: number): number {
  const open = fs.readdirSync('/proc/self/fd').length;
  const limit = raise(open + threads * fdsPerThread + FD_RESERVE);
  return Math.max(0, Math.floor((limit - open - FD_RESERVE) / fdsPerThread));
}

export interface ParentProgress {
  report?(done: number, total: number): void;
  cancelled?(): boolean;
}

export type AddThreads = (tids: number[]) => Array<{ tid: number; error?: ThreadFailure }> | NativeError;

export async function openOnParents(
  addThreads: AddThreads,
  coverage: CoverageTracker,
  tids: number[],
  progress: ParentProgress = {},
  maxThreads = Infinity,
): Promise<void> {
  if (tids.length > maxThreads) {
    const reason = "not watched: its events would exceed the adapter's open-file limit; raise the hard limit (ulimit -Hn) and attach again";
    coverage.recordParents(tids.slice(maxThreads).map((tid) => ({ tid, error: { errno: EMFILE, message: reason } })));
    tids = tids.slice(0, maxThreads);
  }
  for (let done = 0; done < tids.length; done += PARENT_CHUNK) {
    if (progress.cancelled?.()) {
      const reason = 'not watched: opening its events was cancelled';
      coverage.recordParents(tids.slice(done).map((tid) => ({ tid, error: { errno: ECANCELED, message: reason } })));
      return;
    }
    const results = addThreads(tids.slice(done, done + PARENT_CHUNK));
    if (!Array.isArray(results)) {
      throw new Error(results.message);
    }
    coverage.recordParents(results);
    progress.report?.(Math.min(done + PARENT_CHUNK, tids.length), tids.length);
    await new Promise((resolve) => setImmediate(resolve));
  }
  // A stopped program (launch, gdb's attach) made no thread meanwhile; a running one may have.
  coverage.recordCreatedWhileOpening(tids);
}
