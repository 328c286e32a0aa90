/**
 * The Watchpoints tree: watchpoint → missed threads, accesses per thread (logpoints) and recent hits; a hit
 * opens its source line. Then Races (when a hunt ran): race → its two accesses → each one's stack; a frame opens its line. Nodes are keys into the model, created once per key and given stable ids, so that
 * VS Code matches them across refreshes (fresh objects without ids made it keep stale labels).
 */
import * as vscode from 'vscode';
import { describeFrame, describeHunt, describeRace, describeSide, RaceEventBody, RaceModel } from '../races/raceModel';
import { describeHit, describeMissed, describeThreadCount, describeWatchpoint, Watchpoint, WatchpointModel } from './model';

export type NodeKind = 'watchpoint' | 'missedGroup' | 'threadsGroup' | 'hitsGroup' | 'missed' | 'threadCount' | 'hit' | RaceNodeKind;
type RaceNodeKind = 'racesGroup' | 'race' | 'raceSide' | 'frame';
const RACE_KINDS = new Set<NodeKind>(['racesGroup', 'race', 'raceSide', 'frame']);
/** A frame node's index: side * FRAMES_PER_SIDE + frame. */
const FRAMES_PER_SIDE = 1000;

export interface Node {
  kind: NodeKind;
  /** The watchpoint's id (a race's, for race nodes). */
  id: number;
  /** Position in the group, for leaves. */
  index: number;
}

export class WatchpointTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly nodes = new Map<string, Node>();

  constructor(
    private readonly model: WatchpointModel,
    private readonly races: RaceModel = new RaceModel(),
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const watchpoints = this.model.list().map((w) => this.node('watchpoint', w.id));
      return this.races.hunting || this.races.lastEnd || this.races.list().length > 0 ? [...watchpoints, this.node('racesGroup', 0)] : watchpoints;
    }
    if (RACE_KINDS.has(node.kind)) {
      return this.raceChildren(node);
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
    if (RACE_KINDS.has(node.kind)) {
      const item = this.raceItem(node);
      item.id = keyOf(node.kind, node.id, node.index);
      return item;
    }
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
      default:
        return new vscode.TreeItem('', vscode.TreeItemCollapsibleState.None); // race nodes: raceItem
    }
  }

  private raceChildren(node: Node): Node[] {
    const race = this.races.get(node.id);
    switch (node.kind) {
      case 'racesGroup':
        return this.races.list().map((r) => this.node('race', r.id));
      case 'race':
        return race ? [this.node('raceSide', race.id, 0), this.node('raceSide', race.id, 1)] : [];
      case 'raceSide': {
        const side = race && (node.index === 0 ? race.first : race.second);
        return side ? side.frames.map((_, i) => this.node('frame', node.id, node.index * FRAMES_PER_SIDE + i)) : [];
      }
      default:
        return [];
    }
  }

  private raceItem(node: Node): vscode.TreeItem {
    const { Collapsed, Expanded, None } = vscode.TreeItemCollapsibleState;
    if (node.kind === 'racesGroup') {
      const item = new vscode.TreeItem(`Races (${this.races.list().length})`, Expanded);
      item.description = describeHunt(this.races);
      item.iconPath = new vscode.ThemeIcon(this.races.hunting ? 'loading~spin' : 'bug');
      item.contextValue = this.races.hunting ? 'pwatch.races.hunting' : 'pwatch.races';
      return item;
    }
    const race = this.races.get(node.id);
    if (!race) {
      return new vscode.TreeItem('(gone)', None);
    }
    if (node.kind === 'race') {
      const item = new vscode.TreeItem(describeRace(race), Collapsed);
      item.description = race.count > 1 ? `× ${race.count}` : undefined;
      item.iconPath = new vscode.ThemeIcon('warning');
      item.contextValue = 'pwatch.race';
      item.tooltip = `${race.bytes} bytes at ${race.address}`;
      return item;
    }
    const sideIndex = node.kind === 'raceSide' ? node.index : Math.floor(node.index / FRAMES_PER_SIDE);
    const side = sideIndex === 0 ? race.first : race.second;
    if (node.kind === 'raceSide') {
      const item = new vscode.TreeItem(describeSide(side, sideIndex === 0 ? 'first' : 'second'), Expanded);
      item.iconPath = new vscode.ThemeIcon(side.access === 'write' ? 'edit' : 'eye');
      return item;
    }
    return frameItem(race, side.frames[node.index % FRAMES_PER_SIDE]);
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

/** One frame of a race's stack: it opens its source line. */
function frameItem(race: RaceEventBody, frame: RaceEventBody['first']['frames'][number] | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(frame ? describeFrame(frame) : '', vscode.TreeItemCollapsibleState.None);
  item.iconPath = new vscode.ThemeIcon('debug-stackframe');
  if (frame?.file && frame.line) {
    const line = Math.max(0, frame.line - 1);
    item.command = { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.file(frame.file), { selection: new vscode.Range(line, 0, line, 0) }] };
    item.tooltip = `${frame.file}:${frame.line} (${race.symbol ?? race.address})`;
  }
  return item;
}

function keyOf(kind: NodeKind, id: number, index: number): string {
  return `${id}/${kind}/${index}`;
}
