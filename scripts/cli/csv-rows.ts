const QUOTE = 0x22;
const NEWLINE = 0x0a;
const RETURN = 0x0d;

/**
 * Counts CSV records in a byte stream chunk by chunk, as the upload goes: a newline ends a
 * record unless it is inside double quotes (RFC 4180; an escaped `""` toggles twice, so the
 * state stays right). Blank lines are no records (the importer skips them). The header is a
 * record too: `rows` leaves it out.
 */
export class CsvRowCounter {
  #records = 0;
  #quoted = false;
  #open = false;

  push(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (byte === QUOTE) this.#quoted = !this.#quoted;
      if (byte === NEWLINE && !this.#quoted) {
        if (this.#open) this.#records += 1;
        this.#open = false;
      } else if (byte !== RETURN) {
        this.#open = true;
      }
    }
  }

  /** Data rows so far (a last line without a newline counts once it has begun). */
  get rows(): number {
    return Math.max(0, this.#records + (this.#open ? 1 : 0) - 1);
  }
}
