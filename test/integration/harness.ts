/**
 * Drives the real adapter (dist/adapter.js, as shipped) over DAP with DebugClient, against real gdb and
 * the compiled test-workspace programs. Nothing here is mocked.
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { CoverageEventBody, HitEventBody } from '../../adapter/protocol/pwatchProtocol';
import { onPwatchEvent } from '../../adapter/protocol/pwatchClient';
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { requireFiringWatchpoints } from '../machine';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const ADAPTER = path.join(ROOT, 'dist', 'adapter.js');
export const WORKSPACE = path.join(ROOT, 'test-workspace');
/** How long a test waits for an event; PWATCH_TIMEOUT_SCALE stretches it where everything runs slower (the VM bench). */
export const SLOWER = Number(process.env.PWATCH_TIMEOUT_SCALE) || 1;
export const TIMEOUT = 20000 * SLOWER;
let sessions = 0;

export function program(name: string): string {
  return path.join(WORKSPACE, 'bin', name);
}

export function sourceOf(name: string, extension: 'c' | 'cpp' | 'rs' = 'c'): string {
  return path.join(WORKSPACE, 'src', `${name}.${extension}`);
}

/** The 1-based line of the `BP:<marker>` comment (C's or C++'s) in a test-workspace source. */
export function markerLine(name: string, marker: string, extension: 'c' | 'cpp' | 'rs' = 'c'): number {
  const lines = fs.readFileSync(sourceOf(name, extension), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(`/* BP:${marker} */`) || l.trimEnd().endsWith(`// BP:${marker}`));
  if (index < 0) {
    throw new Error(`no BP:${marker} in ${name}.${extension}`);
  }
  return index + 1;
}

/**
 * Integration tests need gdb and the built adapter. Outside CI a machine without them skips with the
 * reason; under CI=true nothing may skip, so a broken CI machine fails loudly.
 */
export function requireToolchain(context: Mocha.Context): void {
  const missing: string[] = [];
  try {
    execFileSync('gdb', ['--version'], { stdio: 'ignore' });
  } catch {
    missing.push('gdb is not installed');
  }
  if (!fs.existsSync(ADAPTER)) {
    missing.push(`${ADAPTER} is missing (run npm run build)`);
  }
  if (!fs.existsSync(program('threads'))) {
    missing.push('test-workspace programs are not built (make -C test-workspace)');
  }
  if (missing.length === 0) {
    return;
  }
  if (process.env.CI) {
    throw new Error(`integration tests cannot run: ${missing.join('; ')}`);
  }
  console.log(`    skipped: ${missing.join('; ')}`);
  context.skip();
}

/**
 * Hardware watchpoint tests run only where a watched write fires (see test/machine.ts): under CI=true a kernel
 * that refuses fails the run; a machine whose debug registers never fire skips them, loudly, with the reason.
 */
/** A variable's children: all of them, or (start and count given) one page of its indexed ones. */
export async function childrenOf(s: Session, reference: number, start?: number, count?: number): Promise<DebugProtocol.Variable[]> {
  const args: DebugProtocol.VariablesArguments = start === undefined ? { variablesReference: reference } : { variablesReference: reference, filter: 'indexed', start, count };
  return (await s.dc.variablesRequest(args)).body.variables;
}

/** The Rust tests need a Rust program, built by the Makefile when rustc is installed: under CI=true its absence fails. */
export function requireRust(context: Mocha.Context): void {
  requireToolchain(context);
  if (fs.existsSync(program('accounts'))) {
    return;
  }
  const reason = 'no Rust program was built: rustc is not installed (install rustup, or Debian\'s rustc and rust-gdb, then npm run build)';
  if (process.env.CI) {
    throw new Error(`the Rust tests cannot run: ${reason}`);
  }
  console.log(`    skipped: ${reason}`);
  context.skip();
}

export function requireWatchpoints(context: Mocha.Context): void {
  requireToolchain(context);
  requireFiringWatchpoints(context);
}

/** A DebugClient that records every event, so tests can look at events that came before they asked. */
export class Session {
  readonly dc: DebugClient;
  readonly outputs: DebugProtocol.OutputEvent[] = [];
  readonly coverage: CoverageEventBody[] = [];
  readonly hits: HitEventBody[] = [];

  /** The adapter's diagnostic trace (MI lines and stop decisions): its end is printed when a test fails. */
  readonly traceFile: string | undefined;

  constructor(client?: DebugClient) {
    this.traceFile = client || process.env.PWATCH_TRACE ? undefined : path.join(os.tmpdir(), `pwatch-trace-${process.pid}-${++sessions}.log`);
    const env = this.traceFile ? { ...process.env, PWATCH_TRACE: this.traceFile } : process.env;
    this.dc = client ?? new DebugClient('node', ADAPTER, 'pwatch', { env }, true);
    this.dc.defaultTimeout = TIMEOUT;
    this.dc.on('output', (e: DebugProtocol.OutputEvent) => this.outputs.push(e));
    onPwatchEvent(this.dc, 'pwatch/coverage', (body) => this.coverage.push(body));
    onPwatchEvent(this.dc, 'pwatch/hit', (body) => this.hits.push(body));
  }

  async start(): Promise<this> {
    await this.dc.start();
    return this;
  }

  output(category: string): string {
    return this.outputs
      .filter((e) => (e.body.category ?? 'console') === category)
      .map((e) => e.body.output)
      .join('');
  }

  /** Waits until output of `category` matches, without sleeping: polls on each new output event. */
  async waitForOutput(category: string, pattern: RegExp, timeout = TIMEOUT): Promise<string> {
    const deadline = Date.now() + timeout;
    while (!pattern.test(this.output(category))) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no ${category} output matching ${pattern}; got ${JSON.stringify(this.output(category))}`);
      }
      await this.dc.waitForEvent('output', left).catch(() => undefined);
    }
    return this.output(category);
  }

  /** Launches with source breakpoints (file → lines) set during configuration; resolves at the first stop. */
  async launchToStop(
    args: Record<string, unknown>,
    breakpoints: Record<string, DebugProtocol.SourceBreakpoint[]> = {},
  ): Promise<DebugProtocol.StoppedEvent> {
    const stopped = this.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await Promise.all([this.configure(breakpoints), this.dc.launch(args)]);
    return stopped;
  }

  async configure(breakpoints: Record<string, DebugProtocol.SourceBreakpoint[]> = {}): Promise<void> {
    await this.dc.waitForEvent('initialized');
    for (const [file, bps] of Object.entries(breakpoints)) {
      await this.dc.setBreakpointsRequest({ source: { path: file }, breakpoints: bps });
    }
    await this.dc.configurationDoneRequest();
  }

  /** Arms data breakpoints on globals (by name) and returns the response's breakpoints. */
  async watchGlobals(...watches: Array<{ name: string } & Partial<DebugProtocol.DataBreakpoint>>): Promise<DebugProtocol.Breakpoint[]> {
    const breakpoints: DebugProtocol.DataBreakpoint[] = [];
    for (const { name, ...rest } of watches) {
      const info = await this.dc.dataBreakpointInfoRequest({ name });
      if (!info.body.dataId) {
        throw new Error(`cannot watch ${name}: ${info.body.description}`);
      }
      breakpoints.push({ accessType: 'write', ...rest, dataId: info.body.dataId });
    }
    return (await this.dc.setDataBreakpointsRequest({ breakpoints })).body.breakpoints;
  }

  /** Continues and returns the next stop. */
  async continueToStop(threadId: number): Promise<DebugProtocol.StoppedEvent> {
    const next = this.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await this.dc.continueRequest({ threadId });
    return next;
  }

  async topFrame(threadId: number): Promise<DebugProtocol.StackFrame> {
    const trace = await this.dc.stackTraceRequest({ threadId, startFrame: 0, levels: 1 });
    return trace.body.stackFrames[0];
  }

  async localsOf(frameId: number): Promise<DebugProtocol.Variable[]> {
    const scopes = await this.dc.scopesRequest({ frameId });
    const locals = scopes.body.scopes.find((s) => s.name === 'Locals');
    if (!locals) {
      throw new Error('no Locals scope');
    }
    return (await this.dc.variablesRequest({ variablesReference: locals.variablesReference })).body.variables;
  }

  /** Ends the session whatever state it is in (even with the adapter dead), and stops the adapter. */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.dc.disconnectRequest({ terminateDebuggee: true }).catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, 5000))),
    ]);
    clearTimeout(timer);
    this.stopAdapter();
    if (this.traceFile) {
      fs.rmSync(this.traceFile, { force: true });
    }
  }

  /** The trace's last lines, each cut short: what gdb and the adapter did just before a failure. */
  traceTail(lines = 80): string {
    if (!this.traceFile || !fs.existsSync(this.traceFile)) {
      return '';
    }
    const tail = fs.readFileSync(this.traceFile, 'utf8').split('\n').slice(-lines - 1);
    return tail.map((line) => (line.length > 240 ? `${line.slice(0, 240)}…` : line)).join('\n');
  }

  /** Kills the adapter process without asking it anything (DebugClient.stop would send a disconnect first). */
  stopAdapter(): void {
    (this.dc as unknown as { stopAdapter(): void }).stopAdapter();
  }
}

export async function withSession<T>(body: (session: Session) => Promise<T>): Promise<T> {
  const session = await new Session().start();
  try {
    return await body(session);
  } catch (e) {
    // A failure seen once in many runs (a CI machine's) must say what gdb and the adapter did just before it.
    const tail = session.traceTail();
    if (e instanceof Error && tail) {
      e.message += `\n--- the adapter's trace before the failure (last lines) ---\n${tail}`;
    }
    throw e;
  } finally {
    await session.close();
  }
}

/** True while a process with this pid exists (and is not a zombie). */
export function processAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** The State: and TracerPid: lines of /proc/PID/status. */
export function processStatus(pid: number): { state: string; tracerPid: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    state: /^State:\s+(\S)/m.exec(status)?.[1] ?? '?',
    tracerPid: Number(/^TracerPid:\s+(\d+)/m.exec(status)?.[1] ?? -1),
  };
}

/** Starts a test program outside the debugger (for attach), resolving once its first line matching `firstLine` is out. */
export function startProgram(name: string, args: string[], firstLine: RegExp, stdin: 'ignore' | 'pipe' = 'ignore'): Promise<{ child: ChildProcess; pid: number; line: string }> {
  const child = spawn(program(name), args, { stdio: [stdin, 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = firstLine.exec(text);
      if (match) {
        resolve({ child, pid: child.pid!, line: match[0] });
      }
    });
    child.once('error', reject);
  });
}

/** Launches spin (which runs until killed or for `seconds`) and returns its pid, from its own output. */
export async function launchSpin(s: Session, seconds = 60): Promise<number> {
  await Promise.all([s.configure(), s.dc.launch({ program: program('spin'), args: [String(seconds)] })]);
  const output = await s.waitForOutput('stdout', /spin: pid \d+/);
  return Number(/spin: pid (\d+)/.exec(output)![1]);
}

/**
 * The first of `events` the adapter sends within `timeout`. Unlike racing DebugClient.waitForEvent calls, it leaves
 * no listener and no timer behind (a losing waitForEvent's timer keeps mocha from exiting until it fires).
 */
export function firstEvent(dc: DebugClient, events: string[], timeout = TIMEOUT): Promise<DebugProtocol.Event> {
  return new Promise((resolve, reject) => {
    const settle = (event: DebugProtocol.Event | undefined) => {
      clearTimeout(timer);
      events.forEach((name) => dc.removeListener(name, settle));
      if (event) {
        resolve(event);
      } else {
        reject(new Error(`none of the events ${events.join(', ')} came within ${timeout} ms`));
      }
    };
    const timer = setTimeout(() => settle(undefined), timeout);
    events.forEach((name) => dc.on(name, settle));
  });
}

/** Polls the OS until `condition` holds (returns as soon as it does; not a sleep). */
export async function until(condition: () => boolean, what: string, timeout = TIMEOUT): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Checks for a while that `condition` keeps holding (to prove that something does not happen). */
export async function holds(condition: () => boolean, what: string, duration = 500): Promise<void> {
  const deadline = Date.now() + duration;
  while (Date.now() < deadline) {
    if (!condition()) {
      throw new Error(`no longer true: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * A describe block for tests that need real gdb ('gdb') or also hardware watchpoints ('watchpoints'):
 * they skip with the reason outside CI when the machine lacks them, and fail under CI=true.
 */
export function suite(title: string, needs: 'gdb' | 'watchpoints' | 'rust', timeouts: number, body: () => void): void {
  describe(title, function () {
    this.timeout(TIMEOUT * timeouts);
    before(function () {
      ({ gdb: requireToolchain, watchpoints: requireWatchpoints, rust: requireRust })[needs](this);
    });
    body();
  });
}
