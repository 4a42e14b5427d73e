/**
 * OpenAPI 3.1 documents from declarative route lists. Each plane lists what it serves in its own
 * `openapi.ts` (`['GET /users/{id}', {summary, …}]`); `buildOpenApi` turns the list into a document
 * once, at start. Schemas are JSON Schema 2020-12, the dialect of OpenAPI 3.1.
 */

export type Schema = { readonly [keyword: string]: unknown };
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'options';

export interface ParamDoc {
  description?: string;
  schema?: Schema;
  required?: boolean;
}

/** A request body: one schema per accepted media type. */
export interface BodyDoc {
  json?: Schema;
  form?: Schema;
  /** The route reads a missing body as `{}`. */
  optional?: boolean;
}

export interface ResponseDoc {
  status?: number;
  description: string;
  schema?: Schema;
  /** Media type of `schema` (default `application/json`). */
  type?: string;
  headers?: Readonly<Record<string, string>>;
}

/** An error answer: a description, plus its body when it is not the operation's default error. */
export type ErrorDoc = string | { description: string; schema: Schema; type?: string };

export interface OperationDoc {
  summary: string;
  description?: string;
  tag: string;
  /** Alternatives, each a list of scheme names that apply together; `[]` = no authentication. Default: the document's. */
  security?: readonly (readonly string[])[];
  params?: Readonly<Record<string, ParamDoc>>;
  query?: Readonly<Record<string, ParamDoc>>;
  body?: BodyDoc;
  ok: ResponseDoc;
  errors?: Readonly<Record<number, ErrorDoc>>;
  /** The error body schema of this operation when not the document's default (e.g. OAuth errors). */
  errorSchema?: Schema;
}

/** `'GET /users/{id}'` and what it does. */
export type RouteDoc = readonly [route: string, operation: OperationDoc];

export interface DocumentInput {
  title: string;
  description: string;
  version: string;
  /** Base URL clients should use, when the plane knows its public one. */
  serverUrl?: string | undefined;
  securitySchemes: Readonly<Record<string, Schema>>;
  /** Applies to every operation that does not set `security`. */
  security: readonly (readonly string[])[];
  /** The body of an error answer unless the operation says otherwise. */
  errorSchema: Schema;
  schemas: Readonly<Record<string, Schema>>;
  tags: readonly { name: string; description: string }[];
  routes: readonly RouteDoc[];
}

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const str = (description?: string): Schema => (description ? { type: 'string', description } : { type: 'string' });
export const int = (description?: string): Schema => (description ? { type: 'integer', description } : { type: 'integer' });
export const bool = (description?: string): Schema => (description ? { type: 'boolean', description } : { type: 'boolean' });
export const dateTime: Schema = { type: 'string', format: 'date-time' };
export const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
export const orNull = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });

/** An answer object: every field present, nothing else (the contract's exact shapes). */
export function answer(properties: Readonly<Record<string, Schema>>, optional: readonly string[] = []): Schema {
  return { type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)),
    additionalProperties: false };
}

/** A request object: unknown fields are ignored by the server, so they are allowed. */
export function input(properties: Readonly<Record<string, Schema>>, required: readonly string[] = []): Schema {
  return required.length > 0 ? { type: 'object', properties, required } : { type: 'object', properties };
}

const MEDIA: Readonly<Record<keyof Omit<BodyDoc, 'optional'>, string>> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
};

function operation(method: Method, path: string, op: OperationDoc, errorSchema: Schema): Record<string, unknown> {
  const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => ({
    name, in: 'path', required: true, ...describe(op.params?.[name]),
  }));
  const queryParams = Object.entries(op.query ?? {}).map(([name, p]) => ({
    name, in: 'query', required: p.required ?? false, ...describe(p),
  }));
  const responses: Record<string, unknown> = { [String(op.ok.status ?? 200)]: response(op.ok) };
  for (const [status, e] of Object.entries(op.errors ?? {})) {
    const { description, schema, type = 'application/json' } = typeof e === 'string'
      ? { description: e, schema: op.errorSchema ?? errorSchema } : e;
    responses[status] = { description, content: { [type]: { schema } } };
  }
  const out: Record<string, unknown> = {
    operationId: `${method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: op.summary,
    tags: [op.tag],
  };
  if (op.description) out.description = op.description;
  if (op.security) out.security = op.security.map((alt) => Object.fromEntries(alt.map((name) => [name, []])));
  if (pathParams.length + queryParams.length > 0) out.parameters = [...pathParams, ...queryParams];
  if (op.body) {
    const content: Record<string, unknown> = {};
    for (const key of ['json', 'form'] as const) {
      const schema = op.body[key];
      if (schema) content[MEDIA[key]] = { schema };
    }
    out.requestBody = { required: !op.body.optional, content };
  }
  out.responses = responses;
  return out;
}

const describe = (p: ParamDoc | undefined): Record<string, unknown> =>
  ({ schema: p?.schema ?? { type: 'string' }, ...(p?.description ? { description: p.description } : {}) });

function response(r: ResponseDoc): Record<string, unknown> {
  const out: Record<string, unknown> = { description: r.description };
  if (r.headers) {
    out.headers = Object.fromEntries(Object.entries(r.headers).map(([name, description]) =>
      [name, { description, schema: { type: 'string' } }]));
  }
  if (r.schema) out.content = { [r.type ?? 'application/json']: { schema: r.schema } };
  return out;
}

/** The document, as a plain object ready for JSON.stringify. Throws on a route listed twice. */
export function buildOpenApi(doc: DocumentInput): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [route, op] of doc.routes) {
    const [verb = '', path = ''] = route.split(' ');
    const method = verb.toLowerCase() as Method;
    const item = (paths[path] ??= {});
    if (item[method]) throw new Error(`OpenAPI: ${route} is described twice`);
    item[method] = operation(method, path, op, doc.errorSchema);
  }
  return {
    openapi: '3.1.0',
    info: { title: doc.title, version: doc.version, description: doc.description,
      license: { name: 'MIT', identifier: 'MIT' } },
    ...(doc.serverUrl ? { servers: [{ url: doc.serverUrl }] } : {}),
    security: doc.security.map((alt) => Object.fromEntries(alt.map((name) => [name, []]))),
    tags: doc.tags,
    paths,
    components: { schemas: doc.schemas, securitySchemes: doc.securitySchemes },
  };
}
