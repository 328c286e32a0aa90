/** What pwatch tells a client it can do, in answer to `initialize`: only what is implemented and tested. */
import { DebugProtocol } from '@vscode/debugprotocol';

export const CAPABILITIES: DebugProtocol.Capabilities = {
  supportsCancelRequest: true,
  supportsConfigurationDoneRequest: true,
  supportsFunctionBreakpoints: true,
  supportsConditionalBreakpoints: true,
  supportsHitConditionalBreakpoints: true,
  supportsLogPoints: true,
  supportsEvaluateForHovers: true,
  supportsSetVariable: true,
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
};

/**
 * Requests the library would answer with an empty success although pwatch does nothing for them: a client
 * that sends one anyway (nvim-dap and dape do not look at the capabilities) gets an error that says so.
 */
export const NOT_SUPPORTED: ReadonlySet<string> = new Set([
  'breakpointLocations',
  'completions',
  'exceptionInfo',
  'goto',
  'gotoTargets',
  'loadedSources',
  'restart',
  'restartFrame',
  'reverseContinue',
  'setExceptionBreakpoints',
  'setExpression',
  'source',
  'stepBack',
  'stepInTargets',
  'terminateThreads',
]);
