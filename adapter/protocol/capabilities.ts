/** What pwatch tells a client it can do, in answer to `initialize`: only what is implemented and tested. */
import { DebugProtocol } from '@vscode/debugprotocol';
import { EXCEPTION_FILTERS } from '../breakpoints/exceptionBreakpoints';

export const CAPABILITIES: DebugProtocol.Capabilities = {
  supportsCancelRequest: true,
  supportsConfigurationDoneRequest: true,
  supportsFunctionBreakpoints: true,
  supportsConditionalBreakpoints: true,
  supportsHitConditionalBreakpoints: true,
  supportsLogPoints: true,
  supportsEvaluateForHovers: true,
  supportsSetVariable: true,
  // A watch's "Set Value": numbers and pointers through gdb's variable objects, the rest as `expr = value`.
  supportsSetExpression: true,
  supportsReadMemoryRequest: true,
  supportsTerminateRequest: true,
  supportTerminateDebuggee: true,
  supportsDelayedStackTraceLoading: true,
  // Data breakpoints come from the native engine; gdb's `watch` is never used for them.
  supportsDataBreakpoints: true,
  supportsDataBreakpointBytes: true,
  // VS Code's Disassembly view, and next/step by instruction.
  supportsDisassembleRequest: true,
  supportsSteppingGranularity: true,
  supportsInstructionBreakpoints: true,
  supportsWriteMemoryRequest: true,
  supportsModulesRequest: true,
  supportsLoadedSourcesRequest: true,
  // format.hex on variables and evaluate; watch expressions also take a ',x' / ',o' / ',b' / ',d' suffix.
  supportsValueFormattingOptions: true,
  // Debug Console completions from gdb's completer.
  supportsCompletionsRequest: true,
  // C++ exceptions on throw and on catch, optionally by type, and Rust panics; exceptionInfo names what it can.
  exceptionBreakpointFilters: EXCEPTION_FILTERS,
  supportsExceptionFilterOptions: true,
  supportsExceptionInfoRequest: true,
};

/**
 * Requests the library would answer with an empty success although pwatch does nothing for them: a client
 * that sends one anyway (nvim-dap and dape do not look at the capabilities) gets an error that says so.
 */
export const NOT_SUPPORTED: ReadonlySet<string> = new Set([
  'breakpointLocations',
  'goto',
  'gotoTargets',
  'restart',
  'restartFrame',
  'reverseContinue',
  'source',
  'stepBack',
  'stepInTargets',
  'terminateThreads',
]);
