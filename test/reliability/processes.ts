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

export { processAlive as exists, until, holds } from '../integration/harness';
