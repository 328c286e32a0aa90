// Bundles the extension (run by VS Code) and the standalone adapter (run by node) into dist/.
// The native addon is not bundled: it is copied beside the bundles and loaded at run time, with pwatch-exec,
// the exec-wrapper that hands launched programs their exact arguments, and the decoder's WebAssembly.
'use strict';
const fs = require('fs');
const path = require('path');

const release = path.join(__dirname, 'native', 'build', 'Release');
const NATIVE_FILES = ['pwatch.node', 'pwatch-exec'];
// iced-x86 (the instruction decoder of data breakpoint hits) loads its WebAssembly from beside its script.
const DECODER_WASM = path.join(path.dirname(require.resolve('iced-x86')), 'iced_x86_bg.wasm');

class CopyAddonPlugin {
  apply(compiler) {
    compiler.hooks.afterEmit.tap('CopyAddonPlugin', () => {
      for (const name of NATIVE_FILES) {
        const built = path.join(release, name);
        if (!fs.existsSync(built)) {
          throw new Error(`${built} is missing: run 'npm run build:native' first`);
        }
        fs.copyFileSync(built, path.join(__dirname, 'dist', name));
        fs.chmodSync(path.join(__dirname, 'dist', name), 0o755);
      }
      fs.copyFileSync(DECODER_WASM, path.join(__dirname, 'dist', path.basename(DECODER_WASM)));
    });
  }
}

const common = {
  target: 'node',
  devtool: 'source-map',
  resolve: { extensions: ['.ts', '.js'] },
  module: {
    rules: [
      {
        test: /\.ts$/,
        exclude: /node_modules/,
        use: [{ loader: 'ts-loader', options: { transpileOnly: true } }],
      },
    ],
  },
  // Keep __dirname real so the addon is found beside the bundle.
  node: { __dirname: false, __filename: false },
  // Readable stack traces from users' bug reports matter more than a few kilobytes.
  optimization: { minimize: false },
  output: { path: path.join(__dirname, 'dist'), filename: '[name].js', libraryTarget: 'commonjs2' },
};

module.exports = [
  { ...common, name: 'extension', entry: { extension: './extension/extension.ts' }, externals: { vscode: 'commonjs vscode' } },
  // The terminal agent runs in the editor's terminal, by itself: a bundle of its own beside the adapter.
  { ...common, name: 'adapter', entry: { adapter: './adapter/main.ts', terminalAgent: './adapter/terminal/agent.ts' }, plugins: [new CopyAddonPlugin()] },
];
