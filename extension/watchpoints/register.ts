/**
 * Wires the Watchpoints view to pwatch sessions: the adapter's events feed the model, a warning comes the
 * first time a watchpoint misses threads, and a status bar item counts watchpoints and missed threads.
 * Everything is pushed by the adapter; nothing polls.
 */
import * as vscode from 'vscode';
import { CoverageEvent, HitEvent, LogpointEvent, statusText, WatchpointModel } from './model';
import { addLogpoint, addOnAddress, addOnExpression, removeWatchpoint } from './commands';
import { Node, WatchpointTree } from './treeView';
import { RaceCommands } from '../races/commands';
import { describeRace, HuntEndEventBody, RaceEventBody, RaceModel } from '../races/raceModel';

export const VIEW_ID = 'pwatch.watchpoints';
const REDRAW_MS = 300;

export function registerWatchpoints(context: vscode.ExtensionContext): WatchpointModel {
  const model = new WatchpointModel();
  const races = new RaceModel();
  const tree = new WatchpointTree(model, races);
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  status.command = `${VIEW_ID}.focus`;
  status.tooltip = 'pwatch: data breakpoints and their thread coverage';
  // VS Code debounces a tree's change events (200 ms): refreshing on every logpoint report (10 per second)
  // would keep postponing the redraw for ever. So the view redraws at most every REDRAW_MS.
  let redraw: NodeJS.Timeout | undefined;
  const update = () => {
    status.text = statusText(model);
    redraw ??= setTimeout(() => {
      redraw = undefined;
      tree.refresh();
    }, REDRAW_MS);
  };

  context.subscriptions.push(
    { dispose: () => clearTimeout(redraw) },
    status,
    vscode.window.registerTreeDataProvider(VIEW_ID, tree),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
      if (event.session.type !== 'pwatch') {
        return;
      }
      if (event.event === 'pwatch/coverage') {
        const body = event.body as CoverageEvent;
        if (model.onCoverage(body)) {
          const label = model.get(body.id)?.label ?? (body.kind === 'logpoint' ? 'a data logpoint' : 'a data breakpoint');
          void vscode.window
            .showWarningMessage(`pwatch: ${label} misses ${body.missed.length} of ${body.total} threads.`, 'Show threads')
            .then((choice) => choice && vscode.commands.executeCommand(`${VIEW_ID}.focus`));
        }
        update();
      } else if (event.event === 'pwatch/hit') {
        model.onHit(event.body as HitEvent);
        update();
      } else if (event.event === 'pwatch/logpoint') {
        model.onLogpoint(event.body as LogpointEvent);
        update();
      } else if (event.event === 'pwatch/removed') {
        model.onRemoved((event.body as { id: number }).id);
        update();
      } else if (event.event === 'pwatch/race') {
        const race = event.body as RaceEventBody;
        if (races.onRace(race)) {
          void vscode.window
            .showWarningMessage(`pwatch: data race on ${describeRace(race)}`, 'Show Races')
            .then((choice) => choice && vscode.commands.executeCommand(`${VIEW_ID}.focus`));
        }
        update();
      } else if (event.event === 'pwatch/huntEnd') {
        races.onHuntEnd(event.body as HuntEndEventBody);
        update();
      }
    }),
    vscode.debug.onDidStartDebugSession((session) => {
      if (session.type === 'pwatch') {
        model.reset();
        races.reset();
        update();
        status.show();
      }
    }),
    vscode.debug.onDidTerminateDebugSession((session) => {
      if (session.type === 'pwatch') {
        status.hide();
      }
    }),
    vscode.commands.registerCommand('pwatch.clearHitHistory', () => {
      model.clearHits();
      update();
    }),
    vscode.commands.registerCommand('pwatch.copyHitLog', async () => {
      await vscode.env.clipboard.writeText(model.hitLog());
    }),
    vscode.commands.registerCommand('pwatch.addDataBreakpointOnExpression', addOnExpression),
    vscode.commands.registerCommand('pwatch.addDataBreakpointOnAddress', addOnAddress),
    vscode.commands.registerCommand('pwatch.addDataLogpoint', addLogpoint),
    ...registerRaceCommands(new RaceCommands(races, update)),
    vscode.commands.registerCommand('pwatch.removeWatchpoint', async (node?: Node) => {
      const watchpoint = node?.kind === 'watchpoint' ? model.get(node.id) : undefined;
      if (watchpoint) {
        await removeWatchpoint(watchpoint);
      }
    }),
  );
  return model;
}

function registerRaceCommands(commands: RaceCommands): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('pwatch.huntRacesOnExpression', (context?: { variable?: { evaluateName?: string } }) => commands.onExpression(context)),
    vscode.commands.registerCommand('pwatch.huntRacesOnAddress', () => commands.onAddress()),
    vscode.commands.registerCommand('pwatch.huntRacesInProgram', () => commands.inProgram()),
    vscode.commands.registerCommand('pwatch.stopHunt', () => commands.stop()),
    vscode.commands.registerCommand('pwatch.copyRaceReport', (node?: Node) => commands.copyReport(node)),
  ];
}
