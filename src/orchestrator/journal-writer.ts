import type { Journal } from "../state/index.js";

/**
 * Saves the journal after a change, coalescing: a save asked for while one is being written waits
 * for it and then writes once for everyone who asked meanwhile. Steps call it after every change
 * that must survive a crash (a link batch id, a trashed item) without a write per call.
 */
export class JournalWriter {
  private writing: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private firstFailure: unknown;

  constructor(readonly journal: Journal) {}

  /**
   * The first save of this cycle that failed, if any. The journal on disk may then lack an intent
   * the cycle relies on (a restore asked for, an item trashed): the ActionLog makes no further
   * irreversible call this cycle, even if a later save happens to succeed.
   */
  get failure(): unknown {
    return this.firstFailure;
  }

  save(): Promise<void> {
    if (this.next) return this.next;
    if (this.writing) {
      this.next = this.writing.then(
        () => this.startNext(),
        () => this.startNext(),
      );
      return this.next;
    }
    return this.start();
  }

  private startNext(): Promise<void> {
    this.next = undefined;
    return this.start();
  }

  private start(): Promise<void> {
    const writing = this.journal.save().then(
      () => undefined,
      (error: unknown) => {
        this.firstFailure ??= error;
        throw error;
      },
    );
    this.writing = writing;
    const clear = () => {
      if (this.writing === writing) this.writing = undefined;
    };
    writing.then(clear, clear);
    return writing;
  }
}
