/**
 * Opening an engine's events on parent threads (the main thread at launch, every thread at attach), in
 * chunks: with thousands of threads the opens take a while, and the adapter (inline in the editor's
 * extension host) must stay responsive, report progress, and see a cancel request.
 */
import { NativeError, ThreadFailure } from '../native/addon';
import { CoverageTracker } from './coverage';

const PARENT_CHUNK = 128;
const ECANCELED = 125;

export interface ParentProgress {
  report?(done: number, total: number): void;
  cancelled?(): boolean;
}

export type AddThreads = (tids: number[]) => Array<{ tid: number; error?: ThreadFailure }> | NativeError;

export async function openOnParents(addThreads: AddThreads, coverage: CoverageTracker, tids: number[], progress: ParentProgress = {}): Promise<void> {
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
}
