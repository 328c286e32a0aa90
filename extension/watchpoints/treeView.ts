/** The Watchpoints tree: watchpoint → missed threads and recent hits; a hit opens its source line. */
import * as vscode from 'vscode';
import { describeHit, describeMissed, describeThreadCount, describeWatchpoint, HitEvent, LogpointEvent, MissedThread, Watchpoint, WatchpointModel } from './model';

export type Node =
  | { kind: 'watchpoint'; watchpoint: Watchpoint }
  | { kind: 'missedGroup'; watchpoint: Watchpoint }
  | { kind: 'hitsGroup'; watchpoint: Watchpoint }
  | { kind: 'threadsGroup'; watchpoint: Watchpoint }
  | { kind: 'threadCount'; count: LogpointEvent['perThread'][number] }
  | { kind: 'missed'; missed: MissedThread }
  | { kind: 'hit'; hit: HitEvent };

export class WatchpointTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly model: WatchpointModel) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      return this.model.list().map((watchpoint) => ({ kind: 'watchpoint', watchpoint }));
    }
    switch (node.kind) {
      case 'watchpoint': {
        const groups: Node[] = [];
        if (node.watchpoint.missed.length > 0) {
          groups.push({ kind: 'missedGroup', watchpoint: node.watchpoint });
        }
        if (node.watchpoint.kind === 'logpoint') {
          groups.push({ kind: 'threadsGroup', watchpoint: node.watchpoint });
        }
        groups.push({ kind: 'hitsGroup', watchpoint: node.watchpoint });
        return groups;
      }
      case 'threadsGroup':
        return node.watchpoint.perThread.map((count) => ({ kind: 'threadCount', count }));
      case 'missedGroup':
        return node.watchpoint.missed.map((missed) => ({ kind: 'missed', missed }));
      case 'hitsGroup':
        return node.watchpoint.hits.map((hit) => ({ kind: 'hit', hit }));
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const { Collapsed, Expanded, None } = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'watchpoint': {
        const item = new vscode.TreeItem(node.watchpoint.label, Expanded);
        item.description = describeWatchpoint(node.watchpoint);
        const icon = node.watchpoint.kind === 'logpoint' ? 'output' : 'eye';
        item.iconPath = new vscode.ThemeIcon(node.watchpoint.missed.length > 0 ? 'warning' : icon);
        item.contextValue = node.watchpoint.owner === 'extension' ? 'pwatch.watchpoint.own' : 'pwatch.watchpoint';
        return item;
      }
      case 'threadsGroup': {
        const count = node.watchpoint.perThread.length;
        return new vscode.TreeItem(`Accesses per thread (${count})`, count > 0 ? Collapsed : None);
      }
      case 'threadCount':
        return new vscode.TreeItem(describeThreadCount(node.count), None);
      case 'missedGroup': {
        const item = new vscode.TreeItem(`Missed threads (${node.watchpoint.missed.length})`, Expanded);
        item.contextValue = 'pwatch.missed';
        return item;
      }
      case 'hitsGroup': {
        const item = new vscode.TreeItem(`Recent hits (${node.watchpoint.hits.length})`, node.watchpoint.hits.length > 0 ? Collapsed : None);
        item.contextValue = 'pwatch.hits';
        return item;
      }
      case 'missed': {
        const item = new vscode.TreeItem(describeMissed(node.missed), None);
        item.iconPath = new vscode.ThemeIcon('debug-disconnect');
        return item;
      }
      case 'hit': {
        const item = new vscode.TreeItem(describeHit(node.hit), None);
        item.description = new Date(node.hit.time).toLocaleTimeString();
        item.contextValue = 'pwatch.hit';
        if (node.hit.file && node.hit.line) {
          const line = Math.max(0, node.hit.line - 1);
          item.command = {
            title: 'Open',
            command: 'vscode.open',
            arguments: [vscode.Uri.file(node.hit.file), { selection: new vscode.Range(line, 0, line, 0) }],
          };
        }
        return item;
      }
    }
  }
}
