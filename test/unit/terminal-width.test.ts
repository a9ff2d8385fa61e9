// The build replaces `string-width` with cli/terminal-width.ts for yargs'
// help layout (issue 12: start-up). Its widths must match a terminal's for
// what devenv prints, or help columns go ragged.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import terminalWidth, { stripAnsiCodes } from '../../cli/terminal-width.ts';

test('ASCII text is as wide as it is long', () => {
  assert.is(terminalWidth(''), 0);
  assert.is(terminalWidth('--dry-run  Print every command'), 30);
});

test('colour codes take no columns', () => {
  assert.is(stripAnsiCodes('\u001b[1m\u001b[31mbold red\u001b[39m\u001b[22m'), 'bold red');
  assert.is(terminalWidth('\u001b[1m\u001b[31mbold red\u001b[39m\u001b[22m'), 8);
});

test('CJK and fullwidth characters take two columns; combining marks and joiners none', () => {
  assert.is(terminalWidth('日本語'), 6);
  assert.is(terminalWidth('ＡＢ'), 4);
  assert.is(terminalWidth('e\u0301te\u0301'), 3);
  assert.is(terminalWidth('a\u200bb'), 2);
  assert.is(terminalWidth('café'), 4);
});

test('a non-string measures zero (cliui passes what it is given)', () => {
  assert.is(terminalWidth(undefined as never), 0);
});

test.run();
