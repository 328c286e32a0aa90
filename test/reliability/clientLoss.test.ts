import * as assert from 'assert';
import { NOT_SUPPORTED } from '../../adapter/protocol/capabilities';
import { ChildProcess } from 'child_process';
import { DebugProtocol } from '@vscode/debugprotocol';
import { MessageReader } from '../../adapter/protocol/framing';
import { markerLine, processStatus, Session, sourceOf, startProgram, suite } from '../integration/harness';
import { adapterPid, childrenOf, exists, holds, until } from './processes';

function adapterProcess(s: Session): ChildProcess {
  return (s.dc as unknown as { _adapterProcess: ChildProcess })._adapterProcess;
}

/** Attaches to spin with a line logpoint in its worker loop: the adapter resumes the program ~1,000 times a second. */
async function attachWithLogpoint(s: Session, pid: number): Promise<void> {
  const line = markerLine('spin', 'spin-worker');
  await Promise.all([
    s.configure({ [sourceOf('spin')]: [{ line, logMessage: 'tick {worker_ticks}' }] }),
    s.dc.attachRequest({ pid } as DebugProtocol.AttachRequestArguments),
  ]);
  await s.waitForOutput('console', /tick \d+/);
}

suite('the client vanishes or speaks garbage', 'gdb', 3, () => {
  for (const how of ['stdin closed', 'malformed then stdin closed'] as const) {
    it(`${how} while attached under a busy logpoint: the program is detached and keeps running untraced`, async () => {
      const { child, pid } = await startProgram('spin', ['60'], /spin: pid \d+/);
      const s = await new Session().start();
      try {
        await attachWithLogpoint(s, pid);
        const adapter = adapterProcess(s);
        const gdb = childrenOf(adapter.pid!);
        const exited = new Promise((resolve) => adapter.once('exit', resolve));
        if (how === 'malformed then stdin closed') {
          adapter.stdin!.write('Content-Length: 1\r\n\r\n{Content-Length: 4\r\n\r\nnull');
        }
        adapter.stdin!.end();
        await exited;
        await until(() => !gdb.some(exists), 'gdb is gone');
        await until(() => processStatus(pid).tracerPid === 0, 'nobody traces the program');
        // Left in its code, gdb's breakpoint would kill it with SIGTRAP within a millisecond; stopped, it would be T.
        await holds(() => exists(pid) && processStatus(pid).state !== 'T', `program ${pid} runs on`, 1000);
        assert.match(s.output('stderr') + s.output('console'), /./, 'the session said something');
      } finally {
        child.kill('SIGKILL');
        s.stopAdapter();
      }
    });
  }

  it('answers malformed requests that carry a seq, skips the rest, and keeps serving', async () => {
    const s = await new Session().start();
    try {
      await s.dc.initializeRequest();
      const adapter = adapterProcess(s);
      const replies: DebugProtocol.Response[] = [];
      // A second reader of the adapter's output (the library's framing, written by the library).
      const reader = new MessageReader();
      adapter.stdout!.on('data', (chunk: Buffer) => {
        for (const item of reader.push(chunk)) {
          if (item.kind === 'message' && (item.value as { type?: string }).type === 'response') {
            replies.push(item.value as DebugProtocol.Response);
          }
        }
      });
      const garbage = [
        'Content-Length: -5\r\n\r\n',
        'Content-Length: 1e2\r\n\r\n',
        'Content-Length: abc\r\n\r\n',
        'Content-Length: 1\r\n\r\n{',
        'Content-Length: 4\r\n\r\nnull',
        'Content-Length: 43\r\n\r\n{"seq": 9001, "type": "request", "command":',
      ].join('');
      adapter.stdin!.write(garbage);
      const lower = JSON.stringify({ seq: 9002, type: 'request', command: 'threads' });
      adapter.stdin!.write(`content-length: ${lower.length}\r\n\r\n${lower}`);
      await until(() => replies.some((r) => r.request_seq === 9001) && replies.some((r) => r.request_seq === 9002), 'answers to 9001 and 9002', 5000);
      const broken = replies.find((r) => r.request_seq === 9001)!;
      assert.strictEqual(broken.success, false);
      assert.match(broken.message ?? '', /malformed request: not JSON/);
      assert.strictEqual(replies.find((r) => r.request_seq === 9002)!.success, true);
      // The DebugClient's own requests still work after all that.
      assert.deepStrictEqual((await s.dc.threadsRequest()).body.threads, []);
    } finally {
      await s.close();
    }
  });

  it('refuses requests it does not implement instead of answering an empty success', async () => {
    const s = await new Session().start();
    try {
      await s.dc.initializeRequest();
      assert.ok(NOT_SUPPORTED.size >= 8, 'the requests the library would answer with an empty success');
      for (const command of NOT_SUPPORTED) {
        await assert.rejects(s.dc.customRequest(command, {}), new RegExp(`'${command}' is not supported by pwatch`), command);
      }
      assert.ok(adapterPid(s) > 0);
    } finally {
      await s.close();
    }
  });
});
