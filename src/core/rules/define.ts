import type { Fix } from '../runbook/model';
import type { Range } from '../text';
import type { Rule, RuleContext, RuleMeta } from './types';

export const defineRule = (meta: RuleMeta, check: (ctx: RuleContext) => void): Rule => ({ meta, check });

/** A one-edit quick fix. */
export const replaceWith = (title: string, range: Range, newText: string): Fix => ({ title, edits: [{ range, newText }] });

export const insertAt = (title: string, at: Range['end'], newText: string): Fix => ({ title, edits: [{ range: { start: at, end: at }, newText }] });
