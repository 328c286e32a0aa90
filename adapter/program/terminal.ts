/**
 * The program's terminal. gdb's stdout carries GDB/MI, so the program must not write there: it gets a
 * pseudo-terminal from the addon (gdb's inferior-tty), and what it writes arrives here, never mixed with
 * MI. Being a terminal, it also keeps the program's stdout line-buffered, as in a shell.
 */
import * as fs from 'fs';
import * as tty from 'tty';
import { PwatchAddon } from '../native/addon';

export class ProgramTerminal {
  private readonly stream: tty.ReadStream;
  private closed = false;

  private constructor(
    readonly path: string,
    masterFd: number,
    private readonly slaveFd: number,
    onOutput: (text: string) => void,
  ) {
    this.stream = new tty.ReadStream(masterFd);
    this.stream.setEncoding('utf8');
    this.stream.on('data', (text: string) => onOutput(text));
    // EIO when the last writer goes away: the stream ends, nothing else to do.
    this.stream.on('error', () => undefined);
  }

  /** A terminal, or an Error when the addon cannot make one (output then comes through gdb). */
  static open(addon: PwatchAddon, onOutput: (text: string) => void): ProgramTerminal | Error {
    const pty = addon.openPty();
    if (pty.error || pty.masterFd === undefined || pty.slaveFd === undefined || !pty.path) {
      return new Error(pty.error?.message ?? 'no pseudo-terminal');
    }
    return new ProgramTerminal(pty.path, pty.masterFd, pty.slaveFd, onOutput);
  }

  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.stream.destroy();
    fs.close(this.slaveFd, () => undefined);
  }
}
