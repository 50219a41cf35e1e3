import type { Journal } from "../state/index.js";

/**
 * Saves the journal after a change, coalescing: a save asked for while one is being written waits
 * for it and then writes once for everyone who asked meanwhile. Steps call it after every change
 * that must survive a crash (a link batch id, a trashed item) without a write per call.
 */
export class JournalWriter {
  private writing: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(readonly journal: Journal) {}

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
    const writing = this.journal.save().then(() => undefined);
    this.writing = writing;
    const clear = () => {
      if (this.writing === writing) this.writing = undefined;
    };
    writing.then(clear, clear);
    return writing;
  }
}
