import fs from 'node:fs';
import path from 'node:path';

/** The labelled public data sets live beside the repository, in ../shared/data (never copied in). */
export function sharedDataDir(): string {
  const dir = process.env.NEXUS_SHARED_DATA ?? path.resolve(import.meta.dirname, '../../shared/data');
  if (!fs.existsSync(dir)) {
    throw new Error(
      `labelled data not found at ${dir}: put shared/ beside the repository or set NEXUS_SHARED_DATA`,
    );
  }
  return dir;
}

export const FEBRL_MAP = 'rec_id=external_id,surname=family_name,address_1=street,suburb=locality';
export const FEBRL_MAP_WITH_SSN = `${FEBRL_MAP},soc_sec_id=national_id`;
