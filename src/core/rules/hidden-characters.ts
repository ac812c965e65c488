/** Characters in a runbook that a terminal, a dialog or the editor would act on or hide. */
import { LineIndex } from '../runbook/lines';
import { hiddenCharacters as findHidden } from '../text';
import { defineRule, replaceWith } from './define';

/** At most this many are reported: one is enough to act on, thousands would drown the editor. */
const MAX_REPORTED = 50;

function what(shown: string): string {
  if (shown === '\\x1b' || shown === '\\x9b') return 'an escape character: it starts a terminal escape sequence, which can erase or rewrite what a prompt shows';
  if (shown === '\\x0d') return 'a carriage return not ending a line: a terminal writes the rest of the line over its start';
  if (/^\\x/.test(shown)) return 'a control character';
  if (/^\\u(202[a-e]|206[6-9]|061c|200[ef])$/.test(shown)) return 'a bidirectional control: it reorders the text around it as shown, not as sent';
  return 'an invisible character';
}

export const hiddenCharacter = defineRule(
  {
    id: 'hidden-character',
    severity: 'error',
    description: 'A control character, terminal escape, bidirectional control or invisible character: what a person reads is not what is sent.',
    fix: 'Removes the character.',
  },
  ({ runbook, report }) => {
    const found = findHidden(runbook.text);
    if (found.length === 0) return;
    const index = new LineIndex(runbook.text);
    for (const h of found.slice(0, MAX_REPORTED)) {
      const range = { start: index.positionAt(h.offset), end: index.positionAt(h.offset + h.length) };
      const more = found.length > MAX_REPORTED && h === found[MAX_REPORTED - 1] ? ` (${found.length - MAX_REPORTED} more not listed)` : '';
      report(
        range,
        `Hidden character ${h.shown}, ${what(h.shown)}. Prompts and reports show it escaped and a live run asks before sending its block; remove it, or write it as a value (CHAR(27) in T-SQL, [char]27 in PowerShell) if it is meant.${more}`,
        [replaceWith(`Remove ${h.shown}`, range, '')],
      );
    }
  },
);
