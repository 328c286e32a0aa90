import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ATTACH_ATTRIBUTES, LAUNCH_ATTRIBUTES, parseAttachArgs, parseLaunchArgs, programEnvironment, unknownAttributes } from '../../adapter/launch/config';
import { parseGdbVersion } from '../../adapter/launch/gdbVersion';
import { UserError } from '../../adapter/launch/userError';

describe('launch and attach arguments', () => {
  let dir: string;
  let exe: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwatch-config-'));
    exe = path.join(dir, 'prog');
    fs.writeFileSync(exe, '');
    fs.chmodSync(exe, 0o755);
    fs.writeFileSync(path.join(dir, 'data.txt'), '');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fills defaults: cwd is the program folder, no args, no stop at entry, gdb on PATH', () => {
    assert.deepStrictEqual(parseLaunchArgs({ program: exe }), {
      kind: 'launch',
      program: exe,
      args: [],
      cwd: dir,
      env: {},
      stopAtEntry: false,
      gdbPath: 'gdb',
      slots: { watch: 3, logpoint: 1 },
      stopMode: 'all',
      setup: { setupCommands: [], sourceFileMap: [], signals: [], solibSearchPath: [], threadNotices: false },
      forks: { follow: 'parent', detachOnFork: true },
    });
  });

  it('reads gdb setup: commands in order, source maps, signals', () => {
    const { setup } = parseLaunchArgs({
      program: exe,
      setupCommands: [{ text: ' set print pretty on ', description: 'pretty' }, { text: '-enable-pretty-printing', ignoreFailures: true }, 'info sharedlibrary'],
      sourceFileMap: { '/build/src': dir },
      signals: { SIGUSR1: 'pass', SIGPIPE: 'ignore', 'SIGRTMIN+2': 'stop', SIG40: 'pass' },
    });
    assert.deepStrictEqual(setup.setupCommands, [
      { text: 'set print pretty on', description: 'pretty', ignoreFailures: false },
      { text: '-enable-pretty-printing', description: undefined, ignoreFailures: true },
      { text: 'info sharedlibrary', description: undefined, ignoreFailures: false },
    ]);
    assert.deepStrictEqual(setup.sourceFileMap, [{ from: '/build/src', to: dir }]);
    assert.deepStrictEqual(setup.signals.map((s) => `${s.name}:${s.action}`), ['SIGUSR1:pass', 'SIGPIPE:ignore', 'SIG36:stop', 'SIG40:pass'], 'real-time signals by the names gdb knows');
  });

  it('reads envFile in the dotenv format, with env winning', () => {
    const file = path.join(dir, 'vars.env');
    fs.writeFileSync(file, '# settings\nexport A=from file\nB="two words" # note\nC=\'x#y\'\nKEEP=1\n');
    const { env } = parseLaunchArgs({ program: exe, cwd: dir, envFile: 'vars.env', env: { KEEP: 'from env', GONE: null } });
    assert.deepStrictEqual(env, { A: 'from file', B: 'two words', C: 'x#y', KEEP: 'from env', GONE: null });
    assert.throws(() => parseLaunchArgs({ program: exe, envFile: path.join(dir, 'none.env') }), /'envFile' ".*none.env" cannot be read \(ENOENT\)/);
    fs.writeFileSync(file, 'BAD-NAME=1\n');
    assert.throws(() => parseLaunchArgs({ program: exe, envFile: file }), /'envFile' ".*vars.env": environment variable name "BAD-NAME" is not valid/);
    assert.throws(() => parseLaunchArgs({ program: exe, envFile: '/dev/zero' }), /"\/dev\/zero" is not a plain file of at most 1024 KiB/);
  });

  it('names attributes pwatch does not read, and leaves the clients\' own alone', () => {
    const raw = { type: 'pwatch', request: 'launch', name: 'x', program: exe, stopAtentry: true, __sessionId: 'a', preLaunchTask: 'make', miDebuggerPath: 'gdb' };
    assert.deepStrictEqual(unknownAttributes(raw, LAUNCH_ATTRIBUTES), ['stopAtentry', 'miDebuggerPath']);
    assert.deepStrictEqual(unknownAttributes({ pid: 3, args: ['x'] }, ATTACH_ATTRIBUTES), ['args']);
  });

  it('shares the four debug registers between data breakpoints and data logpoints', () => {
    const slots = (raw: Record<string, unknown>) => parseLaunchArgs({ program: exe, ...raw }).slots;
    assert.deepStrictEqual(slots({ watchSlots: 4 }), { watch: 4, logpoint: 0 });
    assert.deepStrictEqual(slots({ watchSlots: 2 }), { watch: 2, logpoint: 1 });
    assert.deepStrictEqual(slots({ logpointSlots: 0 }), { watch: 4, logpoint: 0 });
    assert.deepStrictEqual(slots({ logpointSlots: 2 }), { watch: 2, logpoint: 2 });
    assert.deepStrictEqual(slots({ watchSlots: 1, logpointSlots: 3 }), { watch: 1, logpoint: 3 });
    // Observing has only data logpoints until a debugger attaches: half the registers each unless told.
    const observing = (raw: Record<string, unknown>) => {
      const config = parseAttachArgs({ pid: process.pid, mode: 'observe', ...raw });
      return config.kind === 'attach' ? config.slots : undefined;
    };
    assert.deepStrictEqual(observing({}), { watch: 2, logpoint: 2 });
    assert.deepStrictEqual(observing({ logpointSlots: 3 }), { watch: 1, logpoint: 3 });
    assert.deepStrictEqual(observing({ watchSlots: 1 }), { watch: 1, logpoint: 1 });
  });

  it('resolves a relative program against cwd', () => {
    assert.strictEqual(parseLaunchArgs({ program: 'prog', cwd: dir }).program, exe);
  });

  it('names each kind of bad input', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{}, /'program' is required/],
      [{ program: path.join(dir, 'missing') }, /does not exist: build it first/],
      [{ program: dir }, /is not a file/],
      [{ program: path.join(dir, 'data.txt') }, /is not executable: run 'chmod \+x/],
      [{ program: exe, cwd: path.join(dir, 'nope') }, /working directory .* does not exist/],
      [{ program: exe, args: [1, 2] }, /'args' must be an array of strings/],
      [{ program: exe, env: { 'BAD NAME': 'x' } }, /environment variable name "BAD NAME" is not valid/],
      [{ program: exe, env: { X: 3 } }, /must be a string \(or null to remove it\)/],
      [{ program: exe, stopAtEntry: 'yes' }, /'stopAtEntry' must be true or false/],
      [{ program: exe, coreDumpPath: 7 }, /'coreDumpPath' must be a string/],
      [{ program: exe, console: 'terminal' }, /'console' must be "integratedTerminal", "externalTerminal" or "internalConsole"/],
      [{ program: exe, followFork: 'both' }, /'followFork' must be "parent" or "child"/],
      [{ program: exe, detachOnFork: 'no' }, /'detachOnFork' must be true or false/],
      [{ program: exe, setupCommands: 'handle SIGUSR1 nostop' }, /'setupCommands' must be an array/],
      [{ program: exe, setupCommands: [{ description: 'x' }] }, /'setupCommands' entry 1 needs a "text"/],
      [{ program: exe, setupCommands: [{ text: 'a\nb' }] }, /entry 1 spans several lines/],
      [{ program: exe, setupCommands: [{ text: 'a', ignoreFailures: 'yes' }] }, /"ignoreFailures" must be true or false/],
      [{ program: exe, sourceFileMap: ['/a'] }, /'sourceFileMap' must be an object/],
      [{ program: exe, sourceFileMap: { '/a': 3 } }, /both must be non-empty paths/],
      [{ program: exe, signals: { SIGFOO: 'pass' } }, /"SIGFOO" is not a signal name/],
      [{ program: exe, signals: { SIGUSR1: 'nostop' } }, /SIGUSR1 must be "stop", "pass" or "ignore"/],
      [{ program: exe, signals: { SIGINT: 'pass' } }, /SIGINT cannot be configured: pwatch pauses the program with it/],
      [{ program: exe, signals: { SIGTRAP: 'pass' } }, /SIGTRAP cannot be configured: breakpoints and data breakpoints arrive as SIGTRAP/],
      [{ program: exe, signals: { SIGKILL: 'ignore' } }, /SIGKILL cannot be configured: no process can catch/],
      [{ program: exe, signals: { SIG99: 'pass' } }, /"SIG99" is not a signal name/],
      [{ program: exe, signals: { SIGRTMIN: 'pass' } }, /"SIGRTMIN" is not a signal name/],
      [{ program: exe, additionalSOLibSearchPath: ['/a'] }, /'additionalSOLibSearchPath' must be a string/],
      [{ program: exe, additionalSOLibSearchPath: '/a;/b:c' }, /"\/b:c" contains ':'/],
      [{ program: exe, coreDumpPath: path.join(dir, 'core') }, /'coreDumpPath' ".*core" does not exist: it must name the core file/],
      [{ program: exe, coreDumpPath: dir }, /'coreDumpPath' ".*" is not a file/],
      [{ program: exe, watchSlots: 5 }, /'watchSlots' must be a whole number from 1 to 4/],
      [{ program: exe, logpointSlots: 4 }, /'logpointSlots' must be a whole number from 0 to 3/],
      [{ program: exe, watchSlots: 3, logpointSlots: 2 }, /together exceed the 4 debug registers of a thread/],
      [{ program: exe, stopMode: 'some' }, /'stopMode' must be "all" .* or "thread"/],
    ];
    for (const [args, message] of cases) {
      assert.throws(() => parseLaunchArgs(args), (e: Error) => e instanceof UserError && message.test(e.message), JSON.stringify(args));
    }
  });

  it('accepts a pid as number or string, and refuses bad or dead pids', () => {
    const pidOf = (raw: Record<string, unknown>) => {
      const config = parseAttachArgs(raw);
      return config.kind === 'attach' ? config.pid : undefined;
    };
    assert.strictEqual(pidOf({ pid: process.pid }), process.pid);
    assert.strictEqual(pidOf({ pid: String(process.pid) }), process.pid);
    assert.throws(() => parseAttachArgs({ pid: -4 }), /positive process id/);
    assert.throws(() => parseAttachArgs({ pid: '12abc' }), /positive process id/);
    assert.throws(() => parseAttachArgs({ pid: 2 ** 30 }), /no process with pid/);
  });

  it('attaches to a gdbserver by host:port or a pipe, and names a bad target', () => {
    assert.deepStrictEqual(parseAttachArgs({ target: '127.0.0.1:2345', program: exe }), {
      kind: 'remote', target: '127.0.0.1:2345', program: exe, gdbPath: 'gdb', slots: { watch: 3, logpoint: 1 }, stopMode: 'all',
      setup: { setupCommands: [], sourceFileMap: [], signals: [], solibSearchPath: [], threadNotices: false },
      forks: { follow: 'parent', detachOnFork: true },
    });
    assert.strictEqual((parseAttachArgs({ target: ' | gdbserver - ./prog ' }) as { target: string }).target, '| gdbserver - ./prog');
    assert.strictEqual((parseAttachArgs({ target: '[::1]:2345', sysroot: '/' }) as { sysroot: string }).sysroot, '/');
    for (const target of ['2345', 'host', 'host:port', '|', 'a:1\n-exec shell id', '; rm -rf /']) {
      assert.throws(() => parseAttachArgs({ target }), /'target' must be "host:port" .* or "\| command"/, target);
    }
    assert.throws(() => parseAttachArgs({ target: 'h:1', program: path.join(dir, 'nope') }), /'program' ".*nope" does not exist/);
  });

  it('adds and removes environment variables for the program', () => {
    const env = programEnvironment({ KEEP: '1', DROP: '2' }, { DROP: null, ADD: 'three' });
    assert.deepStrictEqual(env, { KEEP: '1', ADD: 'three' });
  });
});

describe('gdb version', () => {
  it('reads distribution and upstream version lines', () => {
    assert.deepStrictEqual(parseGdbVersion('GNU gdb (Debian 13.1-3) 13.1'), { major: 13, minor: 1 });
    assert.deepStrictEqual(parseGdbVersion('GNU gdb (GDB) 15.2'), { major: 15, minor: 2 });
    assert.deepStrictEqual(parseGdbVersion('GNU gdb (Ubuntu 12.1-0ubuntu1~22.04.2) 12.1'), { major: 12, minor: 1 });
    assert.deepStrictEqual(parseGdbVersion('GNU gdb (GDB) Fedora Linux 14.2-1.fc40'), { major: 14, minor: 2 });
    assert.strictEqual(parseGdbVersion('lldb version 17'), undefined);
  });
});
