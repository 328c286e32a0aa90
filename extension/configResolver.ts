/**
 * Fills in and checks a pwatch debug configuration before VS Code starts the adapter. Pure (no vscode
 * import) so it is unit-tested directly; extension.ts wires it to the DebugConfigurationProvider.
 */
import * as fs from 'fs';

export interface PwatchConfiguration {
  type: string;
  request: string;
  name: string;
  program?: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string | null>;
  stopAtEntry?: boolean;
  gdbPath?: string;
  pid?: number | string;
  [key: string]: unknown;
}

export type Resolution = { config: PwatchConfiguration } | { error: string } | { cancel: true };

/** What the resolver needs from the editor: the folder, and the file open in it (for F5 with no launch.json). */
export interface ResolveContext {
  workspaceFolder?: string;
  activeFile?: string;
}

export const DEFAULT_LAUNCH: PwatchConfiguration = {
  type: 'pwatch',
  request: 'launch',
  name: 'Launch (pwatch)',
  program: '${workspaceFolder}/a.out',
  args: [],
  cwd: '${workspaceFolder}',
  stopAtEntry: false,
};

export function resolveConfiguration(input: PwatchConfiguration, context: ResolveContext): Resolution {
  // F5 without a launch.json: VS Code passes an empty configuration.
  if (!input.type && !input.request && !input.name) {
    if (!context.activeFile) {
      return { error: 'pwatch: open a launch.json (Run > Add Configuration…) and set "program" to the executable to debug.' };
    }
    const program = context.activeFile.replace(/\.(c|cc|cpp|cxx|rs)$/, '');
    return resolveConfiguration({ ...DEFAULT_LAUNCH, program, cwd: context.workspaceFolder ?? DEFAULT_LAUNCH.cwd }, context);
  }
  const config: PwatchConfiguration = { ...input, type: 'pwatch' };
  if (config.request === 'attach') {
    if (config.pid === undefined || config.pid === '') {
      return { error: 'pwatch: "pid" is required to attach: set it, or use "${command:pickProcess}".' };
    }
    return { config };
  }
  if (config.request !== 'launch') {
    return { error: `pwatch: "request" must be "launch" or "attach", not ${JSON.stringify(config.request)}.` };
  }
  config.args ??= [];
  config.stopAtEntry ??= false;
  if (!config.cwd && context.workspaceFolder) {
    config.cwd = context.workspaceFolder;
  }
  return { config };
}

/**
 * Checks the program after VS Code substituted variables, so the message names the real path.
 * The adapter checks again (it also runs without this extension).
 */
export function checkProgram(config: PwatchConfiguration): string | undefined {
  if (config.request !== 'launch') {
    return undefined;
  }
  if (typeof config.program !== 'string' || config.program === '') {
    return 'pwatch: "program" is required: set it to the executable to debug.';
  }
  if (!fs.existsSync(config.program)) {
    return `pwatch: program '${config.program}' does not exist: build it first (e.g. run the "make" task) or fix "program".`;
  }
  try {
    fs.accessSync(config.program, fs.constants.X_OK);
  } catch {
    return `pwatch: program '${config.program}' is not executable.`;
  }
  return undefined;
}
