import type { SqlRunner } from './hiveDdl';
import type { HiveSqlDialect } from './hiveSettings';
import {
  currentGenerationQuery,
  lastStoredOffsetsQuery,
  recordedPositionsQuery,
  resumePositions,
} from './hiveStatements';

/** Rows of a `SELECT kafka_partition, MAX(…)` query, as the driver returns them (numbers or numeric text). */
export type PartitionRow = Record<string, unknown> & { kafka_partition: unknown };

export function partitionMap(rows: readonly PartitionRow[], column: string): Map<number, number> {
  const map = new Map<number, number>();
  for (const row of rows) {
    const value = row[column];
    if (value !== null && value !== undefined) map.set(Number(row.kafka_partition), Number(value));
  }
  return map;
}

/** Where the Hive table says each partition resumes, and the reset generation that answer belongs to. */
export interface ResumeState {
  generation: number;
  positions: Map<number, number>;
}

/** The table's current reset generation (0 before any reset). */
export async function readGeneration(db: SqlRunner, table: string): Promise<number> {
  const [row] = await db.query<{ generation: unknown }>(currentGenerationQuery(table));
  return row?.generation === null || row?.generation === undefined ? 0 : Number(row.generation);
}

/** Reads the current reset generation, then the positions within it (`resumePositions`). */
export async function readResumeState(
  db: SqlRunner,
  dialect: HiveSqlDialect,
  table: string,
  topic: string,
  partitions: readonly number[],
): Promise<ResumeState> {
  const generation = await readGeneration(db, table);
  const stored = await db.query<PartitionRow>(lastStoredOffsetsQuery(dialect, table), [generation]);
  const recorded = await db.query<PartitionRow>(recordedPositionsQuery(dialect, table), [topic, generation]);
  return {
    generation,
    positions: resumePositions(partitionMap(stored, 'last_offset'), partitionMap(recorded, 'next_offset'), partitions),
  };
}
