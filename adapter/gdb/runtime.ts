/**
 * The gdb runtime: owns one gdb process, turns its MI async records into typed events and keeps the
 * little state the session needs (is the program running, which pid). It knows nothing about DAP.
 */
import { EventEmitter } from 'events';
import * as exec from './commands/exec';
import { parseLibrary } from './commands/file';
import { parseFrame } from './commands/stack';
import { ConsoleNotices } from './consoleNotices';
import { GdbConnection, GdbLaunchOptions, MiSender } from './connection';
import { GdbRuntimeEvents, GdbStop, GdbStopReason } from './events';
import { miInt, miList, miString, miTuple } from './mi/access';
import { MiAsyncRecord } from './mi/types';
import { trace, tracing } from '../util/trace';
import { awaitEndOfProcess, ProgramEnd, signalNumber } from '../program/exitStatus';
import { isLocalGdbserverProcess } from '../program/localProcess';
import { signalsPending } from '../program/pendingSignals';
import { poll, withTimeout } from '../util/timeout';
import { miCliCommand, miCommand } from './mi/quote';

/** The deadline of each step of ending a session (plus 2 ms per thread for stopping and detaching). */
const END_STEP_MS = 5000;
/** How long a failed resume waits for a killed program's exit to show in /proc (a loaded machine is slow to run it). */
const RESUME_FAILURE_GRACE_MS = 3000;
/** How long to wait for gdb to name the signal that ended the program. */
const SIGNAL_EXIT_WAIT_MS = 500;

/** How many resume-and-stop rounds detaching spends draining queued signals at most. */
const DETACH_DRAIN_ROUNDS = 20;

const KNOWN_REASONS: ReadonlySet<string> = new Set([
  'breakpoint-hit',
  'end-stepping-range',
  'function-finished',
  'location-reached',
  'signal-received',
  'watchpoint-trigger',
  'exception',
]);

export class GdbRuntime extends EventEmitter<GdbRuntimeEvents> {
  readonly gdb: MiSender;
  /** Live threads and those of them gdb says are running (all-stop: all or none; non-stop: any). */
  private readonly threads = new Set<number>();
  private readonly runningThreads = new Set<number>();
  private processId: number | undefined;
  /** endProgram detaches and gdb stays: the process's end is a departure, not an exit. */
  private leaving = false;
  /** The target is a core file: there are threads and memory, but no process (pid stays undefined). */
  private coreOf: number | undefined;
  /** The target is a gdbserver; `foreignPid` is its process's pid when that is not a process of this machine. */
  private remote = false;
  private foreignPid: number | undefined;
  /** Live processes by gdb's thread group (i1, i2: more than one when gdb keeps forked children). */
  private readonly groups = new Map<string, number>();
  /** A program ended by a signal is reported once gdb names the signal (see thread-group-exited). */
  private pendingSignalExit: NodeJS.Timeout | undefined;
  private stopWaiters: Array<() => void> = [];

  private constructor(
    private readonly connection: GdbConnection,
    /** gdb's non-stop mode: a stop (and a resume) concerns one thread, the others keep running. */
    readonly nonStop: boolean,
    /** gdb's console notices of pwatch's own traps and of threads are not the user's to read. */
    readonly notices: ConsoleNotices,
  ) {
    super();
    this.gdb = connection;
    connection.on('async', (record) => this.onAsync(record));
    connection.on('stream', (record) => {
      if (record.kind === 'target') {
        this.emit('output', record.text, 'stdout');
      } else if (record.kind === 'log' && /No such process/.test(record.text) && this.processId !== undefined) {
        // Non-stop gdb says only this (no ^error) when it resumes a program that was killed while stopped.
        void this.onResumeFailed(record.text.trim(), () => this.emit('output', record.text, 'console'));
      } else if (record.kind === 'console') {
        const shown = this.notices.feed(record.text);
        if (shown) {
          this.emit('output', shown, 'console');
        }
      } else {
        this.emit('output', record.text, 'console');
      }
    });
    // Lines that are not MI are the program's own output when it shares gdb's stdout (no terminal).
    connection.on('unknown', (line) => this.emit('output', line + '\n', 'stdout'));
    connection.on('stderr', (text) => this.emit('output', text, 'stderr'));
    connection.on('resumeFailed', (message) => void this.onResumeFailed(message, () => this.reportUnresumable(message)));
    connection.on('exit', (code, signal) => {
      this.runningThreads.clear();
      this.releaseStopWaiters();
      this.emit('gdbExited', signal ? `gdb was killed by ${signal}` : `gdb exited with code ${code}`);
    });
  }

  /** Starts gdb and puts it in the mode pwatch relies on. */
  static async start(options: GdbLaunchOptions, nonStop = false, threadNotices = false): Promise<GdbRuntime> {
    const runtime = new GdbRuntime(GdbConnection.start(options), nonStop, new ConsoleNotices(threadNotices));
    if (tracing) {
      runtime.onTrace((line) => trace('gdb', line));
    }
    const gdb = runtime.gdb;
    // Asynchronous MI: gdb accepts commands (interrupt, thread list) while the program runs.
    await exec.setOption(gdb, 'mi-async', 'on');
    // No shell ever starts the program: nothing in its arguments is interpreted.
    await exec.setOption(gdb, 'startup-with-shell', 'off');
    await exec.setOption(gdb, 'confirm', 'off');
    await exec.setOption(gdb, 'width', '0');
    await exec.setOption(gdb, 'height', '0');
    if (nonStop) {
      await exec.setOption(gdb, 'non-stop', 'on');
    }
    // pwatch pauses with a SIGSTOP (interrupt()): a stop, never the program's job-control stop.
    await exec.consoleCommand(gdb, 'handle SIGSTOP stop print nopass');
    // Values as the program's language shows them: libstdc++'s and Rust's printers (gdb loads them with the
    // program's libraries), and a base-class pointer shown as the object's dynamic type.
    await gdb.send(miCommand('-enable-pretty-printing'));
    await gdb.send(miCliCommand('-gdb-set', 'print', 'object', 'on'));
    return runtime;
  }

  /** The threads gdb announced and has not seen exit, by gdb's number. */
  get threadIds(): number[] {
    return [...this.threads].sort((a, b) => a - b);
  }

  /** Some thread runs (in all-stop: the program runs). */
  get isRunning(): boolean {
    return this.runningThreads.size > 0;
  }

  isThreadRunning(threadId: number): boolean {
    return this.runningThreads.has(threadId);
  }

  /** The live process's pid; undefined before it starts, after it ends, and for a core file. */
  get pid(): number | undefined {
    return this.processId;
  }

  /** A core file is the target: its threads and memory can be examined, nothing can run. */
  get isPostMortem(): boolean {
    return this.coreOf !== undefined;
  }

  /** There are threads to show: a live process (here or behind a gdbserver) or a core file. */
  get hasThreads(): boolean {
    return this.groups.size > 0 || this.processId !== undefined || this.coreOf !== undefined || this.foreignPid !== undefined;
  }

  /** The target is a gdbserver (on this machine or not). */
  get isRemote(): boolean {
    return this.remote;
  }

  /** The remote process's pid as the gdbserver knows it, when it is not a process of this machine. */
  get remotePid(): number | undefined {
    return this.foreignPid;
  }

  /**
   * Connects to a gdbserver. gdb announces its process; pid is set only when that process is on this machine
   * (traced by a gdbserver here), so nothing of this machine is read or signalled for a process elsewhere.
   */
  async connectRemote(target: string): Promise<void> {
    this.remote = true;
    await exec.connectRemote(this.gdb, target);
  }

  /** Makes a core file of the loaded program the target (gdb announces its threads as a process of the dump's pid). */
  async openCore(path: string): Promise<void> {
    this.coreOf = 0;
    try {
      await exec.openCore(this.gdb, path);
    } catch (e) {
      this.coreOf = undefined;
      throw e;
    }
  }

  get isAlive(): boolean {
    return this.connection.isAlive;
  }

  onTrace(listener: (line: string) => void): void {
    this.connection.on('trace', listener);
  }

  /** Resolves once no thread runs (at once if none does), or when gdb dies. */
  waitForStop(): Promise<void> {
    if (!this.isRunning || !this.connection.isAlive) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.stopWaiters.push(resolve));
  }

  /** The next stop, whenever it comes (undefined if the process or gdb ends first). */
  nextStop(): Promise<GdbStop | undefined> {
    return new Promise((resolve) => {
      const onStop = (stop: GdbStop) => done(stop);
      const onEnd = () => done(undefined);
      const done = (stop: GdbStop | undefined) => {
        this.off('stopped', onStop);
        this.off('processExited', onEnd);
        this.off('gdbExited', onEnd);
        resolve(stop);
      };
      this.on('stopped', onStop);
      this.on('processExited', onEnd);
      this.on('gdbExited', onEnd);
    });
  }

  /** Stops the program if it runs, and waits until gdb says it stopped. */
  async ensureStopped(): Promise<void> {
    if (this.isRunning) {
      const stopped = this.waitForStop();
      await (this.nonStop ? exec.interruptAll(this.gdb) : this.interrupt());
      await stopped;
    }
  }

  /**
   * Interrupts an all-stop program of this machine with a SIGSTOP from pwatch, which gdb reports as a stop and keeps
   * from the program (handle SIGSTOP nopass). gdb's own interrupt is a SIGINT to the process, which a program that
   * blocks SIGINT in every thread (a signalfd reader) never receives, and which a signal thread waiting in sigwait
   * takes as the user's Ctrl-C and shuts the program down (measured: test-workspace/src/sigwaiter.c exited on gdb's
   * interrupt, with gdb alone too). Telling those programs apart from /proc raced with threads entering sigwait and
   * with exiting threads; a SIGSTOP cannot be blocked, caught, waited for or read from a signalfd. A gdbserver's
   * program gets gdb's interrupt, as its process may not be ours to signal.
   */
  async interrupt(): Promise<void> {
    if (this.processId !== undefined && !this.remote) {
      try {
        process.kill(this.processId, 'SIGSTOP');
        return;
      } catch {
        // gone meanwhile: gdb's interrupt says so
      }
    }
    await exec.interrupt(this.gdb);
  }

  /**
   * Stops the program so that it can be detached with nothing of the debugger left in it: breakpoints
   * removed, and no SIGINT (gdb's interrupt) or SIGTRAP (a data breakpoint's trap) still queued in the
   * kernel, where it would reach the untraced program and end it. The interrupt can still be queued when
   * another stop (a logpoint's) arrived first and was taken for its answer: resuming lets it arrive, and gdb,
   * which does not pass either signal, keeps it from the program.
   */
  async stopForDetach(): Promise<void> {
    await this.ensureStopped();
    if (this.processId === undefined && this.foreignPid === undefined) {
      return;
    }
    await this.gdb.send(miCommand('-break-delete')).catch(() => undefined);
    for (let round = 0; round < DETACH_DRAIN_ROUNDS && this.processId !== undefined && signalsPending(this.processId); round++) {
      const stopped = this.nextStop();
      await this.resumeAll();
      await withTimeout(stopped, 1000, 'a queued signal').catch(() => undefined);
      await this.ensureStopped();
    }
  }

  /**
   * Ends the program (kills it, or detaches leaving it running and untraced) and gdb, within deadlines; gdb
   * is killed whatever happens. Returns what went wrong, if anything, for the user.
   */
  async end(terminateProgram: boolean): Promise<string | undefined> {
    let failure: string | undefined;
    if (this.isAlive) {
      try {
        await this.endProgram(terminateProgram);
        await withTimeout(exec.exitGdb(this.gdb), END_STEP_MS, 'gdb exit').catch(() => undefined);
      } catch (e) {
        failure = e instanceof Error ? e.message : String(e);
      }
    }
    this.kill();
    return failure;
  }

  /** Kills or detaches every process gdb debugs; gdb stays (a session going back to observing keeps its symbols). */
  async endProgram(terminateProgram: boolean): Promise<void> {
    if (this.processId !== undefined || this.foreignPid !== undefined) {
      // gdb stops and detaches thread by thread: give a program with thousands of them the time it takes.
      const step = END_STEP_MS + 2 * this.threads.size;
      await withTimeout(terminateProgram ? this.ensureStopped() : this.stopForDetach(), step, 'stopping the program');
      this.leaving = !terminateProgram;
      try {
        await withTimeout(exec.endInferiors(this.gdb, terminateProgram ? 'kill' : 'detach', this.inferiorNumbers()), step, 'ending the program');
      } finally {
        this.leaving = false;
      }
    }
  }

  /** gdb's numbers of the live processes (inferior 1, 2, ...). */
  private inferiorNumbers(): number[] {
    return [...this.groups.keys()].map((group) => Number(group.replace(/^i/, ''))).filter((n) => Number.isInteger(n) && n > 0);
  }

  /** Resumes every thread, in either mode. */
  async resumeAll(): Promise<void> {
    await (this.nonStop ? exec.continueEveryThread(this.gdb) : exec.continueAll(this.gdb));
  }

  kill(): void {
    this.connection.kill();
  }

  private onAsync(record: MiAsyncRecord): void {
    const r = record.results;
    switch (`${record.kind}:${record.asyncClass}`) {
      case 'exec:running': {
        const thread = miString(r, 'thread-id');
        const all = thread === undefined || thread === 'all';
        if (all) {
          this.threads.forEach((id) => this.runningThreads.add(id));
        } else {
          this.runningThreads.add(Number(thread));
        }
        this.emit('running', all ? undefined : Number(thread));
        break;
      }
      case 'exec:stopped':
        this.onStopped(record);
        break;
      case 'notify:thread-created': {
        const id = miInt(r, 'id') ?? 0;
        this.threads.add(id);
        // A thread that a running thread created runs too (gdb sends no *running for it; without this a program
        // whose first thread stands still would count as stopped while its other threads run).
        if (this.isRunning) {
          this.runningThreads.add(id);
        }
        this.emit('threadStarted', id);
        break;
      }
      case 'notify:thread-exited': {
        const id = miInt(r, 'id') ?? 0;
        this.threads.delete(id);
        this.runningThreads.delete(id);
        if (!this.isRunning) {
          this.releaseStopWaiters();
        }
        this.emit('threadExited', id);
        break;
      }
      case 'notify:library-loaded':
        this.emit('libraryLoaded', parseLibrary(r));
        break;
      case 'notify:library-unloaded':
        this.emit('libraryUnloaded', miString(r, 'id') ?? '');
        break;
      case 'notify:thread-group-started': {
        const pid = miInt(r, 'pid');
        if (this.coreOf !== undefined) {
          // The dumped process's pid: long gone, perhaps reused by another process; never touched.
          this.coreOf = pid ?? 0;
          break;
        }
        if (this.remote && pid !== undefined && !isLocalGdbserverProcess(pid)) {
          this.foreignPid = pid;
          break;
        }
        if (pid === undefined) {
          break;
        }
        this.groups.set(miString(r, 'id') ?? '', pid);
        if (this.processId === undefined) {
          this.processId = pid;
          this.emit('processStarted', pid);
        } else {
          this.emit('processForked', pid); // a child gdb keeps (detach-on-fork off, or followed)
        }
        break;
      }
      case 'notify:thread-group-exited': {
        if (this.coreOf !== undefined) {
          break; // the core file was closed: nothing ran, nothing exited
        }
        const group = miString(r, 'id') ?? '';
        const pid = this.groups.get(group);
        this.groups.delete(group);
        const code = miString(r, 'exit-code');
        if (this.groups.size > 0) {
          // One of several processes (a fork gdb kept) ended, or was detached (the parent of a followed child).
          if (pid === this.processId) {
            this.processId = [...this.groups.values()][0];
          }
          this.emit('processLeft', pid ?? 0, code === undefined ? undefined : parseInt(code, 8));
          break;
        }
        this.threads.clear();
        this.runningThreads.clear();
        if (this.leaving) {
          this.processId = undefined;
          this.releaseStopWaiters();
          break;
        }
        // gdb prints the exit code in octal. With none, a signal ended the program: gdb names it in the
        // *stopped (exited-signalled) that comes right after this (measured, gdb 13); SIGKILL if none comes,
        // the only signal that ends a traced program unseen by gdb.
        if (code !== undefined) {
          this.reportExit({ code: parseInt(code, 8) });
        } else {
          this.pendingSignalExit = setTimeout(() => this.reportSignalExit('SIGKILL'), SIGNAL_EXIT_WAIT_MS);
        }
        break;
      }
      default:
        break;
    }
  }

  private onStopped(record: MiAsyncRecord): void {
    const r = record.results;
    const reason = miString(r, 'reason') ?? 'unknown';
    if (reason.startsWith('exited')) {
      // The process is gone; thread-group-exited (just before) carried the exit code, or nothing when a
      // signal killed it: then this names the signal.
      if (reason === 'exited-signalled' && this.pendingSignalExit) {
        this.reportSignalExit(miString(r, 'signal-name') ?? 'SIGKILL');
      }
      if (this.groups.size > 0 && !this.nonStop) {
        // One of several processes ended; all-stop gdb stopped the others for it: they run on, from a live
        // inferior (gdb's current one is the one that ended: "The program is not being run.").
        const live = this.inferiorNumbers()[0];
        void exec
          .consoleCommand(this.gdb, `inferior ${live}`)
          .then(() => this.resumeAll())
          .catch((e: Error) => this.emit('output', `pwatch: could not resume the other processes: ${e.message}\n`, 'stderr'));
      }
      return;
    }
    const stoppedThreads = r['stopped-threads'];
    if (stoppedThreads === undefined || stoppedThreads === 'all') {
      this.runningThreads.clear();
    } else {
      miList(r, 'stopped-threads').forEach((id) => this.runningThreads.delete(Number(id)));
    }
    const frame = miTuple(r, 'frame');
    const thread = miInt(r, 'thread-id');
    const stop: GdbStop = {
      reason: (KNOWN_REASONS.has(reason) ? reason : 'unknown') as GdbStopReason,
      threadId: thread,
      breakpointNumber: miInt(r, 'bkptno'),
      signalName: miString(r, 'signal-name'),
      signalMeaning: miString(r, 'signal-meaning'),
      frame: frame ? parseFrame(frame) : undefined,
      allStopped: stoppedThreads === undefined || stoppedThreads === 'all',
    };
    if (!this.isRunning) {
      this.releaseStopWaiters();
    }
    this.emit('stopped', stop);
  }

  /**
   * A resume command gdb refused outright. A thread killed while gdb held it stopped makes gdb fail before it
   * resumes anything ("Couldn't get registers: No such process."): that is the program's end, reported as its exit.
   */
  noticeRefusedResume(message: string): void {
    if (/No such process|Command aborted/i.test(message)) {
      void this.onResumeFailed(message, () => undefined);
    }
  }

  /**
   * A resume that failed after gdb answered ^running. When the program was killed from outside while stopped,
   * this is how its end shows (there is no *stopped), and it is reported as the exit; `ifAlive` runs when the
   * program turns out to live on.
   */
  private async onResumeFailed(message: string, ifAlive: () => void): Promise<void> {
    const pid = this.processId;
    const end = pid === undefined ? undefined : await awaitEndOfProcess(pid, RESUME_FAILURE_GRACE_MS);
    if (pid !== undefined && this.processId !== pid) {
      return; // gdb reported the end itself meanwhile
    }
    if (!end) {
      ifAlive();
      return;
    }
    // Gone from /proc may mean reaped by gdb after an ordinary exit, whose report is on its way (seen in CI: a
    // forked child's "No such process" came just before the parent's exit code 0, and was taken for a kill).
    if (await poll(() => (this.processId !== pid ? true : undefined), SIGNAL_EXIT_WAIT_MS)) {
      return;
    }
    this.runningThreads.clear();
    this.emit('output', `pwatch: the program ${end.signal ? `was killed by ${end.signal}` : `exited with code ${end.code}`} while stopped (gdb: ${message})\n`, 'console');
    this.reportExit(end);
  }

  private reportUnresumable(message: string): void {
    this.runningThreads.clear();
    this.releaseStopWaiters();
    this.emit('output', `pwatch: gdb could not resume the program: ${message}\n`, 'stderr');
    this.emit('stopped', { reason: 'unknown', allStopped: true });
  }

  private reportSignalExit(signal: string): void {
    clearTimeout(this.pendingSignalExit);
    this.pendingSignalExit = undefined;
    this.reportExit({ code: 128 + (signalNumber(signal) ?? 9), signal });
  }

  private reportExit(end: ProgramEnd): void {
    this.emit('processExited', end);
    this.processId = undefined;
    this.foreignPid = undefined;
    this.groups.clear();
    this.releaseStopWaiters();
  }

  private releaseStopWaiters(): void {
    const waiters = this.stopWaiters;
    this.stopWaiters = [];
    waiters.forEach((resolve) => resolve());
  }
}
