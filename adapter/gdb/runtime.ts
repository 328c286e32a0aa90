/**
 * The gdb runtime: owns one gdb process, turns its MI async records into typed events and keeps the
 * little state the session needs (is the program running, which pid). It knows nothing about DAP.
 */
import { EventEmitter } from 'events';
import * as fs from 'fs';
import * as exec from './commands/exec';
import { parseFrame } from './commands/stack';
import { GdbConnection, GdbLaunchOptions, MiSender } from './connection';
import { GdbRuntimeEvents, GdbStop, GdbStopReason } from './events';
import { miInt, miString, miTuple } from './mi/access';
import { MiAsyncRecord } from './mi/types';

const KNOWN_REASONS: ReadonlySet<string> = new Set([
  'breakpoint-hit',
  'end-stepping-range',
  'function-finished',
  'location-reached',
  'signal-received',
  'watchpoint-trigger',
  'exception',
]);

function connectionTime(): string {
  return new Date().toISOString().slice(11, 23);
}

export class GdbRuntime extends EventEmitter<GdbRuntimeEvents> {
  readonly gdb: MiSender;
  private running = false;
  private processId: number | undefined;
  private stopWaiters: Array<() => void> = [];

  private constructor(private readonly connection: GdbConnection) {
    super();
    this.gdb = connection;
    connection.on('async', (record) => this.onAsync(record));
    connection.on('stream', (record) => {
      if (record.kind === 'target') {
        this.emit('output', record.text, 'stdout');
      } else {
        this.emit('output', record.text, 'console');
      }
    });
    // Lines that are not MI are the program's own output when it shares gdb's stdout (no terminal).
    connection.on('unknown', (line) => this.emit('output', line + '\n', 'stdout'));
    connection.on('stderr', (text) => this.emit('output', text, 'stderr'));
    connection.on('exit', (code, signal) => {
      this.running = false;
      this.releaseStopWaiters();
      this.emit('gdbExited', signal ? `gdb was killed by ${signal}` : `gdb exited with code ${code}`);
    });
  }

  /** Starts gdb and puts it in the mode pwatch relies on. */
  static async start(options: GdbLaunchOptions): Promise<GdbRuntime> {
    const runtime = new GdbRuntime(GdbConnection.start(options));
    const trace = process.env.PWATCH_TRACE;
    if (trace) {
      // Every MI line both ways, for diagnosing gdb itself: to a file when given a path, else stderr.
      const write = trace.startsWith('/') ? (text: string) => fs.appendFileSync(trace, text) : (text: string) => process.stderr.write(text);
      runtime.onTrace((line) => write(`[gdb ${connectionTime()}] ${line}\n`));
    }
    const gdb = runtime.gdb;
    // Asynchronous MI: gdb accepts commands (interrupt, thread list) while the program runs.
    await exec.setOption(gdb, 'mi-async', 'on');
    // No shell ever starts the program: nothing in its arguments is interpreted.
    await exec.setOption(gdb, 'startup-with-shell', 'off');
    await exec.setOption(gdb, 'confirm', 'off');
    await exec.setOption(gdb, 'width', '0');
    await exec.setOption(gdb, 'height', '0');
    return runtime;
  }

  get isRunning(): boolean {
    return this.running;
  }

  get pid(): number | undefined {
    return this.processId;
  }

  get isAlive(): boolean {
    return this.connection.isAlive;
  }

  onTrace(listener: (line: string) => void): void {
    this.connection.on('trace', listener);
  }

  /** Resolves at the next stop (or at once when stopped, or when gdb dies). */
  waitForStop(): Promise<void> {
    if (!this.running || !this.connection.isAlive) {
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
    if (this.running) {
      const stopped = this.waitForStop();
      await exec.interrupt(this.gdb);
      await stopped;
    }
  }

  kill(): void {
    this.connection.kill();
  }

  private onAsync(record: MiAsyncRecord): void {
    const r = record.results;
    switch (`${record.kind}:${record.asyncClass}`) {
      case 'exec:running': {
        this.running = true;
        const thread = miString(r, 'thread-id');
        this.emit('running', thread === undefined || thread === 'all' ? undefined : Number(thread));
        break;
      }
      case 'exec:stopped':
        this.onStopped(record);
        break;
      case 'notify:thread-created':
        this.emit('threadStarted', miInt(r, 'id') ?? 0);
        break;
      case 'notify:thread-exited':
        this.emit('threadExited', miInt(r, 'id') ?? 0);
        break;
      case 'notify:thread-group-started':
        this.processId = miInt(r, 'pid');
        if (this.processId !== undefined) {
          this.emit('processStarted', this.processId);
        }
        break;
      case 'notify:thread-group-exited': {
        this.processId = undefined;
        this.running = false;
        // gdb prints the exit code in octal.
        const code = miString(r, 'exit-code');
        this.emit('processExited', code === undefined ? undefined : parseInt(code, 8));
        this.releaseStopWaiters();
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
      // The process is gone; thread-group-exited carries the exit code.
      return;
    }
    this.running = false;
    const frame = miTuple(r, 'frame');
    const thread = miInt(r, 'thread-id');
    const stop: GdbStop = {
      reason: (KNOWN_REASONS.has(reason) ? reason : 'unknown') as GdbStopReason,
      threadId: thread,
      breakpointNumber: miInt(r, 'bkptno'),
      signalName: miString(r, 'signal-name'),
      signalMeaning: miString(r, 'signal-meaning'),
      frame: frame ? parseFrame(frame) : undefined,
      allStopped: miString(r, 'stopped-threads') === 'all' || r['stopped-threads'] === undefined,
    };
    this.releaseStopWaiters();
    this.emit('stopped', stop);
  }

  private releaseStopWaiters(): void {
    const waiters = this.stopWaiters;
    this.stopWaiters = [];
    waiters.forEach((resolve) => resolve());
  }
}
