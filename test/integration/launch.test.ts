import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { markerLine, program, Session, sourceOf, withSession, WORKSPACE, suite } from './harness';

suite('launch', 'gdb', 3, () => {

  it('answers initialize with honest capabilities', async () => {
    await withSession(async (s) => {
      const response = await s.dc.initializeRequest({ adapterID: 'pwatch', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      const caps = response.body ?? {};
      assert.strictEqual(caps.supportsConfigurationDoneRequest, true);
      assert.strictEqual(caps.supportsFunctionBreakpoints, true);
      assert.strictEqual(caps.supportsLogPoints, true);
      assert.strictEqual(caps.supportsReadMemoryRequest, true);
      assert.strictEqual(caps.supportsDataBreakpoints, true);
      assert.strictEqual(caps.supportsDataBreakpointBytes, true);
    });
  });

  it('stops at entry in main', async () => {
    await withSession(async (s) => {
      const stopped = await s.launchToStop({ program: program('threads'), stopAtEntry: true });
      assert.strictEqual(stopped.body.reason, 'entry');
      const frame = await s.topFrame(stopped.body.threadId!);
      assert.strictEqual(frame.name, 'main');
      assert.strictEqual(frame.source?.path, sourceOf('threads'));
    });
  });

  it("keeps the program's output apart from gdb/MI, in the stdout category", async () => {
    await withSession(async (s) => {
      const exited = s.dc.waitForEvent('exited');
      await Promise.all([s.configure(), s.dc.launch({ program: program('threads'), args: ['2'] })]);
      await exited;
      const stdout = await s.waitForOutput('stdout', /counter=10/);
      assert.match(stdout, /threads: pid \d+, 2 workers/);
      assert.doesNotMatch(stdout, /\*running|\^done|=thread/, 'MI records leaked into program output');
    });
  });

  it('runs in the requested cwd with the requested environment', async () => {
    await withSession(async (s) => {
      const line = markerLine('threads', 'main-config');
      const stopped = await s.launchToStop(
        { program: program('threads'), cwd: path.join(WORKSPACE, 'src'), env: { PWATCH_TEST_VALUE: 'forty two' }, envFile: envFile({ PWATCH_FROM_FILE: 'a # b', PWATCH_TEST_VALUE: 'overridden by env' }) },
        { [sourceOf('threads')]: [{ line }] },
      );
      const frame = await s.topFrame(stopped.body.threadId!);
      // Read from /proc, not by calling getenv in the program: gdb's inferior calls fail on some CPUs.
      const main = (await s.dc.threadsRequest()).body.threads.find((t) => t.id === stopped.body.threadId);
      const pid = Number(/tid (\d+)/.exec(main?.name ?? '')?.[1]);
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      assert.ok(environ.includes('PWATCH_TEST_VALUE=forty two'), environ.join(' '));
      assert.ok(environ.includes('PWATCH_FROM_FILE=a # b'), environ.join(' '));
      assert.strictEqual(fs.readlinkSync(`/proc/${pid}/cwd`), path.join(WORKSPACE, 'src'));
      const cwd = await s.dc.evaluateRequest({ expression: '-exec info proc cwd', frameId: frame.id, context: 'repl' });
      assert.strictEqual(cwd.body.result, '');
      await s.waitForOutput('console', new RegExp(`cwd = '${path.join(WORKSPACE, 'src')}'`));
    });
  });

  it('passes any argument array exactly: spaces, empty, tabs, newlines, quotes, shell and gdb syntax', async () => {
    // gdb 13 loses a leading option it knows (--all, --thread-group, --language) and fails on --thread; a shell
    // would expand $HOME, * and ~, and split on white space.
    const args = ['--all', 'x', '--thread-group', 'i1', 'y', '--language', 'c', 'w', '--thread', '1', 'z', 'two words', '', ' lead', 'tab\there',
      'new\nline', '"double"', "it's", '\\back', '$HOME', '*', '~', '-', '--', 'ünï¢ødé', '>out', '|pipe;', '`echo`'];
    await withSession(async (s) => {
      const exited = s.dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
      await Promise.all([s.configure(), s.dc.launch({ program: program('argv'), args })]);
      assert.strictEqual((await exited).body.exitCode, args.length);
      const out = await s.waitForOutput('stdout', /argv: done/);
      const got = [...out.matchAll(/^argv\[(\d+)\] = ([0-9a-f]*)\r?$/gm)].map((m) => Buffer.from(m[2], 'hex').toString('utf8'));
      assert.deepStrictEqual(got, args);
      assert.match(out, /PWATCH_EXEC_ARGV is unset/, 'the hand-over variable does not reach the program');
    });
  });

  it('passes program arguments exactly and reports the exit code', async () => {
    await withSession(async (s) => {
      const exited = s.dc.waitForEvent('exited');
      const terminated = s.dc.waitForEvent('terminated');
      await Promise.all([s.configure(), s.dc.launch({ program: program('threads'), args: ['1', '7'] })]);
      assert.strictEqual((await exited).body.exitCode, 7);
      await terminated;
      assert.match(await s.waitForOutput('stdout', /counter=5/), /1 workers/);
    });
  });
});

suite('launch: bad input', 'gdb', 2, () => {

  async function launchError(args: Record<string, unknown>): Promise<string> {
    const s = await new Session().start();
    try {
      await Promise.all([s.dc.initializeRequest(), s.dc.launchRequest(args as never)]);
    } catch (e) {
      return (e as Error).message;
    } finally {
      await s.close();
    }
    throw new Error('launch succeeded');
  }

  it('names a missing program', async () => {
    assert.match(await launchError({ program: '/nonexistent/prog' }), /program '\/nonexistent\/prog' does not exist/);
  });

  it('requires a program', async () => {
    assert.match(await launchError({}), /'program' is required/);
  });

  it('names a program that is not executable', async () => {
    assert.match(await launchError({ program: sourceOf('threads') }), /is not executable/);
  });

  it('names a missing cwd', async () => {
    assert.match(await launchError({ program: program('threads'), cwd: '/nonexistent/dir' }), /working directory '\/nonexistent\/dir' does not exist/);
  });

  it('names a missing gdb and the fix', async () => {
    assert.match(await launchError({ program: program('threads'), gdbPath: '/nonexistent/gdb' }), /gdb was not found at '\/nonexistent\/gdb'.*install gdb 12/);
  });

  it('refuses a gdb older than 12', async () => {
    const oldGdb = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'old-gdb');
    assert.match(await launchError({ program: program('threads'), gdbPath: oldGdb }), /gdb 9\.2 .* is too old/);
  });

  it('refuses an argument no program can receive (a NUL character)', async () => {
    assert.match(await launchError({ program: program('threads'), args: ['ok', 'a\u0000b'] }), /program argument 2 contains a NUL character/);
  });

  it('rejects arguments of the wrong type', async () => {
    assert.match(await launchError({ program: program('threads'), args: 'not-an-array' }), /'args' must be an array of strings/);
  });
});

/** A dotenv file with these variables (quoted, so '#' stays part of the value), in a fresh directory. */
function envFile(variables: Record<string, string>): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pwatch-env-')), 'vars.env');
  fs.writeFileSync(file, Object.entries(variables).map(([k, v]) => `${k}="${v}"\n`).join(''));
  return file;
}
