/**
 * What happens at fork: gdb follows the parent or the child, and detaches the other or keeps it. Kept processes
 * run together (schedule-multiple: otherwise a parent waiting for its child would wait for ever, as measured).
 *
 * Data breakpoints are perf events in the process they were set in; a forked child does not inherit them
 * (inherit_thread). Following the child means gdb detaches the parent, which would then run untraced with
 * armed events and die of the first SIGTRAP: so pwatch stops at the fork (a catchpoint) and closes them first.
 */
import * as gdbBreak from '../gdb/commands/break';
import * as exec from '../gdb/commands/exec';
import { MiSender } from '../gdb/connection';
import { UserError } from './userError';

export interface ForkPolicy {
  follow: 'parent' | 'child';
  detachOnFork: boolean;
}

type Args = Record<string, unknown>;

export function parseForkPolicy(raw: Args): ForkPolicy {
  const follow = raw.followFork ?? 'parent';
  if (follow !== 'parent' && follow !== 'child') {
    throw new UserError(`'followFork' must be "parent" or "child", not ${JSON.stringify(follow)}.`);
  }
  const detach = raw.detachOnFork ?? true;
  if (typeof detach !== 'boolean') {
    throw new UserError(`'detachOnFork' must be true or false, not ${JSON.stringify(detach)}.`);
  }
  return { follow, detachOnFork: detach };
}

/** Sets gdb's fork handling; returns the catchpoints at which pwatch must act before the parent is left. */
export async function applyForkPolicy(gdb: MiSender, policy: ForkPolicy): Promise<number[]> {
  if (policy.follow === 'parent' && policy.detachOnFork) {
    return []; // gdb's default
  }
  await exec.setOption(gdb, 'follow-fork-mode', policy.follow);
  if (!policy.detachOnFork) {
    await exec.setOption(gdb, 'detach-on-fork', 'off');
    await exec.setOption(gdb, 'schedule-multiple', 'on');
  }
  if (policy.follow === 'child' && policy.detachOnFork) {
    return [await gdbBreak.catchEvent(gdb, 'fork'), await gdbBreak.catchEvent(gdb, 'vfork')];
  }
  return [];
}
