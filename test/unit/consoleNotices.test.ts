import * as assert from 'assert';
import { ConsoleNotices } from '../../adapter/gdb/consoleNotices';

describe('gdb console notices', () => {
  it("drops gdb's SIGTRAP stop notice with its place and source line, even split across records", () => {
    const notices = new ConsoleNotices(false);
    const shown = [
      '\nThread 3 "racers"',
      ' received signal SIGTRAP, Trace/breakpoint trap.\n',
      '[Switching to Thread 0x7ffff75ff6c0 (LWP 1234)]\n',
      'racer (arg=0x0) at src/racers.c:22\n',
      '22\t    race_target = tid * 1000 + round;\n',
      '$1 = 42\n',
    ].map((text) => notices.feed(text));
    assert.strictEqual(shown.join(''), '$1 = 42\n', 'not even the blank line gdb puts before its notice');
  });

  it('keeps other signals, breakpoints and output that only looks alike', () => {
    const notices = new ConsoleNotices(false);
    const text = 'Program received signal SIGSEGV, Segmentation fault.\nmain () at f.c:3\n3\t  *p = 1;\nBreakpoint 1, main () at f.c:2\n';
    assert.strictEqual(notices.feed(text), text);
    assert.strictEqual(notices.feed('received signal SIGTRAP is what the program printed\n'), 'received signal SIGTRAP is what the program printed\n');
  });

  it('shows thread notices only when asked', () => {
    const text = '[New Thread 0x7ffff7a00640 (LWP 12)]\n[Thread 0x7ffff7a00640 (LWP 12) exited]\n[New LWP 13]\nhello\n';
    assert.strictEqual(new ConsoleNotices(false).feed(text), 'hello\n');
    assert.strictEqual(new ConsoleNotices(true).feed(text), text);
  });

  it("drops the stop notices of pwatch's own breakpoints (a race hunt's code samples), keeps the user's", () => {
    const notices = new ConsoleNotices(false);
    notices.quietBreakpoint = (number) => number >= 40;
    const text = [
      '\nThread 3 "w" hit Breakpoint 41, 0x0000555555555212 in worker (arg=0x0) at src/race_counter.c:18\n',
      '18\t      counter++;\n',
      '\nBreakpoint 44, 0x00005555555550ec in main (argc=2, argv=0x7fffffffe6b8) at f.c:68\n',
      '68\t      x[i]= -5;\n',
      '\nThread 2 "w" hit Breakpoint 2, worker (arg=0x0) at src/race_counter.c:19\n',
      '19\t      (*mine)++;\n',
    ];
    assert.strictEqual(text.map((t) => notices.feed(t)).join(''), text.slice(4).join(''));
  });
});
