import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../../src/server/db.ts';
import type { Kysely } from 'kysely';

/*
 * The adversarial, fuzz and CSRF tests walk every route of the OpenAPI document rather than a list of their own,
 * so a route added later is attacked without anyone remembering to add it.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
};

export type Parameter = { in: 'path' | 'query' | 'header' | 'cookie'; name: string; required?: boolean; schema?: JsonSchema };

export type Route = {
  method: Method;
  /** The OpenAPI path, e.g. /api/cases/{caseId}. */
  path: string;
  key: string;
  isPublic: boolean;
  parameters: Parameter[];
  pathParams: string[];
  /** The first request content type (application/json, text/csv, …), or null when the route takes no body. */
  bodyType: string | null;
  bodySchema: JsonSchema | null;
};

type Operation = {
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
};

export type OpenApiDocument = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, JsonSchema> } };

export const readOpenApi = async (app: FastifyInstance): Promise<OpenApiDocument> => {
  const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  const doc = response.json() as Partial<OpenApiDocument>;
  // Say what came back instead: a route whose schema cannot be documented fails here, not as "no paths" later.
  if (response.statusCode !== 200 || !doc.paths) throw new Error(`GET /api/openapi.json answered ${response.statusCode}: ${response.body.slice(0, 500)}`);
  return doc as OpenApiDocument;
};

export const routesOf = (doc: OpenApiDocument): Route[] =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]): Route => {
      const content = op.requestBody?.content ?? {};
      const bodyType = Object.keys(content)[0] ?? null;
      return {
        method: method.toUpperCase() as Method,
        path,
        key: `${method.toUpperCase()} ${path}`,
        isPublic: Array.isArray(op.security) && op.security.length === 0,
        parameters: op.parameters ?? [],
        pathParams: [...path.matchAll(/\{([a-zA-Z]+)\}/g)].map((m) => m[1] ?? ''),
        bodyType,
        bodySchema: bodyType ? (content[bodyType]?.schema ?? null) : null,
      };
    }),
  );

/** Follows a `#/components/schemas/X` reference (Zod schemas with `.meta({ id })` are emitted that way). */
export const resolveSchema = (doc: OpenApiDocument, schema: JsonSchema | null | undefined): JsonSchema | null => {
  if (!schema) return null;
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? '';
    return resolveSchema(doc, doc.components?.schemas?.[name]);
  }
  return schema;
};

/** Lone surrogates replaced by U+FFFD: encodeURIComponent throws on them, and no client could send them anyway. */
export const wellFormed = (text: string): string => text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** The path with each {param} filled in; `fallback` for a parameter that `values` does not know (else it throws). */
export const fillPath = (path: string, values: Record<string, string>, fallback?: string): string =>
  path.replace(/\{([a-zA-Z]+)\}/g, (_, name: string) => {
    const value = values[name] ?? fallback;
    if (value === undefined) throw new Error(`no value for path parameter ${name} in ${path}`);
    return encodeURIComponent(wellFormed(value));
  });

export const WRITE_METHODS: ReadonlySet<Method> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every table with an organisation_id column (the tenant tables), read from the catalogue. */
export const tenantTables = async (db: Kysely<Database>): Promise<string[]> =>
  (
    await sql<{ tableName: string }>`
      SELECT c.table_name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND c.column_name = 'organisation_id' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name`.execute(db)
  ).rows.map((r) => r.tableName);

/**
 * A fingerprint of everything an organisation holds: per tenant table, its row count and an md5 of its rows in a
 * stable order. Read on the owner connection (it bypasses row-level security), so it sees what is really stored.
 */
export const organisationFingerprint = async (db: Kysely<Database>, organisationId: string, tables?: string[]): Promise<Record<string, string>> => {
  const out: Record<string, string> = {};
  for (const table of tables ?? (await tenantTables(db))) {
    const row = (
      await sql<{ n: number; digest: string | null }>`
        SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest
        FROM ${sql.table(table)} t WHERE organisation_id = ${organisationId}`.execute(db)
    ).rows[0];
    out[table] = `${row?.n ?? 0}:${row?.digest ?? ''}`;
  }
  return out;
};

/** Row counts of every table in the public schema: a rejected request must not change any of them. */
export const rowCounts = async (db: Kysely<Database>): Promise<Record<string, number>> => {
  const tables = (
    await sql<{ tableName: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db)
  ).rows.map((r) => r.tableName);
  const out: Record<string, number> = {};
  for (const table of tables) {
    out[table] = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)).rows[0]?.n ?? 0;
  }
  return out;
};

/**
 * A plausible value for a JSON schema: required properties only, the first enum value, minimums for numbers. Used
 * for routes that no test has described a valid request for yet, so they are still attacked rather than skipped.
 */
export const exampleOf = (doc: OpenApiDocument, raw: JsonSchema | null | undefined, depth = 0): unknown => {
  const schema = resolveSchema(doc, raw);
  if (!schema || depth > 8) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) {
    const notNull = choices.find((c) => resolveSchema(doc, c)?.type !== 'null') ?? choices[0];
    return exampleOf(doc, notNull, depth + 1);
  }
  if (schema.allOf?.[0]) return exampleOf(doc, schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? schema.type[0]) : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) out[name] = exampleOf(doc, schema.properties?.[name], depth + 1);
      return out;
    }
    case 'array':
      return [exampleOf(doc, schema.items, depth + 1)];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'email') return 'someone@test.example';
      if (schema.format === 'date') return '2026-01-05';
      if (schema.format === 'date-time') return '2026-01-05T10:00:00Z';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    default:
      return null;
  }
};
