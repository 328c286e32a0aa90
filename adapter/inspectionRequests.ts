/**
 * Requests that only read or set state through one component and answer its result: breakpoints by function,
 * instruction and exception, variables, memory, disassembly, completions, modules. A table instead of one method
 * each, so the session keeps to what needs its own state (run control, stops, lifecycle).
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { BreakpointTable } from './breakpoints/breakpointTable';
import { ExceptionBreakpoints } from './breakpoints/exceptionBreakpoints';
import { GdbRuntime } from './gdb/runtime';
import { completions } from './presentation/completions';
import { disassemble } from './presentation/disassembly';
import { readMemory } from './presentation/memory';
import { modules } from './presentation/modules';
import { VariableStore } from './variables/variableStore';

export interface InspectionContext {
  runtime: GdbRuntime;
  breakpoints: BreakpointTable;
  exceptions: ExceptionBreakpoints;
  variables: VariableStore;
  /** The client's first column (1 unless it said columnsStartAt1 false). */
  columnBase: number;
}

/** Each request's arguments and response body. */
interface Requests {
  setFunctionBreakpoints: [DebugProtocol.SetFunctionBreakpointsArguments, DebugProtocol.SetFunctionBreakpointsResponse['body']];
  setInstructionBreakpoints: [DebugProtocol.SetInstructionBreakpointsArguments, DebugProtocol.SetInstructionBreakpointsResponse['body']];
  setExceptionBreakpoints: [DebugProtocol.SetExceptionBreakpointsArguments, DebugProtocol.SetExceptionBreakpointsResponse['body']];
  exceptionInfo: [DebugProtocol.ExceptionInfoArguments, DebugProtocol.ExceptionInfoResponse['body']];
  variables: [DebugProtocol.VariablesArguments, DebugProtocol.VariablesResponse['body']];
  setVariable: [DebugProtocol.SetVariableArguments, DebugProtocol.SetVariableResponse['body']];
  readMemory: [DebugProtocol.ReadMemoryArguments, DebugProtocol.ReadMemoryResponse['body']];
  disassemble: [DebugProtocol.DisassembleArguments, DebugProtocol.DisassembleResponse['body']];
  completions: [DebugProtocol.CompletionsArguments, DebugProtocol.CompletionsResponse['body']];
  modules: [DebugProtocol.ModulesArguments, DebugProtocol.ModulesResponse['body']];
}

type Handlers = { [K in keyof Requests]: (context: InspectionContext, args: Requests[K][0]) => Promise<Requests[K][1]> };

const HANDLERS: Handlers = {
  setFunctionBreakpoints: async (c, a) => ({ breakpoints: await c.breakpoints.setFunctionBreakpoints(Array.isArray(a.breakpoints) ? a.breakpoints : []) }),
  setInstructionBreakpoints: async (c, a) => ({ breakpoints: await c.breakpoints.setInstructionBreakpoints(Array.isArray(a.breakpoints) ? a.breakpoints : []) }),
  setExceptionBreakpoints: async (c, a) => ({ breakpoints: await c.exceptions.set(a) }),
  exceptionInfo: async (c, a) => c.exceptions.info(a.threadId),
  variables: async (c, a) => ({ variables: await c.variables.variables(a.variablesReference, a.start, a.count, a.format?.hex ? 'hexadecimal' : undefined) }),
  setVariable: async (c, a) => ({ value: await c.variables.setVariable(a.variablesReference, a.name, a.value) }),
  readMemory: (c, a) => readMemory(c.runtime.gdb, a),
  disassemble: (c, a) => disassemble(c.runtime.gdb, a),
  completions: async (c, a) => {
    const text = typeof a.text === 'string' ? a.text : '';
    const cursor = typeof a.column === 'number' ? a.column - c.columnBase : text.length;
    const targets = await completions(c.runtime.gdb, text, cursor);
    return { targets: targets.map((t) => ({ ...t, start: (t.start ?? 0) + c.columnBase })) };
  },
  modules: (c, a) => modules(c.runtime.gdb, c.runtime.pid, a),
};

/** The handler of `command` if it is one of these requests (arguments are already an object). */
export function inspectionHandler(command: string): ((context: InspectionContext, args: object) => Promise<unknown>) | undefined {
  return Object.prototype.hasOwnProperty.call(HANDLERS, command) ? (HANDLERS[command as keyof Requests] as (context: InspectionContext, args: object) => Promise<unknown>) : undefined;
}
