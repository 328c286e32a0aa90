/**
 * The program's terminal. gdb's stdout carries GDB/MI, so the program must not write there: it gets a
 * pseudo-terminal from the addon (gdb's inferior-tty), and what it writes arrives here, never mixed with
 * MI. Being a terminal, it also keeps the program's stdout line-buffered, as in a shell.
 */
import * as fs from 'fs';
import * as tty from 'tty';
import * as exec from '../gdb/commands/exec';
import { MiSender } from '../gdb/connection';
import { loadAddon, PwatchAddon } from '../native/addon';
import { CttyWarningFilter } from '../program/cttyWarningFilter';

export class ProgramTerminal {
  private readonly stream: tty.ReadStream;
  private closed = false;
  private lastOutput = 0;
  private readonly filter = new CttyWarningFilter();

  private constructor(
    private readonly addon: PwatchAddon,
    readonly path: string,
    private readonly masterFd: number,
    private readonly holderPid: number,
    private readonly holderReleaseFd: number,
    onOutput: (text: string) => void,
  ) {
    this.stream = new tty.ReadStream(masterFd);
    this.stream.setEncoding('utf8');
    this.stream.on('data', (text: string) => {
      this.lastOutput = Date.now();
      const shown = this.filter.push(text);
      if (shown) {
        onOutput(shown);
      }
    });
    // EIO when the last writer goes away: the stream ends, nothing else to do.
    this.stream.on('error', () => undefined);
  }

  /** A terminal, or an Error when the addon cannot make one (output then comes through gdb). */
  static open(addon: PwatchAddon, onOutput: (text: string) => void): ProgramTerminal | Error {
    const pty = addon.openPty();
    if (pty.error || pty.masterFd === undefined || pty.holderPid === undefined || pty.holderReleaseFd === undefined || !pty.path) {
      return new Error(pty.error?.message ?? 'no pseudo-terminal');
    }
    return new ProgramTerminal(addon, pty.path, pty.masterFd, pty.holderPid, pty.holderReleaseFd, onOutput);
  }

  /** A terminal set as gdb's inferior-tty, or an Error when the addon cannot make one. */
  static async forProgram(gdb: MiSender, onOutput: (text: string) => void): Promise<ProgramTerminal | Error> {
    const addon = loadAddon();
    const terminal = addon instanceof Error ? addon : ProgramTerminal.open(addon, onOutput);
    if (!(terminal instanceof Error)) {
      await exec.setInferiorTerminal(gdb, terminal.path);
    }
    return terminal;
  }

  /**
   * Waits until the terminal has been quiet for `quietMs` (at most `maxMs`): what a program wrote just before
   * it exited is still on its way through the pty, and closing at once lost the tail of a large output, or all
   * of a short one that had not been read yet when the program ended (so the quiet counts from now at the earliest).
   */
  async settle(quietMs = 50, maxMs = 2000): Promise<void> {
    const start = Date.now();
    const deadline = start + maxMs;
    while (!this.closed && Date.now() < deadline && Date.now() - Math.max(this.lastOutput, start) < quietMs) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Sends text to the program's input, as if typed in its terminal. */
  write(text: string): void {
    if (!this.closed) {
      fs.writeSync(this.masterFd, text);
    }
  }

  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.stream.destroy();
    fs.closeSync(this.holderReleaseFd);
    reapSoon(this.addon, this.holderPid);
  }
}

/**
 * The holder exits as soon as its release pipe closes; it is reaped without ever blocking the event loop
 * (the adapter may run inside the editor's extension host), and killed if it has not gone after a second.
 */
function reapSoon(addon: PwatchAddon, pid: number, triesLeft = 100): void {
  if (addon.reapChild(pid) !== false) {
    return;
  }
  if (triesLeft === 0) {
    process.kill(pid, 'SIGKILL');
  }
  setTimeout(() => reapSoon(addon, pid, triesLeft - 1), 10).unref();
}
