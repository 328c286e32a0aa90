/**
 * Everything pwatch does with memory beyond gdb: the process-wide data breakpoints, the data logpoints
 * and their log stream, the events that report them, and the custom requests that manage them. The
 * session hands requests here and only translates.
 */
import { BreakpointEvent, OutputEvent } from '@vscode/debugadapter';
import { pwatchEvent, PwatchRequestName } from '../protocol/pwatchProtocol';
import { DebugProtocol } from '@vscode/debugprotocol';
import { MiSender } from '../gdb/connection';
import { SlotBudget } from '../launch/config';
import { UserError } from '../launch/userError';
import { DataLogpoints, LogAccessType, LogpointRequest } from '../logpoints/dataLogpoints';
import { DEBUGGED, LogSource, LogStream } from '../logpoints/logStream';
import { ProgressReporter } from '../protocol/progress';
import { VariableStore } from '../variables/variableStore';
import { DataBreakpoints } from '../watch/dataBreakpoints';
import { AddDataBreakpointArgs, addFromEditor, dataIdFor, WatchTargetArgs } from '../watch/editorRequests';
import { CoverageSource } from '../watch/coverage';
import { liveThreads } from '../program/tasks';
import { WatchReporter } from '../watch/reporter';
import { dataBreakpointInfo } from '../watch/dataInfo';
import { EngineStart, OBSERVED_BREAKPOINTS, startBreakpoints, startEngines } from './setup';

export const WATCH_REQUESTS = [
  'pwatch/addDataBreakpoint',
  'pwatch/removeDataBreakpoint',
  'pwatch/setDataLogpoints',
  'pwatch/addDataLogpoint',
  'pwatch/removeDataLogpoint',
] as const satisfies readonly PwatchRequestName[];
export type WatchRequest = (typeof WATCH_REQUESTS)[number];

export interface RequestContext {
  gdb: MiSender;
  pid: number | undefined;
  variables: VariableStore;
}

type LogpointArgs = WatchTargetArgs & { accessType?: LogAccessType };

export class Watching {
  breakpoints: DataBreakpoints | Error = new Error('data breakpoints need a running program');
  logpoints: DataLogpoints | Error = new Error('data logpoints need a running program');
  readonly reporter: WatchReporter;
  private stream: LogStream | undefined;
  private ended = false;

  constructor(
    private readonly send: (event: DebugProtocol.Event) => void,
    private readonly progress: ProgressReporter,
    /** Data breakpoint accesses were sampled while no stop took them (StrayAccesses decides what to do). */
    private readonly onAccess: (watch: DataBreakpoints) => void = () => undefined,
  ) {
    this.reporter = new WatchReporter(send);
  }

  private readonly note = (text: string): void => this.send(new OutputEvent(`pwatch: ${text}\n`, 'console'));

  /** Data breakpoint accesses were sampled while no stop took them. */
  private readonly sampled = (): void => {
    if (!this.ended && !(this.breakpoints instanceof Error)) {
      this.onAccess(this.breakpoints);
    }
  };

  /** Opens the engines' events on `tids` (the main thread at the first instruction, or every thread at attach). */
  async start(gdb: MiSender, pid: number, tids: number[], slots: SlotBudget, how: EngineStart, logSource?: LogSource): Promise<string[]> {
    const engines = await startEngines(gdb, pid, tids, slots, this.progress, () => this.stream?.schedule(), this.sampled, this.note, how);
    this.breakpoints = engines.breakpoints;
    this.logpoints = engines.logpoints;
    if (!(this.logpoints instanceof Error)) {
      this.stream = new LogStream(gdb, this.logpoints, this.send, logSource);
    }
    // An observed process has no data breakpoints by design: the session's own note says so.
    const notes = [engines.breakpoints, engines.logpoints].filter((e): e is Error => e instanceof Error && e.message !== OBSERVED_BREAKPOINTS).map((e) => e.message);
    return [...new Set(notes)];
  }

  /**
   * A debugger attached to the observed process: data breakpoints become possible (their engine opens on its threads
   * now); the data logpoints go on, their counts kept.
   */
  async debuggerAttached(gdb: MiSender, pid: number, slots: SlotBudget): Promise<string[]> {
    this.breakpoints = await startBreakpoints(undefined, gdb, pid, liveThreads(pid), slots, this.progress, this.sampled, this.note);
    this.stream?.useSource(DEBUGGED);
    this.threadsChanged();
    return this.breakpoints instanceof Error ? [this.breakpoints.message] : [];
  }

  /**
   * The debugger leaves and observing goes on: data breakpoints are closed (nothing would take their stops, the
   * client is told they are gone); data logpoints stay.
   */
  debuggerLeft(logSource: LogSource): void {
    const watch = this.breakpoints;
    if (!(watch instanceof Error)) {
      for (const id of watch.ids()) {
        this.send(new BreakpointEvent('removed', { id, verified: false } as DebugProtocol.Breakpoint));
      }
      watch.close();
    }
    this.breakpoints = new Error(OBSERVED_BREAKPOINTS);
    this.stream?.useSource(logSource);
  }

  /** The debugger leaves the watched process (a followed fork child): its events are disarmed and closed. */
  async leave(reason: string): Promise<void> {
    await this.close();
    this.unavailable(reason);
  }

  /** There will be no engines in this session (a core dump): every data breakpoint request says `reason`. */
  unavailable(reason: string): void {
    this.breakpoints = new Error(`data breakpoints are not possible: ${reason}`);
    this.logpoints = new Error(`data logpoints are not possible: ${reason}`);
  }

  /** setDataBreakpoints: the whole set, each answered (unverified with the reason when it cannot be armed). */
  async setDataBreakpoints(requested: DebugProtocol.DataBreakpoint[]): Promise<DebugProtocol.Breakpoint[]> {
    const watch = this.breakpoints;
    if (watch instanceof Error) {
      return requested.map(() => ({ verified: false, message: watch.message, reason: 'failed' }) as DebugProtocol.Breakpoint);
    }
    const answered = await watch.set(requested);
    this.reporter.coverage(watch, answered.filter((b) => b.verified && b.id !== undefined).map((b) => b.id!));
    return answered;
  }

  /** dataBreakpointInfo: what can be watched for a variable or an expression, or why nothing can. */
  async info(args: DebugProtocol.DataBreakpointInfoArguments, context: RequestContext): Promise<DebugProtocol.DataBreakpointInfoResponse['body']> {
    if (context.pid === undefined) {
      // Why there is no engine (a core dump, a remote process), else simply no program yet.
      return { dataId: null, description: this.breakpoints instanceof Error ? this.breakpoints.message : 'the program is not running' };
    }
    const scopes = this.breakpoints instanceof Error ? new Map() : this.breakpoints.scopes;
    return dataBreakpointInfo(context.gdb, context.pid, args, context.variables, scopes);
  }

  /** Threads came or went: coverage messages are refreshed soon (batched). */
  threadsChanged(): void {
    this.reporter.scheduleRefresh(() => (this.ended ? [] : this.sources()));
  }

  async request(command: WatchRequest, args: unknown, context: RequestContext): Promise<unknown> {
    switch (command) {
      case 'pwatch/addDataBreakpoint': {
        const watch = ready(this.breakpoints);
        const breakpoint = await addFromEditor(context.gdb, requirePid(context), (args ?? {}) as AddDataBreakpointArgs, context.variables, watch);
        this.reporter.coverage(watch, [breakpoint.id!]);
        return { breakpoint };
      }
      case 'pwatch/removeDataBreakpoint': {
        const id = idArgument(args);
        if (id === undefined || !(await ready(this.breakpoints).remove(id))) {
          throw new UserError(missingId('data breakpoint', args));
        }
        this.send(pwatchEvent('pwatch/removed', { id }));
        return undefined;
      }
      case 'pwatch/setDataLogpoints': {
        const logpoints = ready(this.logpoints);
        const list = (args as { logpoints?: unknown } | undefined)?.logpoints;
        if (!Array.isArray(list)) {
          throw new UserError("pwatch/setDataLogpoints needs 'logpoints': an array of {expression} or {address, bytes}");
        }
        const requests: Array<LogpointRequest | string> = [];
        for (const item of list as LogpointArgs[]) {
          requests.push(await this.logpointRequest(item ?? {}, context).catch((e: Error) => e.message));
        }
        const valid = requests.filter((r): r is LogpointRequest => typeof r !== 'string');
        const armed = await logpoints.set(valid);
        const results = requests.map((r) => (typeof r === 'string' ? { verified: false, message: r } : armed.shift()!));
        this.reporter.coverage(logpoints, results.filter((r) => r.verified && r.id !== undefined).map((r) => r.id!));
        return { logpoints: results };
      }
      case 'pwatch/addDataLogpoint': {
        const logpoints = ready(this.logpoints);
        const result = await logpoints.add(await this.logpointRequest((args ?? {}) as LogpointArgs, context), 'extension');
        if (!result.verified || result.id === undefined) {
          throw new UserError(result.message);
        }
        this.reporter.coverage(logpoints, [result.id]);
        return { logpoint: result };
      }
      case 'pwatch/removeDataLogpoint': {
        const id = idArgument(args);
        if (id === undefined || !ready(this.logpoints).remove(id, 'extension')) {
          throw new UserError(missingId('data logpoint', args));
        }
        await this.stream?.flush();
        this.send(pwatchEvent('pwatch/removed', { id }));
        return undefined;
      }
    }
  }

  /** Closes every event (nothing may trap or log in a program we leave) and reports the last accesses logged. */
  async close(): Promise<void> {
    if (this.ended) {
      return;
    }
    this.ended = true;
    this.reporter.cancel();
    if (!(this.breakpoints instanceof Error)) {
      this.breakpoints.close();
      this.breakpoints = new Error('the session has ended');
    }
    if (!(this.logpoints instanceof Error)) {
      this.logpoints.close();
      this.stream?.cancel();
      await this.stream?.flush();
      this.logpoints = new Error('the session has ended');
    }
  }

  /** Synchronous last resort when the client vanished: closes events, reports nothing. */
  closeNow(): void {
    this.ended = true;
    this.stream?.cancel();
    if (!(this.breakpoints instanceof Error)) {
      this.breakpoints.close();
    }
    if (!(this.logpoints instanceof Error)) {
      this.logpoints.close();
    }
  }

  private sources(): CoverageSource[] {
    return [this.breakpoints, this.logpoints].filter((s): s is DataBreakpoints | DataLogpoints => !(s instanceof Error));
  }

  private async logpointRequest(args: LogpointArgs, context: RequestContext): Promise<LogpointRequest> {
    const scopes = this.breakpoints instanceof Error ? new Map() : this.breakpoints.scopes;
    const dataId = await dataIdFor(context.gdb, requirePid(context), args, context.variables, scopes);
    return { dataId, accessType: args.accessType ?? 'write' };
  }
}

function ready<T>(engine: T | Error): T {
  if (engine instanceof Error) {
    throw new UserError(engine.message);
  }
  return engine;
}

function requirePid(context: RequestContext): number {
  if (context.pid === undefined) {
    throw new UserError('the program is not running');
  }
  return context.pid;
}

/** Why a remove request names nothing to remove: no number given, or none the editor added. */
function missingId(what: string, args: unknown): string {
  const id = (args as { id?: unknown } | undefined)?.id;
  return typeof id === 'number' ? `no ${what} ${id} added by the editor` : `'id' must be the number of a ${what} the editor added, not ${JSON.stringify(id) ?? 'nothing'}`;
}

function idArgument(args: unknown): number | undefined {
  const id = (args as { id?: unknown } | undefined)?.id;
  return typeof id === 'number' ? id : undefined;
}
