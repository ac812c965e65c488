/**
 * One-shot view of the lab's armed faults. A shell fault fires once per arming: `take` reports
 * it the first time it is asked while the fault is armed; once the lab clears the fault the
 * latch resets (noticed at the next statement), so arming it again makes it fire again. (A fault that fired forever would make
 * the product's recovery — a fresh shell, a retried step — impossible to rehearse.)
 */
import { SHELL_FAULTS, type FaultFlags } from './ports';

export class FaultLatch {
  private readonly fired = new Set<string>();

  constructor(private readonly flags: FaultFlags) {}

  take(name: string): boolean {
    this.observe(name);
    if (!this.flags.has(name) || this.fired.has(name)) return false;
    this.fired.add(name);
    return true;
  }

  /** Called for every statement, so a clear-and-re-arm between statements is noticed. */
  observeAll(): void {
    for (const name of SHELL_FAULTS) this.observe(name);
  }

  private observe(name: string): void {
    if (!this.flags.has(name)) this.fired.delete(name);
  }
}
