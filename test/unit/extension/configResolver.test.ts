import * as assert from 'assert';
import * as path from 'path';
import { checkProgram, DEFAULT_LAUNCH, resolveConfiguration } from '../../../extension/configResolver';

describe('debug configuration resolution (extension)', () => {
  it('turns F5 without launch.json into a launch of the open file’s program', () => {
    const result = resolveConfiguration({ type: '', request: '', name: '' }, { workspaceFolder: '/ws', activeFile: '/ws/src/main.c' });
    assert.ok('config' in result);
    assert.deepStrictEqual(result.config, { ...DEFAULT_LAUNCH, program: '/ws/src/main', cwd: '/ws' });
  });

  it('asks for a launch.json when nothing is open', () => {
    const result = resolveConfiguration({ type: '', request: '', name: '' }, {});
    assert.ok('error' in result && /launch\.json/.test(result.error));
  });

  it('fills launch defaults and keeps what the user set', () => {
    const result = resolveConfiguration({ type: 'pwatch', request: 'launch', name: 'x', program: '/bin/true', stopAtEntry: true }, { workspaceFolder: '/ws' });
    assert.ok('config' in result);
    assert.deepStrictEqual(result.config, { type: 'pwatch', request: 'launch', name: 'x', program: '/bin/true', stopAtEntry: true, args: [], cwd: '/ws' });
  });

  it('requires a pid to attach and a known request', () => {
    assert.ok('error' in resolveConfiguration({ type: 'pwatch', request: 'attach', name: 'a' }, {}));
    assert.ok('config' in resolveConfiguration({ type: 'pwatch', request: 'attach', name: 'a', pid: 42 }, {}));
    assert.ok('error' in resolveConfiguration({ type: 'pwatch', request: 'restart', name: 'a' }, {}));
  });

  it('checks the program after variable substitution', () => {
    assert.match(checkProgram({ type: 'pwatch', request: 'launch', name: 'x', program: '/nonexistent/prog' }) ?? '', /does not exist: build it first/);
    assert.match(checkProgram({ type: 'pwatch', request: 'launch', name: 'x', program: path.join(__dirname, 'configResolver.test.js') }) ?? '', /is not executable/);
    assert.strictEqual(checkProgram({ type: 'pwatch', request: 'launch', name: 'x', program: process.execPath }), undefined);
    assert.strictEqual(checkProgram({ type: 'pwatch', request: 'attach', name: 'x', pid: 1 }), undefined);
  });
});
