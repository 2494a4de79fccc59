import type { MaybeOptionalInit, ParseAsResponse } from 'openapi-fetch';
import type { FilterKeys, HttpMethod, PathsWithMethod, RequiredKeysOf } from 'openapi-typescript-helpers';
import type { paths } from './openapi.js';

// The result of a call, typed status by status from the contract's generated
// responses: openapi-fetch's own result has one `data` for every 2xx (and a 304,
// which is not ok, would claim the 2xx data) and one `error` for every other
// status, with `response.status` a plain number. Here each status the spec
// documents for the operation is its own variant, its status a literal.

/** A fetch Response whose status is one the contract documents. */
export type ResponseWithStatus<Status extends number> = Omit<Response, 'status'> & { readonly status: Status };

type BodyOf<Answer> = Answer extends { content: infer Content } ? Content[keyof Content] : undefined;
// RFC 9457: a problem's `status` member is the HTTP status it came with.
type ProblemOf<Body, Status extends number> = Body extends { status?: number } ? Omit<Body, 'status'> & { status: Status } : Body;

type Outcome<Status extends number, Answer, Init> = Status extends 304
  ? { status: Status; data?: undefined; error?: undefined; response: ResponseWithStatus<Status> }
  : `${Status}` extends `2${string}`
    ? BodyOf<Answer> extends undefined
      ? { status: Status; data?: undefined; error?: undefined; response: ResponseWithStatus<Status> }
      : { status: Status; data: ParseAsResponse<BodyOf<Answer>, Init>; error?: undefined; response: ResponseWithStatus<Status> }
    : { status: Status; data?: undefined; error: ProblemOf<BodyOf<Answer>, Status>; response: ResponseWithStatus<Status> };

/**
 * One variant per status the operation documents. `status` is the response's
 * status, at the top so that `if (r.status === 412)` narrows `r` (TypeScript
 * narrows an object by its own properties, not by `r.response.status`, which
 * narrows only `r.response`).
 */
export type ApiResult<Operation, Init = object> = Operation extends { responses: infer Responses }
  ? { [Status in keyof Responses & number]: Outcome<Status, Responses[Status], Init> }[keyof Responses & number]
  : never;

// The init argument as openapi-fetch's own methods take it (optional when nothing in it is required).
type InitParam<Init> = RequiredKeysOf<Init> extends never ? [(Init & Record<string, unknown>)?] : [Init & Record<string, unknown>];

export type ApiMethod<Method extends HttpMethod> = <Path extends PathsWithMethod<paths, Method>, Init extends MaybeOptionalInit<paths[Path], Method>>(
  url: Path,
  ...init: InitParam<Init>
) => Promise<ApiResult<FilterKeys<paths[Path], Method>, Init>>;
