import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError as CsvParseError } from 'csv-parse';
import { capEcho } from '../../core/echo.ts';
import type { StageChunkFn, StagedUpload } from '../../db/audiences.ts';
import { CsvError } from './errors.ts';
import { createCsvParser } from './parser.ts';
import { sniffCsv } from './sniff.ts';
import type { LineOffsets } from './line-offsets.ts';
import { stageRecords, type StageOptions, type StageStats } from './stage.ts';
import { notUtf8Error, utf8Guard, type InvalidUtf8 } from './utf8.ts';

export interface IngestOptions extends StageOptions {
  name: string;
  /** Told where each line starts, for rejections that name their byte. */
  lineOffsets?: LineOffsets | undefined;
}

/** Streams a CSV upload to `stage` in chunks of COPY text and describes what it staged. */
export async function ingestCsv(
  source: Readable,
  stage: StageChunkFn,
  options: IngestOptions,
): Promise<StagedUpload> {
  const { delimiter, stream } = await sniffCsv(source);
  const staged = stageRecords(options, stage);
  const guard = utf8Guard();
  let parsedAll = false;
  const parser = createCsvParser(delimiter, () => (parsedAll = true));
  let failure: unknown;
  try {
    await (options.lineOffsets === undefined
      ? pipeline(stream, guard.stream, parser, staged.stream)
      : pipeline(stream, options.lineOffsets.stream(), guard.stream, parser, staged.stream));
  } catch (error) {
    failure = error;
  }
  const invalid = guard.invalid();
  if (invalid !== undefined && parsedAll) throw invalidUtf8(invalid, staged.stats, failure);
  if (failure instanceof CsvParseError) {
    throw new CsvError('csv_malformed', `The CSV is malformed: ${capEcho(failure.message)}`, {
      line: failure['lines'],
    });
  }
  if (failure !== undefined) throw failure;
  const { header, rowsRead, rejected } = staged.stats;
  if (header === undefined) throw new CsvError('csv_empty', 'The file is empty');
  return { name: options.name, columns: header.columns, rowsRead, rejected };
}

/**
 * The guard cut the input at an invalid sequence and the parser read up to it: that is the
 * error, whatever the truncated last record made of it (a header cut short, an open quote),
 * unless the stage refused the complete header before (a problem of its own).
 */
function invalidUtf8(invalid: InvalidUtf8, stats: StageStats, failure: unknown): unknown {
  if (invalid.onFirstLine) return notUtf8Error(invalid, 1);
  if (stats.unclosedQuoteLine !== undefined)
    return notUtf8Error(invalid, stats.unclosedQuoteLine, true);
  if (stats.lastLine === undefined) return failure;
  return notUtf8Error(invalid, invalid.startsLine ? stats.lastLine + 1 : stats.lastLine);
}
