export { readRecordFile, readRecordText, detectFormat, DEFAULT_MAX_ROW_CHARS } from './readRecordFile';
export type { ReadRecordFileOptions, RecordFileFormat } from './readRecordFile';
export type { RecordRow } from './rows';
export { parseColumnMap, describeUnknownColumns, normaliseColumnName } from './columns';
export { RecordFileError, ColumnMapError, type RecordFileErrorCode } from './errors';
export { readLines, linesOf, type PhysicalLine } from './lines';
export { CsvAssembler, detectDelimiter, type CsvRow, type Delimiter } from './csvRows';
