/**
 * Launch and attach arguments: checked and normalised before gdb starts, so that bad input fails with a
 * message naming the cause and the fix instead of a gdb error later.
 */
import * as fs from 'fs';
import * as dotenv from 'dotenv';
import * as path from 'path';
import { ForkPolicy, parseForkPolicy } from './forks';
import { GdbSetup, parseGdbSetup } from './gdbSetup';
import { UserError } from './userError';

/** Where the program's input and output go: the editor's terminal (through runInTerminal) or the Debug Console. */
export type ConsoleKind = 'integratedTerminal' | 'externalTerminal' | 'internalConsole';

/** all: gdb's all-stop (a stop stops every thread); thread: non-stop (only the thread that stopped). */
export type StopMode = 'all' | 'thread';

export interface LaunchConfig {
  kind: 'launch';
  program: string;
  args: string[];
  cwd: string;
  /** Variables to add to (string) or remove from (null) the program's environment. */
  env: Record<string, string | null>;
  stopAtEntry: boolean;
  gdbPath: string;
  /** Debug registers pwatch reserves in every thread for data breakpoints, and for data logpoints. */
  slots: SlotBudget;
  stopMode: StopMode;
  /** A core file of `program` to examine instead of running it. */
  coreDumpPath?: string;
  setup: GdbSetup;
  /** Unset: the editor's integrated terminal when the client can open one, else the Debug Console. */
  console?: ConsoleKind;
  forks: ForkPolicy;
}

export interface AttachConfig {
  kind: 'attach';
  pid: number;
  /** debug: gdb traces the process. observe: nothing traces it; only data logpoints (see observe/observedProcess.ts). */
  mode: AttachMode;
  gdbPath: string;
  slots: SlotBudget;
  stopMode: StopMode;
  setup: GdbSetup;
  forks: ForkPolicy;
}

export type AttachMode = 'debug' | 'observe';

/** How the four x86 debug registers of every thread are shared; whatever is left stays free. */
export interface SlotBudget {
  watch: number;
  logpoint: number;
}

/** Attach to a gdbserver: `target` is "host:port" or "| command" (a gdbserver gdb starts and talks to over a pipe). */
export interface RemoteConfig {
  kind: 'remote';
  target: string;
  /** The program's file here, for symbols (without it gdb reads what it can from the target). */
  program?: string;
  sysroot?: string;
  gdbPath: string;
  slots: SlotBudget;
  stopMode: StopMode;
  setup: GdbSetup;
  forks: ForkPolicy;
}

export type SessionConfig = LaunchConfig | AttachConfig | RemoteConfig;

/** The program's file on this machine, when known before gdb loads it (an attached process's is its /proc exe). */
export function programFileOf(config: SessionConfig): string | undefined {
  return config.kind === 'attach' ? `/proc/${config.pid}/exe` : config.program;
}

const SHARED_ATTRIBUTES = ['gdbPath', 'watchSlots', 'logpointSlots', 'stopMode', 'setupCommands', 'sourceFileMap', 'signals', 'additionalSOLibSearchPath', 'threadNotices'];
/** What happens at fork (launch and attach; a core dump ignores it). */
const FORK_ATTRIBUTES = ['followFork', 'detachOnFork'];
/** The attributes pwatch reads (package.json declares exactly these; a unit test holds the two together). */
export const LAUNCH_ATTRIBUTES: readonly string[] = ['program', 'args', 'cwd', 'env', 'envFile', 'stopAtEntry', 'coreDumpPath', 'console', ...FORK_ATTRIBUTES, ...SHARED_ATTRIBUTES];
export const ATTACH_ATTRIBUTES: readonly string[] = ['pid', 'mode', 'target', 'program', 'sysroot', ...FORK_ATTRIBUTES, ...SHARED_ATTRIBUTES];
/** What VS Code and other clients put in every configuration, for themselves. */
const CLIENT_ATTRIBUTES = new Set([
  'type', 'request', 'name', 'preLaunchTask', 'postDebugTask', 'internalConsoleOptions', 'debugServer', 'presentation',
  'noDebug', 'suppressMultipleSessionWarning', 'serverReadyAction', 'windows', 'linux', 'osx',
]);

/** Attributes neither pwatch nor the client reads: a misspelt "stopAtentry" must not pass unnoticed. */
export function unknownAttributes(raw: Args, known: readonly string[]): string[] {
  return Object.keys(raw).filter((key) => !known.includes(key) && !CLIENT_ATTRIBUTES.has(key) && !key.startsWith('__'));
}

type Args = Record<string, unknown>;

export function parseLaunchArgs(raw: Args): LaunchConfig {
  const program = raw.program;
  if (typeof program !== 'string' || program.trim() === '') {
    throw new UserError("'program' is required: set it to the path of the executable to debug.");
  }
  const givenCwd = optionalString(raw, 'cwd');
  const resolvedProgram = path.resolve(givenCwd ?? process.cwd(), program);
  const cwd = givenCwd ? path.resolve(givenCwd) : path.dirname(resolvedProgram);
  checkExecutable(resolvedProgram);
  checkDirectory(cwd);
  const core = optionalString(raw, 'coreDumpPath');
  const coreDumpPath = core === undefined ? undefined : path.resolve(givenCwd ?? process.cwd(), core);
  if (coreDumpPath !== undefined) {
    checkReadableFile(coreDumpPath, 'coreDumpPath', 'the core file the program left');
  }
  return {
    kind: 'launch',
    program: resolvedProgram,
    args: stringArray(raw, 'args'),
    cwd,
    env: { ...environmentFile(raw, givenCwd), ...environment(raw) },
    stopAtEntry: optionalBoolean(raw, 'stopAtEntry') ?? false,
    gdbPath: optionalString(raw, 'gdbPath') ?? 'gdb',
    slots: slotBudget(raw),
    stopMode: stopMode(raw),
    ...(coreDumpPath === undefined ? {} : { coreDumpPath }),
    ...consoleKind(raw),
    setup: parseGdbSetup(raw),
    forks: parseForkPolicy(raw),
  };
}

export function parseAttachArgs(raw: Args): AttachConfig | RemoteConfig {
  const mode = attachMode(raw);
  if (raw.target !== undefined && raw.target !== null) {
    if (mode === 'observe') {
      throw new UserError(`'mode' "observe" watches a process of this machine by its 'pid'; a gdbserver's program ('target') is debugged: remove one of them.`);
    }
    return parseRemoteArgs(raw);
  }
  const value = raw.pid;
  const pid = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) {
    throw new UserError(`'pid' must be a positive process id, not ${JSON.stringify(value)}.`);
  }
  if (!fs.existsSync(`/proc/${pid}`)) {
    throw new UserError(`no process with pid ${pid} exists: check the pid (ps -e) and that the program still runs.`);
  }
  return { kind: 'attach', pid, mode, gdbPath: optionalString(raw, 'gdbPath') ?? 'gdb', slots: slotBudget(raw, mode === 'observe'), stopMode: stopMode(raw), setup: parseGdbSetup(raw), forks: parseForkPolicy(raw) };
}

function parseRemoteArgs(raw: Args): RemoteConfig {
  const target = optionalString(raw, 'target')?.trim() ?? '';
  const pipe = target.startsWith('|');
  if (/[\0\r\n]/.test(target) || (!pipe && !/^([\w.-]+|\[[0-9a-fA-F:]+\]):\d{1,5}$/.test(target)) || (pipe && target.slice(1).trim() === '')) {
    throw new UserError(`'target' must be "host:port" (a gdbserver listening there) or "| command" (a gdbserver started by gdb, e.g. "| gdbserver - ./program"), not ${JSON.stringify(target)}.`);
  }
  const program = optionalString(raw, 'program');
  const resolved = program === undefined ? undefined : path.resolve(process.cwd(), program);
  if (resolved !== undefined) {
    checkReadableFile(resolved, 'program', "the program's file here, for its symbols");
  }
  const sysroot = optionalString(raw, 'sysroot');
  if (sysroot !== undefined && /[\0\r\n]/.test(sysroot)) {
    throw new UserError(`'sysroot' contains a line break.`);
  }
  return {
    kind: 'remote',
    target,
    ...(resolved === undefined ? {} : { program: resolved }),
    ...(sysroot === undefined ? {} : { sysroot }),
    gdbPath: optionalString(raw, 'gdbPath') ?? 'gdb',
    slots: slotBudget(raw),
    stopMode: stopMode(raw),
    setup: parseGdbSetup(raw),
    forks: parseForkPolicy(raw),
  };
}

function consoleKind(raw: Args): { console?: ConsoleKind } {
  const value = optionalString(raw, 'console');
  if (value === undefined) {
    return {};
  }
  if (value !== 'integratedTerminal' && value !== 'externalTerminal' && value !== 'internalConsole') {
    throw new UserError(`'console' must be "integratedTerminal", "externalTerminal" or "internalConsole", not ${JSON.stringify(value)}.`);
  }
  return { console: value };
}

function attachMode(raw: Args): AttachMode {
  const value = optionalString(raw, 'mode') ?? 'debug';
  if (value !== 'debug' && value !== 'observe') {
    throw new UserError(`'mode' must be "debug" (gdb traces the process) or "observe" (data logpoints only, nothing stops or traces it), not ${JSON.stringify(value)}.`);
  }
  return value;
}

function stopMode(raw: Args): StopMode {
  const value = optionalString(raw, 'stopMode') ?? 'all';
  if (value !== 'all' && value !== 'thread') {
    throw new UserError(`'stopMode' must be "all" (a stop stops every thread) or "thread" (only the thread that stopped), not ${JSON.stringify(value)}.`);
  }
  return value;
}

const DEBUG_REGISTERS = 4;

function wholeNumber(raw: Args, key: string, min: number, max: number, meaning: string): number | undefined {
  const value = raw[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new UserError(`'${key}' must be a whole number from ${min} to ${max} (${meaning}), not ${JSON.stringify(value)}.`);
  }
  return value;
}

/**
 * x86-64 has four debug registers per thread. Data breakpoints take three and data logpoints one unless
 * told otherwise; both are reserved when the program starts, because threads created later can only
 * inherit events that exist then.
 */
/**
 * The registers each thread gives data breakpoints and data logpoints. Observing has only data logpoints until a
 * debugger attaches: unless told otherwise it keeps half the registers for each.
 */
function slotBudget(raw: Args, observing = false): SlotBudget {
  const watch = wholeNumber(raw, 'watchSlots', 1, DEBUG_REGISTERS, 'debug registers per thread for data breakpoints');
  const logpoint = wholeNumber(raw, 'logpointSlots', 0, DEBUG_REGISTERS - 1, 'debug registers per thread for data logpoints');
  if (watch !== undefined && logpoint !== undefined && watch + logpoint > DEBUG_REGISTERS) {
    throw new UserError(`'watchSlots' (${watch}) and 'logpointSlots' (${logpoint}) together exceed the ${DEBUG_REGISTERS} debug registers of a thread: lower one of them.`);
  }
  if (watch !== undefined) {
    return { watch, logpoint: logpoint ?? Math.min(1, DEBUG_REGISTERS - watch) };
  }
  const logs = logpoint ?? (observing ? DEBUG_REGISTERS / 2 : 1);
  return { watch: DEBUG_REGISTERS - logs, logpoint: logs };
}

function checkExecutable(program: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(program);
  } catch {
    throw new UserError(`program '${program}' does not exist: build it first, or fix 'program' in launch.json.`);
  }
  if (!stat.isFile()) {
    throw new UserError(`program '${program}' is not a file: 'program' must name an executable.`);
  }
  try {
    fs.accessSync(program, fs.constants.X_OK);
  } catch {
    throw new UserError(`program '${program}' is not executable: run 'chmod +x ${program}' or point 'program' at the built binary.`);
  }
}

function checkReadableFile(file: string, key: string, meaning: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
    fs.accessSync(file, fs.constants.R_OK);
  } catch (e) {
    const cause = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new UserError(`'${key}' ${JSON.stringify(file)} ${cause}: it must name ${meaning}.`);
  }
  if (!stat.isFile()) {
    throw new UserError(`'${key}' ${JSON.stringify(file)} is not a file: it must name ${meaning}.`);
  }
}

function checkDirectory(cwd: string): void {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(cwd);
  } catch {
    stat = undefined;
  }
  if (!stat?.isDirectory()) {
    throw new UserError(`working directory '${cwd}' does not exist: create it or fix 'cwd' in launch.json.`);
  }
}

function optionalString(raw: Args, key: string): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new UserError(`'${key}' must be a string, not ${JSON.stringify(value)}.`);
  }
  return value;
}

function optionalBoolean(raw: Args, key: string): boolean | undefined {
  const value = raw[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'boolean') {
    throw new UserError(`'${key}' must be true or false, not ${JSON.stringify(value)}.`);
  }
  return value;
}

function stringArray(raw: Args, key: string): string[] {
  const value = raw[key];
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new UserError(`'${key}' must be an array of strings.`);
  }
  return value as string[];
}

/**
 * `envFile`: variables in the dotenv format (KEY=value lines, # comments, quotes, `export`), read with the
 * dotenv library; `env` wins where both name a variable.
 */
/** An environment larger than this cannot even be passed to a program (the kernel's argument space). */
const ENV_FILE_LIMIT = 1024 * 1024;

function environmentFile(raw: Args, givenCwd: string | undefined): Record<string, string> {
  const file = optionalString(raw, 'envFile');
  if (file === undefined) {
    return {};
  }
  const resolved = path.resolve(givenCwd ?? process.cwd(), file);
  let text: string;
  try {
    // A device or a FIFO (/dev/zero) would never end: only a plain file of sane size is read.
    const stat = fs.statSync(resolved);
    if (!stat.isFile() || stat.size > ENV_FILE_LIMIT) {
      throw new UserError(`'envFile' ${JSON.stringify(resolved)} is not a plain file of at most ${ENV_FILE_LIMIT / 1024} KiB.`);
    }
    text = fs.readFileSync(resolved, 'utf8');
  } catch (e) {
    if (e instanceof UserError) {
      throw e;
    }
    throw new UserError(`'envFile' ${JSON.stringify(resolved)} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}): fix the path or remove 'envFile'.`);
  }
  try {
    return environment({ env: dotenv.parse(text) }) as Record<string, string>;
  } catch (e) {
    throw new UserError(`'envFile' ${JSON.stringify(resolved)}: ${(e as Error).message}`);
  }
}

function environment(raw: Args): Record<string, string | null> {
  const value = raw.env;
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError("'env' must be an object of NAME: value pairs.");
  }
  const env: Record<string, string | null> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new UserError(`environment variable name ${JSON.stringify(name)} is not valid.`);
    }
    if (v !== null && typeof v !== 'string') {
      throw new UserError(`environment variable ${name} must be a string (or null to remove it).`);
    }
    if (typeof v === 'string' && v.includes('\0')) {
      throw new UserError(`environment variable ${name} contains a NUL character.`);
    }
    env[name] = v as string | null;
  }
  return env;
}

/** The environment gdb runs in: the program inherits it (gdb copies its own environment). */
export function programEnvironment(base: NodeJS.ProcessEnv, changes: Record<string, string | null>): NodeJS.ProcessEnv {
  const env = { ...base };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) {
      delete env[name];
    } else {
      env[name] = value;
    }
  }
  return env;
}
