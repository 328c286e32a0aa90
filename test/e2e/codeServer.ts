/**
 * A throwaway VS Code (code-server 4.100.3) with the packaged .vsix installed into a fresh extensions
 * folder and fresh user data, serving one workspace on 127.0.0.1. How and why: ../shared/E2E.md.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const installer = require('../../../scripts/installCodeServer.js') as { install(): string };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.once('error', () => resolve(false));
    request.once('timeout', () => (request.destroy(), resolve(false)));
  });
}

export class CodeServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly home: string,
  ) {}

  /** Installs `vsix` into a fresh profile and serves `workspace`. */
  static async start(vsix: string, workspace: string): Promise<CodeServer> {
    const entry = installer.install();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pwatch-e2e-'));
    const dirs = { userData: path.join(home, 'user-data'), extensions: path.join(home, 'extensions'), config: path.join(home, 'config.yaml') };
    fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
    fs.writeFileSync(
      path.join(dirs.userData, 'User', 'settings.json'),
      JSON.stringify(
        {
          'security.workspace.trust.enabled': false,
          'workbench.startupEditor': 'none',
          'workbench.tips.enabled': false,
          'extensions.ignoreRecommendations': true,
          'telemetry.telemetryLevel': 'off',
          'update.mode': 'none',
          'debug.toolBarLocation': 'docked',
          'window.commandCenter': false,
          // The DOM renderer keeps the terminal's text in the page, where journey 8 reads it (WebGL draws pixels).
          'terminal.integrated.gpuAcceleration': 'off',
        },
        null,
        2,
      ),
    );
    fs.writeFileSync(dirs.config, 'auth: none\n');
    // code-server writes under ~/.config and ~/.local/share unless told otherwise.
    const env = { ...process.env, XDG_CONFIG_HOME: path.join(home, 'xdg-config'), XDG_DATA_HOME: path.join(home, 'xdg-data') };
    const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--config', dirs.config];
    execFileSync(process.execPath, [entry, ...common, '--install-extension', vsix], { env, stdio: 'pipe' });
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        entry,
        ...common,
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        workspace,
      ],
      // Its own process group: code-server leaves children (file watcher, extension host) otherwise.
      { env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const server = new CodeServer(child, port, home);
    const deadline = Date.now() + 60000;
    while (!(await healthy(port))) {
      if (Date.now() > deadline || child.exitCode !== null) {
        server.stop();
        throw new Error('code-server did not become healthy within 60 s');
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return server;
  }

  url(folder: string): string {
    return `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(folder)}`;
  }

  /** Where VS Code writes its logs (the extension host's log says when pwatch activated). */
  logsDir(): string {
    return path.join(this.home, 'user-data', 'logs');
  }

  stop(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
