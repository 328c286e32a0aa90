/**
 * pwatch/addDataBreakpoint: the editor's "Add Data Breakpoint on Expression… / on Address…" commands.
 * VS Code 1.88 has no API to put a data breakpoint in its own list, so these live in the adapter (and in
 * the Watchpoints view), beside the DAP set, which leaves them alone.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { MiSender } from '../gdb/connection';
import { UserError } from '../launch/userError';
import { VariableStore } from '../variables/variableStore';
import { PwatchRequests, WatchTargetArgs } from '../protocol/pwatchProtocol';
import { DataBreakpoints } from './dataBreakpoints';
import { dataBreakpointInfo, LocalScope } from './dataInfo';

export type AddDataBreakpointArgs = PwatchRequests['pwatch/addDataBreakpoint']['args'];
export type { WatchTargetArgs };

export async function dataIdFor(
  gdb: MiSender,
  pid: number,
  args: WatchTargetArgs,
  variables: VariableStore,
  scopes: Map<string, LocalScope>,
): Promise<string> {
  let info: DebugProtocol.DataBreakpointInfoArguments;
  if (typeof args.address === 'string') {
    info = { name: args.address, asAddress: true, bytes: args.bytes } as DebugProtocol.DataBreakpointInfoArguments;
  } else if (typeof args.expression === 'string' && args.expression.trim()) {
    info = { name: args.expression, frameId: args.frameId };
  } else {
    throw new UserError('give an expression, or an address and a byte count');
  }
  const body = await dataBreakpointInfo(gdb, pid, info, variables, scopes);
  if (!body.dataId) {
    throw new UserError(body.description);
  }
  return body.dataId;
}

export async function addFromEditor(
  gdb: MiSender,
  pid: number,
  args: AddDataBreakpointArgs,
  variables: VariableStore,
  watch: DataBreakpoints,
): Promise<DebugProtocol.Breakpoint> {
  const accessType = args.accessType ?? 'write';
  if (!['write', 'read', 'readWrite'].includes(accessType)) {
    throw new UserError(`access type ${JSON.stringify(accessType)} is not one of write, read, readWrite`);
  }
  const dataId = await dataIdFor(gdb, pid, args, variables, watch.scopes);
  const breakpoint = await watch.add({ dataId, accessType, condition: args.condition });
  if (!breakpoint.verified) {
    throw new UserError(breakpoint.message ?? 'the data breakpoint could not be armed');
  }
  return breakpoint;
}
