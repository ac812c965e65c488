import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitBatches } from '../../../src/adapters/sql/batches';

describe('splitBatches', () => {
  it('splits on GO lines in any case, with blanks, counts and comments', () => {
    const script = 'USE master;\nGO\nSELECT 1;\r\n  go  \nSELECT 2;\nGo -- next\nPRINT 3;\nGO 2\n';
    assert.deepEqual(splitBatches(script), ['USE master;', 'SELECT 1;', 'SELECT 2;', 'PRINT 3;', 'PRINT 3;']);
  });

  it('keeps a script without GO as one batch and drops empty batches', () => {
    assert.deepEqual(splitBatches('SELECT 1;\nSELECT 2;'), ['SELECT 1;\nSELECT 2;']);
    assert.deepEqual(splitBatches('GO\n\nGO\n'), []);
  });

  it('never splits inside strings, quoted identifiers or block comments', () => {
    const script = ["PRINT 'a", 'GO', "b';", 'SELECT [x', 'GO', '] FROM t;', '/* outer /* inner */', 'GO', '*/', 'SELECT 1;', 'GO', "PRINT 'it''s';", 'GO'].join('\n');
    assert.deepEqual(splitBatches(script), ["PRINT 'a\nGO\nb';\nSELECT [x\nGO\n] FROM t;\n/* outer /* inner */\nGO\n*/\nSELECT 1;", "PRINT 'it''s';"]);
  });

  it('does not take GO inside a line, or a line comment opening a string, as special', () => {
    assert.deepEqual(splitBatches("SELECT 1 AS go;\n-- it's a comment\nGO\nSELECT 2;"), ["SELECT 1 AS go;\n-- it's a comment", 'SELECT 2;']);
    assert.deepEqual(splitBatches('GOTO label;\nGO'), ['GOTO label;']);
  });
});
