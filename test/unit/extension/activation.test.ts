/**
 * The extension against a small fake of the vscode API: activation registers the pwatch provider, the
 * inline adapter and the process picker, and package.json's contribution matches what the code serves.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import Module from 'module';

interface Registered {
  providers: Map<string, unknown>;
  factories: Map<string, { createDebugAdapterDescriptor(): unknown }>;
  commands: Map<string, unknown>;
}

function fakeVscode(registered: Registered): unknown {
  class DebugAdapterInlineImplementation {
    constructor(readonly implementation: unknown) {}
  }
  return {
    DebugAdapterInlineImplementation,
    window: { showErrorMessage: () => undefined, showQuickPick: () => undefined, activeTextEditor: undefined },
    debug: {
      registerDebugConfigurationProvider: (type: string, provider: unknown) => (registered.providers.set(type, provider), { dispose() {} }),
      registerDebugAdapterDescriptorFactory: (type: string, factory: { createDebugAdapterDescriptor(): unknown }) => (
        registered.factories.set(type, factory), { dispose() {} }
      ),
    },
    commands: { registerCommand: (id: string, fn: unknown) => (registered.commands.set(id, fn), { dispose() {} }) },
  };
}

describe('extension activation (fake vscode API)', () => {
  const registered: Registered = { providers: new Map(), factories: new Map(), commands: new Map() };
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

  it('contributes what the code serves', () => {
    assert.ok(manifest.activationEvents.includes('onDebugResolve:pwatch'));
    const debuggerContribution = manifest.contributes.debuggers.find((d: { type: string }) => d.type === 'pwatch');
    assert.ok(debuggerContribution, 'a pwatch debugger');
    assert.deepStrictEqual(debuggerContribution.configurationAttributes.launch.required, ['program']);
    assert.deepStrictEqual(debuggerContribution.configurationAttributes.attach.required, ['pid']);
    assert.strictEqual(debuggerContribution.variables.pickProcess, 'pwatch.pickProcess');
    assert.ok(manifest.contributes.commands.some((c: { command: string }) => c.command === 'pwatch.pickProcess'));
    assert.deepStrictEqual(manifest.contributes.breakpoints.map((b: { language: string }) => b.language).sort(), ['c', 'cpp', 'rust']);
    const launchProps = Object.keys(debuggerContribution.configurationAttributes.launch.properties).sort();
    assert.deepStrictEqual(launchProps, ['args', 'cwd', 'env', 'gdbPath', 'program', 'stopAtEntry', 'stopMode', 'watchSlots']);
    assert.strictEqual(manifest.main, './dist/extension.js');
  });
});
