// Bundles the extension (run by VS Code) and the standalone adapter (run by node) into dist/.
// The native addon is not bundled: it is copied beside the bundles and loaded at run time.
'use strict';
const fs = require('fs');
const path = require('path');

const addon = path.join(__dirname, 'native', 'build', 'Release', 'pwatch.node');

class CopyAddonPlugin {
  apply(compiler) {
    compiler.hooks.afterEmit.tap('CopyAddonPlugin', () => {
      if (!fs.existsSync(addon)) {
        throw new Error(`${addon} is missing: run 'npm run build:native' first`);
      }
      fs.copyFileSync(addon, path.join(__dirname, 'dist', 'pwatch.node'));
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
  { ...common, name: 'adapter', entry: { adapter: './adapter/main.ts' }, plugins: [new CopyAddonPlugin()] },
];
