/**
 * The extension against a small fake of the vscode API: activation registers the pwatch provider, the
 * inline adapter and the process picker, and package.json's contribution matches what the code serves.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import Module from 'module';
import { ATTACH_ATTRIBUTES, LAUNCH_ATTRIBUTES } from '../../../adapter/launch/config';

interface Registered {
  providers: Map<string, unknown>;
  factories: Map<string, { createDebugAdapterDescriptor(): unknown }>;
  commands: Map<string, unknown>;
  trees: Map<string, { getChildren(node?: unknown): unknown[]; getTreeItem(node: unknown): { label?: string; description?: string } }>;
  customEvent?: (event: { session: { type: string; id?: string }; event: string; body: unknown }) => void;
  warnings: string[];
  /** Context keys set through setContext. */
  contextKeys: Map<string, unknown>;
  status: { text: string; visible: boolean };
}

function fakeVscode(registered: Registered): unknown {
  class DebugAdapterInlineImplementation {
    constructor(readonly implementation: unknown) {}
  }
  class TreeItem {
    description?: string;
    constructor(
      readonly label: string,
      readonly collapsibleState: number,
    ) {}
  }
  class EventEmitter {
    event = () => ({ dispose() {} });
    fire() {}
  }
  const disposable = { dispose() {} };
  const listeners: Array<NonNullable<Registered['customEvent']>> = [];
  registered.customEvent = (event) => listeners.forEach((listener) => listener(event));
  return {
    DebugAdapterInlineImplementation,
    TreeItem,
    EventEmitter,
    ThemeIcon: class {},
    Range: class {},
    Uri: { file: (p: string) => ({ fsPath: p }) },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    StatusBarAlignment: { Left: 1 },
    env: { clipboard: { writeText: async () => undefined } },
    window: {
      showErrorMessage: () => undefined,
      showQuickPick: () => undefined,
      showWarningMessage: (text: string) => (registered.warnings.push(text), Promise.resolve(undefined)),
      activeTextEditor: undefined,
      registerTreeDataProvider: (id: string, tree: never) => (registered.trees.set(id, tree), disposable),
      createStatusBarItem: () =>
        Object.assign(registered.status, {
          show: () => (registered.status.visible = true),
          hide: () => (registered.status.visible = false),
          dispose() {},
        }),
    },
    debug: {
      onDidReceiveDebugSessionCustomEvent: (listener: NonNullable<Registered['customEvent']>) => (listeners.push(listener), disposable),
      onDidChangeActiveDebugSession: () => disposable,
      activeDebugSession: { type: 'pwatch', id: 'observing' },
      onDidStartDebugSession: () => disposable,
      onDidTerminateDebugSession: () => disposable,
      registerDebugConfigurationProvider: (type: string, provider: unknown) => (registered.providers.set(type, provider), { dispose() {} }),
      registerDebugAdapterDescriptorFactory: (type: string, factory: { createDebugAdapterDescriptor(): unknown }) => (
        registered.factories.set(type, factory), { dispose() {} }
      ),
    },
    commands: {
      registerCommand: (id: string, fn: unknown) => (registered.commands.set(id, fn), { dispose() {} }),
      executeCommand: async (command: string, key: string, value: unknown) => {
        if (command === 'setContext') {
          registered.contextKeys.set(key, value);
        }
      },
    },
  };
}

describe('extension activation (fake vscode API)', () => {
  const registered: Registered = { providers: new Map(), factories: new Map(), commands: new Map(), trees: new Map(), warnings: [], status: { text: '', visible: false }, contextKeys: new Map() };
  const root = path.join(__dirname, '..', '..', '..', '..');
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

  before(() => {
    const fake = fakeVscode(registered);
    const moduleWithLoad = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
    const original = moduleWithLoad._load;
    moduleWithLoad._load = function (request: string, parent: unknown, isMain: boolean) {
      return request === 'vscode' ? fake : original.call(this, request, parent, isMain);
    };
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const extension = require('../../../extension/extension') as { activate(context: { subscriptions: unknown[] }): void };
      extension.activate({ subscriptions: [] });
    } finally {
      moduleWithLoad._load = original;
    }
  });

  it('registers the pwatch configuration provider, inline adapter and process picker', () => {
    assert.ok(registered.providers.has('pwatch'));
    assert.ok(registered.commands.has('pwatch.pickProcess'));
    const descriptor = registered.factories.get('pwatch')?.createDebugAdapterDescriptor() as { implementation?: { constructor: { name: string } } };
    assert.strictEqual(descriptor.implementation?.constructor.name, 'PwatchSession');
  });

  it('feeds the Watchpoints view, the status bar and one missed-thread warning from adapter events', () => {
    const tree = registered.trees.get('pwatch.watchpoints');
    assert.ok(tree && registered.customEvent, 'the view and the event listener are registered');
    const send = (event: string, body: unknown) => registered.customEvent!({ session: { type: 'pwatch' }, event, body });
    const missed = [{ tid: 4242, errno: 28, reason: 'no free debug register' }];
    send('pwatch/coverage', { id: 1000000, label: 'hog_counter (8 bytes, write)', covered: 3, total: 5, missed });
    send('pwatch/coverage', { id: 1000000, label: 'hog_counter (8 bytes, write)', covered: 3, total: 5, missed });
    send('pwatch/hit', { id: 1000000, name: 'hog_counter', old: '1', new: '2', threadId: 2, function: 'plain', time: 0 });
    registered.customEvent!({ session: { type: 'cppdbg' }, event: 'pwatch/hit', body: { id: 5, name: 'x', time: 0 } });
    assert.deepStrictEqual(registered.warnings, ['pwatch: hog_counter (8 bytes, write) misses 1 of 5 threads.']);
    assert.strictEqual(registered.status.text, '$(eye) 1 watchpoint, $(warning) 1 missed thread');
    const [root] = tree.getChildren();
    assert.deepStrictEqual([tree.getTreeItem(root).label, tree.getTreeItem(root).description], ['hog_counter (8 bytes, write)', '3 of 5 threads, 1 hit']);
    const [missedGroup, hitsGroup] = tree.getChildren(root);
    assert.deepStrictEqual(tree.getChildren(missedGroup).map((n) => tree.getTreeItem(n).label), ['tid 4242: no free debug register']);
    assert.deepStrictEqual(tree.getChildren(hitsGroup).map((n) => tree.getTreeItem(n).label), ['thread 2, plain: 1 → 2']);

    // A data logpoint: its counts per thread under it, fed by pwatch/logpoint.
    send('pwatch/coverage', { id: 2000000, kind: 'logpoint', label: 'storm_target (8 bytes, write)', covered: 5, total: 5, missed: [] });
    send('pwatch/logpoint', { id: 2000000, label: 'storm_target (8 bytes, write)', total: 7, lost: 0, perThread: [{ tid: 9, count: 7 }], hits: [] });
    const logpoint = tree.getChildren()[1];
    assert.strictEqual(tree.getTreeItem(logpoint).description, '5 of 5 threads, logged 7 accesses');
    const [threadsGroup] = tree.getChildren(logpoint);
    assert.deepStrictEqual(tree.getChildren(threadsGroup).map((n) => tree.getTreeItem(n).label), ['tid 9: 7 accesses']);
  });

  it('shows races from pwatch/race under Races, each side with its stack, one warning for the first', () => {
    const tree = registered.trees.get('pwatch.watchpoints')!;
    const send = (event: string, body: unknown) => registered.customEvent!({ session: { type: 'pwatch' }, event, body });
    const side = (threadId: number, access: string, line: number) => ({ threadId, tid: 100 + threadId, access, pc: '0x1212', frames: [{ name: 'worker', file: '/src/race_counter.c', line }, { name: 'start_thread' }] });
    const race = { id: 1, address: '0x4058', bytes: 8, symbol: 'counter', count: 1, first: side(3, 'write', 18), second: side(5, 'read', 18) };
    const warnings = registered.warnings.length;
    send('pwatch/race', race);
    send('pwatch/race', { ...race, count: 4 });
    send('pwatch/huntEnd', { races: 1, samples: 40, stalls: 12, durationMs: 3000, reason: 'duration', missedThreads: 0 });
    assert.deepStrictEqual(registered.warnings.slice(warnings), ['pwatch: data race on counter: thread 3 write (race_counter.c:18) vs thread 5 read (race_counter.c:18)']);
    const races = tree.getChildren().at(-1)!;
    assert.deepStrictEqual([tree.getTreeItem(races).label, tree.getTreeItem(races).description], ['Races (1)', '1 found, 12 stalls in 3.0 s']);
    const [reported] = tree.getChildren(races);
    assert.strictEqual(tree.getTreeItem(reported).description, '× 4');
    const sides = tree.getChildren(reported);
    assert.deepStrictEqual(sides.map((n) => tree.getTreeItem(n).label), ['Write by thread 3 (tid 103), stalled', 'Read by thread 5 (tid 105), during the stall']);
    const frames = tree.getChildren(sides[1]).map((n) => tree.getTreeItem(n) as { label?: string; command?: { arguments: unknown[] } });
    assert.deepStrictEqual(frames.map((f) => f.label), ['worker (race_counter.c:18)', 'start_thread']);
    assert.deepStrictEqual(frames[0].command?.arguments[0], { fsPath: '/src/race_counter.c' });
  });

  it('offers "Attach Debugger Now" while the active session observes, and not once it debugs', () => {
    const send = (mode: string) => registered.customEvent!({ session: { type: 'pwatch', id: 'observing' }, event: 'pwatch/mode', body: { mode, pid: 42 } });
    send('observe');
    assert.strictEqual(registered.contextKeys.get('pwatch.observing'), true);
    send('debug');
    assert.strictEqual(registered.contextKeys.get('pwatch.observing'), false);
    const toolbar = manifest.contributes.menus['debug/toolbar'] as Array<{ command: string; when: string }>;
    assert.deepStrictEqual(toolbar.map((m) => [m.command, m.when]), [['pwatch.attachDebuggerNow', 'debugType == pwatch && pwatch.observing']]);
  });

  it('contributes what the code serves', () => {
    assert.ok(manifest.activationEvents.includes('onDebugResolve:pwatch'));
    const debuggerContribution = manifest.contributes.debuggers.find((d: { type: string }) => d.type === 'pwatch');
    assert.ok(debuggerContribution, 'a pwatch debugger');
    assert.deepStrictEqual(debuggerContribution.configurationAttributes.launch.required, ['program']);
    assert.deepStrictEqual(debuggerContribution.configurationAttributes.attach.anyOf, [{ required: ['pid'] }, { required: ['target'] }]);
    assert.strictEqual(debuggerContribution.variables.pickProcess, 'pwatch.pickProcess');
    for (const command of ['pwatch.pickProcess', 'pwatch.clearHitHistory', 'pwatch.copyHitLog', 'pwatch.addDataBreakpointOnExpression', 'pwatch.addDataBreakpointOnAddress', 'pwatch.addDataLogpoint', 'pwatch.removeWatchpoint', 'pwatch.huntRacesOnExpression', 'pwatch.huntRacesOnAddress', 'pwatch.huntRacesInProgram', 'pwatch.stopHunt', 'pwatch.copyRaceReport', 'pwatch.observeProcess', 'pwatch.attachDebuggerNow', 'pwatch.detachToObserve']) {
      assert.ok(manifest.contributes.commands.some((c: { command: string }) => c.command === command), command);
      assert.ok(registered.commands.has(command), `${command} is registered`);
    }
    assert.strictEqual(manifest.contributes.views.debug[0].id, 'pwatch.watchpoints');
    assert.deepStrictEqual(manifest.contributes.breakpoints.map((b: { language: string }) => b.language).sort(), ['c', 'cpp', 'rust']);
    // The manifest declares exactly the attributes the adapter reads (and warns about any other).
    const declared = (kind: 'launch' | 'attach') => Object.keys(debuggerContribution.configurationAttributes[kind].properties).sort();
    assert.deepStrictEqual(declared('launch'), [...LAUNCH_ATTRIBUTES].sort());
    assert.deepStrictEqual(declared('attach'), [...ATTACH_ATTRIBUTES].sort());
    assert.strictEqual(manifest.main, './dist/extension.js');
  });
});
