import type { ValidateFunction } from 'ajv';
import type { Middleware } from 'koa';
import { type OpenAPIBackend, type Operation, ValidationContext } from 'openapi-backend';
import { HttpProblem } from './problem';
import type { AppState } from './request-context';

// application/json and the structured +json types (application/merge-patch+json).
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/;

// The request body media types an operation declares, in spec order. The
// router parses JSON bodies only, so it refuses at start a spec that declares
// anything else rather than answering 415 to requests the contract allows.
function requestMediaTypes(operation: Operation): string[] {
  const body = operation.requestBody;
  const mediaTypes = body && 'content' in body ? Object.keys(body.content) : [];
  for (const mediaType of mediaTypes) {
    if (!JSON_MEDIA_TYPE.test(mediaType)) {
      throw new Error(`${operation.operationId}: request media type ${mediaType} is not JSON; the router parses JSON only`);
    }
  }
  return mediaTypes;
}

// Which header names the accepted media types in a 415 depends on the method:
// Accept-Post (W3C LDP) for POST, Accept-Patch (RFC 5789) for PATCH. PUT has
// no such header, so there the problem's detail alone names them.
export function acceptHeaders(method: string, mediaTypes: string[]): Record<string, string> {
  const list = mediaTypes.join(', ');
  if (method === 'post') return { 'Accept-Post': list };
  if (method === 'patch') return { 'Accept-Patch': list };
  return {};
}

export function requireMediaType(operation: Operation): Middleware<AppState> {
  const mediaTypes = requestMediaTypes(operation);
  const detail = `Send the request body as ${mediaTypes.join(' or ')}.`;
  const headers = acceptHeaders(operation.method, mediaTypes);
  return async (ctx, next) => {
    if (!ctx.is(mediaTypes)) throw new HttpProblem(415, detail, undefined, headers);
    // JSON is UTF-8 (RFC 8259 §8.1): another declared charset is refused, never transcoded.
    const charset = ctx.request.charset.toLowerCase();
    if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') {
      throw new HttpProblem(415, `Send the request body as UTF-8 JSON; charset ${charset} is not accepted.`, undefined, headers);
    }
    await next();
  };
}

// One body validator per declared media type, keyed by it. openapi-backend
// compiles a body validator for application/json only, so the router
// compiles all of them the same way (same Ajv options, the schema under
// `requestBody` so that error paths read /requestBody/...) and takes only
// the parameter validators from openapi-backend.
export function bodyValidators(api: OpenAPIBackend, operation: Operation): Map<string, ValidateFunction> {
  const body = operation.requestBody;
  const validators = new Map<string, ValidateFunction>();
  if (!body || !('content' in body)) return validators;
  const ajv = api.validator.getAjv(ValidationContext.RequestBody);
  for (const mediaType of requestMediaTypes(operation)) {
    const schema = {
      type: 'object',
      properties: { requestBody: body.content[mediaType].schema },
      required: body.required ? ['requestBody'] : [],
    };
    validators.set(mediaType, ajv.compile(schema));
  }
  return validators;
}

export function parameterValidators(api: OpenAPIBackend, operation: Operation): ValidateFunction[] {
  // A plain index lookup in openapi-backend: undefined for an operation it does not know, whatever its type says.
  const all: ValidateFunction[] | undefined =
    operation.operationId === undefined ? undefined : api.validator.getRequestValidatorsForOperation(operation.operationId);
  return (all ?? []).filter((validate) => !(validate.schema as { properties?: { requestBody?: unknown } }).properties?.requestBody);
}
