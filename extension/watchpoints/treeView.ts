/**
 * The Watchpoints tree: watchpoint → missed threads, accesses per thread (logpoints) and recent hits; a hit
 * opens its source line. Nodes are keys into the model, created once per key and given stable ids, so that
 * VS Code matches them across refreshes (fresh objects without ids made it keep stale labels).
 */
import * as vscode from 'vscode';
import { describeHit, describeMissed, describeThreadCount, describeWatchpoint, Watchpoint, WatchpointModel } from './model';

export type NodeKind = 'watchpoint' | 'missedGroup' | 'threadsGroup' | 'hitsGroup' | 'missed' | 'threadCount' | 'hit';

export interface Node {
  kind: NodeKind;
  /** The watchpoint's id. */
  id: number;
  /** Position in the group, for leaves. */
  index: number;
}

export class WatchpointTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly nodes = new Map<string, Node>();

  constructor(private readonly model: WatchpointModel) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      return this.model.list().map((w) => this.node('watchpoint', w.id));
    }
    const w = this.model.get(node.id);
    if (!w) {
      return [];
    }
    switch (node.kind) {
      case 'watchpoint': {
        const groups: Node[] = [];
        if (w.missed.length > 0) {
          groups.push(this.node('missedGroup', w.id));
        }
        if (w.kind === 'logpoint') {
          groups.push(this.node('threadsGroup', w.id));
        }
        groups.push(this.node('hitsGroup', w.id));
        return groups;
      }
      case 'missedGroup':
        return w.missed.map((_, i) => this.node('missed', w.id, i));
      case 'threadsGroup':
        return w.perThread.map((_, i) => this.node('threadCount', w.id, i));
      case 'hitsGroup':
        return w.hits.map((_, i) => this.node('hit', w.id, i));
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const w = this.model.get(node.id);
    const item = w ? this.itemFor(node, w) : new vscode.TreeItem('(removed)', vscode.TreeItemCollapsibleState.None);
    item.id = keyOf(node.kind, node.id, node.index);
    return item;
  }

  private itemFor(node: Node, w: Watchpoint): vscode.TreeItem {
    const { Collapsed, Expanded, None } = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'watchpoint': {
        const item = new vscode.TreeItem(w.label, Expanded);
        item.description = describeWatchpoint(w);
        const icon = w.kind === 'logpoint' ? 'output' : 'eye';
        item.iconPath = new vscode.ThemeIcon(w.missed.length > 0 ? 'warning' : icon);
        item.contextValue = w.owner === 'extension' ? 'pwatch.watchpoint.own' : 'pwatch.watchpoint';
        return item;
      }
      case 'missedGroup': {
        const item = new vscode.TreeItem(`Missed threads (${w.missed.length})`, Expanded);
        item.contextValue = 'pwatch.missed';
        return item;
      }
      case 'threadsGroup':
        return new vscode.TreeItem(`Accesses per thread (${w.perThread.length})`, w.perThread.length > 0 ? Collapsed : None);
      case 'hitsGroup': {
        const item = new vscode.TreeItem(`Recent hits (${w.hits.length})`, w.hits.length > 0 ? Collapsed : None);
        item.contextValue = 'pwatch.hits';
        return item;
      }
      case 'missed': {
        const missed = w.missed[node.index];
        const item = new vscode.TreeItem(missed ? describeMissed(missed) : '', None);
        item.iconPath = new vscode.ThemeIcon('debug-disconnect');
        return item;
      }
      case 'threadCount': {
        const count = w.perThread[node.index];
        return new vscode.TreeItem(count ? describeThreadCount(count) : '', None);
      }
      case 'hit': {
        const hit = w.hits[node.index];
        const item = new vscode.TreeItem(hit ? describeHit(hit) : '', None);
        if (!hit) {
          return item;
        }
        item.description = new Date(hit.time).toLocaleTimeString();
        item.contextValue = 'pwatch.hit';
        if (hit.file && hit.line) {
          const line = Math.max(0, hit.line - 1);
          item.command = {
            title: 'Open',
            command: 'vscode.open',
            arguments: [vscode.Uri.file(hit.file), { selection: new vscode.Range(line, 0, line, 0) }],
          };
        }
        return item;
      }
    }
  }

  private node(kind: NodeKind, id: number, index = 0): Node {
    const key = keyOf(kind, id, index);
    let node = this.nodes.get(key);
    if (!node) {
      node = { kind, id, index };
      this.nodes.set(key, node);
    }
    return node;
  }
}

function keyOf(kind: NodeKind, id: number, index: number): string {
  return `${id}/${kind}/${index}`;
}
