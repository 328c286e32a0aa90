/**
 * What the user tells gdb before the program is loaded: `setupCommands` (cpptools' shape), `sourceFileMap`
 * (where sources built elsewhere are now) and `signals` (which signals stop the program). Parsed and checked
 * here, applied by `applyGdbSetup` right after gdb starts.
 */
import * as os from 'os';
import * as path from 'path';
import { errorText } from '../util/errors';
import * as exec from '../gdb/commands/exec';
import { MiSender } from '../gdb/connection';
import { cliQuoted } from '../gdb/mi/quote';
import { UserError } from './userError';

export interface SetupCommand {
  text: string;
  description?: string;
  ignoreFailures: boolean;
}

export type SignalAction = 'stop' | 'pass' | 'ignore';

export interface GdbSetup {
  setupCommands: SetupCommand[];
  /** Compile-time prefix → where those sources are now. */
  sourceFileMap: Array<{ from: string; to: string }>;
  signals: Array<{ name: string; action: SignalAction }>;
  /** Where gdb looks for the program's shared libraries before the usual places. */
  solibSearchPath: string[];
  /** gdb's "[New Thread ...]" / "[Thread ... exited]" lines in the Debug Console (off: DAP thread events say it). */
  threadNotices: boolean;
}

type Args = Record<string, unknown>;

export function parseGdbSetup(raw: Args): GdbSetup {
  return {
    setupCommands: setupCommands(raw.setupCommands),
    sourceFileMap: sourceFileMap(raw.sourceFileMap),
    signals: signals(raw.signals),
    solibSearchPath: solibSearchPath(raw.additionalSOLibSearchPath),
    threadNotices: threadNotices(raw.threadNotices),
  };
}

function threadNotices(value: unknown): boolean {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new UserError(`'threadNotices' must be true or false.`);
  }
  return value === true;
}

/** cpptools' form: directories separated by semicolons. */
function solibSearchPath(value: unknown): string[] {
  if (value === undefined || value === null || value === '') {
    return [];
  }
  if (typeof value !== 'string') {
    throw new UserError(`'additionalSOLibSearchPath' must be a string of directories separated by ';'.`);
  }
  const dirs = value.split(';').map((d) => d.trim()).filter((d) => d !== '');
  for (const dir of dirs) {
    if (/[:\0\r\n]/.test(dir)) {
      throw new UserError(`'additionalSOLibSearchPath': ${JSON.stringify(dir)} contains ':' or a line break, which gdb's search path cannot hold.`);
    }
  }
  return dirs.map((d) => path.resolve(d));
}

function setupCommands(value: unknown): SetupCommand[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new UserError(`'setupCommands' must be an array of { "text": "<gdb command>", "ignoreFailures": true|false }.`);
  }
  return value.map((item: unknown, i) => {
    const entry = typeof item === 'string' ? { text: item } : (item as Args | null);
    const text = entry?.text;
    if (typeof text !== 'string' || text.trim() === '') {
      throw new UserError(`'setupCommands' entry ${i + 1} needs a "text": the gdb command to run.`);
    }
    if (/[\r\n]/.test(text)) {
      throw new UserError(`'setupCommands' entry ${i + 1} spans several lines: give one command per entry.`);
    }
    const ignore = entry?.ignoreFailures;
    if (ignore !== undefined && typeof ignore !== 'boolean') {
      throw new UserError(`'setupCommands' entry ${i + 1}: "ignoreFailures" must be true or false.`);
    }
    const description = typeof entry?.description === 'string' ? entry.description : undefined;
    return { text: text.trim(), description, ignoreFailures: ignore === true };
  });
}

function sourceFileMap(value: unknown): GdbSetup['sourceFileMap'] {
  if (value === undefined || value === null) {
    return [];
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`'sourceFileMap' must be an object of "<path the program was built in>": "<path of those sources now>" pairs.`);
  }
  return Object.entries(value as Args).map(([from, to]) => {
    if (typeof to !== 'string' || to === '' || from === '') {
      throw new UserError(`'sourceFileMap' maps ${JSON.stringify(from)} to ${JSON.stringify(to)}: both must be non-empty paths.`);
    }
    if (/[\0\r\n]/.test(from + to)) {
      throw new UserError(`'sourceFileMap' entry ${JSON.stringify(from)} contains a line break or NUL.`);
    }
    return { from, to: path.resolve(to) };
  });
}

const SIGNAL_ACTIONS: Record<SignalAction, string[]> = {
  // stop: the program stops and the user sees it; continuing passes the signal on.
  stop: ['stop', 'print', 'pass'],
  // pass: the program gets the signal without stopping (its handler runs as it would without a debugger).
  pass: ['nostop', 'noprint', 'pass'],
  // ignore: neither a stop nor the signal.
  ignore: ['nostop', 'noprint', 'nopass'],
};

/**
 * Signals pwatch itself depends on, or that no process can handle: gdb's pause is a SIGINT (passing or ignoring
 * it breaks Pause and Stop), data breakpoints and gdb's own breakpoints arrive as SIGTRAP, and SIGKILL and SIGSTOP
 * cannot be caught. Measured: SIGINT "pass" made Pause kill the program.
 */
const RESERVED_SIGNALS: Record<string, string> = {
  SIGINT: "pwatch pauses the program with it (Ctrl-C in the program's terminal still reaches the program)",
  SIGTRAP: 'breakpoints and data breakpoints arrive as SIGTRAP',
  SIGKILL: 'no process can catch, block or ignore it',
  SIGSTOP: 'no process can catch, block or ignore it',
};

/** Linux's first real-time signal as programs see it (glibc keeps 32 and 33 for itself). */
const SIGRTMIN = 34;

/** The name gdb knows a signal by: standard names as they are, real-time ones as SIG<n> (SIGRTMIN+2 is SIG36). */
export function gdbSignalName(name: string): string | undefined {
  if (name in os.constants.signals && name !== 'SIGRTMIN' && name !== 'SIGRTMAX') {
    return name;
  }
  const relative = /^SIGRTMIN\+(\d{1,2})$/.exec(name);
  const numbered = /^SIG(\d{2})$/.exec(name);
  const number = relative ? SIGRTMIN + Number(relative[1]) : numbered ? Number(numbered[1]) : undefined;
  return number !== undefined && number >= 32 && number <= 64 ? `SIG${number}` : undefined;
}

function signals(value: unknown): GdbSetup['signals'] {
  if (value === undefined || value === null) {
    return [];
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`'signals' must be an object such as { "SIGUSR1": "pass" } ("stop", "pass" or "ignore").`);
  }
  return Object.entries(value as Args).map(([name, action]) => {
    const gdbName = gdbSignalName(name);
    if (!gdbName) {
      throw new UserError(`'signals': ${JSON.stringify(name)} is not a signal name (e.g. "SIGUSR1", "SIGPIPE", "SIGRTMIN+2" or "SIG36").`);
    }
    if (gdbName in RESERVED_SIGNALS) {
      throw new UserError(`'signals': ${name} cannot be configured: ${RESERVED_SIGNALS[gdbName]}.`);
    }
    if (action !== 'stop' && action !== 'pass' && action !== 'ignore') {
      throw new UserError(`'signals': ${name} must be "stop", "pass" or "ignore", not ${JSON.stringify(action)}.`);
    }
    return { name: gdbName, action };
  });
}

/**
 * Runs the setup in order: source maps and signals, then the user's commands. A failing command ends the launch
 * with gdb's message unless it is marked ignoreFailures; then the failure is reported by `note`.
 */
export async function applyGdbSetup(gdb: MiSender, setup: GdbSetup, note: (text: string) => void): Promise<void> {
  for (const { from, to } of setup.sourceFileMap) {
    await exec.consoleCommand(gdb, `set substitute-path ${cliQuoted(from)} ${cliQuoted(to)}`);
  }
  if (setup.solibSearchPath.length > 0) {
    // The rest of the line is the path, taken as it is: no quoting to do once ':' and line breaks are refused.
    await exec.consoleCommand(gdb, `set solib-search-path ${setup.solibSearchPath.join(':')}`);
  }
  for (const { name, action } of setup.signals) {
    try {
      await exec.consoleCommand(gdb, ['handle', name, ...SIGNAL_ACTIONS[action]].join(' '));
    } catch (e) {
      throw new UserError(`'signals': gdb does not know ${name}: ${errorText(e)}`);
    }
  }
  for (const command of setup.setupCommands) {
    try {
      // cpptools' users write MI commands ("-enable-pretty-printing") as well as CLI ones.
      await (command.text.startsWith('-') ? gdb.send(command.text) : exec.consoleCommand(gdb, command.text));
    } catch (e) {
      const what = `setup command ${JSON.stringify(command.text)}${command.description ? ` (${command.description})` : ''} failed: ${errorText(e)}`;
      if (!command.ignoreFailures) {
        throw new UserError(`${what}. Fix it, or mark it "ignoreFailures": true.`);
      }
      note(`${what} (ignored)`);
    }
  }
}
