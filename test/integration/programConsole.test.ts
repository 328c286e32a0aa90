import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import { DebugProtocol } from '@vscode/debugprotocol';
import { Writable } from 'stream';
import { waitsForInput } from '../../adapter/program/inputWait';
import { program, Session, suite, until, withSession } from './harness';

/**
 * Makes the DebugClient answer the runInTerminal reverse request as an editor would: the command runs in a
 * terminal of its own, here util-linux's `script`, which gives it a pseudo-terminal fed from our pipe.
 */
function actAsEditorWithTerminal(s: Session): { terminal: Promise<ChildProcess>; output: () => string; args: () => string[] } {
  const client = s.dc as unknown as { dispatch(body: string): void; outputStream: Writable };
  const original = client.dispatch.bind(client);
  let output = '';
  let args: string[] = [];
  let opened: (child: ChildProcess) => void = () => undefined;
  const terminal = new Promise<ChildProcess>((resolve) => (opened = resolve));
  client.dispatch = (body: string) => {
    const message = JSON.parse(body) as DebugProtocol.ProtocolMessage;
    if (message.type !== 'request' || (message as DebugProtocol.Request).command !== 'runInTerminal') {
      original(body);
      return;
    }
    const request = message as DebugProtocol.RunInTerminalRequest;
    args = request.arguments.args;
    const quoted = request.arguments.args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('script', ['-q', '-e', '-c', `exec ${quoted}`, '/dev/null'], {
      cwd: request.arguments.cwd,
      env: { ...process.env, ...request.arguments.env, TERM: 'xterm' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    opened(child);
    const response: DebugProtocol.RunInTerminalResponse = { type: 'response', seq: 0, request_seq: request.seq, command: 'runInTerminal', success: true, body: { processId: child.pid } };
    const json = JSON.stringify(response);
    client.outputStream.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
  };
  return { terminal, output: () => output, args: () => args };
}

/** Launches `name` as VS Code would, in the editor's terminal; resolves once its first line `ready` is there. */
async function launchInTerminal(s: Session, name: string, ready: RegExp): Promise<ReturnType<typeof actAsEditorWithTerminal> & { child: ChildProcess }> {
  const editor = actAsEditorWithTerminal(s);
  await s.dc.initializeRequest({ adapterID: 'pwatch', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', supportsRunInTerminalRequest: true });
  await Promise.all([s.configure(), s.dc.launchRequest({ program: program(name) } as DebugProtocol.LaunchRequestArguments)]);
  const child = await editor.terminal;
  await until(() => ready.test(editor.output()), `${name}'s first line in the terminal`);
  return { ...editor, child };
}

/** A session whose program runs in a terminal of the editor's; the terminal is killed afterwards whatever happens. */
async function inTerminal(name: string, ready: RegExp, body: (s: Session, editor: Awaited<ReturnType<typeof launchInTerminal>>) => Promise<void>): Promise<void> {
  let terminal: ChildProcess | undefined;
  try {
    await withSession(async (s) => {
      const editor = await launchInTerminal(s, name, ready);
      terminal = editor.child;
      await body(s, editor);
    });
  } finally {
    terminal?.kill('SIGKILL');
  }
}

suite("the program's input and output", 'gdb', 3, () => {
  it('internalConsole: a line typed in the Debug Console while the program waits for input is sent to it, marked', async () => {
    await withSession(async (s) => {
      await Promise.all([s.configure(), s.dc.launch({ program: program('greet'), console: 'internalConsole' } as DebugProtocol.LaunchRequestArguments)]);
      await s.waitForOutput('stdout', /greet: ready/);
      const main = (await s.dc.threadsRequest()).body.threads[0];
      const pid = Number(/tid (\d+)/.exec(main.name)![1]);
      // A line is the program's only while it is blocked reading its input (else it is an expression).
      const send = async (line: string) => {
        await until(() => waitsForInput(pid), 'the program waits in read(2) on its input');
        await s.dc.evaluateRequest({ expression: line, context: 'repl' });
      };
      await send('world');
      await s.waitForOutput('stdout', /greet: hello world/);
      assert.match(s.output('console'), /sent to the program's input: world/);
      const exited = s.dc.waitForEvent('exited');
      await send('quit');
      await s.waitForOutput('stdout', /greet: bye/);
      await exited;
    });
  });

  it("integratedTerminal: the program reads and writes the editor's terminal, and Ctrl-C there interrupts it", async () => {
    await inTerminal('greet', /greet: ready/, async (s, editor) => {
      assert.doesNotMatch(s.output('stdout'), /greet: ready/, 'not in the Debug Console');
      editor.child.stdin!.write('terminal user\n');
      await until(() => /greet: hello terminal user/.test(editor.output()), 'the greeting in the terminal');
      assert.match(editor.output(), /terminal user\r?\n/, 'the terminal echoes what is typed');
      const stopped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      editor.child.stdin!.write('\x03');
      const stop = await stopped;
      assert.strictEqual(stop.body.reason, 'signal');
      assert.match(stop.body.description ?? '', /SIGINT/);
    });
  });

  it('Ctrl-C in the terminal stops the program, and Continue gives the SIGINT to the program (its handler runs)', async () => {
    await inTerminal('interrupt', /interrupt: waiting/, async (s, editor) => {
      const stopped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      editor.child.stdin!.write('\x03');
      const stop = await stopped;
      assert.match(stop.body.description ?? '', /SIGINT/);
      const exited = s.dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
      await s.dc.continueRequest({ threadId: stop.body.threadId! });
      await until(() => /interrupt: got SIGINT/.test(editor.output()), "the program's handler ran");
      assert.strictEqual((await exited).body.exitCode, 0);
    });
  });

  it('the terminal agent ends, and removes its directory, when the adapter dies without a word', async () => {
    const s = await new Session().start();
    let terminal: ChildProcess | undefined;
    try {
      const editor = await launchInTerminal(s, 'greet', /greet: ready/);
      terminal = editor.child;
      const dir = editor.args()[2];
      assert.ok(fs.existsSync(dir));
      s.stopAdapter(); // SIGKILL: no disconnect, no cleanup of its own
      await until(() => terminal!.exitCode !== null || terminal!.signalCode !== null, 'the agent (and with it the terminal command) ends');
      assert.ok(!fs.existsSync(dir), `${dir} is removed`);
    } finally {
      terminal?.kill('SIGKILL');
      s.stopAdapter();
    }
  });
});
