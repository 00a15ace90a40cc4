import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** One HTTP answer as a test received it. */
export interface ReceivedResponse {
  method: string;
  /** A path (`/v1/…?q=1`) or an absolute URL; the query is ignored. */
  url: string;
  status: number;
  contentType?: string;
  /** The parsed JSON body. */
  body: unknown;
  /** The raw text, to tell an empty body from a present one. */
  text?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface MediaType {
  schema?: JsonObject;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId?: string;
  responses?: Record<string, ResponseObject>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Json> };
}

const ROOT_ID = 'openapi.json';
/** Keys whose values are data (or names), not schemas: never rewritten. */
const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const', 'required', 'description']);
const SCHEMA_MAPS = new Set(['properties', 'schemas', 'patternProperties', 'definitions']);

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * OpenAPI 3.0 schemas as JSON Schema for ajv, made strict where the document is silent:
 * - `nullable: true` becomes `anyOf: [the schema, { type: 'null' }]` (3.0's own meaning: null is allowed besides);
 *   without it null is refused, so a DTO that answers null where it documents a string fails;
 * - an object schema that lists its properties refuses undocumented ones, so a body cannot carry fields (personal
 *   data, an entity's internals) the contract does not show;
 * - `$ref`s to components point into the registered document.
 */
function normalise(node: Json, mapOfSchemas = false): Json {
  if (Array.isArray(node)) return node.map((n) => normalise(n));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (mapOfSchemas) out[key] = normalise(value);
    else if (DATA_KEYS.has(key)) out[key] = value;
    else if (key === '$ref' && typeof value === 'string' && value.startsWith('#/'))
      out[key] = `${ROOT_ID}${value}`;
    else out[key] = normalise(value, SCHEMA_MAPS.has(key));
  }
  if (mapOfSchemas) return out;
  if (isObject(out.properties) && out.additionalProperties === undefined && !out.allOf && !out.anyOf) {
    out.additionalProperties = false;
  }
  if (out.nullable === true) {
    const { nullable: _nullable, description: _description, ...rest } = out;
    return Object.keys(rest).length === 0 ? {} : { anyOf: [rest, { type: 'null' }] };
  }
  delete out.nullable;
  return out;
}

function pathOf(url: string): string {
  return new URL(url, 'http://localhost').pathname;
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0].trim().toLowerCase() || undefined;
}

const isJson = (type: string | undefined) => type === 'application/json' || !!type?.endsWith('+json');

interface Route {
  template: string;
  pattern: RegExp;
  literalSegments: number;
}

/** The answers an api documents in its openapi.json, and a check of received answers against them. */
export class OpenApiContract {
  private static loaded?: OpenApiContract;
  private readonly ajv: Ajv;
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApiDocument) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: ROOT_ID, components: normalise(doc.components ?? {}) as JsonObject });
    this.routes = Object.keys(doc.paths)
      .map((template) => {
        const segments = template.split('/');
        const source = segments
          .map((s) => (/^\{[^}]+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
          .join('/');
        return {
          template,
          pattern: new RegExp(`^${source}$`),
          literalSegments: segments.filter((s) => !s.startsWith('{')).length,
        };
      })
      // `/alerts/preview` before `/alerts/{alertId}`
      .sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** The repository's committed openapi.json, read once per test file. */
  static load(file = join(__dirname, '..', '..', '..', '..', 'openapi.json')): OpenApiContract {
    OpenApiContract.loaded ??= new OpenApiContract(JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument);
    return OpenApiContract.loaded;
  }

  /** The path template (`/v1/municipalities/{municipalityId}`) that serves `url`, if any. */
  templateOf(method: string, url: string): string | undefined {
    const path = pathOf(url);
    const m = method.toLowerCase();
    return this.routes.find((r) => r.pattern.test(path) && this.doc.paths[r.template][m])?.template;
  }

  /** What is wrong with a received answer, as readable lines; empty when it keeps the contract. */
  violations(res: ReceivedResponse, pathTemplate?: string): string[] {
    const method = res.method.toLowerCase();
    const template = pathTemplate ?? this.templateOf(method, res.url);
    const type = mediaType(res.contentType);
    const where = `${res.method.toUpperCase()} ${template ?? pathOf(res.url)} → ${res.status}`;
    if (!template) {
      // a path no controller serves still answers the error shape
      if (res.status >= 400 && isJson(type) && this.doc.components?.schemas?.ErrorBody)
        return this.validate(`${ROOT_ID}#/components/schemas/ErrorBody`, res.body, where);
      return [];
    }
    const op = this.doc.paths[template][method];
    const responses = op.responses ?? {};
    const documented =
      responses[String(res.status)] ?? responses[`${String(res.status)[0]}XX`] ?? responses.default;
    if (!documented) return [`${where}: status not documented (${Object.keys(responses).join(', ')})`];
    const empty = res.status === 204 || method === 'head' || !res.text;
    if (empty) return [];
    const content = documented.content ?? {};
    if (Object.keys(content).length === 0) return [`${where}: a body is sent but none is documented`];
    if (!type) return [`${where}: a body without a content type`];
    const media = content[type] ?? (isJson(type) ? content['application/json'] : undefined);
    // an error answered as a page (the one-tap links) is for a browser, not a client of this contract
    if (!media)
      return res.status >= 400
        ? []
        : [`${where}: ${type} is not documented (${Object.keys(content).join(', ')})`];
    if (!isJson(type) || !media.schema) return [];
    return this.validate(JSON.stringify(media.schema), res.body, where, media.schema);
  }

  private validate(key: string, body: unknown, where: string, schema?: JsonObject): string[] {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = schema
        ? this.ajv.compile(normalise(schema) as JsonObject)
        : (this.ajv.getSchema(key) ?? this.ajv.compile({ $ref: key }));
      this.validators.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${where}: body${e.instancePath} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : ''}`,
    );
  }
}

/** Throws, naming every difference, when `res` is not what openapi.json documents for the operation. */
export function expectMatchesOpenApi(
  res: ReceivedResponse,
  pathTemplate?: string,
  contract: OpenApiContract = OpenApiContract.load(),
): void {
  const problems = contract.violations(res, pathTemplate);
  if (problems.length > 0) {
    throw new Error(`the answer does not match openapi.json:\n  ${problems.slice(0, 20).join('\n  ')}`);
  }
}
