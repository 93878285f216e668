import cliProgress from 'cli-progress';

export interface UploadProgress {
  update(bytes: number, rows: number): void;
  /** The whole file has been sent. */
  finish(bytes: number, rows: number): void;
}

const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);
const thousands = (n: number) => n.toLocaleString('en-US');

/**
 * Upload progress on `stream` (stderr: stdout carries the answer): a live bar with bytes and
 * rows on a terminal; elsewhere (CI logs, a pipe) a plain line every `everyMs` and one at the end,
 * since a bar's carriage returns would pile up into one unreadable line.
 */
export function uploadProgress(
  totalBytes: number,
  stream: NodeJS.WriteStream,
  everyMs: number,
): UploadProgress {
  const started = Date.now();
  const percent = (bytes: number) =>
    totalBytes === 0 ? 100 : Math.min(100, Math.floor((bytes / totalBytes) * 100));
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'upload [{bar}] {percentage}% | {sent}/{size} MB | {rows} rows',
        stream,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(totalBytes, 0, { sent: '0.0', size: megabytes(totalBytes), rows: '0' });
    return {
      update: (bytes, rows) => bar.update(bytes, { sent: megabytes(bytes), rows: thousands(rows) }),
      finish: (bytes, rows) => {
        bar.update(bytes, { sent: megabytes(bytes), rows: thousands(rows) });
        bar.stop();
      },
    };
  }
  let last = started;
  const line = (bytes: number, rows: number) =>
    `upload ${percent(bytes)}% ${megabytes(bytes)}/${megabytes(totalBytes)} MB, ${thousands(rows)} rows`;
  return {
    update: (bytes, rows) => {
      const now = Date.now();
      if (now - last < everyMs) return;
      last = now;
      stream.write(`${line(bytes, rows)}\n`);
    },
    finish: (bytes, rows) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      stream.write(`${line(bytes, rows)} sent in ${seconds} s; waiting for the API's counts\n`);
    },
  };
}
