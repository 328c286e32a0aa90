/**
 * The VS Code side of pwatch: registers the `pwatch` debug type, fills and checks configurations,
 * and runs the adapter inline in the extension host (no extra process between VS Code and gdb).
 */
import * as vscode from 'vscode';
import { PwatchSession } from '../adapter/session';
import { checkProgram, PwatchConfiguration, resolveConfiguration } from './configResolver';
import { pickProcess } from './processPicker';
import { registerObserve } from './observe';
import { registerWatchpoints } from './watchpoints/register';

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, debugConfiguration: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    const result = resolveConfiguration(debugConfiguration as PwatchConfiguration, {
      workspaceFolder: folder?.uri.fsPath,
      activeFile: vscode.window.activeTextEditor?.document.uri.fsPath,
    });
    if ('error' in result) {
      void vscode.window.showErrorMessage(result.error);
      return undefined;
    }
    return 'config' in result ? (result.config as vscode.DebugConfiguration) : undefined;
  }

  resolveDebugConfigurationWithSubstitutedVariables(_folder: vscode.WorkspaceFolder | undefined, debugConfiguration: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    const problem = checkProgram(debugConfiguration as PwatchConfiguration);
    if (problem) {
      void vscode.window.showErrorMessage(problem);
      return undefined;
    }
    return debugConfiguration;
  }
}

class InlineAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    return new vscode.DebugAdapterInlineImplementation(new PwatchSession());
  }
}

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider('pwatch', new ConfigurationProvider()),
    vscode.debug.registerDebugAdapterDescriptorFactory('pwatch', new InlineAdapterFactory()),
    vscode.commands.registerCommand('pwatch.pickProcess', pickProcess),
  );
  registerWatchpoints(context);
  registerObserve(context);
}

export function deactivate(): void {
  // Sessions end through their own disconnect; nothing global to release.
}
