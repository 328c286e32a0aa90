/**
 * The addon's holder process owns the program's terminal, so gdb's attempt to make it the program's
 * controlling terminal fails (on purpose: the program then survives the terminal closing). gdb's forked
 * child says so as the first line in that terminal, sometimes in MI log form (`&"warning: ..."`) and in
 * several writes. This drops exactly that line and holds nothing else back.
 */
const WARNING = 'warning: GDB: Failed to set controlling terminal: ';
const PREFIXES = [`&"${WARNING}`, WARNING];

export class CttyWarningFilter {
  /** Output held back while it may still be the start of the warning line; undefined once decided. */
  private head: string | undefined = '';

  /** Returns what can be shown now. */
  push(text: string): string {
    if (this.head === undefined) {
      return text;
    }
    const head = this.head + text;
    const newline = head.indexOf('\n');
    if (newline >= 0) {
      this.head = undefined;
      return PREFIXES.some((prefix) => head.startsWith(prefix)) ? head.slice(newline + 1) : head;
    }
    if (PREFIXES.some((prefix) => prefix.startsWith(head) || head.startsWith(prefix))) {
      this.head = head;
      return '';
    }
    this.head = undefined;
    return head;
  }
}
