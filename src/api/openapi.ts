// Routes are declared once, with zod schemas for their input and output; the same declaration
// validates requests and feeds the OpenAPI 3 document at /openapi.json, so the docs cannot drift.
import { Router, type RequestHandler, type Request, type Response } from 'express';
import { z } from 'zod';
import { parseInput } from './validate.ts';
import type { RateLimitClass } from './rate-limit.ts';

type Method = 'get' | 'post' | 'patch' | 'delete';
/** `admin`: a bearer token whose roles claim has `admin` (the organizer API). */
export type Security = 'user' | 'user+queue' | 'admin' | 'public';

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  /** Express path relative to /api, e.g. '/concerts/:id'. */
  path: string;
  summary: string;
  tags: string[];
  security: Security;
  params?: P;
  query?: Q;
  body?: B;
  headers?: Record<string, { description: string; required: boolean }>;
  /** Rate-limit class (src/api/rate-limit.ts), applied after the route's middlewares (so per user once authenticated). */
  rateLimit?: RateLimitClass;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

export interface Input<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
}

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }) });

export class ApiDocs {
  private readonly operations: { path: string; method: Method; op: Record<string, unknown> }[] = [];
  private readonly rateLimit?: (cls: RateLimitClass) => RequestHandler;

  constructor(opts: { rateLimit?: (cls: RateLimitClass) => RequestHandler } = {}) {
    if (opts.rateLimit) this.rateLimit = opts.rateLimit;
  }

  /** Registers a route on `router` and in the document. Middlewares run before input parsing. */
  route<P extends z.ZodType = z.ZodObject, Q extends z.ZodType = z.ZodObject, B extends z.ZodType = z.ZodUnknown>(
    router: Router,
    spec: RouteSpec<P, Q, B>,
    middlewares: RequestHandler[],
    handler: (req: Request, res: Response, input: Input<P, Q, B>) => Promise<void> | void,
  ): void {
    this.document_(spec);
    const limit = spec.rateLimit && this.rateLimit ? [this.rateLimit(spec.rateLimit)] : [];
    router[spec.method](spec.path, ...middlewares, ...limit, async (req, res) => {
      const input = {
        params: spec.params ? parseInput(spec.params, req.params, 'params') : {},
        query: spec.query ? parseInput(spec.query, req.query, 'query') : {},
        body: spec.body ? parseInput(spec.body, req.body, 'body') : undefined,
      } as Input<P, Q, B>;
      await handler(req, res, input);
    });
  }

  private document_(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>): void {
    const parameters: unknown[] = [];
    const addParams = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
      if (!schema) return;
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: s });
      }
    };
    addParams(spec.params, 'path');
    addParams(spec.query, 'query');
    for (const [name, h] of Object.entries(spec.headers ?? {})) {
      parameters.push({ name, in: 'header', required: h.required, description: h.description, schema: { type: 'string' } });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      responses[status] = r.schema
        ? { description: r.description, content: { 'application/json': { schema: z.toJSONSchema(r.schema, { io: 'output', unrepresentable: 'any' }) } } }
        : { description: r.description };
    }
    if (spec.rateLimit) responses[429] = { description: `RATE_LIMITED (class ${spec.rateLimit}), with Retry-After` };
    responses.default = { description: 'error', content: { 'application/json': { schema: z.toJSONSchema(errorSchema) } } };
    const op: Record<string, unknown> = { summary: spec.summary, tags: spec.tags, parameters, responses };
    if (spec.rateLimit) op['x-rate-limit'] = spec.rateLimit;
    if (spec.body) op.requestBody = { required: true, content: { 'application/json': { schema: z.toJSONSchema(spec.body, { io: 'input', unrepresentable: 'any' }) } } };
    if (spec.security !== 'public') op.security = spec.security === 'user' ? [{ bearer: [] }] : spec.security === 'admin' ? [{ bearer: ['admin'] }] : [{ bearer: [], queueToken: [] }];
    this.operations.push({ path: `/api${spec.path.replace(/:(\w+)/g, '{$1}')}`, method: spec.method, op });
  }

  document(): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const { path, method, op } of this.operations) (paths[path] ??= {})[method] = op;
    return {
      openapi: '3.1.0',
      info: { title: 'Encore API', version: '0.1.0', description: 'Concert ticketing for the on-sale rush. Writes are jobs: submit, then poll /api/jobs/{id}.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          queueToken: { type: 'apiKey', in: 'header', name: 'X-Queue-Token' },
        },
      },
      paths,
    };
  }

  /** /openapi.json and a self-contained /docs page (no CDN, so it works offline too). */
  router(): Router {
    const r = Router();
    r.get('/openapi.json', (_req, res) => { res.json(this.document()); });
    r.get('/docs', (_req, res) => {
      const rows = this.operations
        .map(({ path, method, op }) => `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${path}</code></td><td>${String(op.summary)}</td><td>${op.security ? 'yes' : 'public'}</td></tr>`)
        .join('');
      res.type('html').send(`<!doctype html><html><head><meta charset="utf-8"><title>Encore API</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:left}</style></head>
<body><h1>Encore API</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
<table><thead><tr><th>method</th><th>path</th><th>summary</th><th>auth</th></tr></thead><tbody>${rows}</tbody></table></body></html>`);
    });
    return r;
  }
}

/** A positive integer id in a path or query string; "abc", "1.5", "-1" and "" are 400s. */
export const idParam = z.string().regex(/^[1-9]\d{0,9}$/, 'must be a positive integer').transform(Number);
