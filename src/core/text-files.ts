/**
 * Text files as Windows tools write them, one home for every entry point (CLI, language server,
 * extension, topology import): how bytes become text, how line breaks are read, and how large a
 * runbook or an estate may be.
 */

/** An estate of 500 pools is well under 1 MB; anything this large is not an estate. */
export const MAX_ESTATE_BYTES = 10 * 1024 * 1024;

/** The largest sample runbook is ~10 KB and a 10,000-line one ~500 KB; anything this large is not a runbook. */
export const MAX_RUNBOOK_BYTES = 10 * 1024 * 1024;

/**
 * Text of a file saved by any Windows tool: UTF-16 LE or BE with a byte order mark (Windows
 * PowerShell 5.1's `>` redirection and `Out-File` write UTF-16 LE), or UTF-8 with or without one
 * (`Out-File -Encoding utf8` writes one). The byte order mark is not part of the text.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  // TextDecoder drops a UTF-8 byte order mark itself.
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * The text with every line break a `\n` or `\r\n`: a lone `\r` (classic Mac OS line ends) becomes
 * `\n`. Editors and LSP count a lone `\r` as a line break too, and the replacement keeps every
 * offset and column, so positions found in the result are positions in the original.
 */
export function withLineFeeds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** "2.4 MB" — sizes in messages. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
