/**
 * The lab's clock for Lync-side activity (Backup Service syncs). It follows real time, so a
 * rehearsal sees a sync finish after `backupSyncMs`, and tests can `advance()` it to jump past
 * a sync without waiting.
 */
export interface LabClock {
  now(): number;
}

export class ShiftableClock implements LabClock {
  private offset = 0;

  constructor(private readonly base: () => number = Date.now) {}

  now(): number {
    return this.base() + this.offset;
  }

  advance(ms: number): void {
    this.offset += ms;
  }
}
