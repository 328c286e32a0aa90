/** What the OS says about the adapter and its children: for fault, leak and soak tests. */
import { ChildProcess } from 'child_process';
import * as fs from 'fs';
import { Session } from '../integration/harness';

export function adapterPid(session: Session): number {
  // DebugClient keeps the adapter process private; tests need its pid to kill it and count its fds.
  const adapter = (session.dc as unknown as { _adapterProcess: ChildProcess })._adapterProcess;
  if (!adapter.pid) {
    throw new Error('the adapter is not running');
  }
  return adapter.pid;
}

export function childrenOf(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function fdTargets(pid: number): string[] {
  return fs.readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try {
      return fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      return '';
    }
  });
}

export function fdCount(pid: number): number {
  return fdTargets(pid).length;
}

export function perfEventCount(pid: number): number {
  return fdTargets(pid).filter((target) => target.includes('perf_event')).length;
}

export function exists(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Polls the OS until `condition` holds (returns as soon as it does). */
export async function until(condition: () => boolean, what: string, timeout = 15000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Checks for a while that `condition` keeps holding (to prove that something does not happen). */
export async function holds(condition: () => boolean, what: string, duration = 500): Promise<void> {
  const deadline = Date.now() + duration;
  while (Date.now() < deadline) {
    if (!condition()) {
      throw new Error(`no longer true: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
