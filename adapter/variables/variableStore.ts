/**
 * Variables, scopes and frames as DAP references. Every reference is valid for one stop only: when
 * the program resumes the store is cleared and gdb's variable objects are deleted.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { FrameRef } from '../gdb/commands/context';
import * as data from '../gdb/commands/data';
import * as exec from '../gdb/commands/exec';
import * as stack from '../gdb/commands/stack';
import * as varobj from '../gdb/commands/var';
import { MiSender } from '../gdb/connection';
import { errorText } from '../util/errors';
import { checkNesting, INDEX_FUNCTION, rustExpression } from '../rust/indexing';
import { formatVariable, isExpandable, isScalar } from './format';
import { charArrayLength, cStringLiteral } from './charArray';
import { fieldName, isDiscriminant, isUnitVariant, isVariantOf, rustSummary } from './rustValues';
import { DIRECT_INDEX_FROM, elementCount, isAccessLevel, mapPairs, needsSummary, summaryOf, UNPAGED_CHILD_LIMIT } from './pretty';

type Container =
  | { kind: 'locals'; frame: FrameRef }
  | { kind: 'registers'; frame: FrameRef }
  | { kind: 'varobj'; object: varobj.GdbVarObject; frame?: FrameRef; format?: varobj.DisplayFormat; expression?: string };

/** A variable shown in this stop: gdb's variable object and the frame it lives in (none for globals). */
export interface ShownVariable {
  objectName: string;
  frame?: FrameRef;
  /** The expression naming it, when pwatch made one (a Rust sequence's element); else gdb's path expression. */
  expression?: string;
  /** A number, character, pointer or the like: no members, no printer (see assign). */
  scalar?: boolean;
  type?: string;
}

export class VariableStore {
  private readonly frames = new Map<number, FrameRef>();
  private readonly containers = new Map<number, Container>();
  /** (container reference, display name) → gdb variable object, for setVariable and data breakpoints. */
  private readonly children = new Map<string, ShownVariable>();
  /** gdb variable objects created in this stop, with the thread whose frame they belong to. */
  private roots: Array<{ name: string; threadId?: number }> = [];
  private nextId = 1;
  private registerNames: string[] | undefined;
  /**
   * @param rust the program is Rust: enums and structs are summarised as gdb's Rust printer prints them
   * (rustValues.ts), subscripts go through the index function, pointers (maybe Boxes) are not assigned.
   */
  constructor(
    private readonly gdb: MiSender,
    readonly rust = false,
  ) {}

  frameId(frame: FrameRef): number {
    const id = this.nextId++;
    this.frames.set(id, frame);
    return id;
  }

  frame(frameId: number): FrameRef | undefined {
    return this.frames.get(frameId);
  }

  scopes(frameId: number): DebugProtocol.Scope[] {
    const frame = this.frames.get(frameId);
    if (!frame) {
      return [];
    }
    return [
      { name: 'Locals', presentationHint: 'locals', variablesReference: this.add({ kind: 'locals', frame }), expensive: false },
      { name: 'Registers', presentationHint: 'registers', variablesReference: this.add({ kind: 'registers', frame }), expensive: true },
    ];
  }

  /** A container's variables; `format` (the client's, or the one its expression asked for) applies to numbers. */
  async variables(reference: number, start?: number, count?: number, format?: varobj.DisplayFormat): Promise<DebugProtocol.Variable[]> {
    if ((start !== undefined && !(start >= 0)) || (count !== undefined && !(count >= 0))) {
      throw new Error(`a page of variables starts at 0 or later and counts 0 or more, not start ${start}, count ${count}`);
    }
    const container = this.containers.get(reference);
    if (!container) {
      return [];
    }
    switch (container.kind) {
      case 'locals':
        return this.locals(reference, container.frame, format);
      case 'registers':
        return this.registers(container.frame);
      case 'varobj':
        return this.childrenOf(reference, container, start, count, format ?? container.format);
    }
  }

  /**
   * Evaluates an expression into a variable object, so structured results can be expanded. In a Rust program the
   * expression's subscripts go through the index function (rust/indexing.ts); in any, nesting gdb's parser would
   * die of is refused.
   */
  async evaluate(expression: string, frame: FrameRef | undefined, format?: varobj.DisplayFormat): Promise<{ object: varobj.GdbVarObject; reference: number }> {
    if (!this.rust) {
      checkNesting(expression);
    }
    return this.evaluateAs(this.rust ? rustExpression(expression) : expression, frame, format);
  }

  private async evaluateAs(expression: string, frame: FrameRef | undefined, format?: varobj.DisplayFormat): Promise<{ object: varobj.GdbVarObject; reference: number }> {
    let object: varobj.GdbVarObject;
    try {
      object = await varobj.create(this.gdb, expression, frame);
    } catch {
      // -var-create only says "unable to create variable object"; gdb's evaluator names the real cause
      // (or, for expressions without an object such as void calls, simply gives the value).
      const value = await data.evaluate(this.gdb, expression, frame);
      return { object: { name: '', exp: expression, value, type: '', numchild: 0, dynamic: false, hasMore: false }, reference: 0 };
    }
    this.roots.push({ name: object.name, threadId: frame?.threadId });
    if (object.value === '' && object.numchild === 0 && !object.dynamic) {
      // gdb creates a variable object even when reading its value failed (an unreadable address, a call
      // gdb could not make) and leaves the value empty: its evaluator says why, and that is the answer.
      await data.evaluate(this.gdb, expression, frame);
    }
    const shown = await this.presented(object, frame, format, expression);
    return { object: shown, reference: this.referenceFor(shown, frame, format, expression) };
  }

  /** The number of elements a pretty-printed container says it has (for paging), if it says. */
  elementCount(object: varobj.GdbVarObject): number | undefined {
    return object.displayHint === 'array' || object.displayHint === 'map' ? elementCount(object.value) : undefined;
  }

  /** The variable object behind a name shown in a container, listing the container if needed. */
  async shown(reference: number, name: string): Promise<ShownVariable | undefined> {
    if (!this.children.has(`${reference}\0${name}`)) {
      await this.variables(reference); // a client may act on a variable it has not listed in this stop
    }
    return this.children.get(`${reference}\0${name}`);
  }

  async setVariable(reference: number, name: string, value: string): Promise<string> {
    const container = this.containers.get(reference);
    if (container?.kind === 'registers') {
      // The register name comes from gdb's own list; the value is the user's expression, as in `set var`.
      return data.evaluate(this.gdb, `$${name} = ${value}`, container.frame);
    }
    const shown = await this.shown(reference, name);
    if (!shown) {
      throw new Error(`'${name}' cannot be set here: it is not a variable of this scope`);
    }
    return this.assign(shown, name, value);
  }

  /** A watch expression set to a value: the expression's object, assigned, then shown anew. */
  async setExpression(expression: string, value: string, frame: FrameRef | undefined): Promise<{ object: varobj.GdbVarObject; reference: number }> {
    const { object } = await this.evaluate(expression, frame);
    if (object.name === '') {
      throw new Error(`'${expression}' cannot be assigned: it is not a variable, member or element`);
    }
    await this.assign({ objectName: object.name, frame, expression: object.exp, scalar: isScalar(object), type: object.type }, expression, value);
    return this.evaluate(expression, frame);
  }

  /**
   * gdb's variable objects assign numbers, characters and pointers. A scalar they refuse (an element a printer made,
   * reached through the index function) is assigned as the expression `(path) = value`, as `set var` would. A
   * structure is refused: gdb would copy its bytes, and for a type that owns memory (a String, a Vec, a
   * std::string) both copies then free it (measured: a Rust String set from another died of a double free).
   */
  private async assign(shown: ShownVariable, label: string, value: string): Promise<string> {
    const capacity = this.rust ? undefined : charArrayLength(shown.type ?? '');
    const text = capacity === undefined ? undefined : cStringLiteral(value.trim());
    if (capacity !== undefined && text !== undefined) {
      return this.writeString(shown, label, text, capacity);
    }
    this.refuseUnsafeAssignment(shown, label);
    const given = this.rust ? rustExpression(value) : value;
    try {
      return await varobj.assign(this.gdb, shown.objectName, given);
    } catch (e) {
      if (!/not editable/.test(errorText(e))) {
        throw e;
      }
    }
    const path = shown.expression ?? (await varobj.pathExpression(this.gdb, shown.objectName).catch(() => ''));
    if (!path) {
      throw new Error(`'${label}' cannot be assigned: gdb has no expression for it; use "-exec set var" with an expression`);
    }
    try {
      await data.evaluate(this.gdb, `(${path}) = ${given}`, shown.frame);
    } catch (e) {
      throw new Error(`'${label}' cannot be set to ${value}: ${errorText(e)}`);
    }
    return data.evaluate(this.gdb, path, shown.frame);
  }

  /** A string literal into a char array: its bytes and a NUL, written in place when they fit. */
  private async writeString(shown: ShownVariable, label: string, text: Buffer, capacity: number): Promise<string> {
    if (text.length + 1 > capacity) {
      throw new Error(`'${label}' holds ${capacity - 1} characters and a NUL: that string is ${text.length} bytes`);
    }
    const path = shown.expression ?? (await varobj.pathExpression(this.gdb, shown.objectName));
    const address = BigInt(await data.evaluate(this.gdb, `(unsigned long) &(${path})`, shown.frame));
    await data.writeMemory(this.gdb, address, Buffer.concat([text, Buffer.from([0])]));
    return data.evaluate(this.gdb, path, shown.frame);
  }

  /**
   * An assignment typed as an expression (`s = t` in the Debug Console) passes the checks Set Value does; gdb then
   * evaluates it as typed.
   */
  async checkAssignment(target: string, frame: FrameRef | undefined): Promise<void> {
    const { object } = await this.evaluate(target, frame);
    this.refuseUnsafeAssignment({ objectName: object.name, scalar: isScalar(object) && object.name !== '', type: object.type }, target);
  }

  /**
   * A structure is not assigned (gdb copies its bytes: see assign), nor, in a Rust program, a pointer: gdb shows a
   * Box as `*mut T`, and a Box owns what it points to (measured: Box set from another, a double free).
   */
  private refuseUnsafeAssignment(shown: ShownVariable, label: string): void {
    if (!shown.scalar) {
      throw new Error(`'${label}' cannot be assigned as a whole: gdb would copy its bytes, and a type that owns memory (a String, a Vec, a std::string) would then be freed twice. Set one of its elements or members instead`);
    }
    if (this.rust && /^\*(mut|const) /.test(shown.type ?? '')) {
      throw new Error(`'${label}' is not assigned: in a Rust program gdb shows a Box as a pointer (${shown.type}), and a Box owns what it points to, which would be freed twice. Set what it points to instead (*${label})`);
    }
  }

  /**
   * Forgets references and deletes gdb's variable objects when threads resume: all of them, or (non-stop)
   * those of one thread plus the frameless ones (globals), whose values any running thread may change.
   */
  clear(threadId?: number): void {
    const gone = (frame: FrameRef | undefined) => threadId === undefined || frame === undefined || frame.threadId === threadId;
    const removed = this.roots.filter((r) => threadId === undefined || r.threadId === undefined || r.threadId === threadId);
    this.roots = this.roots.filter((r) => !removed.includes(r));
    for (const [id, frame] of this.frames) {
      if (gone(frame)) {
        this.frames.delete(id);
      }
    }
    for (const [id, container] of this.containers) {
      if (gone(container.frame)) {
        this.containers.delete(id);
      }
    }
    for (const [key, shown] of this.children) {
      if (gone(shown.frame)) {
        this.children.delete(key);
      }
    }
    for (const root of removed) {
      varobj.remove(this.gdb, root.name).catch(() => undefined);
    }
  }

  private async locals(reference: number, frame: FrameRef, format?: varobj.DisplayFormat): Promise<DebugProtocol.Variable[]> {
    const names = await stack.listVariables(this.gdb, frame);
    const result: DebugProtocol.Variable[] = [];
    for (const local of names) {
      try {
        const object = await varobj.create(this.gdb, local.name, frame);
        this.roots.push({ name: object.name, threadId: frame.threadId });
        result.push(this.variable(reference, local.name, await this.presented(object, frame, format, local.name), frame, format, local.name));
      } catch (e) {
        result.push({ name: local.name, value: `<${(e as Error).message}>`, variablesReference: 0 });
      }
    }
    return result;
  }

  private async registers(frame: FrameRef): Promise<DebugProtocol.Variable[]> {
    this.registerNames ??= await data.registerNames(this.gdb);
    const names = this.registerNames;
    const values = await data.registerValues(this.gdb, frame);
    return values
      .filter((r) => names[r.number])
      .map((r) => ({ name: names[r.number], value: r.value, variablesReference: 0, evaluateName: `$${names[r.number]}` }));
  }

  private async childrenOf(
    reference: number,
    container: Extract<Container, { kind: 'varobj' }>,
    start?: number,
    asked?: number,
    format?: varobj.DisplayFormat,
  ): Promise<DebugProtocol.Variable[]> {
    const { object: parent, frame } = container;
    // DAP's count 0 is "all": from a start on, as far as an unpaged listing goes.
    const count = start !== undefined && start > 0 && !asked ? UNPAGED_CHILD_LIMIT : asked;
    const paged = start !== undefined && count !== undefined && count > 0;
    if (paged && parent.dynamic && parent.displayHint === 'array' && start >= DIRECT_INDEX_FROM) {
      const direct = await this.indexed(reference, container, start, count, format);
      if (direct) {
        return direct;
      }
    }
    // A map printer's children come in key, value pairs: a page of n entries is 2n children.
    const per = parent.displayHint === 'map' ? 2 : 1;
    const from = paged ? start * per : parent.dynamic ? 0 : undefined;
    const to = paged ? (start + count) * per : parent.dynamic ? UNPAGED_CHILD_LIMIT * per : undefined;
    const { children, hasMore } = await varobj.listChildren(this.gdb, parent.name, from, to);
    const flat: varobj.GdbVarObject[] = [];
    for (const child of children) {
      if (this.rust && isDiscriminant(child)) {
        continue;
      }
      // C++'s access levels, and a Rust enum's active variant, are levels no user thinks of: their members show.
      const level = isAccessLevel(child) || (this.rust && isVariantOf(child, parent.type));
      flat.push(...(level ? (await varobj.listChildren(this.gdb, child.name)).children : [child]));
    }
    const named = parent.displayHint === 'map' ? mapPairs(flat) : flat.map((child) => ({ name: this.rust ? fieldName(child.exp) : child.exp, value: child }));
    // A Rust sequence's elements have no expression gdb can give (its printer makes them): they are named through
    // the index function, so an element that is a struct or enum is summarised too.
    const sequence = this.rust && parent.dynamic && parent.displayHint === 'array' ? (container.expression ?? (await varobj.pathExpression(this.gdb, parent.name).catch(() => undefined))) : undefined;
    const result: DebugProtocol.Variable[] = [];
    for (const { name, value } of named) {
      const index = sequence === undefined ? undefined : /^\[(\d+)\]$/.exec(name)?.[1];
      const expression = index === undefined ? undefined : `$${INDEX_FUNCTION}((${sequence}), ${index}, 1)`;
      result.push(this.variable(reference, name, await this.presented(value, frame, format, expression), frame, format, expression));
    }
    if (!paged && hasMore) {
      const more = `more than ${UNPAGED_CHILD_LIMIT} elements: evaluate an index to see one further on`;
      result.push({ name: '…', value: more, variablesReference: 0, presentationHint: { kind: 'virtual' } });
    }
    return result;
  }

  /**
   * Elements [start, start + count) of a printed array read as `(expression)[i]`: gdb walks a printer's children
   * from the first, so element 9,999,990 of a vector took minutes and blocked every other request. libstdc++'s
   * xmethods answer operator[] without running the program, and calls are forbidden meanwhile, so a container
   * whose operator[] is the program's own falls back to the walk. undefined when it cannot be indexed.
   */
  private async indexed(
    reference: number,
    container: Extract<Container, { kind: 'varobj' }>,
    start: number,
    count: number,
    format?: varobj.DisplayFormat,
  ): Promise<DebugProtocol.Variable[] | undefined> {
    const { frame } = container;
    // operator[] does not check bounds: only a printer that says its length is indexed, and only below it.
    const total = this.elementCount(container.object);
    if (total === undefined) {
      return undefined;
    }
    const expression = container.expression ?? (await varobj.pathExpression(this.gdb, container.object.name).catch(() => ''));
    if (!expression) {
      return undefined;
    }
    return exec.withoutCalls(this.gdb, async () => {
      const result: DebugProtocol.Variable[] = [];
      // gdb's subscript (C++'s xmethods); where the language has none for it (Rust's Vec), the index function.
      const direct = (i: number) => `$${INDEX_FUNCTION}((${expression}), ${i}, 1)`;
      let form = this.rust ? direct : (i: number) => `(${expression})[${i}]`;
      // gdb makes an object even when reading it failed, with an empty value: that is a failure too.
      const read = (e: string) =>
        varobj.create(this.gdb, e, frame).then(
          (o) => {
            this.roots.push({ name: o.name, threadId: frame?.threadId });
            return o.value === '' && isScalar(o) ? undefined : o;
          },
          () => undefined,
        );
      for (let i = start; i < Math.min(start + count, total); i++) {
        let element = form(i);
        let object = await read(element);
        if (!object && i === start && form !== direct) {
          form = direct;
          element = form(i);
          object = await read(element);
        }
        if (!object) {
          return i === start ? undefined : result; // past the end, or not indexable at all
        }
        result.push(this.variable(reference, `[${i}]`, await this.presented(object, frame, format, element), frame, format));
      }
      return result;
    });
  }

  private variable(
    reference: number,
    name: string,
    object: varobj.GdbVarObject,
    frame: FrameRef | undefined,
    format?: varobj.DisplayFormat,
    expression?: string,
  ): DebugProtocol.Variable {
    this.children.set(`${reference}\0${name}`, { objectName: object.name, frame, expression, scalar: isScalar(object), type: object.type });
    const variable: DebugProtocol.Variable = { ...formatVariable(name, object), variablesReference: this.referenceFor(object, frame, format, expression) };
    const elements = this.elementCount(object);
    if (elements !== undefined && variable.variablesReference !== 0) {
      variable.indexedVariables = elements;
    }
    return variable;
  }

  /** How an object is shown: its printer's summary, in the number format asked for. */
  private async presented(object: varobj.GdbVarObject, frame: FrameRef | undefined, format?: varobj.DisplayFormat, expression?: string): Promise<varobj.GdbVarObject> {
    const target = this.rust ? await this.referenced(object, frame, expression) : undefined;
    return target ? this.formatted(await this.summarised(target, frame), format) : this.formatted(await this.summarised(object, frame, expression), format);
  }

  /**
   * The container a Rust reference or Box refers to (most parameters are `&Vec<T>`, which gdb types `*mut Vec<T>`):
   * shown and opened as that container, since gdb's variable object of a pointer lists its target's raw fields,
   * past the target's printer. undefined when it is not a pointer to a printed value, or cannot be followed.
   */
  private async referenced(object: varobj.GdbVarObject, frame: FrameRef | undefined, expression?: string): Promise<varobj.GdbVarObject | undefined> {
    if (!/^(\*(mut|const) |&)/.test(object.type) || object.dynamic || object.numchild === 0) {
      return undefined;
    }
    const path = expression ?? (await varobj.pathExpression(this.gdb, object.name).catch(() => ''));
    if (!path) {
      return undefined;
    }
    const target = await varobj.create(this.gdb, `*(${path})`, frame).catch(() => undefined);
    if (target) {
      this.roots.push({ name: target.name, threadId: frame?.threadId });
    }
    return target?.dynamic ? target : undefined;
  }

  /**
   * A pretty-printed object gdb shows as "{...}" gets its printer's summary ("std::vector of length 3,
   * capacity 4"), read by printing it; the object's expression is asked of gdb when not known.
   */
  private async summarised(object: varobj.GdbVarObject, frame: FrameRef | undefined, expression?: string): Promise<varobj.GdbVarObject> {
    if (this.rust && !object.dynamic && object.value === '{...}' && object.numchild > 0) {
      return this.rustSummarised(object, frame, expression);
    }
    if (!needsSummary(object)) {
      return object;
    }
    try {
      const path = expression ?? (await varobj.pathExpression(this.gdb, object.name));
      return { ...object, value: summaryOf(await data.evaluate(this.gdb, path, frame)) };
    } catch {
      return object; // a child of a printer's child has no expression gdb can give: "{...}" stays
    }
  }

  /** A Rust struct or enum shown as gdb prints it ("Some(42)"). */
  private async rustSummarised(object: varobj.GdbVarObject, frame: FrameRef | undefined, expression?: string): Promise<varobj.GdbVarObject> {
    try {
      const path = expression ?? (await varobj.pathExpression(this.gdb, object.name));
      const rust = rustSummary(await data.evaluate(this.gdb, path, frame), object.type);
      if (!rust) {
        return object;
      }
      // numchild stays gdb's (a unit variant's enum still owns memory in its other variants: see assign).
      return { ...object, value: rust.summary };
    } catch {
      return object;
    }
  }

  private referenceFor(object: varobj.GdbVarObject, frame: FrameRef | undefined, format?: varobj.DisplayFormat, expression?: string): number {
    // A Rust enum in a variant without fields (None, Closed) has nothing to open.
    const unitVariant = this.rust && !object.dynamic && object.numchild > 0 && isUnitVariant(object.value);
    return isExpandable(object) && !unitVariant ? this.add({ kind: 'varobj', object, frame, format, expression }) : 0;
  }

  /** A number shown in `format` (gdb formats only the object it is told to: children are each set). */
  private async formatted(object: varobj.GdbVarObject, format: varobj.DisplayFormat | undefined): Promise<varobj.GdbVarObject> {
    if (!format || format === 'natural' || object.numchild > 0 || object.dynamic || object.name === '') {
      return object;
    }
    return { ...object, value: await varobj.setFormat(this.gdb, object.name, format).catch(() => object.value) };
  }

  private add(container: Container): number {
    const id = this.nextId++;
    this.containers.set(id, container);
    return id;
  }
}
