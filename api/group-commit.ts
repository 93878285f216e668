/**
 * Group commit: the items that arrive while one batch is in flight are handled together by
 * the next one, so a burst of webhooks costs a few multi-row statements instead of one round
 * trip (and transaction) each. Each caller still waits for its own item's result: nothing is
 * acknowledged before it is stored. `run` returns one result per item, in order. With
 * `gatherMs`, an idle committer waits that long for company before its first batch: a statement
 * costs about the same for one row as for fifty, so a steady stream is stored in fewer of them.
 */
export function groupCommit<I, O>(
  run: (items: readonly I[]) => Promise<readonly O[]>,
  maxBatch = 500,
  gatherMs = 0,
): (item: I) => Promise<O> {
  let waiting: { item: I; resolve: (result: O) => void; reject: (error: unknown) => void }[] = [];
  let flushing = false;
  const flush = async () => {
    if (flushing) return;
    flushing = true;
    try {
      if (gatherMs > 0) await new Promise((resolve) => setTimeout(resolve, gatherMs));
      while (waiting.length > 0) {
        const batch = waiting.slice(0, maxBatch);
        waiting = waiting.slice(batch.length);
        try {
          const results = await run(batch.map((entry) => entry.item));
          if (results.length !== batch.length) {
            throw new Error(`group commit: ${results.length} results for ${batch.length} items`);
          }
          batch.forEach((entry, index) => entry.resolve(results[index] as O));
        } catch (error) {
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      flushing = false;
    }
  };
  return (item) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      void flush();
    });
}
