/**
 * Log sequence numbers in the numeric(25,0) form SQL Server shows: the virtual log file number,
 * then the log block offset on 10 digits, then the slot on 5 (34000000041600001 = 34:416:1).
 * Real values exceed 2^53, so they are bigint here and decimal strings in files and JSON.
 */
export type Lsn = bigint;

const SLOT = 100_000n;
const VLF = 10n ** 15n;
/** Blocks per virtual log file before the lab moves on to the next VLF. */
const BLOCKS_PER_VLF = 1_000_000n;

export function makeLsn(vlf: number, block: number, slot: number): Lsn {
  return BigInt(vlf) * VLF + BigInt(block) * SLOT + BigInt(slot);
}

/** The LSN `blocks` log blocks later (slot 1 of the new block), wrapping into the next VLF. */
export function advanceLsn(lsn: Lsn, blocks: number): Lsn {
  const vlf = lsn / VLF;
  const block = (lsn % VLF) / SLOT + BigInt(blocks);
  return block >= BLOCKS_PER_VLF ? (vlf + 1n) * VLF + (block - BLOCKS_PER_VLF + 1n) * SLOT + 1n : vlf * VLF + block * SLOT + 1n;
}

export function formatLsn(lsn: Lsn): string {
  return lsn.toString();
}

/** Parses a decimal LSN; throws on anything that is not a non-negative integer of at most 25 digits. */
export function parseLsn(text: string): Lsn {
  if (!/^\d{1,25}$/.test(text)) throw new Error(`not an LSN: '${text}'`);
  return BigInt(text);
}
