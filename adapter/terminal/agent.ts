/**
 * The terminal agent: what runs in the editor's terminal (runInTerminal) while the program runs there. It names
 * its terminal device so gdb can give it to the program (inferior-tty), then only waits. It never reads its
 * input: every keystroke is the program's. Signals the terminal sends to its foreground group (Ctrl-C, Ctrl-\,
 * a resize) reach the agent, not the program (which gdb started in a session of its own), so the agent passes
 * them on to the program's pid, which the adapter writes beside it. It ends when the adapter removes its
 * directory or ends it.
 *
 * Usage: node agent.js <private directory made by the adapter> <the adapter's pid>
 */
import * as fs from 'fs';
import * as path from 'path';

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT', 'SIGWINCH'];

function main(): void {
  const dir = process.argv[2];
  if (!dir || !fs.existsSync(dir)) {
    process.stderr.write('pwatch terminal agent: no session directory given\n');
    process.exit(2);
  }
  if (!process.stdin.isTTY) {
    process.stderr.write('pwatch terminal agent: not started in a terminal\n');
    process.exit(2);
  }
  const tty = fs.readlinkSync('/proc/self/fd/0');
  const announce = path.join(dir, 'agent.json');
  fs.writeFileSync(`${announce}.tmp`, JSON.stringify({ tty, pid: process.pid }), { mode: 0o600 });
  fs.renameSync(`${announce}.tmp`, announce);
  for (const signal of FORWARDED) {
    process.on(signal, () => forward(dir, signal));
  }
  // The adapter may die without a word (killed, or the editor's extension host gone): then the agent removes
  // the directory itself and ends, instead of holding the terminal for ever.
  const adapter = Number(process.argv[3]);
  const end = () => {
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, end);
  }
  setInterval(() => {
    if (!fs.existsSync(dir) || (Number.isSafeInteger(adapter) && adapter > 1 && !alive(adapter))) {
      end();
    }
  }, 500);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function forward(dir: string, signal: NodeJS.Signals): void {
  try {
    const pid = Number(fs.readFileSync(path.join(dir, 'program.pid'), 'utf8'));
    if (Number.isSafeInteger(pid) && pid > 1) {
      process.kill(pid, signal);
    }
  } catch {
    // The program has not started yet, or has ended: nothing to pass the signal to.
  }
}

main();
