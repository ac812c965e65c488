/**
 * What the operator sees is what is sent, in the editor: dialogs, the preflight report, the run
 * report and the log show a runbook's hidden characters escaped.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DryRunStep } from '../../../src/core/recovery/dry-run';
import { preflightMarkdown, stepConfirmation } from '../../../src/extension/guided/model';
import { ChannelLogger } from '../../../src/extension/log';
import { renderReport } from '../../../src/extension/report/model';

const ESC = '\x1b';
const FORGED = `RESTORE DATABASE [mgc] WITH RECOVERY; --${ESC}[2K${ESC}[1G    SELECT 1;`;
const SHOWN = 'RESTORE DATABASE [mgc] WITH RECOVERY; --\\x1b[2K\\x1b[1G    SELECT 1;';
const step: DryRunStep = { id: 'read', title: `Read\u202e`, before: [], actions: [{ line: 12, target: 'backup dal-pcbak', destructive: true, text: FORGED }], after: [] };

describe('hidden characters in the editor', () => {
  it('a guided step confirmation shows them escaped, in its message and its detail', () => {
    const { message, detail } = stepConfirmation(step, 1, 1, { kind: 'live', label: 'LIVE: Litware' });
    assert.ok(message.includes('Read\\u202e'), message);
    assert.ok(detail.includes(`DESTRUCTIVE:\n${SHOWN}`), detail);
    assert.ok(!detail.includes(ESC) && !message.includes('\u202e'));
  });

  it('the preflight report shows them escaped', () => {
    const md = preflightMarkdown({ title: 'T', target: 'LIVE', runbook: 'x.runbook.md', notes: [], steps: [step] });
    assert.ok(md.includes(SHOWN), md);
    assert.ok(!md.includes(ESC));
  });

  it('the run report shows them escaped', () => {
    const md = renderReport({
      runbook: 'x.runbook.md',
      title: 'T',
      target: 'LIVE: Litware',
      journal: 'j.jsonl',
      generatedAt: '2026-01-01T00:00:00Z',
      generatedBy: 'admin',
      steps: [{ id: 'read', title: step.title }],
      records: [],
    });
    assert.ok(md.includes('Read\\u202e'), md);
    assert.ok(!md.includes('\u202e'));
  });

  it('the log shows them escaped', () => {
    const lines: string[] = [];
    const record = (l: string) => void lines.push(l);
    const logger = new ChannelLogger({ trace: record, debug: record, info: record, warn: record, error: record }, { text: (t) => t });
    logger.info(`sending ${FORGED}`);
    logger.error('failed', new Error(`near ${ESC}[2K`));
    assert.deepEqual(lines, [`sending ${SHOWN}`, 'failed: near \\x1b[2K']);
  });
});
