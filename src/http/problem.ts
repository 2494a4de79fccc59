import { STATUS_CODES } from 'node:http';
import type { components } from '../../generated/openapi';

export type Problem = components['schemas']['Problem'];
export type ProblemError = components['schemas']['ProblemError'];

// An answer lists at most this many errors and says how many there were: a
// request with thousands of unknown fields must not earn a reply many times its size.
export const MAX_LISTED_ERRORS = 20;

// The one error class of the service: anything thrown as an HttpProblem is
// answered as RFC 9457 problem+json by the error middleware.
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors?: ProblemError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }

  toBody(instance?: string): Problem {
    return {
      type: 'about:blank',
      title: STATUS_CODES[this.status] ?? 'Error',
      status: this.status,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...(this.errors ? { errors: this.errors.slice(0, MAX_LISTED_ERRORS) } : {}),
      ...(this.errors && this.errors.length > MAX_LISTED_ERRORS ? { totalErrors: this.errors.length } : {}),
    };
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
