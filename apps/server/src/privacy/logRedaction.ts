import type { LoggerOptions } from 'pino';

/**
 * Defence in depth for the rule that logs carry no personal values (docs/decisions/0037): no log
 * call passes a payload today (the masking test proves it at debug level), and should one ever
 * pass a record, its values or a golden record's, under the names they have in Nexus, pino writes
 * `[personal]` instead.
 */
export const LOG_REDACTION: NonNullable<LoggerOptions['redact']> = {
  paths: [
    'payload',
    'record',
    'records',
    'normalised',
    'best',
    'input',
    '*.payload',
    '*.record',
    '*.records',
    '*.normalised',
    '*.best',
    '*.input',
  ],
  censor: '[personal]',
};
