/**
 * The DAP session: translates Debug Adapter Protocol requests into calls on the gdb runtime, the breakpoint
 * table, the variable store, the watch engines and the stop controller, and runtime events into DAP events.
 * What a stop is (report, resume silently, deliver a signal) is decided in stops/arbiter.ts, whether the process is
 * observed (no tracer) or debugged in observe/processMode.ts, and pwatch/* requests go to requests/pwatchRequests.ts.
 */
import {
  ContinuedEvent,
  Event,
  ExitedEvent,
  InitializedEvent,
  ModuleEvent,
  OutputEvent,
  Response,
  TerminatedEvent,
  ThreadEvent,
} from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';
import { BreakpointTable } from './breakpoints/breakpointTable';
import { ExceptionBreakpoints } from './breakpoints/exceptionBreakpoints';
import { CAPABILITIES } from './protocol/capabilities';
import { GuardedSession } from './protocol/guardedSession';
import { attachFailureMessage, errorText } from './util/errors';
import * as exec from './gdb/commands/exec';
import { GdbStop } from './gdb/events';
import { GdbRuntime } from './gdb/runtime';
import { ATTACH_ATTRIBUTES, LAUNCH_ATTRIBUTES, LaunchConfig, parseAttachArgs, parseLaunchArgs, programFileOf, RemoteConfig, unknownAttributes, programEnvironment, SessionConfig, SlotBudget } from './launch/config';
import { crateMain } from './rust/crateMain';
import { defineIndexFunction, prepareRust } from './rust/helpers';
import { rustExpression } from './rust/indexing';
import { RustProgram } from './rust/toolchain';
import { openCoreDump, POST_MORTEM, postMortemRefusal } from './launch/coreDump';
import { connectToGdbserver, remoteWatchReason } from './launch/remote';
import { attachToSelfReason } from './launch/ancestry';
import { encodeExecArgv, EXEC_ARGV_VARIABLE, EXEC_TTY_VARIABLE, usableExecHelper } from './launch/arguments';
import { applyForkPolicy } from './launch/forks';
import { applyGdbSetup } from './launch/gdbSetup';
import { checkGdb } from './launch/gdbVersion';
import { loadProgram, startAtFirstInstruction } from './launch/program';
import { UserError } from './launch/userError';
import { ProgramEnd } from './program/exitStatus';
import { ProgramTerminal } from './terminal/programTerminal';
import { TerminalConsole } from './terminal/terminalConsole';
import { ProgressReporter } from './protocol/progress';
import { StopController } from './stops/stopController';
import { Signal, withTimeout } from './util/timeout';
import { writeMemory } from './presentation/memory';
import { toModule } from './presentation/modules';
import { ThreadList } from './presentation/threads';
import { VariableStore } from './variables/variableStore';
import { liveThreads } from './program/tasks';
import { Watching } from './watchpoints/watching';
import { inspectionHandler } from './requests/inspectionRequests';
import { Hunting } from './races/hunting';
import { pwatchHandler } from './requests/pwatchRequests';
import { observeRefusal, unverifiedWhileObserving } from './observe/observedProcess';
import { ProcessMode } from './observe/processMode';
import { EngineStart } from './watchpoints/setup';

const SHUTDOWN_STEP_MS = 5000;

/** What a DAP step moves by. */
function unitOf(granularity: DebugProtocol.SteppingGranularity | undefined): 'line' | 'instruction' {
  return granularity === 'instruction' ? 'instruction' : 'line';
}

export class PwatchSession extends GuardedSession {
  private runtime: GdbRuntime | undefined;
  private config: SessionConfig | undefined;
  private breakpoints: BreakpointTable | undefined;
  private exceptions: ExceptionBreakpoints | undefined;
  /** The program's Rust toolchain, when rustc built it. */
  private rust: RustProgram | undefined;
  private readonly threadList = new ThreadList();
  private variables: VariableStore | undefined;
  private terminal: ProgramTerminal | undefined;
  /** The editor's terminal the program runs in (console integratedTerminal / externalTerminal). */
  private terminalConsole: TerminalConsole | undefined;
  /** The client can open terminals (runInTerminal). */
  private clientRunsTerminals = false;
  private readonly progress = new ProgressReporter((event) => this.sendEvent(event));
  /** The process-wide data breakpoints and data logpoints. */
  private readonly stops: StopController = new StopController({
    runtime: () => (this.shuttingDown || this.killing || this.leaving ? undefined : this.runtime),
    watching: () => this.watching,
    breakpoints: () => this.breakpoints,
    exceptions: () => this.exceptions,
    hunt: () => this.hunting.hunt,
    send: (event) => this.sendEvent(event),
  });
  private readonly watching = new Watching((event) => this.sendEvent(event), this.progress, (watch) => this.stops.stray.sampled(watch));
  /** Race hunts (pwatch/huntRaces). */
  private readonly hunting = new Hunting(
    (event) => this.sendEvent(event),
    this.progress,
    {
      mark: () => this.stops.runState.mark(),
      holds: (threadId, mark) => this.stops.runState.reportedSince(threadId, mark) || this.stops.runState.isPausePending(threadId),
      handOver: (threadId) => this.stops.reportPendingPause(threadId),
    },
  );
  private readonly configured = new Signal();
  /** During attach, gdb's own stop of the process is not a user-visible stop. */
  private startingUp = true;
  private shuttingDown = false;
  /** terminate stops the program to kill it: its threads' stops are neither shown nor resumed. */
  private killing = false;
  /** gdb stops the program to detach from it and observing goes on: those stops are neither shown nor resumed. */
  private leaving = false;
  /** Observing the process (no tracer) or debugging it, and the moves between the two. */
  private readonly mode = new ProcessMode({
    send: (event) => this.sendEvent(event),
    watching: this.watching,
    stops: this.stops,
    setStartingUp: (startingUp) => (this.startingUp = startingUp),
    endHunt: () => this.hunting.stopCurrent(),
    setLeaving: (leaving) => (this.leaving = leaving),
    ended: () => this.endSession(false),
  });
  private terminatedSent = false;
  /** The client's first column: 1 unless it said columnsStartAt1 false (completions count in its columns). */
  private columnBase = 1;

  protected endForLostClient(): Promise<void> {
    return this.endSession(this.config?.kind === 'launch');
  }

  protected initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.progress.enabled = args?.supportsProgressReporting === true;
    this.columnBase = args?.columnsStartAt1 === false ? 0 : 1;
    this.clientRunsTerminals = args?.supportsRunInTerminalRequest === true;
    response.body = { ...CAPABILITIES };
    this.sendResponse(response);
  }

  protected configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured.resolve();
    this.sendResponse(response);
  }

  protected async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): Promise<void> {
    await this.startSession(response, async () => {
      const config = parseLaunchArgs((args ?? {}) as Record<string, unknown>);
      this.config = config;
      this.warnUnknown(args, LAUNCH_ATTRIBUTES);
      await checkGdb(config.gdbPath);
      if (config.coreDumpPath !== undefined) {
        return this.examineCore(config, config.coreDumpPath);
      }
      const execHelper = usableExecHelper();
      const env = programEnvironment(process.env, config.env);
      this.terminalConsole = await TerminalConsole.forLaunch(config, this.clientRunsTerminals, (a) => this.runInTerminal(a), (text) => this.note(text));
      if (execHelper) {
        env[EXEC_ARGV_VARIABLE] = encodeExecArgv(config.program, config.args);
        if (this.terminalConsole) {
          env[EXEC_TTY_VARIABLE] = this.terminalConsole.path;
        }
      }
      const runtime = await this.startRuntime(config, config.cwd, env);
      if (!this.terminalConsole) {
        await this.openTerminal(runtime);
      } else if (!execHelper) {
        await exec.setInferiorTerminal(runtime.gdb, this.terminalConsole.path);
      }
      await loadProgram(runtime, config.program, config.args, execHelper, () => this.findMain());
      await this.initialized();
      await this.configured.promise;
      const pid = await startAtFirstInstruction(runtime, config.program, execHelper !== undefined);
      this.terminalConsole?.setProgramPid(pid);
      await this.startWatch(runtime, pid, [pid], config.slots, 'launched');
      this.stops.forkCatchpoints = await applyForkPolicy(runtime.gdb, config.forks);
      if (config.stopAtEntry) {
        await exec.breakAtMainOnce(runtime.gdb, this.breakpoints?.mainFunction);
        this.stops.entryPending = true;
      }
      this.startingUp = false;
      this.stops.runState.resumeAsked(undefined);
      await runtime.resumeAll();
    });
  }

  /** Post-mortem: the dump's threads, shown stopped where the fatal signal hit (after the launch response). */
  private async examineCore(config: LaunchConfig, corePath: string): Promise<void> {
    const runtime = await this.startRuntime({ ...config, stopMode: 'all' }, config.cwd, process.env);
    const core = await openCoreDump(runtime, config.program, corePath);
    this.watching.unavailable(POST_MORTEM);
    await this.initialized();
    await this.configured.promise;
    this.startingUp = false;
    setImmediate(() => this.stops.report({ reason: 'exception', description: core.description, text: core.text }, { threadId: core.threadId, allStopped: true }));
  }

  protected refusal(command: string): string | undefined {
    if (this.mode.observedPid !== undefined) {
      return observeRefusal(command);
    }
    return this.runtime?.isPostMortem ? postMortemRefusal(command) : undefined;
  }

  protected async attachRequest(response: DebugProtocol.AttachResponse, args: DebugProtocol.AttachRequestArguments): Promise<void> {
    await this.startSession(response, async () => {
      const config = parseAttachArgs((args ?? {}) as Record<string, unknown>);
      this.config = config;
      this.warnUnknown(args, ATTACH_ATTRIBUTES);
      if (config.kind === 'remote') {
        return this.attachRemote(config);
      }
      // gdb attached to an ancestor would stop the adapter with it; observing stops nothing.
      const self = config.mode === 'debug' || config.pid === process.pid ? attachToSelfReason(config.pid) : undefined;
      if (self) {
        throw new UserError(self);
      }
      await checkGdb(config.gdbPath);
      if (config.mode === 'observe') {
        // Observe mode (observe/processMode.ts): this gdb holds only the program's symbols; nothing traces or stops it.
        await this.mode.observe(await this.startRuntime(config, process.cwd(), process.env), config);
        return this.runWhenConfigured(undefined);
      }
      const runtime = await this.startRuntime(config, process.cwd(), process.env);
      try {
        await exec.attach(runtime.gdb, config.pid);
      } catch (e) {
        throw new UserError(attachFailureMessage(config.pid, e as Error));
      }
      await this.startWatch(runtime, config.pid, liveThreads(config.pid), config.slots, 'attached');
      this.stops.forkCatchpoints = await applyForkPolicy(runtime.gdb, config.forks);
      await this.runWhenConfigured(runtime);
    });
  }

  /** A gdbserver's program: data breakpoints when its process is on this machine, ordinary debugging always. */
  private async attachRemote(config: RemoteConfig): Promise<void> {
    await checkGdb(config.gdbPath);
    const runtime = await this.startRuntime(config, process.cwd(), process.env);
    this.note(await connectToGdbserver(runtime, config));
    if (runtime.pid !== undefined) {
      await this.startWatch(runtime, runtime.pid, liveThreads(runtime.pid), config.slots, 'attached');
    } else {
      this.watching.unavailable(remoteWatchReason(config, runtime.remotePid));
    }
    this.stops.forkCatchpoints = await applyForkPolicy(runtime.gdb, config.forks);
    await this.runWhenConfigured(runtime);
  }

  /** What `main` means for breakpoints: a Rust crate's main (read from the program's code), else gdb's. */
  private async findMain(): Promise<void> {
    if (this.rust && this.runtime && this.breakpoints && this.breakpoints.mainFunction === undefined) {
      this.breakpoints.mainFunction = await crateMain(this.runtime.gdb);
    }
  }

  /** The program is loaded: the client may set breakpoints now. */
  private async initialized(): Promise<void> {
    await this.findMain();
    this.sendEvent(new InitializedEvent());
  }

  /** After attaching: the client configures breakpoints, then the program runs on (an observed one never stopped). */
  private async runWhenConfigured(runtime: GdbRuntime | undefined): Promise<void> {
    await this.initialized();
    await this.configured.promise;
    this.startingUp = false;
    if (runtime) {
      this.stops.runState.resumeAsked(undefined);
      await runtime.resumeAll();
    }
  }

  protected async dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): Promise<void> {
    await this.handle(response, async (_table, runtime, variables) => {
      response.body = await this.watching.info(args ?? { name: '' }, { gdb: runtime.gdb, pid: runtime.pid, variables });
    });
  }

  protected async setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): Promise<void> {
    await this.handle(response, async () => {
      response.body = { breakpoints: await this.watching.setDataBreakpoints(Array.isArray(args?.breakpoints) ? args.breakpoints : []) };
    });
  }

  protected async threadsRequest(response: DebugProtocol.ThreadsResponse): Promise<void> {
    if (this.mode.observedPid !== undefined) {
      response.body = { threads: this.mode.threads() };
      this.sendResponse(response);
      return;
    }
    const runtime = this.runtime;
    if (!runtime?.isAlive || !runtime.hasThreads) {
      response.body = { threads: [] };
      this.sendResponse(response);
      return;
    }
    await this.handle(response, async () => {
      response.body = { threads: await this.threadList.list(runtime) };
    });
  }

  protected async writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): Promise<void> {
    await this.handle(response, async (_table, runtime) => {
      const { start, written } = await writeMemory(runtime.gdb, args);
      response.body = { bytesWritten: written };
      // Views showing this memory (or variables in it) refresh.
      this.sendEvent(new Event('memory', { memoryReference: `0x${start.toString(16)}`, offset: 0, count: written }));
    });
  }

  protected async continueRequest(response: DebugProtocol.ContinueResponse, args: DebugProtocol.ContinueArguments): Promise<void> {
    const nonStop = this.runtime?.nonStop ?? false;
    response.body = { allThreadsContinued: !nonStop };
    // Non-stop: only the thread the user continues resumes; the others are left as they are.
    await this.resume(response, args?.threadId, (gdb) => {
      const sigint = this.stops.takeProgramSigint();
      return sigint !== undefined ? exec.continueWithSignal(gdb, sigint, 'SIGINT') : nonStop ? exec.continueThread(gdb, args.threadId) : exec.continueAll(gdb);
    });
  }

  protected async nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): Promise<void> {
    await this.resume(response, args?.threadId, (gdb) => exec.next(gdb, args.threadId, args.granularity === 'instruction'), unitOf(args.granularity));
  }

  protected async stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): Promise<void> {
    await this.resume(response, args?.threadId, (gdb) => exec.stepIn(gdb, args.threadId, args.granularity === 'instruction'), unitOf(args.granularity));
  }

  protected async stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): Promise<void> {
    await this.resume(response, args?.threadId, (gdb) => exec.stepOut(gdb, { threadId: args.threadId, level: 0 }), 'line');
  }

  protected async pauseRequest(response: DebugProtocol.PauseResponse, args: DebugProtocol.PauseArguments): Promise<void> {
    await this.handle(response, async (_table, runtime) => {
      const threadId = runtime.nonStop ? args?.threadId : undefined;
      if (this.stops.runState.isStopReported(threadId)) {
        return; // already stopped, and the client knows
      }
      // Set before interrupting: a stop the user has not seen yet (a logpoint, a filtered data write)
      // may be on its way to a silent resume, which then reports the pause instead.
      this.stops.runState.pauseAsked(threadId);
      const interrupt = threadId === undefined ? runtime.interrupt() : exec.interruptThread(runtime.gdb, threadId);
      await interrupt.catch(() => undefined);
      this.stops.reportHeldPauses(threadId);
    });
  }

  /** pwatch/* requests (requests/pwatchRequests.ts). */
  protected async customRequest(command: string, response: DebugProtocol.Response, args: unknown): Promise<void> {
    const handler = pwatchHandler(command);
    if (!handler) {
      return super.customRequest(command, response, args);
    }
    return this.handle(response, async (_table, runtime, variables) => {
      response.body = await handler(
        {
          runtime,
          variables,
          watching: this.watching,
          hunting: this.hunting,
          mode: this.mode,
          stops: this.stops,
          isAlive: () => runtime.isAlive && !this.shuttingDown,
          config: this.config,
        },
        args,
      );
    });
  }

  /** Requests answered by one component (inspectionRequests.ts). */
  protected route(request: DebugProtocol.Request): boolean {
    const unverified = this.mode.observedPid !== undefined && unverifiedWhileObserving(request.command, request.arguments);
    if (unverified) {
      const response: DebugProtocol.Response = new Response(request);
      response.body = unverified;
      this.sendResponse(response);
      return true;
    }
    const handler = inspectionHandler(request.command);
    if (!handler) {
      return false;
    }
    const response: DebugProtocol.Response = new Response(request);
    void this.handle(response, async (breakpoints, runtime, variables) => {
      const context = { runtime, breakpoints, exceptions: this.exceptions!, variables, columnBase: this.columnBase, terminal: this.terminal, note: (text: string) => this.note(text), pauseAsked: () => this.stops.runState.pauseAllAsked() };
      response.body = await handler(context, request.arguments as object);
    });
    return true;
  }

  protected cancelRequest(response: DebugProtocol.CancelResponse, args: DebugProtocol.CancelArguments): void {
    if (!this.progress.cancel(args?.progressId)) {
      this.fail(response, 1005, 'nothing to cancel: only opening watch events on many threads can be cancelled', false);
      return;
    }
    this.sendResponse(response);
  }

  protected async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.handle(response, async (_table, runtime) => {
      if (runtime.isPostMortem) {
        return this.endSession(true); // nothing runs: the session ends with gdb
      }
      // A hunt resumes the threads it stalls: it ends (its request answered) before the program is stopped to die.
      await this.endHunt();
      this.killing = true;
      try {
        await runtime.ensureStopped();
        await exec.killProgram(runtime.gdb);
      } finally {
        this.killing = false;
      }
    });
  }

  protected async disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): Promise<void> {
    const terminate = args?.terminateDebuggee ?? this.config?.kind === 'launch';
    await this.endSession(terminate);
    this.sendResponse(response);
    this.shutdown();
  }

  /** The client went away (stdin closed) or disconnected: gdb must not outlive the adapter. */
  shutdown(): void {
    this.watching.closeNow();
    this.runtime?.kill();
    this.terminal?.close();
    this.terminalConsole?.close();
    super.shutdown();
  }

  private warnUnknown(args: object | undefined, known: readonly string[]): void {
    const unknown = unknownAttributes((args ?? {}) as Record<string, unknown>, known);
    unknown.forEach((key) => this.note(`ignored configuration attribute '${key}': pwatch does not know it`));
  }

  /** A line of pwatch's own in the Debug Console. */
  private note(text: string): void {
    this.sendEvent(new OutputEvent(`pwatch: ${text}\n`, 'console'));
  }

  /** Common frame for launch and attach: any failure becomes an error response naming its cause. */
  private async startSession(response: DebugProtocol.Response, body: () => Promise<void>): Promise<void> {
    if (this.runtime || this.shuttingDown) {
      this.fail(response, 1004, 'this session already debugs a program: start a new session instead', true);
      return;
    }
    try {
      await body();
      this.sendResponse(response);
    } catch (e) {
      this.fail(response, 1001, errorText(e), true);
      await this.endSession(true);
    }
  }

  /** Starts gdb with the user's setup applied (before any program is loaded), and follows its events. */
  private async startRuntime(config: SessionConfig, cwd: string, env: NodeJS.ProcessEnv): Promise<GdbRuntime> {
    const runtime = await GdbRuntime.start({ gdbPath: config.gdbPath, cwd, env }, config.stopMode === 'thread', config.setup.threadNotices);
    this.runtime = runtime;
    runtime.on('output', (text, category) => this.sendEvent(new OutputEvent(text, category)));
    await applyGdbSetup(runtime.gdb, config.setup, (text) => this.note(text));
    await defineIndexFunction(runtime.gdb);
    const programFile = programFileOf(config);
    this.rust = programFile === undefined ? undefined : await prepareRust(runtime.gdb, programFile, (text) => this.note(text));
    this.stops.reset(runtime.nonStop);
    this.breakpoints = new BreakpointTable(runtime.gdb, this.rust ? rustExpression : undefined);
    this.exceptions = new ExceptionBreakpoints(runtime.gdb);
    this.variables = new VariableStore(runtime.gdb, this.rust !== undefined);

    runtime.on('stopped', (stop) => this.onStopped(stop));
    runtime.on('running', (threadId) => this.onRunning(threadId));
    runtime.on('threadStarted', (id) => {
      this.sendEvent(new ThreadEvent('started', id));
      this.watching.threadsChanged();
    });
    runtime.on('threadExited', (id) => {
      this.sendEvent(new ThreadEvent('exited', id));
      this.watching.threadsChanged();
    });
    runtime.on('libraryLoaded', (library) => this.sendEvent(new ModuleEvent('new', toModule(library))));
    runtime.on('libraryUnloaded', (id) => this.sendEvent(new ModuleEvent('removed', { id, name: id })));
    runtime.on('processExited', (end) => void this.onProcessExited(end));
    runtime.on('processForked', (pid) => this.note(`the program forked: process ${pid} is debugged too`));
    runtime.on('processLeft', (pid, code) => {
      this.note(`process ${pid} ${code === undefined ? 'was left (detached, or killed by a signal)' : `exited with code ${code}`}; the others go on`);
      if (runtime.pid !== undefined) {
        this.terminalConsole?.setProgramPid(runtime.pid); // Ctrl-C in the terminal goes to the process debugged now
      }
    });
    runtime.on('gdbExited', (reason) => {
      if (!this.shuttingDown) {
        this.sendEvent(new OutputEvent(`pwatch: ${reason} unexpectedly; the session ends.\n`, 'stderr'));
      }
      this.sendTerminated();
    });
    return runtime;
  }

  private async startWatch(runtime: GdbRuntime, pid: number, tids: number[], slots: SlotBudget, how: EngineStart): Promise<void> {
    const notes = await this.watching.start(runtime.gdb, pid, tids, slots, how).catch((e: Error) => [e.message]);
    notes.forEach((note) => this.note(note));
  }

  private async openTerminal(runtime: GdbRuntime): Promise<void> {
    const terminal = await ProgramTerminal.forProgram(runtime.gdb, (text) => this.sendEvent(new OutputEvent(text, 'stdout')));
    if (terminal instanceof Error) {
      this.note(`no terminal for the program (${terminal.message}); its output comes through gdb.`);
    } else {
      this.terminal = terminal;
    }
  }

  private onStopped(stop: GdbStop): void {
    if (!this.startingUp) {
      void this.stops.onStopped(stop);
    }
  }

  private onRunning(threadId: number | undefined): void {
    // A running thread's frames are gone; in non-stop mode the other threads' stay valid.
    this.variables?.clear(this.runtime?.nonStop ? threadId : undefined);
    this.exceptions?.forget(this.runtime?.nonStop ? threadId : undefined);
    if (this.stops.runState.onRunning(threadId)) {
      this.sendEvent(new ContinuedEvent(threadId ?? 1, threadId === undefined));
    }
  }

  private async onProcessExited(end: ProgramEnd): Promise<void> {
    if (this.shuttingDown) {
      return;
    }
    if (end.signal) {
      this.note(`the program was killed by ${end.signal} (exit code ${end.code})`);
    }
    this.sendEvent(new ExitedEvent(end.code));
    await this.endSession(false);
  }

  private async resume(
    response: DebugProtocol.Response,
    threadId: number | undefined,
    command: (gdb: GdbRuntime['gdb']) => Promise<void>,
    step?: 'line' | 'instruction',
  ): Promise<void> {
    // A stop already due (a racing writer's sampled access, the rest of the last step's, a breakpoint a data hit
    // went before) is reported first, before anything runs: one per request.
    if (await this.stops.reportDue(threadId, () => this.sendResponse(response))) {
      return;
    }
    await this.handle(response, async (_table, runtime) => {
      this.stops.runState.resumeAsked(threadId);
      if (step) {
        this.stops.runState.stepAsked(threadId);
      }
      await this.stops.resuming(threadId, step ? { unit: step, again: () => command(runtime.gdb) } : undefined);
      try {
        await command(runtime.gdb);
      } catch (e) {
        this.stops.runState.resumeFailed(threadId);
        runtime.noticeRefusedResume(e instanceof Error ? e.message : String(e));
        throw e;
      }
    });
  }

  /** Runs a request that needs a live session; failures become error responses, never exceptions. */
  private async handle(
    response: DebugProtocol.Response,
    body: (table: BreakpointTable, runtime: GdbRuntime, variables: VariableStore) => Promise<void>,
  ): Promise<void> {
    const { runtime, breakpoints, variables } = this;
    if (!runtime || !breakpoints || !variables || !runtime.isAlive) {
      this.fail(response, 1002, 'no debug session is running (launch or attach first)', false);
      return;
    }
    try {
      await body(breakpoints, runtime, variables);
      this.sendResponse(response);
    } catch (e) {
      this.fail(response, 1003, errorText(e), false);
    }
  }

  /** Ends the session: kill or detach the program, end gdb, close the terminal. Never hangs. */
  private async endSession(terminateProgram: boolean): Promise<void> {
    if (this.shuttingDown) {
      return;
    }
    this.shuttingDown = true;
    this.mode.stop();
    this.stops.stray.cancel();
    // Close every watchpoint event first: nothing may trap in a program we detach from. A hunt ends before (its held
    // thread resumes, its code samples go, its request is answered).
    const runtime = this.runtime;
    await this.endHunt();
    // Closing is synchronous; the last logpoint report asks gdb for symbols, so it gets a deadline.
    await withTimeout(this.watching.close(), SHUTDOWN_STEP_MS, 'reporting the last logged accesses').catch((e: Error) => this.note(e.message));
    const failure = await runtime?.end(terminateProgram);
    if (failure) {
      this.sendEvent(new OutputEvent(`pwatch: ${failure}; stopping gdb.\n`, 'stderr'));
    }
    await this.terminal?.settle();
    this.terminal?.close();
    this.terminalConsole?.close();
    this.sendTerminated();
  }

  private endHunt(): Promise<void> {
    return withTimeout(this.hunting.close(), SHUTDOWN_STEP_MS, 'ending the race hunt').catch((e: Error) => this.note(e.message));
  }

  private sendTerminated(): void {
    if (!this.terminatedSent) {
      this.terminatedSent = true;
      this.sendEvent(new TerminatedEvent());
    }
  }
}
