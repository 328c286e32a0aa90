import * as assert from 'assert';
import { CttyWarningFilter } from '../../adapter/program/cttyWarningFilter';

function run(chunks: string[]): string[] {
  const filter = new CttyWarningFilter();
  return chunks.map((c) => filter.push(c));
}

describe("program terminal: gdb's controlling-terminal warning", () => {
  it('drops the warning in MI log form, split over writes', () => {
    const out = run(['&"war', 'ning: GDB: Failed to set controlling terminal: Operation not', ' permitted\\n"\nhello\n', 'more\n']);
    assert.deepStrictEqual(out, ['', '', 'hello\n', 'more\n']);
  });

  it('drops the plain warning line', () => {
    assert.deepStrictEqual(run(['warning: GDB: Failed to set controlling terminal: Operation not permitted\nout\n']), ['out\n']);
  });

  it('holds nothing back when the program speaks first, and drops nothing later', () => {
    assert.deepStrictEqual(run(['progress 1%', ' 2%\n', 'warning: GDB: Failed to set controlling terminal: x\n']), [
      'progress 1%',
      ' 2%\n',
      'warning: GDB: Failed to set controlling terminal: x\n',
    ]);
    assert.deepStrictEqual(run(['w', 'x\n']), ['', 'wx\n']);
  });
});
