import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type FunderReturnTable = {
  id: Generated<string>;
  organisationId: string;
  name: string;
  funderName: string;
  funderId: string | null;
  instruments: string[];
  programme: string | null;
  site: string | null;
  period: 'quarter' | 'since_start';
  startDate: ColumnType<string | null, string | null, string | null>;
  breakdowns: ('role' | 'site' | 'group')[];
  version: Generated<number>;
  createdBy: string | null;
  createdAt: CreatedAt;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
};

/** The evaluation module's own tables (the report reads the measures module's). */
export type EvaluationTables = { funderReturn: FunderReturnTable };
