/**
 * One gdb process speaking GDB/MI on its stdin/stdout. Commands carry numeric tokens so each result
 * record finds the promise that waits for it; everything else (async and stream records) is emitted.
 */
import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import { EventEmitter } from 'events';
import { MiStreamParser } from './mi/parser';
import { MiSender, MiAsyncRecord, MiRecord, MiStreamRecord, MiTuple } from './mi/types';

export interface GdbLaunchOptions {
  gdbPath: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A command that gdb answered with `^error`. */
export class GdbCommandError extends Error {
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message);
  }
}

/** gdb went away before answering. */
export class GdbExitedError extends Error {}

/** What a command sender needs: the typed command wrappers depend on this, not on the process. */
export type { MiSender };

interface Pending {
  command: string;
  resolve(results: MiTuple): void;
  reject(error: Error): void;
}

export interface GdbConnectionEvents {
  async: [MiAsyncRecord];
  stream: [MiStreamRecord];
  stderr: [string];
  unknown: [string];
  exit: [number | null, NodeJS.Signals | null];
  trace: [string];
  /**
   * A second answer to a command already answered with ^running: gdb said it resumed, then failed (the
   * program was killed from outside while stopped: "Command aborted."). Nothing else waits for it.
   */
  resumeFailed: [string];
}

/** Tokens answered with ^running that gdb may still answer again with ^error (bounded: the last few). */
const RECENT_RUNNING = 64;

export class GdbConnection extends EventEmitter<GdbConnectionEvents> implements MiSender {
  private readonly parser = new MiStreamParser();
  private readonly answeredRunning: number[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextToken = 1;
  private exited = false;

  /** What gdb wrote after its last newline, not traced yet (output comes in chunks of any size, down to a byte). */
  private traceRest = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    super();
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.listenerCount('trace') > 0) {
        this.traceLines(chunk.toString('utf8'));
      }
      this.records(this.parser.push(chunk));
    });
    child.stderr.on('data', (chunk: Buffer) => this.emit('stderr', chunk.toString('utf8')));
    child.on('error', (error) => this.gone(error.message));
    child.on('exit', (code, signal) => {
      this.gone(signal ? `gdb was killed by ${signal}` : `gdb exited with code ${code}`);
      this.emit('exit', code, signal);
    });
    // A write to a gdb that just died must not crash the adapter: 'exit' reports it.
    child.stdin.on('error', () => undefined);
  }

  /** Starts gdb in MI mode without reading any init file. No shell is involved. */
  static start(options: GdbLaunchOptions): GdbConnection {
    const child = spawn(options.gdbPath, ['--interpreter=mi3', '-nx', '-q'], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new GdbConnection(child);
  }

  /** Traces gdb's output a whole line at a time, without its prompts. */
  private traceLines(text: string): void {
    const lines = (this.traceRest + text).split('\n');
    this.traceRest = lines.pop() ?? '';
    for (const line of lines.filter((l) => !/^\(gdb\) ?$/.test(l))) {
      this.emit('trace', `<-- ${line}`);
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isAlive(): boolean {
    return !this.exited;
  }

  send(command: string): Promise<MiTuple> {
    if (this.exited) {
      return Promise.reject(new GdbExitedError(`gdb is not running (${command.split(' ')[0]})`));
    }
    const token = this.nextToken++;
    return new Promise<MiTuple>((resolve, reject) => {
      this.pending.set(token, { command, resolve, reject });
      this.emit('trace', `--> ${token}${command}`);
      this.child.stdin.write(`${token}${command}\n`);
    });
  }

  /** Ends gdb; the debuggee it launched dies with it (gdb kills what it started). */
  kill(): void {
    if (!this.exited) {
      this.child.kill('SIGKILL');
    }
  }

  private records(records: MiRecord[]): void {
    for (const record of records) {
      switch (record.kind) {
        case 'result': {
          const waiter = record.token === undefined ? undefined : this.pending.get(record.token);
          if (!waiter || record.token === undefined) {
            if (record.resultClass === 'error' && record.token !== undefined && this.answeredRunning.includes(record.token)) {
              this.emit('resumeFailed', typeof record.results.msg === 'string' ? record.results.msg : 'gdb reported an error');
            }
            break;
          }
          this.pending.delete(record.token);
          if (record.resultClass === 'running') {
            this.answeredRunning.push(record.token);
            if (this.answeredRunning.length > RECENT_RUNNING) {
              this.answeredRunning.shift();
            }
          }
          if (record.resultClass === 'error') {
            const msg = typeof record.results.msg === 'string' ? record.results.msg : 'gdb reported an error';
            waiter.reject(new GdbCommandError(msg, waiter.command));
          } else {
            waiter.resolve(record.results);
          }
          break;
        }
        case 'exec':
        case 'status':
        case 'notify':
          this.emit('async', record);
          break;
        case 'console':
        case 'target':
        case 'log':
          this.emit('stream', record);
          break;
        case 'unknown':
          this.emit('unknown', record.line);
          break;
        case 'prompt':
          break;
      }
    }
  }

  private gone(reason: string): void {
    if (this.exited) {
      return;
    }
    this.exited = true;
    for (const waiter of this.pending.values()) {
      waiter.reject(new GdbExitedError(`${reason} before answering ${waiter.command.split(' ')[0]}`));
    }
    this.pending.clear();
  }
}
