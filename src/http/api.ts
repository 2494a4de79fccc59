import Router from '@koa/router';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Context, Middleware } from 'koa';
import { OpenAPIBackend, type Document, type Operation } from 'openapi-backend';
import type { operations } from '../../generated/openapi';
import { byteSize } from '../config';
import { AJV_OPTIONS, customizeAjv, errorMessage } from '../spec';
import { acceptsApiKey, requireApiKey } from './auth';
import { integerParameters, misspelledIntegers } from './integer-parameters';
import { readJsonBody } from './json-body';
import { acceptHeaders, bodyValidators, parameterValidators, requireMediaType } from './media-types';
import { HttpProblem, type ProblemError } from './problem';
import type { AppState } from './request-context';

type OperationId = keyof operations;
type Params<K extends OperationId> = operations[K]['parameters'];
// The body in whichever media type the operation declares (the router has
// parsed it and checked it against that media type's schema).
type RequestBody<K extends OperationId> = operations[K] extends { requestBody: { content: infer C } } ? C[keyof C] : undefined;
type Responses<K extends OperationId> = operations[K]['responses'];
// 304 Not Modified is not an error: the client's copy is current.
type SuccessStatus<K extends OperationId> = Extract<keyof Responses<K>, 200 | 201 | 204 | 304>;
// JSON is the default and needs no content type; any other media type (the
// docs page's HTML, the metrics text) is named, and its body is typed by it.
type ResponseBody<R> = R extends { content: infer C }
  ? {
      [M in keyof C]: M extends 'application/json' ? { body: C[M]; contentType?: never } : { body: C[M]; contentType: M };
    }[keyof C]
  : { body: undefined; contentType?: never };

// What a handler gets: parameters already validated and coerced to their spec
// types (defaults applied), and the validated body.
interface HandlerInput<K extends OperationId> {
  path: Params<K>['path'];
  query: NonNullable<Params<K>['query']>;
  body: RequestBody<K>;
  ctx: Context;
}

// What a handler returns: one of its operation's success responses, typed from
// the spec, so a handler cannot answer a body the contract does not describe.
type HandlerResult<K extends OperationId> = {
  [S in SuccessStatus<K>]: { status: S; headers?: Record<string, string> } & ResponseBody<Responses<K>[S]>;
}[SuccessStatus<K>];

type Handler<K extends OperationId> = (input: HandlerInput<K>) => Promise<HandlerResult<K>>;
export type Handlers = { [K in OperationId]: Handler<K> };

// The router's view of any handler: the per-operation types above are checked
// where handlers are written; here they are only called.
type RouteHandler = (input: { path: unknown; query: unknown; body: unknown; ctx: Context }) => Promise<{
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}>;

// The body validator for the request's media type. requireMediaType has let
// only a declared media type through, so one is found.
function bodyValidatorFor(validators: Map<string, ValidateFunction>, mediaType: string | false | null): ValidateFunction {
  const validate = mediaType ? validators.get(mediaType) : undefined;
  if (!validate) throw new Error(`no body validator for media type ${String(mediaType)}`);
  return validate;
}

// openapi-backend does the validation only; routing is @koa/router's, which is
// several times cheaper per request than openapi-backend's own matcher.
export async function createOpenApiBackend(definition: Document): Promise<OpenAPIBackend> {
  const api = new OpenAPIBackend({
    definition,
    strict: true,
    // Compile a validator when it is first asked for, not every one at init:
    // the router asks for each operation's request validators as it is built
    // (at start, as before), and the response validators are compiled only
    // when VALIDATE_RESPONSES uses them. Quick mode also skips validating the
    // spec against the OpenAPI schema, which `npm run lint:spec` does in CI.
    // Every start (and every dev reload) pays for init; the saving measured
    // is in bench/results/README.md.
    quick: true,
    coerceTypes: true,
    // verbose among them: toProblemErrors reads a schema's x-error-message.
    ajvOpts: AJV_OPTIONS,
    customizeAjv: (ajv) => customizeAjv(ajv),
  });
  return api.init();
}

// Ajv's errors for the request, one per field and message: a uuid that breaks
// both its format and its pattern is reported once.
export function toProblemErrors(errors: ErrorObject[]): ProblemError[] {
  const seen = new Set<string>();
  return errors.flatMap((error) => {
    // instancePath is /requestBody/..., /query/..., /path/... on the object
    // openapi-backend validates; split it into RFC 9457 "in" + JSON pointer.
    const [, where = '', ...rest] = error.instancePath.split('/');
    let path = rest.length ? `/${rest.join('/')}` : '';
    if (error.keyword === 'required') path += `/${String(error.params.missingProperty)}`;
    if (error.keyword === 'additionalProperties') path += `/${String(error.params.additionalProperty)}`;
    const location: ProblemError['in'] = where === 'requestBody' ? 'body' : where === 'query' ? 'query' : where === 'path' ? 'path' : 'header';
    const message = errorMessage(error);
    const key = JSON.stringify([location, path, message]);
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ in: location, path, message }];
  });
}

export const VALIDATION_FAILED = 'The request does not match the API contract.';

function koaPath(openApiPath: string): string {
  return openApiPath.replace(/\{(\w+)\}/g, ':$1');
}

interface ApiRouterOptions {
  bodyLimit: string;
  // On in tests: every success response is checked against the spec, and a
  // mismatch is a 500 that names the violation in the log.
  validateResponses: boolean;
  // Keys for the operations that accept bearerAuth; empty: those are open.
  apiKeys: readonly string[];
}

// The request as openapi-backend's compiled validators expect it, read from
// what Koa has already parsed and routed (openapi-backend's own parseRequest
// would match the path and parse the query a second time). The validators
// coerce and fill in defaults in place, so path and query are copies (Koa
// caches ctx.query for the querystring); the body is not: readJsonBody parsed
// it for this request alone.
function validationInput(ctx: Context, hasBody: boolean, body: unknown): Record<string, unknown> & Record<'path' | 'query', Record<string, unknown>> {
  return {
    path: { ...(ctx.params as Record<string, string>) },
    query: { ...ctx.query },
    header: ctx.headers,
    cookie: {},
    ...(hasBody ? { requestBody: body } : {}),
  };
}

function operationRoute(api: OpenAPIBackend, operation: Operation, handler: RouteHandler, options: ApiRouterOptions): Middleware<AppState>[] {
  const hasBody = Boolean(operation.requestBody);
  const hasInput = hasBody || Boolean(operation.parameters?.length);
  // Compiled once, at start.
  const validators = parameterValidators(api, operation);
  const integers = integerParameters(operation);
  const validatorsByMediaType = bodyValidators(api, operation);
  const mediaTypes = [...validatorsByMediaType.keys()];
  const bodyOptions = {
    limitBytes: byteSize(options.bodyLimit),
    limitText: options.bodyLimit,
    acceptHeaders: acceptHeaders(operation.method, mediaTypes),
  };
  const route: Middleware<AppState> = async (ctx) => {
    let params: unknown = ctx.params;
    let coercedQuery: unknown = {};
    const body = hasBody ? await readJsonBody(ctx, bodyOptions) : undefined;
    if (hasInput) {
      const input = validationInput(ctx, hasBody, body);
      const bodyValidator = hasBody ? [bodyValidatorFor(validatorsByMediaType, ctx.is(mediaTypes))] : [];
      const misspelled = misspelledIntegers(integers, input);
      const errors = [...validators, ...bodyValidator].flatMap((validate) => (validate(input) ? [] : (validate.errors ?? [])));
      if (misspelled.length || errors.length) {
        throw new HttpProblem(400, VALIDATION_FAILED, [...misspelled, ...toProblemErrors(errors)]);
      }
      params = input.path;
      coercedQuery = input.query;
    }
    const response = await handler({ path: params, query: coercedQuery, body, ctx });
    // openapi-backend validates JSON bodies only; the others are plain strings.
    if (options.validateResponses && response.body !== undefined && !response.contentType) {
      const check = api.validateResponse(response.body, operation, response.status);
      if (check.errors) {
        throw new Error(`${operation.operationId} answered ${response.status} against its contract: ${JSON.stringify(check.errors)}`);
      }
    }
    ctx.status = response.status;
    if (response.headers) ctx.set(response.headers);
    if (response.body !== undefined) {
      // Serialized here, once: koa-compress reads a body's length before it
      // decides, which for an object would mean a second JSON.stringify. The
      // type first: given a string body with no type yet, Koa would sniff it
      // (a regular expression over the body) and set text/plain only for this
      // line to replace it.
      ctx.type = response.contentType ?? 'application/json';
      ctx.body = response.contentType ? response.body : JSON.stringify(response.body);
    }
  };
  // Authenticate before reading a body: an anonymous client cannot make us parse 100kb.
  const auth = options.apiKeys.length > 0 && acceptsApiKey(operation) ? [requireApiKey(options.apiKeys)] : [];
  if (!operation.requestBody) return [...auth, route];
  return [...auth, requireMediaType(operation), route];
}

// One @koa/router route per operation in the spec, handled by its operationId.
export function createApiRouter(api: OpenAPIBackend, handlers: Handlers, options: ApiRouterOptions): Router<AppState> {
  const router = new Router<AppState>();
  for (const operation of api.getOperations()) {
    const operationId = operation.operationId as OperationId;
    if (operation.parameters?.some((parameter) => 'in' in parameter && parameter.in === 'cookie')) {
      throw new Error(`${operationId}: cookie parameters are not read by this router`);
    }
    const handler = handlers[operationId] as unknown as RouteHandler | undefined;
    if (!handler) throw new Error(`No handler for operation ${operation.operationId}`);
    router.register(koaPath(operation.path), [operation.method.toUpperCase()], operationRoute(api, operation, handler, options), {
      name: operationId,
    });
  }
  return router;
}
