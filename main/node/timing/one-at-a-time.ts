import { withinDeadline } from './deadline.js';

/**
 * Work that runs one at a time (a gap repair that asks the exchange): a request while it runs asks
 * for one more run right after it, however many requests came, and that run happens only while
 * `again()` holds (its owner may be stopping). The run after keeps the first request's `arg`.
 */
export class OneAtATime<A> {
  private current: Promise<void> | null = null;
  private wanted = false;

  constructor(
    private readonly work: (arg: A) => Promise<void>,
    private readonly again: () => boolean,
  ) {}

  request(arg: A): void {
    if (this.current) {
      this.wanted = true;
      return;
    }
    this.current = (async () => {
      do {
        this.wanted = false;
        await this.work(arg);
      } while (this.wanted && this.again());
    })().finally(() => {
      this.current = null;
    });
  }

  /**
   * For a stop: waits at most `ms` for the run in progress, its failure ignored. A run waiting on a
   * slow exchange is abandoned, not cancelled: what it wrote is committed, the rest is redone later.
   */
  async settle(ms: number): Promise<void> {
    if (this.current)
      await withinDeadline(
        this.current.catch(() => undefined),
        ms,
      );
  }
}
