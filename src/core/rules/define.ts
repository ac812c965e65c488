import type { Fix } from '../runbook/model';
import type { Range } from '../text';
import type { Rule, RuleContext, RuleMeta } from './types';

export const defineRule = (meta: RuleMeta, check: (ctx: RuleContext) => void): Rule => ({ meta, check });

/**
 * A rule whose findings are local to each action (see `Rule.action`): it reads the facts' uses and
 * actions, the runbook kind, the estate and the facts' pools, never the order of uses, their
 * steps, other actions or the front matter. The runner caches its findings per action.
 */
export const defineActionRule = (meta: RuleMeta, check: (ctx: RuleContext) => void): Rule => ({ meta, check, action: check });

/** A one-edit quick fix. */
export const replaceWith = (title: string, range: Range, newText: string): Fix => ({ title, edits: [{ range, newText }] });

export const insertAt = (title: string, at: Range['end'], newText: string): Fix => ({ title, edits: [{ range: { start: at, end: at }, newText }] });
