/**
 * Whether a session observes its process (no tracer; observedProcess.ts) or debugs it (gdb attached), and the moves
 * between the two: "Attach Debugger Now" (pwatch/attachDebugger) and back (pwatch/detachDebugger). Data logpoints
 * live through both moves with their counts; data breakpoints exist only while debugging. The session asks this
 * module which mode it is in and maps the answers to DAP.
 */
import { ContinuedEvent, InitializedEvent, OutputEvent, ThreadEvent } from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';
import * as exec from '../gdb/commands/exec';
import { GdbRuntime } from '../gdb/runtime';
import { AttachConfig } from '../launch/config';
import { applyForkPolicy } from '../launch/forks';
import { UserError } from '../launch/userError';
import { pwatchEvent } from '../protocol/pwatchProtocol';
import { StopController } from '../stops/stopController';
import { attachFailureMessage } from '../util/errors';
import { liveThreads } from '../program/tasks';
import { Watching } from '../watchpoints/watching';
import { observedLogSource } from './symbolPlaces';
import { followProcess, loadSymbols, observedProgram, ObservedProgram, observedThreads, ProcessWatch } from './observedProcess';

/** What the mode switch needs of the session. */
export interface ModePorts {
  send(event: DebugProtocol.Event): void;
  watching: Watching;
  stops: StopController;
  /** gdb's own stop of the process while it attaches is no stop to show. */
  setStartingUp(startingUp: boolean): void;
  /** Ends a race hunt before gdb leaves (its held threads resume; the request is answered "stopped"). */
  endHunt(): Promise<void>;
  /** While gdb stops the program to detach, its stops are neither shown nor resumed. */
  setLeaving(leaving: boolean): void;
  /** The observed process exited: the session ends. */
  ended(): Promise<void>;
}

export class ProcessMode {
  /** Set while observing. */
  private observed: ObservedProgram | undefined;
  private following: ProcessWatch | undefined;
  /** A move between observing and debugging is under way: another would race it (a second attach kills). */
  private switching = false;

  constructor(private readonly ports: ModePorts) {}

  /** The observed process's pid, while observing. */
  get observedPid(): number | undefined {
    return this.observed?.pid;
  }

  /** The observed process's threads, numbered by tid (there is no gdb numbering). */
  threads(): DebugProtocol.Thread[] {
    return this.observed ? observedThreads(this.observed.pid).map((t) => ({ id: t.tid, name: `${t.name} (tid ${t.tid})` })) : [];
  }

  /** Starts observing `config.pid` with `runtime`, a gdb holding no process: its symbols are loaded at the load bias. */
  async observe(runtime: GdbRuntime, config: AttachConfig): Promise<void> {
    const program = observedProgram(config.pid);
    await loadSymbols(runtime.gdb, program);
    this.observed = program;
    const source = await observedLogSource(runtime.gdb, program.pid);
    const notes = await this.ports.watching.start(runtime.gdb, program.pid, liveThreads(program.pid), config.slots, 'observed', source).catch((e: Error) => [e.message]);
    const logpoints = this.ports.watching.logpoints;
    if (logpoints instanceof Error) {
      // Data logpoints are all an observing session does: without them there is nothing to offer.
      throw new UserError(`cannot observe process ${program.pid}: ${logpoints.message}`);
    }
    notes.forEach((text) => this.note(text));
    this.follow(program.pid);
    this.ports.send(pwatchEvent('pwatch/mode', { mode: 'observe', pid: program.pid }));
    this.note(`observing process ${program.pid} (${program.exe}) without tracing it: data logpoints only; nothing stops it`);
  }

  /** pwatch/attachDebugger: gdb attaches to the observed process; its data logpoints go on, counts kept. */
  attachDebugger(runtime: GdbRuntime, config: AttachConfig): Promise<void> {
    return this.switch(() => this.attach(runtime, config));
  }

  /** pwatch/detachDebugger: gdb detaches and observing goes on; data breakpoints go, data logpoints stay. */
  detachDebugger(runtime: GdbRuntime): Promise<void> {
    return this.switch(() => this.detach(runtime));
  }

  /** One move at a time: gdb answers a second attach to a process it holds by killing it. */
  private async switch(move: () => Promise<void>): Promise<void> {
    if (this.switching) {
      throw new UserError('the session is already changing between observing and debugging: wait until it has');
    }
    this.switching = true;
    try {
      await move();
    } finally {
      this.switching = false;
    }
  }

  private async attach(runtime: GdbRuntime, config: AttachConfig): Promise<void> {
    const observed = this.observed;
    if (!observed) {
      throw new UserError('a debugger is attached already: pwatch/attachDebugger turns an observing session into a full one');
    }
    this.following?.stop();
    this.ports.setStartingUp(true);
    try {
      await exec.attach(runtime.gdb, observed.pid);
    } catch (e) {
      this.ports.setStartingUp(false);
      this.follow(observed.pid);
      throw new UserError(attachFailureMessage(observed.pid, e as Error));
    }
    this.observed = undefined;
    (await this.ports.watching.debuggerAttached(runtime.gdb, observed.pid, config.slots)).forEach((text) => this.note(text));
    this.ports.stops.forkCatchpoints = await applyForkPolicy(runtime.gdb, config.forks);
    this.ports.send(pwatchEvent('pwatch/mode', { mode: 'debug', pid: observed.pid }));
    this.note(`debugger attached to process ${observed.pid}: breakpoints, stepping and stacks work now; data logpoints go on`);
    // The client sends its breakpoints again (they were answered "never stops" while observing).
    this.ports.send(new InitializedEvent());
    this.ports.setStartingUp(false);
    this.ports.stops.runState.resumeAsked(undefined);
    await runtime.resumeAll();
  }

  private async detach(runtime: GdbRuntime): Promise<void> {
    const pid = runtime.pid;
    if (pid === undefined || this.observed || runtime.isPostMortem) {
      throw new UserError('only a session attached to a running process of this machine can go back to observing it');
    }
    const program = observedProgram(pid);
    await this.ports.endHunt();
    // Data breakpoint events close before gdb detaches: one left would kill the program with its SIGTRAP.
    this.ports.watching.debuggerLeft(await observedLogSource(runtime.gdb, pid));
    this.ports.setLeaving(true);
    try {
      await runtime.endProgram(false);
    } finally {
      this.ports.setLeaving(false);
    }
    await loadSymbols(runtime.gdb, program);
    this.observed = program;
    this.follow(pid);
    this.ports.send(new ContinuedEvent(0, true));
    this.ports.send(pwatchEvent('pwatch/mode', { mode: 'observe', pid }));
    this.note(`debugger detached from process ${pid}: observing it now, untraced; data logpoints go on`);
  }

  /** The session ends: /proc is no longer followed. */
  stop(): void {
    this.following?.stop();
  }

  private follow(pid: number): void {
    this.following = followProcess(pid, {
      exited: () => {
        this.note(`process ${pid} exited`);
        void this.ports.ended();
      },
      execed: (program) => {
        // The kernel removed the events with the old program (remove_on_exec); its addresses mean nothing now.
        this.note(`process ${pid} executed ${program}: its data logpoints watched the old program's memory; the session ends (observe it again to watch the new program)`);
        void this.ports.ended();
      },
      threads: (started, exited) => {
        started.forEach((tid) => this.ports.send(new ThreadEvent('started', tid)));
        exited.forEach((tid) => this.ports.send(new ThreadEvent('exited', tid)));
        this.ports.watching.threadsChanged();
      },
    });
  }

  private note(text: string): void {
    this.ports.send(new OutputEvent(`pwatch: ${text}\n`, 'console'));
  }
}
