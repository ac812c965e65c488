/** The runbook language: parser, model, catalogues and the custom protocol. */
export * from './model';
export { parseRunbook, parseTarget, lyncCommandTarget, allActions, ACTION_LANGUAGES, type ParseOptions } from './parse';
export { loadPowerShellParser, type GrammarFiles, type PowerShellParser, type ParsedPowerShell } from './powershell';
export { parseSql, type ParsedSql } from './sql';
export { FRONT_MATTER_KEYS } from './frontmatter';
export { LineIndex } from './lines';
export * from './cmdlets';
export * from './lync-actions';
export * from './protocol';
