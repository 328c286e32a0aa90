/**
 * Requests that only read or set state through one component and answer its result: stacks, scopes, breakpoints
 * by source, function, instruction and exception, variables, evaluation, memory, disassembly, completions,
 * modules, sources. A table instead of one method each, so the session keeps to what needs its own state (run
 * control, stops, lifecycle).
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { BreakpointTable } from '../breakpoints/breakpointTable';
import { ExceptionBreakpoints } from '../breakpoints/exceptionBreakpoints';
import { evaluate, EvaluationContext, setExpression } from './evaluation';
import { GdbRuntime } from '../gdb/runtime';
import { POST_MORTEM } from '../launch/coreDump';
import { UserError } from '../launch/userError';
import { completions } from '../presentation/completions';
import { disassemble } from '../presentation/disassembly';
import { readMemory } from '../presentation/memory';
import { stackTrace } from '../presentation/stack';
import { modules } from '../presentation/modules';
import { loadedSources } from '../presentation/sources';
import { VariableStore } from '../variables/variableStore';

export interface InspectionContext extends EvaluationContext {
  runtime: GdbRuntime;
  breakpoints: BreakpointTable;
  exceptions: ExceptionBreakpoints;
  variables: VariableStore;
  /** The client's first column (1 unless it said columnsStartAt1 false). */
  columnBase: number;
}

/** Each request's arguments and response body. */
interface Requests {
  stackTrace: [DebugProtocol.StackTraceArguments, DebugProtocol.StackTraceResponse['body']];
  scopes: [DebugProtocol.ScopesArguments, DebugProtocol.ScopesResponse['body']];
  setBreakpoints: [DebugProtocol.SetBreakpointsArguments, DebugProtocol.SetBreakpointsResponse['body']];
  setFunctionBreakpoints: [DebugProtocol.SetFunctionBreakpointsArguments, DebugProtocol.SetFunctionBreakpointsResponse['body']];
  setInstructionBreakpoints: [DebugProtocol.SetInstructionBreakpointsArguments, DebugProtocol.SetInstructionBreakpointsResponse['body']];
  setExceptionBreakpoints: [DebugProtocol.SetExceptionBreakpointsArguments, DebugProtocol.SetExceptionBreakpointsResponse['body']];
  exceptionInfo: [DebugProtocol.ExceptionInfoArguments, DebugProtocol.ExceptionInfoResponse['body']];
  variables: [DebugProtocol.VariablesArguments, DebugProtocol.VariablesResponse['body']];
  setVariable: [DebugProtocol.SetVariableArguments, DebugProtocol.SetVariableResponse['body']];
  evaluate: [DebugProtocol.EvaluateArguments, DebugProtocol.EvaluateResponse['body']];
  setExpression: [DebugProtocol.SetExpressionArguments, DebugProtocol.SetExpressionResponse['body']];
  readMemory: [DebugProtocol.ReadMemoryArguments, DebugProtocol.ReadMemoryResponse['body']];
  disassemble: [DebugProtocol.DisassembleArguments, DebugProtocol.DisassembleResponse['body']];
  completions: [DebugProtocol.CompletionsArguments, DebugProtocol.CompletionsResponse['body']];
  modules: [DebugProtocol.ModulesArguments, DebugProtocol.ModulesResponse['body']];
  loadedSources: [DebugProtocol.LoadedSourcesArguments, DebugProtocol.LoadedSourcesResponse['body']];
}

type Handlers = { [K in keyof Requests]: (context: InspectionContext, args: Requests[K][0]) => Promise<Requests[K][1]> };

/** In a core dump nothing runs: breakpoints are answered unverified (the editor keeps them for a launch). */
function keptForLaunch(c: InspectionContext, requested: unknown): DebugProtocol.Breakpoint[] | undefined {
  if (!c.runtime.isPostMortem) {
    return undefined;
  }
  const count = Array.isArray(requested) ? requested.length : 0;
  return Array.from({ length: count }, () => ({ verified: false, message: `${POST_MORTEM}: breakpoints never hit here` }));
}

const HANDLERS: Handlers = {
  stackTrace: async (c, a) => {
    if (c.runtime.isThreadRunning(a.threadId)) {
      throw new UserError(`thread ${a.threadId} is running: pause it to see its stack`);
    }
    return stackTrace(c.runtime.gdb, a, (frame) => c.variables.frameId(frame));
  },
  scopes: async (c, a) => ({ scopes: c.variables.scopes(a.frameId) }),
  setBreakpoints: async (c, a) => {
    if (!a.source?.path) {
      throw new UserError('breakpoints need a source with a path');
    }
    return { breakpoints: keptForLaunch(c, a.breakpoints) ?? (await c.breakpoints.setSourceBreakpoints(a.source.path, Array.isArray(a.breakpoints) ? a.breakpoints : [])) };
  },
  setFunctionBreakpoints: async (c, a) => ({
    breakpoints: keptForLaunch(c, a.breakpoints) ?? (await c.breakpoints.setFunctionBreakpoints(Array.isArray(a.breakpoints) ? a.breakpoints : [])),
  }),
  setInstructionBreakpoints: async (c, a) => ({
    breakpoints: keptForLaunch(c, a.breakpoints) ?? (await c.breakpoints.setInstructionBreakpoints(Array.isArray(a.breakpoints) ? a.breakpoints : [])),
  }),
  setExceptionBreakpoints: async (c, a) => ({ breakpoints: await c.exceptions.set(a) }),
  exceptionInfo: async (c, a) => c.exceptions.info(a.threadId),
  variables: async (c, a) => ({ variables: await c.variables.variables(a.variablesReference, a.start, a.count, a.format?.hex ? 'hexadecimal' : undefined) }),
  setVariable: async (c, a) => ({ value: await c.variables.setVariable(a.variablesReference, a.name, a.value) }),
  evaluate,
  setExpression,
  readMemory: (c, a) => readMemory(c.runtime.gdb, a),
  disassemble: (c, a) => disassemble(c.runtime.gdb, a),
  completions: async (c, a) => {
    const text = typeof a.text === 'string' ? a.text : '';
    const cursor = typeof a.column === 'number' ? a.column - c.columnBase : text.length;
    const targets = await completions(c.runtime.gdb, text, cursor);
    return { targets: targets.map((t) => ({ ...t, start: (t.start ?? 0) + c.columnBase })) };
  },
  modules: (c, a) => modules(c.runtime.gdb, c.runtime.pid, a),
  loadedSources: async (c) => ({ sources: await loadedSources(c.runtime.gdb) }),
};

/** The handler of `command` if it is one of these requests (arguments are already an object). */
export function inspectionHandler(command: string): ((context: InspectionContext, args: object) => Promise<unknown>) | undefined {
  return Object.prototype.hasOwnProperty.call(HANDLERS, command) ? (HANDLERS[command as keyof Requests] as (context: InspectionContext, args: object) => Promise<unknown>) : undefined;
}
