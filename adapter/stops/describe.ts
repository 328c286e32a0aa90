/** The DAP `stopped` reason and description for a gdb stop: pure, so it is unit-tested on its own. */
import { BreakpointKind } from '../breakpoints/breakpointTable';
import { GdbStop } from '../gdb/events';

/** Signals a program does not survive by default: shown as exceptions rather than plain signals. */
const FATAL_SIGNALS: ReadonlySet<string> = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGABRT', 'SIGSYS']);

export interface StopContext {
  /** The user asked to pause and this is the first stop since. */
  pauseRequested: boolean;
  /** The program was started with stopAtEntry and has not stopped yet. */
  entryPending: boolean;
  /** What the breakpoint table knows of the breakpoint that was hit, if any. */
  breakpointKind?: BreakpointKind;
}

export interface DapStop {
  reason: string;
  description?: string;
  text?: string;
}

export function describeStop(stop: GdbStop, context: StopContext): DapStop {
  if (stop.reason === 'breakpoint-hit' && context.breakpointKind) {
    const reasons = { source: 'breakpoint', function: 'function breakpoint', instruction: 'instruction breakpoint' } as const;
    return { reason: reasons[context.breakpointKind] };
  }
  if (context.entryPending && (stop.reason === 'breakpoint-hit' || stop.reason === 'signal-received' || stop.reason === 'unknown')) {
    return { reason: 'entry' };
  }
  switch (stop.reason) {
    case 'end-stepping-range':
    case 'function-finished':
    case 'location-reached':
      return { reason: 'step' };
    case 'signal-received': {
      const name = stop.signalName ?? 'signal';
      // gdb interrupts with SIGINT, or reports signal "0" when it stopped the program itself.
      if (context.pauseRequested && (name === 'SIGINT' || name === '0' || name === 'SIGSTOP')) {
        return { reason: 'pause' };
      }
      const meaning = stop.signalMeaning ? `${name} (${stop.signalMeaning})` : name;
      if (FATAL_SIGNALS.has(name)) {
        return { reason: 'exception', description: `Exception: ${meaning}`, text: meaning };
      }
      return { reason: 'signal', description: `Signal: ${meaning}`, text: meaning };
    }
    case 'breakpoint-hit':
      return { reason: 'breakpoint' };
    default:
      return { reason: context.pauseRequested ? 'pause' : 'step' };
  }
}
