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
};
