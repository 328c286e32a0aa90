/**
 * The program in the editor's own terminal (console "integratedTerminal" or "externalTerminal"): the client
 * starts the terminal agent there through the runInTerminal reverse request; the agent names its terminal device,
 * which gdb then gives the program. stdin, echo, line editing and the window size are the real terminal's; the
 * agent passes Ctrl-C, Ctrl-\ and resizes on to the program. Files live in a directory only this user can open.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LaunchConfig } from '../launch/config';
import { poll } from '../util/timeout';

/** Asks the client to run a command in a terminal (DebugSession.runInTerminalRequest, promisified). */
export type RunInTerminal = (args: DebugProtocol.RunInTerminalRequestArguments) => Promise<DebugProtocol.RunInTerminalResponse>;

/** How long the terminal may take to open and the agent to start. */
const AGENT_START_MS = 15000;

export class TerminalConsole {
  private closed = false;

  private constructor(
    private readonly dir: string,
    /** The terminal device the program gets (/dev/pts/N). */
    readonly path: string,
    private readonly agentPid: number,
  ) {}

  /**
   * The terminal a launch asks for: `console`, or by default the integrated terminal where the client can open
   * one. undefined means the Debug Console (asked for, or the terminal could not be had: `note` says why).
   */
  static async forLaunch(config: LaunchConfig, clientRunsTerminals: boolean, run: RunInTerminal, note: (text: string) => void): Promise<TerminalConsole | undefined> {
    const kind = config.console ?? (clientRunsTerminals ? 'integratedTerminal' : 'internalConsole');
    if (kind === 'internalConsole') {
      return undefined;
    }
    const opened = clientRunsTerminals
      ? await TerminalConsole.open(kind === 'integratedTerminal' ? 'integrated' : 'external', run, `pwatch: ${path.basename(config.program)}`, config.cwd)
      : new Error('this client cannot open terminals (no runInTerminal)');
    if (opened instanceof Error) {
      note(`the program gets no ${kind} (${opened.message}); it uses the Debug Console.`);
      return undefined;
    }
    return opened;
  }

  /** Opens a terminal in the client and waits for the agent, or says why not. */
  static async open(kind: 'integrated' | 'external', run: RunInTerminal, title: string, cwd: string): Promise<TerminalConsole | Error> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwatch-terminal-'));
    try {
      const agent = path.join(__dirname, 'terminalAgent.js');
      if (!fs.existsSync(agent)) {
        throw new Error(`the terminal agent is missing (${agent}): rebuild pwatch`);
      }
      // In VS Code, process.execPath is the editor's own binary, which runs scripts as node when told to.
      await run({ kind, title, cwd, args: [process.execPath, agent, dir, String(process.pid)], env: { ELECTRON_RUN_AS_NODE: '1' } });
      const announced = await waitForFile(path.join(dir, 'agent.json'), AGENT_START_MS);
      const { tty, pid } = JSON.parse(announced) as { tty?: unknown; pid?: unknown };
      if (typeof tty !== 'string' || !/^\/dev\/(pts\/\d+|tty\w*)$/.test(tty) || typeof pid !== 'number') {
        throw new Error(`the terminal agent answered ${JSON.stringify(announced)}`);
      }
      return new TerminalConsole(dir, tty, pid);
    } catch (e) {
      fs.rmSync(dir, { recursive: true, force: true });
      return e instanceof Error ? e : new Error(String(e));
    }
  }

  /** From now on Ctrl-C, Ctrl-\ and resizes in the terminal go to this process. */
  setProgramPid(pid: number): void {
    if (!this.closed) {
      fs.writeFileSync(path.join(this.dir, 'program.pid'), String(pid), { mode: 0o600 });
    }
  }

  /** Ends the agent; the terminal stays open with the program's output for the user to read. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    fs.rmSync(this.dir, { recursive: true, force: true });
    try {
      process.kill(this.agentPid, 'SIGTERM');
    } catch {
      // gone already (the user closed the terminal)
    }
  }
}

async function waitForFile(file: string, withinMs: number): Promise<string> {
  const read = () => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  const text = await poll(read, withinMs, 25);
  if (text === undefined) {
    throw new Error(`the terminal did not start the agent within ${withinMs / 1000} s`);
  }
  return text;
}
