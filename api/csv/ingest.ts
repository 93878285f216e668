import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError as CsvParseError } from 'csv-parse';
import { capEcho } from '../../core/echo.ts';
import type { StageChunkFn, StagedUpload } from '../../db/audiences.ts';
import { CsvError } from './errors.ts';
import { createCsvParser } from './parser.ts';
import { sniffCsv } from './sniff.ts';
import { stageRecords } from './stage.ts';
import { utf8Guard } from './utf8.ts';

export interface IngestOptions {
  name: string;
  defaultCountry: string;
  phoneColumn?: string | undefined;
}

/** Streams a CSV upload to `stage` in chunks of COPY text and describes what it staged. */
export async function ingestCsv(
  source: Readable,
  stage: StageChunkFn,
  options: IngestOptions,
): Promise<StagedUpload> {
  const { delimiter, stream } = await sniffCsv(source);
  const staged = stageRecords(options, stage);
  try {
    await pipeline(stream, utf8Guard(), createCsvParser(delimiter), staged.stream);
  } catch (error) {
    if (error instanceof CsvParseError) {
      throw new CsvError('csv_malformed', `The CSV is malformed: ${capEcho(error.message)}`, {
        line: error['lines'],
      });
    }
    throw error;
  }
  const { header, rowsRead, rejected } = staged.stats;
  if (header === undefined) throw new CsvError('csv_empty', 'The file is empty');
  return { name: options.name, columns: header.columns, rowsRead, rejected };
}
