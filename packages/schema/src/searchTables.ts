import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** Per search index: every golden record change before `synced_through` is searchable there. */
export interface SearchIndexStateTable {
  index_name: string;
  synced_through: Timestamp;
  updated_at: Timestamp;
}

declare module './tables' {
  /** Declaration merging: candidate search's table (migration 2026_11_23_0006_search_index). */
  interface Database {
    search_index_state: SearchIndexStateTable;
  }
}
