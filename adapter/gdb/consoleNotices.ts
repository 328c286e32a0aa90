/**
 * gdb's console notices that the Debug Console should not show. gdb announces every SIGTRAP stop as
 * "Thread 3 "name" received signal SIGTRAP, Trace/breakpoint trap." with the place and source line after it:
 * for pwatch's own data breakpoint traps (thousands in a session) that reads as a crash, and pwatch describes
 * the stop itself. "[Switching to Thread ...]" repeats what the stop event says. Thread creation and exit
 * notices ("[New Thread ...]", "[Thread ... exited]") come once per thread; DAP's thread events carry them, and
 * the console shows them only when asked (`threadNotices`). Everything else passes unchanged.
 *
 * gdb sends one notice in several stream records ("\nThread 3 "w"", " received signal ..."), so text is judged a
 * whole line at a time; a partial line waits for the rest, and so does a blank line (gdb puts one before a stop
 * notice, which goes with it).
 */
const SIGTRAP_NOTICE = /^(Program|Thread \d+(?: ".*")?) received signal SIGTRAP, Trace\/breakpoint trap\.$/;
/** What gdb prints after a stop notice: the frame ("main () at f.c:12", "0x... in f ()") and the source line. */
const STOP_PLACE = [/^(0x[0-9a-f]+ in )?\S.*\(.*\)( at .*:\d+| from .*)?$/, /^\d+\t/];
/** A breakpoint stop notice ("Thread 3 "w" hit Breakpoint 12, worker (...) at f.c:18"): its place is on the same line. */
const BREAKPOINT_NOTICE = /^(?:(?:Program|Thread \d+(?: ".*")?) hit )?Breakpoint (\d+), /;
const SWITCHING = /^\[Switching to (Thread|LWP|process) .*\]$/;
const THREAD_NOTICE = /^\[(New Thread .*|Thread .* exited|New LWP \d+|LWP \d+ exited)\]$/;

export class ConsoleNotices {
  private partial = '';
  private blankLines = 0;
  /** Lines still to drop after a dropped stop notice (its place and source line). */
  private placeLines: RegExp[] = [];

  /** Breakpoints of pwatch's own (a race hunt's code samples): their stop notices are not shown. */
  quietBreakpoint: (number: number) => boolean = () => false;

  constructor(private readonly showThreadNotices: boolean) {}

  private isDroppedNotice(line: string): boolean {
    const breakpoint = BREAKPOINT_NOTICE.exec(line);
    return SIGTRAP_NOTICE.test(line) || (!!breakpoint && this.quietBreakpoint(Number(breakpoint[1])));
  }

  /** The part of `text` to show (complete lines), holding back a partial line until its end arrives. */
  feed(text: string): string {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    let shown = '';
    for (const line of lines) {
      if (line === '') {
        this.blankLines++;
        continue;
      }
      const keep = this.keep(line);
      if (keep || !this.isDroppedNotice(line)) {
        shown += '\n'.repeat(this.blankLines);
      }
      this.blankLines = 0;
      shown += keep ? `${line}\n` : '';
    }
    return shown;
  }

  private keep(line: string): boolean {
    if (SWITCHING.test(line)) {
      return false;
    }
    const expected = this.placeLines.shift();
    if (expected?.test(line)) {
      return false;
    }
    if (expected) {
      this.placeLines = [];
    }
    if (SIGTRAP_NOTICE.test(line)) {
      this.placeLines = [...STOP_PLACE];
      return false;
    }
    if (this.isDroppedNotice(line)) {
      this.placeLines = [STOP_PLACE[1]];
      return false;
    }
    return this.showThreadNotices || !THREAD_NOTICE.test(line);
  }
}
